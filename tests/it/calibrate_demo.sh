#!/bin/sh
# calibrate_demo.sh - make demo's data/demo.sh, run into a temporary
# directory, does what the README says it shows:
#  - the field data covers more models than the lab ran, and a model with
#    no lab runs is field-only in the summary and in the ship table;
#  - the ship outputs hold no path and no hash;
#  - one lookup per source (measured, carried-over, field-only,
#    runtime-rule, fraction);
#  - the backtest on the demo's table agrees with a count made here with
#    jq: for each model the lab measured (one OS and profile each in the
#    demo, so every row meets that entry), needless = non-OOM sessions
#    whose peak is over the threshold, not prevented = page-growth
#    samples with threshold + growth over the ceiling.
set -u
ROOT=$(pwd)
BUILD=${BUILD:-build}
PATH="$ROOT/$BUILD/bin:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
S="$ROOT/data/sample-field"

BUILD=$BUILD sh data/demo.sh "$tmp/out" >"$tmp/demo.log" 2>&1 ||
	{ tail -n 30 "$tmp/demo.log"; fail "the demo failed"; }
T="$tmp/out/tables"

runs=$(jq -r .model "$tmp/out"/runs/*/run.json | sort -u | wc -l)
field=$({
	tail -q -n +2 "$S/page-growth.csv" "$S/fleet-page-growth.csv" |
		sed 's/^"\([^"]*\)".*/\1/'
	jq -r .model "$S/sessions.jsonl" "$S/fleet-sessions.jsonl"
} | sort -u | wc -l)
[ "$field" -gt "$runs" ] || fail "field data covers $field models, runs $runs"
echo "ok: lab runs cover $runs models, the field data $field"
grep -q ' field-only ' "$T/thresholds-demo-2-summary.txt" ||
	fail "no field-only model in the summary"
fo=$(jq -r '.field_only | keys | join(" ")' "$T/thresholds-demo-2.ship.json")
[ -n "$fo" ] || fail "no field-only model in the ship table"
echo "ok: field-only in the ship table: $fo"
if grep -Eq "$tmp|$ROOT|sha256|\.csv|\.jsonl|run\.json" \
	"$T/thresholds-demo-2.ship.json" "$T/thresholds-demo-2.plist" \
	"$T/thresholds-demo-2.h"; then
	fail "a ship output holds a path or a hash"
fi
for s in measured carried-over field-only runtime-rule fraction; do
	grep -q ": $s, [0-9]" "$T/lookups.txt" || fail "no $s lookup"
done
echo "ok: lookups from every source:"
cat "$T/lookups.txt"

# The backtest, counted independently.
jetsam calibrate evaluate -f json "$T/thresholds-demo-2.json" \
	--field "$S/page-growth.csv" --field "$S/sessions.jsonl" \
	--field "$S/fleet-page-growth.csv" --field "$S/fleet-sessions.jsonl" \
	>"$tmp/eval.json" 2>/dev/null || fail "evaluate"
jq -c '.entries[] | select(.profile == "app")
	| {model, threshold_bytes, ceiling_bytes}' \
	"$T/thresholds-demo-2.json" >"$tmp/entries"
n=0
while read -r e; do
	m=$(echo "$e" | jq -r .model)
	t=$(echo "$e" | jq .threshold_bytes)
	c=$(echo "$e" | jq .ceiling_bytes)
	[ "$(jq --arg m "$m" '[.entries[] | select(.model == $m)] | length' \
		"$T/thresholds-demo-2.json")" = 1 ] ||
		fail "$m has more than one entry: the count here assumes one"
	want_s=$(jq -s --arg m "$m" --argjson t "$t" '[.[] |
		select(.model == $m and .oom == 0)]
		| "\(length) \(map(select(.peak_footprint_bytes > $t)) | length)"' \
		"$S/sessions.jsonl" "$S/fleet-sessions.jsonl")
	want_g=$(awk -F'"' -v m="$m" -v t="$t" -v c="$c" '
		FNR > 1 && $2 == m { split($3, f, ","); n++
			if (t + f[4] > c) k++ }
		END { printf "\"%d %d\"", n, k }' \
		"$S/page-growth.csv" "$S/fleet-page-growth.csv")
	got=$(jq -c --arg m "$m" '.[] | select(.model == $m) |
		["\(.sessions) \(.needless_degradations)",
		 "\(.growth_samples) \(.kills_not_prevented)"]' "$tmp/eval.json")
	[ "$got" = "[$want_s,$want_g]" ] ||
		fail "$m: evaluate says $got, counted [$want_s,$want_g]"
	echo "ok: backtest $m: sessions/needless, samples/not prevented: $got"
	n=$((n + 1))
done <"$tmp/entries"
[ "$n" = "$runs" ] || fail "checked $n of $runs lab models"
jq -e '[.[] | select(.source == null)] | all(.note != null)' \
	"$tmp/eval.json" >/dev/null || fail "a model not evaluated gives no reason"
grep -q 'id="backtest"' "$tmp/out/report.html" ||
	fail "the demo's report has no backtest section"
echo "ok: the demo's report has the backtest section"
