#!/bin/sh
# demo.sh - the whole lab on one Linux box, on built-in data (make demo)
#
# 1. local lab runs: the probe is really killed by the supervisor at three
#    emulated models' limits (scaled down, with --ramp-to, to be quick);
# 2. the bundled real JetsamEvent reports are parsed;
# 3. the runs and the bundled synthetic field data (data/sample-field, see
#    data/field-format.md) are calibrated into the audit table and the
#    tables the SDK ships; the field data covers more models than the lab
#    ran, so some models are field-only;
# 4. a second release's calibration (one model re-measured) is diffed
#    against the first;
# 5. the SDK's side: one lookup per answer the table can give, and a
#    backtest of the table on field data;
# 6. the HTML report of the second release is written.
# Everything goes under OUT (default demo-out/), which is replaced.
set -eu
out=${1:-demo-out}
root=$(pwd)
BUILD=${BUILD:-build}
PATH="$root/$BUILD/bin:$PATH"
export PATH
start=$(date +%s)

say() { printf '\n== %s\n' "$*" >&2; }

case $out in
/*) ;;
*) out="$root/$out" ;;
esac
rm -rf "$out"
mkdir -p "$out/runs" "$out/next-runs"

say "1/6 local lab runs (supervisor enforcer): 3 emulated models x 2 runs"
# model:os:limit.  The limits are small stand-ins for the real ones, so the
# demo runs in seconds; the field data in data/sample-field is on the same
# scale.  Emulated1,1 is not in the device table: it is flagged, not guessed.
for spec in "iPhone12,1:14.2:160M" "iPhone14,7:17.0:256M" \
	"Emulated1,1:15.0:48M"; do
	model=${spec%%:*} rest=${spec#*:}
	os=${rest%%:*} limit=${rest#*:}
	jetsam run --local --enforce supervisor --limit "$limit" \
		--model "$model" --os "$os" --runs 2 --rate 64M --step 1M \
		--ramp-to 75% -o "$out/runs" -f table
done

say "2/6 the bundled real JetsamEvent reports (tests/corpus/dev)"
# Truncated and elided copies among them are reported on stderr; what could
# be recovered from them is kept, marked partial.
jetsam parse -f table tests/corpus/dev >"$out/parsed-reports.txt" 2>&1 || true
jetsam parse -f jsonl tests/corpus/dev 2>/dev/null |
	jq -r '[.product, (.os_version | sub(" \\(.*"; "")), .name // "-",
		.reason // "-", .kill_class // "-",
		(if .footprint_bytes then (.footprint_bytes / 1048576 * 10 | floor / 10 | tostring) + " MiB" else "-" end)]
		| @tsv' |
	awk -F'\t' 'BEGIN { printf "%-11s %-16s %-17s %-16s %-10s %s\n", "product", "os", "killed", "reason", "class", "footprint" }
		{ printf "%-11s %-16s %-17s %-16s %-10s %s\n", $1, $2, $3, $4, $5, $6 }'

say "3/6 calibrate release demo-1: lab runs (3 models) + synthetic field data (9 models)"
# The field data (the lab's 3 models, 5 more with page growth, 1 with
# sessions only) is what a warehouse export looks like: more models than
# the lab has phones.  Models without lab runs become field-only: the SDK
# computes their threshold from the live limit and their own growth.
mkdir -p "$out/tables"
field="--field data/sample-field/page-growth.csv
	--field data/sample-field/sessions.jsonl
	--field data/sample-field/fleet-page-growth.csv
	--field data/sample-field/fleet-sessions.jsonl"
calibrate() { # calibrate RELEASE RUNDIR NAME
	# shellcheck disable=SC2086
	jetsam calibrate --release "$1" $field \
		-o "$out/tables/$3.json" --ship-json "$out/tables/$3.ship.json" \
		--plist "$out/tables/$3.plist" --header "$out/tables/$3.h" \
		-f table "$2" >"$out/tables/$3-summary.txt"
}
calibrate demo-1 "$out/runs" thresholds-demo-1
cat "$out/tables/thresholds-demo-1-summary.txt"
echo
echo "audit table (every piece of evidence) and what the app ships, in bytes:"
(cd "$out/tables" && wc -c thresholds-demo-1.json thresholds-demo-1.ship.json \
	thresholds-demo-1.plist thresholds-demo-1.h | sed '$d')

say "4/6 release demo-2: iPhone12,1 re-measured at a lower limit; diff"
jetsam run --local --limit 144M --model iPhone12,1 --os 14.2 --runs 1 \
	--rate 64M --step 1M --ramp-to 75% -o "$out/next-runs" -f table
cp -R "$out"/runs/iPhone14,7-* "$out"/runs/Emulated1,1-* "$out/next-runs/"
calibrate demo-2 "$out/next-runs" thresholds-demo-2
jetsam diff "$out/tables/thresholds-demo-1.json" \
	"$out/tables/thresholds-demo-2.json" >"$out/tables/diff.txt" || true
cat "$out/tables/diff.txt"

say "5/6 the SDK's side: one lookup per source, and a backtest"
# What jetsam_threshold_lookup() answers on a device with a live limit of
# 200 MiB (footprint + os_proc_available_memory()): a measured model, an
# OS the lab did not run (carried over), a field-only model, a model with
# sessions only (its RAM class) and one no table knows (the fraction).
t2="$out/tables/thresholds-demo-2.json"
for q in "iPhone12,1 14.2" "iPhone14,7 18.1" "iPhone13,2 17.4" \
	"iPhone10,6 16.7" "iPhone99,1 19.0"; do
	# shellcheck disable=SC2086
	jetsam calibrate lookup -f jsonl --live-limit 200M "$t2" $q
done | jq -r '"\(.model) \(.os_version): \(.source), \(.threshold_bytes / 1048576 * 10
	| floor / 10) MiB (\(.why))"' | tee "$out/tables/lookups.txt"
echo
# The backtest replays field data against the table.  Here it is the
# same synthetic data the table was made from; in practice, a later
# export the calibration never saw.
# shellcheck disable=SC2086
jetsam calibrate evaluate "$t2" $field -f table |
	tee "$out/tables/backtest.txt"

say "6/6 the HTML report of release demo-2"
# shellcheck disable=SC2086
jetsam html --title "jetsamkit demo: release demo-2" \
	--table "$out/tables/thresholds-demo-2.json" \
	--previous "$out/tables/thresholds-demo-1.json" $field \
	-o "$out/report.html" "$out"/next-runs/*/

say "summary: danger thresholds, release demo-2"
cat "$out/tables/thresholds-demo-2-summary.txt"
end=$(date +%s)
cat <<TXT

Done in $((end - start)) s.  Files:
  $out/runs/*/            probe log, JetsamEvent report and run.json per run
  $out/parsed-reports.txt the bundled real reports, parsed
  $out/tables/            thresholds-demo-{1,2}.json: the audit tables
                          (data/table-schema.json); .ship.json, .plist and .h:
                          what the app ships (data/ship-schema.json; the .h and
                          .plist with data/sdk-example); -summary.txt, diff.txt,
                          lookups.txt, backtest.txt
  $out/report.html        open it in any browser (works offline)
TXT
