#!/usr/bin/env python3
"""project.py - write JetsamProbe.xcodeproj/project.pbxproj from the table below

The Xcode project is checked in, so a Mac needs nothing but Xcode:
`xcodebuild -project probe/ios/JetsamProbe.xcodeproj ...` (or `make
ios-probe`).  It is written by this script rather than by Xcode or by hand
because a pbxproj is a graph of 24-digit ids, where a hand edit easily
leaves a dangling reference; here every id is derived from a name, so the
output is the same bytes every time and a change to the targets is a change
to TARGETS.  Run it after editing TARGETS:

    python3 probe/ios/project.py            # rewrite the project
    python3 probe/ios/project.py --check    # exit 1 if it is out of date

tests/shim/check_ios.py then parses the result with its own reader and checks
references, files, plists and build settings (make check-darwin).
"""
import hashlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "JetsamProbe.xcodeproj", "project.pbxproj")

# The probe itself, shared by every target (paths relative to probe/ios).
PROBE_SOURCES = ["../probe.c", "../size.c", "../footprint_darwin.c",
                 "Shared/JTProbeHost.m"]
PROBE_HEADERS = ["../probe.h", "../size.h", "Shared/JTProbeHost.h"]

# name, product type, sources, Info.plist, entitlements, profile, settings
TARGETS = [
    {
        "name": "JetsamProbe",
        "kind": "app",
        "sources": ["App/main.m"],
        "plist": "App/Info.plist",
        "entitlements": "App/App.entitlements",
        "profile": "app",
        "bundle": "$(JT_BUNDLE_PREFIX).jetsamprobe",
        "embeds": ["JetsamProbeNotificationService", "JetsamProbeWidget"],
    },
    {
        "name": "JetsamProbeIncreasedMemoryLimit",
        "kind": "app",
        "sources": ["App/main.m"],
        "plist": "App/Info.plist",
        "entitlements": "App/IncreasedMemoryLimit.entitlements",
        "profile": "app-increased-memory-limit",
        "bundle": "$(JT_BUNDLE_PREFIX).jetsamprobe-iml",
        "embeds": [],
    },
    {
        "name": "JetsamProbeNotificationService",
        "kind": "appex",
        "sources": ["NotificationService/NotificationService.m"],
        "plist": "NotificationService/Info.plist",
        "entitlements": "NotificationService/NotificationService.entitlements",
        "profile": "notification-service-extension",
        "bundle": "$(JT_BUNDLE_PREFIX).jetsamprobe.notification-service",
        "embeds": [],
    },
    {
        "name": "JetsamProbeWidget",
        "kind": "appex",
        "sources": ["Widget/ProbeWidget.swift", "Widget/JTProbeWidget.m"],
        "headers": ["Widget/JTProbeWidget.h"],
        "plist": "Widget/Info.plist",
        "entitlements": "Widget/Widget.entitlements",
        "profile": "widget-extension",
        "bundle": "$(JT_BUNDLE_PREFIX).jetsamprobe.widget",
        "embeds": [],
        # WidgetKit needs iOS 14; the other targets follow the user.
        "settings": {
            "IPHONEOS_DEPLOYMENT_TARGET": "14.0",
            "SWIFT_OBJC_BRIDGING_HEADER": "Widget/JTProbeWidget.h",
        },
    },
]

# Settings every target gets; the ones a user passes on the xcodebuild
# command line are DEVELOPMENT_TEAM, JT_BUNDLE_PREFIX and
# JT_DEPLOYMENT_TARGET (README.md).
PROJECT_SETTINGS = {
    "ALWAYS_SEARCH_USER_PATHS": "NO",
    "CLANG_ENABLE_MODULES": "YES",
    "CLANG_ENABLE_OBJC_ARC": "YES",
    "CLANG_WARN_STRICT_PROTOTYPES": "YES",
    "CODE_SIGN_STYLE": "Automatic",
    "CURRENT_PROJECT_VERSION": "1",
    "DEVELOPMENT_TEAM": "",
    "ENABLE_BITCODE": "NO",
    "GCC_C_LANGUAGE_STANDARD": "gnu11",
    "GCC_WARN_ABOUT_MISSING_PROTOTYPES": "YES",
    "GENERATE_INFOPLIST_FILE": "NO",
    "HEADER_SEARCH_PATHS": ["$(SRCROOT)/..", "$(SRCROOT)/Shared"],
    "IPHONEOS_DEPLOYMENT_TARGET": "$(JT_DEPLOYMENT_TARGET)",
    "JT_APP_GROUP": "group.$(JT_BUNDLE_PREFIX).jetsamprobe",
    "JT_BUNDLE_PREFIX": "com.example.jetsamkit",
    "JT_DEPLOYMENT_TARGET": "13.0",
    "MARKETING_VERSION": "0.2.0",
    "SDKROOT": "iphoneos",
    "SWIFT_VERSION": "5.0",
    "TARGETED_DEVICE_FAMILY": "1,2",
}
CONFIG_SETTINGS = {
    "Debug": {
        "DEBUG_INFORMATION_FORMAT": "dwarf",
        "GCC_OPTIMIZATION_LEVEL": "0",
        "ONLY_ACTIVE_ARCH": "YES",
        "SWIFT_OPTIMIZATION_LEVEL": "-Onone",
    },
    "Release": {
        "DEBUG_INFORMATION_FORMAT": "dwarf-with-dsym",
        "SWIFT_OPTIMIZATION_LEVEL": "-O",
        "VALIDATE_PRODUCT": "YES",
    },
}

