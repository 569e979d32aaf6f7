#!/usr/bin/env python3
"""check_ios.py - what can be checked of probe/ios on Linux

Reads JetsamProbe.xcodeproj/project.pbxproj with its own parser of the
old-style (OpenStep) property list format, independent of the generator
(probe/ios/project.py), and checks what would otherwise fail only on a Mac:
every reference resolves and every object is reachable from the root; every
file a target names exists; every Info.plist and entitlements file parses
(plistlib); each target's profile is documented, distinct, and reaches the
bundle; deployment targets are at least iOS 13 (the headroom,
limit_bytes_remaining, needs TASK_VM_INFO revision 4) and 14 for WidgetKit;
extensions are embedded by the app, with bundle ids under its own; every
source file in probe/ios belongs to a target.

    python3 tests/shim/check_ios.py [probe/ios]

Prints one line per problem and exits 1 if there was any.
"""
import os
import plistlib
import re
import sys
import xml.parsers.expat

PROFILES = {"app", "app-increased-memory-limit",
            "notification-service-extension", "widget-extension"}
IML = "com.apple.developer.kernel.increased-memory-limit"
ID = re.compile(r"^[0-9A-F]{24}$")


class ParseError(Exception):
    pass


def tokens(text):
    """Words, quoted strings and punctuation; comments dropped."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                raise ParseError("unterminated comment at byte %d" % i)
            i = j + 2
        elif c in "{}()=;,":
            yield ("p", c, i)
            i += 1
        elif c == '"':
            j, out = i + 1, []
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n:
                    esc = text[j + 1]
                    out.append({"n": "\n", "t": "\t"}.get(esc, esc))
                    j += 2
                else:
                    out.append(text[j])
                    j += 1
            if j >= n:
                raise ParseError("unterminated string at byte %d" % i)
            yield ("s", "".join(out), i)
            i = j + 1
        else:
            m = re.compile(r"[A-Za-z0-9_$/:.\-]+").match(text, i)
            if not m:
                raise ParseError("unexpected %r at byte %d" % (c, i))
            yield ("s", m.group(0), i)
            i = m.end()


def parse(text):
    toks = list(tokens(text))
    pos = [0]

    def peek():
        if pos[0] >= len(toks):
            raise ParseError("unexpected end of file")
        return toks[pos[0]]

    def take(want=None):
        t = peek()
        pos[0] += 1
        if want is not None and t[1] != want:
            raise ParseError("expected %r at byte %d, got %r" %
                             (want, t[2], t[1]))
        return t

    def val():
        t = take()
        if t[0] == "s":
            return t[1]
        if t[1] == "{":
            d = {}
            while peek()[1] != "}":
                k = take()
                if k[0] != "s":
                    raise ParseError("bad key at byte %d" % k[2])
                take("=")
                if k[1] in d:
                    raise ParseError("key %r twice at byte %d" % (k[1], k[2]))
                d[k[1]] = val()
                take(";")
            take("}")
            return d
        if t[1] == "(":
            a = []
            while peek()[1] != ")":
                a.append(val())
                if peek()[1] == ",":
                    take(",")
            take(")")
            return a
        raise ParseError("unexpected %r at byte %d" % (t[1], t[2]))

    v = val()
    if pos[0] != len(toks):
        raise ParseError("text after the root dictionary")
    return v


def refs(v):
    """Every 24-digit id inside v."""
    if isinstance(v, dict):
        for x in v.values():
            yield from refs(x)
    elif isinstance(v, list):
        for x in v:
            yield from refs(x)
    elif ID.match(v):
        yield v


def version(s):
    return tuple(int(x) for x in s.split("."))


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "probe/ios"
    path = os.path.join(root, "JetsamProbe.xcodeproj", "project.pbxproj")
    problems = []

    def bad(msg):
        problems.append(msg)

    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not text.startswith("// !$*UTF8*$!\n"):
        bad("%s: missing the '// !$*UTF8*$!' first line" % path)
    try:
        top = parse(text)
    except ParseError as e:
        print("%s: %s" % (path, e))
        return 1
    objs = top.get("objects", {})
    if top.get("objectVersion") != "54":
        bad("%s: objectVersion should be 54 (Xcode 12 and later)" % path)
    for ident, o in objs.items():
        if not ID.match(ident) or "isa" not in o:
            bad("%s: object %s has no isa or a bad id" % (path, ident))
        for r in refs({k: v for k, v in o.items()}):
            if r not in objs:
                bad("%s: %s (%s) refers to missing %s" %
                    (path, ident, o.get("isa"), r))
    if problems:  # the rest walks references: stop at broken ones
        for p in problems:
            print(p)
        return 1
    rootid = top.get("rootObject")
    if objs.get(rootid, {}).get("isa") != "PBXProject":
        print("%s: rootObject is not a PBXProject" % path)
        return 1
    seen, todo = set(), [rootid]
    while todo:
        x = todo.pop()
        if x in seen or x not in objs:
            continue
        seen.add(x)
        todo.extend(refs(objs[x]))
    for ident in objs:
        if ident not in seen:
            bad("%s: %s (%s) is not reachable from the project" %
                (path, ident, objs[ident]["isa"]))

    # Where each file reference lives on disk, through its groups.
    parent = {}
    for ident, o in objs.items():
        if o["isa"] == "PBXGroup":
            for c in o.get("children", []):
                parent[c] = ident

    def disk(ident):
        parts, x = [], ident
        while x is not None:
            p = objs[x].get("path")
            if p:
                parts.append(p)
            x = parent.get(x)
        return os.path.normpath(os.path.join(root, *reversed(parts)))

    proj = objs[rootid]
    psettings = {}
    for c in objs[proj["buildConfigurationList"]]["buildConfigurations"]:
        psettings[objs[c]["name"]] = objs[c]["buildSettings"]

    def setting(tsettings, cfg, key):
        v = tsettings.get(key, psettings[cfg].get(key))
        for _ in range(5):  # $(NAME) from the project, as xcodebuild does
            if isinstance(v, str) and "$(" in v:
                v = re.sub(r"\$\((\w+)\)",
                           lambda m: str(tsettings.get(
                               m.group(1),
                               psettings[cfg].get(m.group(1), m.group(0)))),
                           v)
        return v

    targets = {objs[t]["name"]: objs[t] for t in proj["targets"]}
    built = set()
    profiles = {}
    bundles = {}
    for name, t in sorted(targets.items()):
        where = "%s: target %s" % (path, name)
        srcs = set()
        for ph in t["buildPhases"]:
            p = objs[ph]
            if p["isa"] == "PBXSourcesBuildPhase":
                for bf in p["files"]:
                    f = disk(objs[bf]["fileRef"])
                    srcs.add(f)
                    if not os.path.isfile(f):
                        bad("%s: source %s does not exist" % (where, f))
        built |= srcs
        for need in ("probe.c", "footprint_darwin.c", "JTProbeHost.m"):
            if not any(os.path.basename(s) == need for s in srcs):
                bad("%s: does not build %s" % (where, need))
        for c in objs[t["buildConfigurationList"]]["buildConfigurations"]:
            cfg = objs[c]["name"]
            s = objs[c]["buildSettings"]
            info = os.path.join(root, setting(s, cfg, "INFOPLIST_FILE") or "")
            ent = os.path.join(root,
                               setting(s, cfg, "CODE_SIGN_ENTITLEMENTS") or "")
            plists = {}
            for label, f in (("Info.plist", info), ("entitlements", ent)):
                try:
                    with open(f, "rb") as fh:
                        plists[label] = plistlib.load(fh)
                except (OSError, ValueError, plistlib.InvalidFileException,
                        xml.parsers.expat.ExpatError) as e:
                    bad("%s (%s): %s %s: %s" % (where, cfg, label, f, e))
                    plists[label] = {}
            dep = setting(s, cfg, "IPHONEOS_DEPLOYMENT_TARGET")
            floor = (13, 0)
            ext = plists["Info.plist"].get("NSExtension", {})
            if ext.get("NSExtensionPointIdentifier") == \
                    "com.apple.widgetkit-extension":
                floor = (14, 0)
            try:
                if version(dep) < floor:
                    bad("%s (%s): deployment target %s is below %d.%d" %
                        ((where, cfg, dep) + floor))
            except (ValueError, AttributeError):
                bad("%s (%s): deployment target %r is not a version" %
                    (where, cfg, dep))
            prof = setting(s, cfg, "JT_PROBE_PROFILE")
            if prof not in PROFILES:
                bad("%s (%s): profile %r is not documented" %
                    (where, cfg, prof))
            profiles.setdefault(prof, set()).add(name)
            if plists["Info.plist"].get("JTProbeProfile") != \
                    "$(JT_PROBE_PROFILE)":
                bad("%s: Info.plist JTProbeProfile is not "
                    "$(JT_PROBE_PROFILE)" % where)
            wants_iml = prof == "app-increased-memory-limit"
            if (plists["entitlements"].get(IML) is True) != wants_iml:
                bad("%s (%s): %s entitlement %s" %
                    (where, cfg, IML, "missing" if wants_iml else
                     "where the profile does not say so"))
            bid = setting(s, cfg, "PRODUCT_BUNDLE_IDENTIFIER") or ""
            if not s.get("PRODUCT_BUNDLE_IDENTIFIER", "").startswith(
                    "$(JT_BUNDLE_PREFIX)."):
                bad("%s: bundle id does not start with $(JT_BUNDLE_PREFIX)"
                    % where)
            bundles[name] = bid
            is_ext = t["productType"] == "com.apple.product-type.app-extension"
            if is_ext != bool(ext):
                bad("%s: product type and Info.plist NSExtension disagree"
                    % where)
    for prof, names in profiles.items():
        if len(names) > 1:
            bad("%s: profile %s used by %s" % (path, prof, sorted(names)))

    # Extensions: embedded by exactly one app, with ids under its id.
    for name, t in targets.items():
        for ph in t["buildPhases"]:
            p = objs[ph]
            if p["isa"] != "PBXCopyFilesBuildPhase":
                continue
            if p.get("dstSubfolderSpec") != "13":
                bad("%s: target %s copies files elsewhere than PlugIns" %
                    (path, name))
            for bf in p["files"]:
                prod = objs[objs[bf]["fileRef"]].get("path", "")
                ename = prod.rsplit(".", 1)[0]
                if ename not in targets:
                    bad("%s: %s embeds unknown %s" % (path, name, prod))
                    continue
                if not bundles[ename].startswith(bundles[name] + "."):
                    bad("%s: %s's bundle id %s is not under %s" %
                        (path, ename, bundles[ename], bundles[name]))
                deps = [objs[objs[d]["target"]]["name"]
                        for d in t["dependencies"]]
                if ename not in deps:
                    bad("%s: %s embeds %s without depending on it" %
                        (path, name, ename))
    embedded = {objs[objs[bf]["fileRef"]].get("path", "").rsplit(".", 1)[0]
                for t in targets.values() for ph in t["buildPhases"]
                if objs[ph]["isa"] == "PBXCopyFilesBuildPhase"
                for bf in objs[ph]["files"]}
    for name, t in targets.items():
        if t["productType"].endswith("app-extension") and \
                name not in embedded:
            bad("%s: extension %s is embedded by no app" % (path, name))

    for d, _, fs in os.walk(root):
        for f in fs:
            full = os.path.normpath(os.path.join(d, f))
            if f.endswith((".m", ".c", ".swift")) and full not in built:
                bad("%s: %s is built by no target" % (path, full))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
