#!/usr/bin/env python3
"""parse_extract.py - bench-parse's Python competitor: the rows of
"jetsam parse -f jsonl --killed-only DIR", computed with a Python JSON
module.

    python3 parse_extract.py json|orjson DEVICES_CSV DIR > rows.jsonl

It does what jetsam parse does for complete bug_type 298 reports (the
benchmark's data): files in path order, header + body, incident ids
listed once, the page size checked against the device's RAM (every branch
and every warning of jetsam/report/check.c), the implausibility check, the
kill classes, and one JSON object per kill with sorted keys.  Damaged
copies and the LowMemory text format are out of its scope.
"""
import csv
import json as stdjson
import os
import sys

MODULE = sys.argv[1]
if MODULE == "orjson":
    import orjson

    loads = orjson.loads

    def dumps(row):
        return orjson.dumps(row, option=orjson.OPT_SORT_KEYS) + b"\n"

else:
    import json

    loads = json.loads

    def dumps(row):
        return (json.dumps(row, sort_keys=True, ensure_ascii=False,
                           separators=(",", ":")) + "\n").encode()


GIB = 1024.0 * 1024.0 * 1024.0
PRESSURE = {"vm-pageshortage", "vm-thrashing", "proc-thrashing",
            "fc-thrashing", "vm-compressor-thrashing",
            "vm-compressor-space-shortage", "zone-map-exhaustion",
            "low-swap", "sustained-memory-pressure",
            "vm-pageout-starvation", "highwater"}

models = {}
with open(sys.argv[2], newline="") as f:
    for row in csv.DictReader(f):
        models[row["product_type"]] = (int(row["ram_mb"]) * 1024 * 1024,
                                       int(row["page_size"]))


def count(v):
    """a count as jetsam reads it: a whole number >= 0, else absent"""
    return v if type(v) is int and v >= 0 else -1


def fits(pages, page, ram):
    return 0.75 <= pages * page / ram <= 1.15


def page_size(b, ms, mp):
    """(page_size_bytes, warning, implausible, ram) as check.c decides"""
    product = b.get("product")
    m = models.get(product)
    ram = m[0] if m else -1
    raw = ms.get("pageSize")
    stated = count(raw)
    need = [count(mp.get(k)) for k in ("active", "inactive", "free",
                                        "wired")]
    have = all(v >= 0 for v in need)
    pages = sum(v for v in need if v >= 0)
    pages += sum(v for v in (count(mp.get("speculative")),
                             count(mp.get("throttled")),
                             count(ms.get("compressorSize"))) if v > 0)
    lead, implausible = "no pageSize", None
    if "pageSize" in ms and not (4096 <= stated <= 65536
                                 and stated & (stated - 1) == 0):
        lead = ("pageSize %s is not a page size (a power of two from 4096 "
                "to 65536)" % stdjson.dumps(raw))
        implausible, stated = lead, -1
    if m is None:
        why = ("no product in the report" if product is None
               else "unknown model")
        name = " " + product if product else ""
        if stated > 0:
            return (stated, "%s%s: pageSize %d taken from the report "
                    "without the RAM check" % (why, name, stated),
                    implausible, ram)
        if "RELEASE_ARM_" in (b.get("kernel") or ""):
            return (4096, "%s%s and %s: 4096 because the kernel is 32-bit "
                    "ARM" % (why, name, lead), implausible, ram)
        return (-1, "%s%s and %s: page size unknown, sizes left out"
                % (why, name, lead), implausible, ram)
    if not have:
        if stated > 0:
            return (stated, "memory counts incomplete: pageSize %d not "
                    "checked against the RAM of %s" % (stated, product),
                    implausible, ram)
        return (m[1], "%s and no memory counts: %d from the device table "
                "for %s" % (lead, m[1], product), implausible, ram)
    if stated > 0 and fits(pages, stated, ram):
        return stated, None, implausible, ram
    best, best_d = -1, 0.0
    for cand in (4096, 16384):
        ratio = pages * cand / ram
        d = ratio - 1 if ratio > 1 else 1 - ratio
        if fits(pages, cand, ram) and (best < 0 or d < best_d):
            best, best_d = cand, d
    if best > 0 and stated > 0:
        return (best, "pageSize %d disagrees with RAM: the memory counts x "
                "%d = %.2f GiB but %s has %.2f GiB; using %d (%.2f GiB)"
                % (stated, stated, pages * stated / GIB, product, ram / GIB,
                   best, pages * best / GIB), implausible, ram)
    if best > 0:
        return (best, "%s: the memory counts fit %d-byte pages (%.2f GiB of "
                "%.2f GiB RAM in %s)" % (lead, best, pages * best / GIB,
                                         ram / GIB, product),
                implausible, ram)
    page = stated if stated > 0 else m[1]
    return (page, "the memory counts (%d pages) do not fit the %.2f GiB RAM "
            "of %s under any page size; using %d"
            % (pages, ram / GIB, product, page), implausible, ram)


