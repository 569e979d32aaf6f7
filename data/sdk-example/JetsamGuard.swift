// JetsamGuard.swift - the memory guard in Swift, on the generated header
// (through the bridging header) or on the plist alone.
//
// Add jetsam_thresholds.h to the app's bridging header
// (#include "jetsam_thresholds.h") and jetsam_thresholds.plist to the app
// bundle.  Not compiled in this tree (Debian has no Swift toolchain); the
// Objective-C twin, JetsamGuard.m, is compile-checked.

import Darwin
import Foundation

enum JetsamDevice {
    /// hw.machine, e.g. "iPhone12,1" (not the marketing name).
    static var model: String {
        var size = 0
        sysctlbyname("hw.machine", nil, &size, nil, 0)
        var buf = [CChar](repeating: 0, count: max(size, 1))
        sysctlbyname("hw.machine", &buf, &size, nil, 0)
        return String(cString: buf)
    }

    /// "17.1" or "17.1.2", as the table writes OS versions.
    static var osVersion: String {
        let v = ProcessInfo.processInfo.operatingSystemVersion
        return v.patchVersion == 0
            ? "\(v.majorVersion).\(v.minorVersion)"
            : "\(v.majorVersion).\(v.minorVersion).\(v.patchVersion)"
    }

    static var ramBytes: Int64 {
        var ram: UInt64 = 0
        var size = MemoryLayout<UInt64>.size
        return sysctlbyname("hw.memsize", &ram, &size, nil, 0) == 0
            ? Int64(ram) : -1
    }

    /// task_info(TASK_VM_INFO).phys_footprint: what Jetsam judges.
    static var footprintBytes: Int64 {
        var info = task_vm_info_data_t()
        var count = mach_msg_type_number_t(
            MemoryLayout<task_vm_info_data_t>.size / MemoryLayout<natural_t>.size)
        let kr = withUnsafeMutablePointer(to: &info) {
            $0.withMemoryRebound(to: integer_t.self, capacity: Int(count)) {
                task_info(mach_task_self_, task_flavor_t(TASK_VM_INFO), $0, &count)
            }
        }
        return kr == KERN_SUCCESS ? Int64(info.phys_footprint) : -1
    }

    /// footprint + os_proc_available_memory(), or -1 when the latter is 0
    /// (at the limit already, or not an app): never the footprint alone.
    static var liveLimitBytes: Int64 {
        jetsam_live_limit_bytes(footprintBytes, os_proc_available_memory())
    }
}

final class JetsamGuard {
    let thresholdBytes: Int64   // -1: unknown (no live limit)
    let source: jetsam_source

    /// From the generated header: call once per launch.
    init(profile: String = "app") {
        var src = JETSAM_SOURCE_MEASURED
        thresholdBytes = jetsam_threshold_lookup(
            JetsamDevice.model, JetsamDevice.osVersion, profile,
            JetsamDevice.ramBytes, JetsamDevice.liveLimitBytes, &src)
        source = src
    }

    /// Above the threshold: release caches and degrade before the next page.
    var isInDanger: Bool {
        if thresholdBytes < 0 { return os_proc_available_memory() == 0 }
        return JetsamDevice.footprintBytes >= thresholdBytes
    }

    /// The same lookup on the plist (data/ship-schema.json), for a table
    /// updated without a new build.
    static func threshold(plist url: URL, profile: String = "app") -> Int64 {
        guard let data = try? Data(contentsOf: url),
              let table = try? PropertyListSerialization.propertyList(
                  from: data, format: nil) as? [String: Any]
        else { return -1 }
        let model = JetsamDevice.model, os = JetsamDevice.osVersion
        let fraction = table["fraction"] as? Double ?? 0.65
        let byOS = (table["thresholds"] as? [String: [String: [String: Any]]])?[model] ?? [:]
        func threshold(_ v: String) -> Int64? {
            (byOS[v]?[profile]?["threshold_bytes"] as? NSNumber)?.int64Value
        }
        if let t = threshold(os) { return t }  // measured
        let measured = byOS.keys.filter { threshold($0) != nil }
        let older = measured.filter {
            $0.compare(os, options: .numeric) != .orderedDescending
        }
        if let v = older.max(by: { $0.compare($1, options: .numeric) == .orderedAscending })
            ?? measured.min(by: { $0.compare($1, options: .numeric) == .orderedAscending }),
           let t = threshold(v) {
            return t  // carried over
        }
        let live = JetsamDevice.liveLimitBytes
        guard live > 0 else { return -1 }
        func fractionOf(_ b: Int64) -> Int64 { max(Int64(Double(b) * fraction), 1) }
        if let f = (table["field_only"] as? [String: [String: Any]])?[model],
           let growth = (f["growth_bytes"] as? NSNumber)?.int64Value {
            var t = live - growth > 0 ? live - growth : fractionOf(live)
            if let b = (f["baseline_bytes"] as? NSNumber)?.int64Value, b > t { t = b }
            return min(t, live)  // field-only
        }
        let ram = JetsamDevice.ramBytes
        let classes = (table["ram_classes"] as? [[String: NSNumber]]) ?? []
        if ram > 0, let c = classes.min(by: {
            abs($0["ram_bytes"]!.int64Value - ram) < abs($1["ram_bytes"]!.int64Value - ram)
        }), let g = c["growth_bytes"]?.int64Value, live - g > 0 {
            return live - g  // runtime rule
        }
        return fractionOf(live)
    }
}
