#!/usr/bin/env python3
"""calibrate_agg.py - the benchmark's reference: the same aggregation as
"jetsam calibrate field" in plain Python with the csv module, or the json
module for JSON Lines (a file whose first byte is "{").

Per (model, page): exact count and max, and the same log-linear bucket
histogram (exact below 128, 64 buckets per power of two), so p99 can be
answered; per model: the largest growth over pages.  Validates each
growth_bytes as plain decimal digits, as the C code does.
"""
import csv
import json
import sys


def bucket(v):
    if v < 128:
        return v
    e = v.bit_length() - 1
    return (e - 6) * 64 + (v >> (e - 6))


COLUMNS = ["model", "os_version", "page", "growth_bytes"]


def csv_rows(f, path):
    r = csv.reader(f)
    if next(r) != COLUMNS:
        sys.exit("%s: unexpected header" % path)
    for row in r:
        if len(row) != 4 or not row[3].isdigit():
            yield None
        else:
            yield row[0], row[2], int(row[3])


def jsonl_rows(f, path):
    for line in f:
        if not line.strip():
            continue
        try:
            o = json.loads(line)
        except ValueError:
            yield None
            continue
        v = o.get("growth_bytes") if isinstance(o, dict) else None
        if (sorted(o) != sorted(COLUMNS) or type(v) is not int or v < 0):
            yield None
        else:
            yield o["model"], o["page"], v


def main(paths):
    keys = {}
    bad = 0
    for path in paths:
        with open(path, newline="") as f:
            rows = jsonl_rows if f.read(1) == "{" else csv_rows
            f.seek(0)
            for row in rows(f, path):
                if row is None:
                    bad += 1
                    continue
                model, page, v = row
                k = (model, page)
                s = keys.get(k)
                if s is None:
                    s = keys[k] = [0, -1, {}]
                s[0] += 1
                if v > s[1]:
                    s[1] = v
                b = bucket(v)
                s[2][b] = s[2].get(b, 0) + 1
    models = {}
    for (model, page), (count, mx, _) in keys.items():
        if mx > models.get(model, (-1, ""))[0]:
            models[model] = (mx, page)
    for model in sorted(models):
        print("%s,%d,%s" % (model, models[model][0], models[model][1]))
    print("keys=%d bad=%d" % (len(keys), bad), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