def to_bytes(pages, page):
    if pages < 0 or page <= 0 or pages > (2**63 - 1) // page:
        return None
    return pages * page


def kill_class(p, states):
    reason = p.get("reason")
    if reason == "per-process-limit":
        if "frontmost" in states:
            return "frontmost-limit"
        return "daemon-limit" if "daemon" in states else "background-limit"
    return "pressure" if reason in PRESSURE else "other"


def rows(path, data, seen, out):
    nl = data.index(b"\n")
    h = loads(data[:nl])
    b = loads(data[nl + 1:])
    iid = h.get("incident_id") or b.get("incident")
    if iid is not None:
        if iid in seen:
            return
        seen.add(iid)
    ms = b.get("memoryStatus") or {}
    page, warning, implausible, ram = page_size(b, ms,
                                                ms.get("memoryPages") or {})
    procs = b.get("processes") or []
    if implausible is None and ram > 0 and page > 0:
        # Above the RAM: more pages than ram // page.  The loop is written
        # for speed; the message is built only for the first offender.
        lim = ram // page
        for p in procs:
            r, lm = p.get("rpages", 0), p.get("lifetimeMax", 0)
            if not ((type(r) is int and r > lim) or
                    (type(lm) is int and lm > lim)):
                continue
            key, v = (("rpages", r) if type(r) is int and r > lim
                      else ("lifetimeMax", lm))
            implausible = ("%s %d of '%s' (pid %d) x %d = %.2f GiB is more "
                           "than the %.2f GiB RAM of %s"
                           % (key, v, p.get("name", "?"), count(p.get("pid")),
                              page, v * page / GIB, ram / GIB,
                              b.get("product")))
            break
    base = {"source": path, "incident_id": iid,
            "date": b.get("date") or h.get("timestamp"),
            "product": b.get("product"),
            "os_version": h.get("os_version") or b.get("build"),
            "format": "json", "partial": False,
            "page_size_bytes": page if page > 0 else None,
            "page_size_warning": warning, "implausible": implausible}
    for p in procs:
        if "reason" not in p and "killDelta" not in p and "genCount" not in p:
            continue
        states = p.get("states") or []
        rpages = count(p.get("rpages"))
        row = dict(base)
        row.update({"pid": p.get("pid"), "name": p.get("name"),
                    "states": ",".join(states), "reason": p.get("reason"),
                    "kill_class": kill_class(p, states),
                    "rpages": rpages if rpages >= 0 else None,
                    "footprint_bytes": to_bytes(rpages, page),
                    "lifetime_max_bytes":
                        to_bytes(count(p.get("lifetimeMax")), page)})
        out.write(dumps(row))


def main():
    top = sys.argv[3].rstrip("/") or "/"
    paths = []
    for d, _, files in os.walk(top):
        paths += [os.path.join(d, f) for f in files]
    seen = set()
    out = sys.stdout.buffer
    for path in sorted(paths):
        with open(path, "rb") as f:
            rows(path, f.read(), seen, out)


main()
