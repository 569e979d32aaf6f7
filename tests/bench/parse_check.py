#!/usr/bin/env python3
"""parse_check.py - bench-parse's content check: two JSON Lines files must
hold the same rows, field by field, in the same order.

    python3 parse_check.py WANT.jsonl GOT.jsonl NAME

Each line is read with the json module, so key order and spacing do not
matter but every value does.  Prints "same" and exits 0, or prints every
difference found (up to 10, then a count) and exits 1.
"""
import json
import sys


def rows(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    want, got, name = rows(sys.argv[1]), rows(sys.argv[2]), sys.argv[3]
    bad = 0
    if not want:
        print("%s: the reference has no rows: nothing to compare" % name)
        return 1
    if len(want) != len(got):
        print("%s: %d rows, jetsam has %d" % (name, len(got), len(want)))
        bad += 1
    for i, (w, g) in enumerate(zip(want, got)):
        if w == g:
            continue
        bad += 1
        if bad <= 10:
            keys = sorted(k for k in set(w) | set(g) if w.get(k) != g.get(k))
            print("%s: row %d (%s) differs in %s: jetsam %s, %s %s"
                  % (name, i + 1, w.get("source"), ", ".join(keys),
                     json.dumps({k: w.get(k) for k in keys}), name,
                     json.dumps({k: g.get(k) for k in keys})))
    if bad:
        print("%s: CONTENT DIFFERS (%d difference(s))" % (name, bad))
        return 1
    print("same")
    return 0


sys.exit(main())