FILE_TYPES = {
    ".c": "sourcecode.c.c",
    ".h": "sourcecode.c.h",
    ".m": "sourcecode.c.objc",
    ".swift": "sourcecode.swift",
    ".plist": "text.plist.xml",
    ".entitlements": "text.plist.entitlements",
}
PRODUCT = {
    "app": ("com.apple.product-type.application", "wrapper.application", ".app"),
    "appex": ("com.apple.product-type.app-extension",
              "wrapper.app-extension", ".appex"),
}


def oid(label):
    """A stable 24-digit id for the object called label."""
    return hashlib.md5(label.encode()).hexdigest()[:24].upper()


def q(s):
    """A pbxproj string: bare when it is a plain word, else quoted."""
    if s and all(c.isalnum() or c in "._/" for c in s) and "//" not in s:
        return s
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Objects:
    def __init__(self):
        self.by_isa = {}

    def add(self, isa, label, comment, fields):
        self.by_isa.setdefault(isa, []).append((oid(label), comment, fields))
        return oid(label)


def value(v, depth, comments):
    pad = "\t" * depth
    if isinstance(v, list):
        out = "(\n"
        for x in v:
            out += pad + "\t" + value(x, depth + 1, comments) + ",\n"
        return out + pad + ")"
    if isinstance(v, dict):
        out = "{\n"
        for k in sorted(v):
            out += pad + "\t" + q(k) + " = " + value(v[k], depth + 1,
                                                        comments) + ";\n"
        return out + pad + "}"
    if v in comments:
        return v + " /* " + comments[v] + " */"
    return q(v)


