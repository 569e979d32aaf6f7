// ProbeWidget.swift - the probe as a widget extension (widget-extension)
//
// WidgetKit runs the timeline provider in the extension's own process,
// under the memory limit widgets hit; the provider runs the probe
// (JTProbeWidget.m) before it returns a timeline, so the probe's log is
// that limit.  Add the widget to the Home Screen to start a run.
//
// Not compiled on Linux (no Swift toolchain there): checked only on a Mac.

import SwiftUI
import WidgetKit

struct ProbeEntry: TimelineEntry {
    let date: Date
    let status: Int32
}

struct ProbeProvider: TimelineProvider {
    func placeholder(in context: Context) -> ProbeEntry {
        ProbeEntry(date: Date(), status: -1)
    }

    func getSnapshot(in context: Context, completion: @escaping (ProbeEntry) -> Void) {
        completion(ProbeEntry(date: Date(), status: -1))
    }

    func getTimeline(in context: Context, completion: @escaping (Timeline<ProbeEntry>) -> Void) {
        let status = JTProbeWidgetRun()
        completion(Timeline(entries: [ProbeEntry(date: Date(), status: status)], policy: .never))
    }
}

@main
struct ProbeWidget: Widget {
    var body: some WidgetConfiguration {
        StaticConfiguration(kind: "JetsamProbe", provider: ProbeProvider()) { entry in
            Text(entry.status < 0 ? "jetsam probe" : "probe ended: \(entry.status)")
        }
        .configurationDisplayName("Jetsam probe")
        .description("Allocates memory until the system ends this extension.")
        .supportedFamilies([.systemSmall])
    }
}
