#!/bin/sh
# calibrate_sizes.sh - what a 150-model table costs an app, against its
# audit table
#
# Run records for the 149 models of the device table and one unknown
# model, three runs each on two OS versions (made from a golden run record),
# and raw field data for all of them, are calibrated.  The
# sizes of the audit table and of the ship outputs are printed; the ship
# outputs must hold every known model and nothing else of the audit
# (evidence, input paths, hashes), and be far smaller than the audit.
set -u
ROOT=$(pwd)
BUILD=${BUILD:-build}
PATH="$ROOT/$BUILD/bin:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
run="$ROOT/tests/golden/calibrate/in/runs/a/run.json"

jetsam models -f json | jq -r '.[].product_type' >"$tmp/models"
echo "Unknown1,1" >>"$tmp/models"
[ "$(wc -l <"$tmp/models")" = 150 ] || fail "expected 150 models"
python3 - "$run" "$tmp" <<'PY' || fail "cannot make the inputs"
import json, os, sys
run = json.load(open(sys.argv[1]))
tmp = sys.argv[2]
growth = open(tmp + "/growth.csv", "w")
sessions = open(tmp + "/sessions.jsonl", "w")
growth.write("model,os_version,page,growth_bytes\n")
for i, m in enumerate(open(tmp + "/models").read().split(), 1):
    for os_version in ("16.7", "17.4"):
        for k in (1, 2, 3):
            d = "%s/runs/%d-%s-%d" % (tmp, i, os_version, k)
            os.makedirs(d)
            lim = (1500 + i * 4 + k) * 1000000
            r = dict(run, model=m, os_version=os_version,
                     run_id="%d-%s-%d" % (i, os_version, k),
                     footprint_remaining_bytes=lim, crossing_bytes=lim,
                     report_bytes=lim)
            json.dump(r, open(d + "/run.json", "w"))
        for p in ("feed", "search", "video"):
            growth.write('"%s",%s,%s,%d\n' % (m, os_version, p,
                         (100 + i + len(p)) * 1000000))
        sessions.write(json.dumps({"model": m, "os_version": os_version,
                       "peak_footprint_bytes": (900 + i) * 1000000,
                       "oom": 0}) + "\n")
PY
(cd "$tmp" && jetsam calibrate runs --field growth.csv \
	--field sessions.jsonl --release sizes -o audit.json \
	--ship-json ship.json --plist ship.plist --header ship.h \
	>/dev/null 2>err.log) || { tail -n 5 "$tmp/err.log"; fail "calibrate"; }
n=$(jq '.entries | length' "$tmp/audit.json")
s=$(jq '[.thresholds[][][]] | length' "$tmp/ship.json")
[ "$n" = 300 ] && [ "$s" = 298 ] ||
	fail "audit has $n entries, ship $s (want 300 and 298: no unknown model)"
if grep -Eq 'sha256|run\.json|\.csv|\.jsonl|evidence' "$tmp/ship.json" \
	"$tmp/ship.plist" "$tmp/ship.h"; then
	fail "the ship outputs hold audit material"
fi
a=$(wc -c <"$tmp/audit.json")
for f in ship.json ship.plist ship.h; do
	b=$(wc -c <"$tmp/$f")
	[ $((b * 4)) -lt "$a" ] || fail "$f ($b bytes) is not far below the audit ($a)"
done
echo "150 models x 2 OS versions (300 audit entries from 900 runs, 298 shipped):"
(cd "$tmp" && wc -c audit.json ship.json ship.plist ship.h | sed '$d')
gzip -9 -c "$tmp/ship.plist" | wc -c | sed 's/$/ bytes: ship.plist gzipped (an .ipa is a zip)/'