def build():
    o = Objects()
    files = {}   # path -> file ref id
    names = {}   # id -> comment

    def fileref(path):
        if path not in files:
            ext = os.path.splitext(path)[1]
            files[path] = o.add("PBXFileReference", "file:" + path,
                                os.path.basename(path), {
                                    "isa": "PBXFileReference",
                                    "lastKnownFileType": FILE_TYPES[ext],
                                    "path": path,
                                    "sourceTree": "<group>",
                                })
            names[files[path]] = os.path.basename(path)
        return files[path]

    products = {}
    for t in TARGETS:
        ptype, ftype, suffix = PRODUCT[t["kind"]]
        pid = o.add("PBXFileReference", "product:" + t["name"],
                    t["name"] + suffix, {
                        "isa": "PBXFileReference",
                        "explicitFileType": ftype,
                        "includeInIndex": "0",
                        "path": t["name"] + suffix,
                        "sourceTree": "BUILT_PRODUCTS_DIR",
                    })
        products[t["name"]] = pid
        names[pid] = t["name"] + suffix

    project_id = oid("project")
    target_ids = {t["name"]: oid("target:" + t["name"]) for t in TARGETS}
    for t in TARGETS:
        names[target_ids[t["name"]]] = t["name"]

    for t in TARGETS:
        n = t["name"]
        srcs = PROBE_SOURCES + t["sources"]
        for p in PROBE_HEADERS + t.get("headers", []) + [t["plist"],
                                                          t["entitlements"]]:
            fileref(p)
        build_files = []
        for p in srcs:
            bid = o.add("PBXBuildFile", "build:%s:%s" % (n, p),
                        os.path.basename(p) + " in Sources", {
                            "isa": "PBXBuildFile", "fileRef": fileref(p)})
            names[bid] = os.path.basename(p) + " in Sources"
            build_files.append(bid)
        phases = []
        sid = o.add("PBXSourcesBuildPhase", "sources:" + n, "Sources", {
            "isa": "PBXSourcesBuildPhase",
            "buildActionMask": "2147483647",
            "files": build_files,
            "runOnlyForDeploymentPostprocessing": "0",
        })
        names[sid] = "Sources"
        phases.append(sid)
        fid = o.add("PBXFrameworksBuildPhase", "frameworks:" + n,
                    "Frameworks", {
                        "isa": "PBXFrameworksBuildPhase",
                        "buildActionMask": "2147483647",
                        "files": [],
                        "runOnlyForDeploymentPostprocessing": "0",
                    })
        names[fid] = "Frameworks"
        phases.append(fid)
        deps = []
        if t["embeds"]:
            embedded = []
            for e in t["embeds"]:
                ename = e + ".appex"
                bid = o.add("PBXBuildFile", "embed:%s:%s" % (n, e),
                            ename + " in Embed App Extensions", {
                                "isa": "PBXBuildFile",
                                "fileRef": products[e],
                                "settings": {"ATTRIBUTES": [
                                    "RemoveHeadersOnCopy"]},
                            })
                names[bid] = ename + " in Embed App Extensions"
                embedded.append(bid)
                proxy = o.add("PBXContainerItemProxy", "proxy:%s:%s" % (n, e),
                              "PBXContainerItemProxy", {
                                  "isa": "PBXContainerItemProxy",
                                  "containerPortal": project_id,
                                  "proxyType": "1",
                                  "remoteGlobalIDString": target_ids[e],
                                  "remoteInfo": e,
                              })
                names[proxy] = "PBXContainerItemProxy"
                did = o.add("PBXTargetDependency", "dep:%s:%s" % (n, e),
                            "PBXTargetDependency", {
                                "isa": "PBXTargetDependency",
                                "target": target_ids[e],
                                "targetProxy": proxy,
                            })
                names[did] = "PBXTargetDependency"
                deps.append(did)
            cid = o.add("PBXCopyFilesBuildPhase", "embed:" + n,
                        "Embed App Extensions", {
                            "isa": "PBXCopyFilesBuildPhase",
                            "buildActionMask": "2147483647",
                            "dstPath": "",
                            "dstSubfolderSpec": "13",
                            "files": embedded,
                            "name": "Embed App Extensions",
                            "runOnlyForDeploymentPostprocessing": "0",
                        })
            names[cid] = "Embed App Extensions"
            phases.append(cid)

        settings = {
            "CODE_SIGN_ENTITLEMENTS": t["entitlements"],
            "INFOPLIST_FILE": t["plist"],
            "JT_PROBE_PROFILE": t["profile"],
            "PRODUCT_BUNDLE_IDENTIFIER": t["bundle"],
            "PRODUCT_NAME": "$(TARGET_NAME)",
        }
        if t["kind"] == "app":
            settings["LD_RUNPATH_SEARCH_PATHS"] = [
                "$(inherited)", "@executable_path/Frameworks"]
        else:
            settings["APPLICATION_EXTENSION_API_ONLY"] = "YES"
            settings["SKIP_INSTALL"] = "YES"
            settings["LD_RUNPATH_SEARCH_PATHS"] = [
                "$(inherited)", "@executable_path/Frameworks",
                "@executable_path/../../Frameworks"]
        settings.update(t.get("settings", {}))
        configs = []
        for c in sorted(CONFIG_SETTINGS):
            bc = o.add("XCBuildConfiguration", "config:%s:%s" % (n, c), c, {
                "isa": "XCBuildConfiguration",
                "buildSettings": settings,
                "name": c,
            })
            names[bc] = c
            configs.append(bc)
        lid = o.add("XCConfigurationList", "configs:" + n,
                    'Build configuration list for PBXNativeTarget "%s"' % n, {
                        "isa": "XCConfigurationList",
                        "buildConfigurations": configs,
                        "defaultConfigurationIsVisible": "0",
                        "defaultConfigurationName": "Release",
                    })
        names[lid] = 'Build configuration list for PBXNativeTarget "%s"' % n
        o.add("PBXNativeTarget", "target:" + n, n, {
            "isa": "PBXNativeTarget",
            "buildConfigurationList": lid,
            "buildPhases": phases,
            "buildRules": [],
            "dependencies": deps,
            "name": n,
            "productName": n,
            "productReference": products[n],
            "productType": PRODUCT[t["kind"]][0],
        })

    # Groups: one per folder, the probe's own files under "probe".
    groups = {}
    for path in sorted(files):
        folder = "probe" if path.startswith("../") else path.split("/")[0]
        groups.setdefault(folder, []).append(files[path])
    group_ids = []
    for folder in sorted(groups):
        fields = {"isa": "PBXGroup", "children": groups[folder],
                  "sourceTree": "<group>"}
        if folder == "probe":
            fields["name"] = "probe"
        else:
            fields["path"] = folder
            # Children of a folder group are relative to it.
            for fid in groups[folder]:
                for isa_objs in o.by_isa["PBXFileReference"]:
                    if isa_objs[0] == fid:
                        isa_objs[2]["path"] = isa_objs[2]["path"].split(
                            "/", 1)[1]
        gid = o.add("PBXGroup", "group:" + folder, folder, fields)
        names[gid] = folder
        group_ids.append(gid)
    prod_group = o.add("PBXGroup", "group:Products", "Products", {
        "isa": "PBXGroup",
        "children": [products[t["name"]] for t in TARGETS],
        "name": "Products",
        "sourceTree": "<group>",
    })
    names[prod_group] = "Products"
    main_group = o.add("PBXGroup", "group:main", "", {
        "isa": "PBXGroup",
        "children": group_ids + [prod_group],
        "sourceTree": "<group>",
    })

    pconfigs = []
    for c in sorted(CONFIG_SETTINGS):
        s = dict(PROJECT_SETTINGS)
        s.update(CONFIG_SETTINGS[c])
        bc = o.add("XCBuildConfiguration", "config:project:" + c, c, {
            "isa": "XCBuildConfiguration",
            "buildSettings": s,
            "name": c,
        })
        names[bc] = c
        pconfigs.append(bc)
    plist_id = o.add("XCConfigurationList", "configs:project",
                     'Build configuration list for PBXProject "JetsamProbe"', {
                         "isa": "XCConfigurationList",
                         "buildConfigurations": pconfigs,
                         "defaultConfigurationIsVisible": "0",
                         "defaultConfigurationName": "Release",
                     })
    names[plist_id] = 'Build configuration list for PBXProject "JetsamProbe"'
    o.add("PBXProject", "project", "Project object", {
        "isa": "PBXProject",
        "attributes": {
            "BuildIndependentTargetsInParallel": "YES",
            "LastUpgradeCheck": "1500",
        },
        "buildConfigurationList": plist_id,
        "compatibilityVersion": "Xcode 12.0",
        "developmentRegion": "en",
        "hasScannedForEncodings": "0",
        "knownRegions": ["en", "Base"],
        "mainGroup": main_group,
        "productRefGroup": prod_group,
        "projectDirPath": "",
        "projectRoot": "",
        "targets": [target_ids[t["name"]] for t in TARGETS],
    })
    names[project_id] = "Project object"

    out = ["// !$*UTF8*$!\n{\n\tarchiveVersion = 1;\n\tclasses = {\n\t};\n"
           "\tobjectVersion = 54;\n\tobjects = {\n"]
    for isa in sorted(o.by_isa):
        out.append("\n/* Begin %s section */\n" % isa)
        for ident, comment, fields in sorted(o.by_isa[isa]):
            head = ident + (" /* %s */" % comment if comment else "")
            if isa in ("PBXBuildFile", "PBXFileReference"):
                # One line each, as Xcode writes them.
                body = " ".join("%s = %s;" % (q(k), value(fields[k], 0, names)
                                              .replace("\n", " ")
                                              .replace("\t", ""))
                                for k in ["isa"] + sorted(
                                    k for k in fields if k != "isa"))
                out.append("\t\t%s = {%s };\n" % (head, body))
            else:
                body = "\t\t%s = {\n\t\t\tisa = %s;\n" % (head, fields["isa"])
                for k in sorted(k for k in fields if k != "isa"):
                    body += "\t\t\t%s = %s;\n" % (q(k),
                                                  value(fields[k], 3, names))
                out.append(body + "\t\t};\n")
        out.append("/* End %s section */\n" % isa)
    out.append("\t};\n\trootObject = %s /* Project object */;\n}\n" %
               project_id)
    return "".join(out)


def main():
    text = build()
    if sys.argv[1:] == ["--check"]:
        with open(OUT) as f:
            if f.read() != text:
                sys.stderr.write("%s: out of date: run python3 %s\n" %
                                 (OUT, sys.argv[0]))
                return 1
        return 0
    if sys.argv[1:]:
        sys.stderr.write("usage: project.py [--check]\n")
        return 2
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    tmp = OUT + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
