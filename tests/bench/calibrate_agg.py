#!/usr/bin/env python3
"""calibrate_agg.py - the benchmark's equal-output competitor: what
"jetsam calibrate field --by-page -f csv" prints, in plain Python with the
csv module, or the json module for JSON Lines (a file whose first byte is
"{").

Per (model, page): the exact count, min and max, and the same log-linear
bucket histogram as calibrate/field/sketch.c (exact below 128, 64 buckets
per power of two), from which p99 and p999 are answered by the same rule:
the value of rank floor((count - 1) * q) is the middle of the bucket that
holds it, clamped to [min, max]; rank 0 is the min, the last rank the max.
Rows are checked as jetsam checks them (field count, non-empty model and
page, a dotted os_version, growth_bytes plain decimal digits) and bad ones
counted.  Output: CSV, header model,page,count,max_growth_bytes,
p99_growth_bytes,p999_growth_bytes, sorted by model then page.

usage: calibrate_agg.py FILE...
"""
import csv
import json
import re
import sys

COLUMNS = ["model", "os_version", "page", "growth_bytes"]
VERSION = re.compile(r"[0-9]+(\.[0-9]+)*\Z")


def csv_rows(f, path):
    """(model, page, growth) per row, None for a bad one."""
    r = csv.reader(f)
    header = next(r, None)
    if header is None or sorted(header) != sorted(COLUMNS):
        sys.exit("%s: unexpected header %r" % (path, header))
    im, io, ip, ig = (header.index(c) for c in COLUMNS)
    version = VERSION.match
    for row in r:
        if not row:
            continue
        if len(row) != 4:
            yield None
            continue
        model, page, g = row[im], row[ip], row[ig]
        if (not model or not page or not version(row[io])
                or not g.isdigit() or not g.isascii()):
            yield None
        else:
            yield model, page, int(g)


def jsonl_rows(f, path):
    """The same for JSON Lines."""
    version = VERSION.match
    for line in f:
        if not line.strip():
            continue
        try:
            o = json.loads(line)
        except ValueError:
            yield None
            continue
        if not isinstance(o, dict) or len(o) != 4:
            yield None
            continue
        model, page, g = o.get("model"), o.get("page"), o.get("growth_bytes")
        os_version = o.get("os_version")
        if isinstance(g, str) and g.isdigit() and g.isascii():
            g = int(g)
        if (not isinstance(model, str) or not model
                or not isinstance(page, str) or not page
                or not isinstance(os_version, str) or not version(os_version)
                or type(g) is not int or g < 0):
            yield None
        else:
            yield model, page, g


def fold(rows, keys):
    """Count, max, min and sketch buckets per (model, page); bad rows."""
    bad = 0
    for row in rows:
        if row is None:
            bad += 1
            continue
        model, page, v = row
        k = (model, page)
        s = keys.get(k)
        if s is None:
            s = keys[k] = [0, v, v, {}]
        s[0] += 1
        if v > s[1]:
            s[1] = v
        if v < s[2]:
            s[2] = v
        if v < 128:
            b = v
        else:
            e = v.bit_length() - 7
            b = e * 64 + (v >> e)
        h = s[3]
        h[b] = h.get(b, 0) + 1
    return bad


def quantile(count, mx, mn, buckets, num, den):
    rank = (count - 1) * num // den
    if rank <= 0:
        return mn
    if rank >= count - 1:
        return mx
    cum = 0
    for b, n in buckets:
        cum += n
        if cum > rank:
            if b < 128:
                v = b
            else:
                shift = b // 64 - 1
                v = ((b % 64 + 64) << shift) + ((1 << shift) - 1) // 2
            return min(max(v, mn), mx)
    return mx


def main(paths):
    keys = {}
    bad = 0
    for path in paths:
        with open(path, newline="", encoding="utf-8") as f:
            rows = jsonl_rows if f.read(1) == "{" else csv_rows
            f.seek(0)
            bad += fold(rows(f, path), keys)
    w = csv.writer(sys.stdout)  # RFC 4180 line ends, as jetsam writes
    w.writerow(["model", "page", "count", "max_growth_bytes",
                "p99_growth_bytes", "p999_growth_bytes"])
    for k in sorted(keys):
        count, mx, mn, h = keys[k]
        buckets = sorted(h.items())
        w.writerow([k[0], k[1], count, mx,
                    quantile(count, mx, mn, buckets, 99, 100),
                    quantile(count, mx, mn, buckets, 999, 1000)])
    print("keys=%d bad=%d" % (len(keys), bad), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
