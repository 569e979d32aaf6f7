#!/bin/sh
# calibrate_e2e.sh - local lab runs for emulated models at different
# limits + the sample field data set -> tables whose thresholds match the
# rule, recomputed here independently (jq and awk, not the calibrator):
#   ceiling   = the enforced limit (footprint + remaining is exact)
#   growth    = the largest growth_bytes of the model in page-growth.csv
#   baseline  = the largest peak of a session without OOM
#   threshold = ceiling - growth, floored at the baseline, capped at the
#               ceiling; 0.65 x ceiling when ceiling - growth <= 0
# Then: the same inputs give the same bytes, and a bad field file leaves
# the existing table untouched.
set -u
ROOT=$(pwd)
BUILD=${BUILD:-build}
PATH="$ROOT/$BUILD/bin:$PATH"
SAMPLE="$ROOT/data/sample-field"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "FAIL: $*"; exit 1; }

for spec in iPhone12,1:14.2:128M iPhone14,7:16.1:192M Emulated1,1:15.0:64M; do
	m=${spec%%:*} rest=${spec#*:}
	os=${rest%%:*} lim=${rest#*:}
	if ! jetsam run --local --limit "$lim" --model "$m" --os "$os" \
		--ramp-to 80% --rate 400M --timeout 60 -o runs >run.log 2>&1; then
		cat run.log
		echo "local lab runs are not possible here (see above)"
		exit 77
	fi
done
jetsam calibrate runs --field "$SAMPLE/page-growth.csv" \
	--field "$SAMPLE/sessions.jsonl" --release e2e \
	-o t.json --plist t.plist --header t.h -f csv >summary.csv 2>err.log ||
	{ cat err.log; fail "calibrate failed"; }
cat summary.csv

# Independent field statistics per model.
awk -F'"' 'NR > 1 { split($3, f, ","); if (f[4] + 0 > g[$2]) g[$2] = f[4] + 0 }
	END { for (m in g) print m, g[m] }' "$SAMPLE/page-growth.csv" \
	| sort > growth.txt
jq -r 'select(.oom == 0) | "\(.model) \(.peak_footprint_bytes)"' \
	"$SAMPLE/sessions.jsonl" |
	awk '{ if ($2 + 0 > b[$1]) b[$1] = $2 + 0 } END { for (m in b) print m, b[m] }' \
	| sort > baseline.txt

n=0
for spec in iPhone12,1:134217728 iPhone14,7:201326592 Emulated1,1:67108864; do
	m=${spec%%:*} truth=${spec#*:}
	g=$(awk -v m="$m" '$1 == m { print $2 }' growth.txt)
	b=$(awk -v m="$m" '$1 == m { print $2 }' baseline.txt)
	e=$(jq -c --arg m "$m" '.entries[] | select(.model == $m)' t.json)
	[ -n "$e" ] || fail "$m: no entry"
	c=$(echo "$e" | jq .ceiling_bytes)
	[ "$c" = "$truth" ] || fail "$m: ceiling $c, enforced limit $truth"
	[ "$(echo "$e" | jq .growth_bytes)" = "$g" ] || fail "$m: growth"
	[ "$(echo "$e" | jq .baseline_bytes)" = "$b" ] || fail "$m: baseline"
	want=$(awk -v c="$c" -v g="$g" -v b="$b" 'BEGIN {
		if (c - g > 0) { t = c - g; r = "ceiling-minus-growth" }
		else { t = int(c * 0.65); r = "fraction-of-ceiling" }
		if (b > t) { t = b; r = "baseline-floor" }
		if (t > c) { t = c; r = "ceiling-cap" }
		printf "%d %s", t, r }')
	got="$(echo "$e" | jq -r '"\(.threshold_bytes) \(.rule)"')"
	[ "$got" = "$want" ] || fail "$m: threshold/rule $got, expected $want"
	echo "ok: $m ceiling $c growth $g baseline $b -> $got"
	n=$((n + 1))
done
[ "$n" = 3 ] || fail "checked $n models"
# The two rules the sample is built to show.
jq -e '[.entries[].rule] | index("ceiling-minus-growth") and index("baseline-floor")' \
	t.json >/dev/null || fail "expected both rules in the table"

# Same inputs, same bytes.
jetsam calibrate runs --field "$SAMPLE/page-growth.csv" \
	--field "$SAMPLE/sessions.jsonl" --release e2e \
	-o t2.json --plist t2.plist --header t2.h >/dev/null 2>&1 ||
	fail "second calibration failed"
cmp t.json t2.json && cmp t.plist t2.plist && cmp t.h t2.h ||
	fail "outputs differ between identical runs"

# A bad input leaves the existing table as it was.
cp t.json before.json
printf 'model,os_version,page,growth_bytes\n"iPhone12,1",14.2,feed,12MB\n' \
	>bad.csv
if jetsam calibrate runs --field bad.csv -o t.json >/dev/null 2>err.log; then
	fail "a bad field file was accepted"
fi
grep -q 'bad.csv:2:' err.log || fail "no file:line in: $(cat err.log)"
cmp t.json before.json || fail "the table was changed by a failed run"
ls -A | grep -q '\.tmp-' && fail "temporary files left behind"
echo "end to end: 3 models, thresholds match the rule"
