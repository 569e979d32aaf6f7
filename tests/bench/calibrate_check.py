#!/usr/bin/env python3
"""calibrate_check.py - the benchmark's content check, with a real CSV
reader (Python's csv module): a model such as "iPhone12,1" holds a comma,
so splitting lines on commas would compare the wrong columns.

  calibrate_check.py LABEL EXPECTED ACTUAL
      Every row and column of ACTUAL must equal EXPECTED (jetsam's
      per-page output: model, page, count, max, p99, p999), header
      included.  Exit 1 with the first differences otherwise.

  calibrate_check.py --models LABEL PAGES MODELS
      MODELS (jetsam's default per-model view) must say what the PAGES
      rows imply: per model the largest max_growth_bytes, the page that
      gave it (the smallest name on a tie), the sum of the counts.

  calibrate_check.py --plant IN OUT
      Copy IN to OUT with one value changed by one (the last row's
      p999), for the self-test that the check can fail.
"""
import csv
import sys


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def fail(label, diffs, total):
    print("CONTENT MISMATCH: %s: %d of %d rows differ from jetsam"
          % (label, len(diffs), total), file=sys.stderr)
    for d in diffs[:5]:
        print("  %s" % d, file=sys.stderr)
    sys.exit(1)


def compare(label, expected, actual):
    want, got = rows(expected), rows(actual)
    diffs = []
    for i in range(max(len(want), len(got))):
        w = want[i] if i < len(want) else None
        g = got[i] if i < len(got) else None
        if w != g:
            diffs.append("row %d: jetsam %r, %s %r" % (i + 1, w, label, g))
    if diffs:
        fail(label, diffs, len(want))


def models(label, pages, view):
    p = rows(pages)
    col = {name: i for i, name in enumerate(p[0])}
    best = {}
    for r in p[1:]:
        model, page = r[col["model"]], r[col["page"]]
        mx, n = int(r[col["max_growth_bytes"]]), int(r[col["count"]])
        b = best.get(model)
        if b is None:
            best[model] = [mx, page, n]
            continue
        if mx > b[0] or (mx == b[0] and page < b[1]):
            b[0], b[1] = mx, page
        b[2] += n
    want = [["model", "growth_bytes", "growth_page", "growth_samples",
             "baseline_bytes", "session_samples", "oom_sessions"]]
    for model in sorted(best):
        mx, page, n = best[model]
        want.append([model, str(mx), page, str(n), "", "0", "0"])
    got = rows(view)
    diffs = ["row %d: implied %r, jetsam %r" % (i + 1, w, g)
             for i, (w, g) in enumerate(zip(want, got)) if w != g]
    if len(want) != len(got):
        diffs.append("%d rows implied, %d printed" % (len(want), len(got)))
    if diffs:
        fail(label, diffs, len(want))


def plant(src, dst):
    r = rows(src)
    r[-1][-1] = str(int(r[-1][-1]) + 1)
    with open(dst, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(r)


def main(argv):
    if len(argv) == 4 and argv[0] == "--models":
        models(argv[1], argv[2], argv[3])
    elif len(argv) == 3 and argv[0] == "--plant":
        plant(argv[1], argv[2])
    elif len(argv) == 3:
        compare(argv[0], argv[1], argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
