#!/bin/sh
# calibrate_ship.sh - a field export covering 3x the lab's models, and the
# two products of one calibration.
#
# The lab runs of tests/golden/calibrate/in cover 4 models; the export in
# tests/golden/calibrate/ship covers 13: the lab's, known models with
# growth and sessions, growth only, sessions only, and two models no
# device table knows (one named with XML's special characters).  Checked:
#  - every model lands where the rule says, recomputed here with jq and
#    awk: lab models in "thresholds", known field-only models with growth
#    in "field_only" with the export's largest growth and non-OOM peak,
#    the sessions-only model nowhere (its RAM class answers), unknown
#    models only with --include-unknown;
#  - the same inputs give the same bytes, run from another directory with
#    --root;
#  - the audit table's paths are relative, and the ship outputs hold no
#    path and no hash;
#  - the plist loads in xmllint and in libplist's own reader (plistutil,
#    converted to binary and back to the same bytes);
#  - the lookup agrees across the library on the audit table, the library
#    on the ship JSON, an independent reading of the plist (Python's
#    plistlib, following the documented order), and the compiled header,
#    for measured, carried-over, field-only, RAM-class and fraction
#    answers;
#  - both JSON tables validate against data/table-schema.json and
#    data/ship-schema.json (when python3-jsonschema is installed).
set -u
ROOT=$(pwd)
BUILD=${BUILD:-build}
PATH="$ROOT/$BUILD/bin:$PATH"
G="$ROOT/tests/golden/calibrate"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
for t in jq xmllint plistutil gcc python3; do
	command -v $t >/dev/null 2>&1 || {
		echo "SKIP: $t not installed (apt-get install jq libxml2-utils libplist-utils gcc python3)"
		exit 77
	}
done

calibrate() { # calibrate DIR [options]: the 4 outputs into DIR
	d=$1
	shift
	mkdir -p "$d"
	(cd "$tmp" && jetsam calibrate --root "$G" "$G/in/runs" \
		--field "$G/ship/growth.csv" --field "$G/ship/sessions.jsonl" \
		--release ship-test -o "$d/audit.json" \
		--ship-json "$d/ship.json" --plist "$d/ship.plist" \
		--header "$d/ship.h" "$@" -f csv >"$d/summary.csv" \
		2>"$d/err.log") || { cat "$d/err.log"; fail "calibrate $*"; }
}
calibrate "$tmp/a"
calibrate "$tmp/b"
calibrate "$tmp/u" --include-unknown
for f in audit.json ship.json ship.plist ship.h summary.csv; do
	cmp "$tmp/a/$f" "$tmp/b/$f" || fail "$f differs between two runs"
done
echo "ok: byte-identical on a rerun"

# The export covers at least 3x the lab's models.
lab=$(jq '[.entries[].model] | unique | length' "$tmp/a/audit.json")
all=$({
	tail -n +2 "$G/ship/growth.csv" | sed 's/^"\([^"]*\)".*/\1/'
	jq -r .model "$G/ship/sessions.jsonl"
} | sort -u | wc -l)
[ "$all" -ge $((3 * lab)) ] || fail "export covers $all models, lab $lab"
grep -q "models: $lab lab-measured" "$tmp/a/err.log" ||
	fail "no coverage line: $(cat "$tmp/a/err.log")"

# Where each model should land, recomputed from the export.
known() { jetsam models -f csv "$1" >/dev/null 2>&1; }
{
	tail -n +2 "$G/ship/growth.csv" | sed 's/^"\([^"]*\)".*/\1/'
	jq -r .model "$G/ship/sessions.jsonl"
} | sort -u >"$tmp/models"
n=0
while read -r m; do
	g=$(awk -F'"' -v m="$m" 'NR > 1 && $2 == m { split($3, f, ",");
		if (f[4] + 0 > g) g = f[4] + 0 } END { print g + 0 }' \
		"$G/ship/growth.csv")
	b=$(jq -r --arg m "$m" 'select(.model == $m and .oom == 0)
		| .peak_footprint_bytes' "$G/ship/sessions.jsonl" |
		sort -n | tail -n 1)
	inlab=$(jq --arg m "$m" '[.entries[] | select(.model == $m)] | length' \
		"$tmp/a/audit.json")
	for v in a u; do
		ship="$tmp/$v/ship.json"
		th=$(jq --arg m "$m" '.thresholds[$m] != null' "$ship")
		fo=$(jq -c --arg m "$m" '.field_only[$m] // null' "$ship")
		if [ "$v" = a ] && ! known "$m"; then
			want="thresholds=false field_only=null"
		elif [ "$inlab" -gt 0 ]; then
			want="thresholds=true field_only=null"
		elif [ "$g" -gt 0 ]; then
			want="thresholds=false field_only=$(jq -cn --argjson g "$g" \
				--arg b "${b:-null}" '{baseline_bytes:
				($b | fromjson), flags: [], growth_bytes: $g}')"
			known "$m" || want=$(echo "$want" |
				sed 's/"flags":\[\]/"flags":["unknown-model"]/')
		else
			want="thresholds=false field_only=null"
		fi
		got="thresholds=$th field_only=$fo"
		[ "$got" = "$want" ] || fail "$m ($v): $got, expected $want"
	done
	echo "ok: $m: $got"
	n=$((n + 1))
done <"$tmp/models"
[ "$n" = "$all" ] || fail "checked $n of $all models"

# The audit names inputs relative to --root; the ship outputs carry no
# path and no hash.
jq -e '[.inputs[].path, .entries[].evidence[].input, .excluded[].input]
	| all(startswith("/") | not)' "$tmp/a/audit.json" >/dev/null ||
	fail "an absolute path in the audit table"
jq -r '.inputs[].path' "$tmp/a/audit.json" | head -n 3
for f in ship.json ship.plist ship.h; do
	for v in a u; do
		if grep -Eq "$tmp|$ROOT|/run\.json|sha256|[0-9a-f]{64}|\.csv|\.jsonl" \
			"$tmp/$v/$f"; then
			fail "$v/$f holds a path or a hash"
		fi
	done
done
echo "ok: no path or hash in the ship outputs"

# The plist is loaded by two real readers.
for v in a u; do
	xmllint --noout "$tmp/$v/ship.plist" || fail "xmllint: $v/ship.plist"
	plistutil -i "$tmp/$v/ship.plist" -o "$tmp/$v/ship.bin" &&
		plistutil -i "$tmp/$v/ship.bin" -o "$tmp/$v/back.plist" ||
		fail "plistutil: $v/ship.plist"
	cmp "$tmp/$v/ship.plist" "$tmp/$v/back.plist" ||
		fail "libplist does not read back the same plist ($v)"
done
echo "ok: plists load in xmllint and libplist"

# Lookups: model, os, live limit (-1 unknown).  RAM comes from the device
# table in the library and is passed to the header and the plist reader.
cat >"$tmp/q.txt" <<'Q'
iPhone12,1 14.2 -1
iPhone12,1 16.0 -1
iPhone12,1 13.0 -1
iPhone14,7 17.0 3000000000
iPhone13,2 16.0 2147483648
iPhone13,2 16.0 1900000000
iPhone13,2 16.0 300000000
iPhone13,2 16.0 -1
iPhone16,1 17.2 3221225472
iPhone10,6 16.7 2147483648
iPhone10,6 16.7 -1
iPhone6,1 12.5 1000000000
iPhone8,1 15.0 1500000000
Unknown9,9 1.0 1000
Unknown9,9 1.0 -1
Q
while read -r m o live; do
	ram=$(jetsam models -f json "$m" 2>/dev/null | jq '.[0].ram_bytes // -1' ||
		echo -1)
	[ -n "$ram" ] || ram=-1
	printf '%s\t%s\tapp\t%s\t%s\n' "$m" "$o" "$ram" "$live"
done <"$tmp/q.txt" >"$tmp/q.tsv"

lib() { # lib TABLE: the library's answers, "source threshold" each
	table=$1
	while IFS="$(printf '\t')" read -r m o p ram live; do
		if [ "$live" != -1 ]; then
			jetsam calibrate lookup -f json --live-limit "$live" \
				"$table" "$m" "$o"
		else
			jetsam calibrate lookup -f json "$table" "$m" "$o"
		fi | jq -r '.[0] | "\(.source) \(.threshold_bytes // -1)"'
	done <"$tmp/q.tsv"
}
lib "$tmp/a/audit.json" >"$tmp/lib-audit"
lib "$tmp/a/ship.json" >"$tmp/lib-ship"

python3 - "$tmp/a/ship.plist" "$tmp/q.tsv" >"$tmp/plist" <<'PY' ||
# An SDK's reading of the plist, written from the documented lookup
# order (data/ship-schema.json), not from the library.
import plistlib, sys

def os_key(v):
    return [int(p) if p.isdigit() else p for p in v.split(".")]

def rule(live, growth, baseline, fraction):
    t = live - growth if live - growth > 0 else max(int(live * fraction), 1)
    if baseline is not None and baseline > t:
        t = baseline
    return min(t, live)

t = plistlib.load(open(sys.argv[1], "rb"))
frac = t["fraction"]
for line in open(sys.argv[2]):
    model, os, profile, ram, live = line.rstrip("\n").split("\t")
    ram, live = int(ram), int(live)
    byos = t["thresholds"].get(model, {})
    if os in byos and profile in byos[os]:
        print("measured", byos[os][profile]["threshold_bytes"]); continue
    have = sorted((v for v in byos if profile in byos[v]), key=os_key)
    if have:
        older = [v for v in have if os_key(v) <= os_key(os)]
        v = older[-1] if older else have[0]
        print("carried-over", byos[v][profile]["threshold_bytes"]); continue
    f = t["field_only"].get(model)
    if f is not None:
        print("field-only", rule(live, f["growth_bytes"],
              f.get("baseline_bytes"), frac) if live > 0 else -1); continue
    cls = None
    if ram > 0:
        for c in t["ram_classes"]:
            d = abs(c["ram_bytes"] - ram)
            if cls is None or d < abs(cls["ram_bytes"] - ram):
                cls = c
    if cls is not None and (live <= 0 or live - cls["growth_bytes"] > 0):
        print("runtime-rule", live - cls["growth_bytes"] if live > 0 else -1)
        continue
    print("fraction", max(int(live * frac), 1) if live > 0 else -1)
PY
	fail "plistlib lookup"

gcc -std=c99 -Wall -Wextra -Wpedantic -Werror -I"$tmp/a" \
	-DJETSAM_HEADER='"ship.h"' -o "$tmp/look" \
	"$G/header_lookup.c" || fail "the ship header does not compile"
"$tmp/look" "$tmp/q.tsv" >"$tmp/header" || fail "header lookup"

paste -d' ' "$tmp/q.txt" "$tmp/lib-audit" >"$tmp/answers"
for w in lib-ship plist header; do
	diff -u "$tmp/lib-audit" "$tmp/$w" ||
		fail "$w disagrees with the library on the audit table"
done
cat "$tmp/answers"
for s in measured carried-over field-only runtime-rule fraction; do
	grep -q " $s [0-9-]" "$tmp/answers" || fail "no answer from $s"
done
echo "ok: $(wc -l <"$tmp/answers") lookups agree across library (audit and ship JSON), plist and header"

# The JSON outputs against their schemas.
for py in python3 /usr/bin/python3; do
	if $py -c 'import jsonschema' 2>/dev/null; then
		$py - "$ROOT/data" "$tmp/a" "$tmp/u" <<'PY' || fail "schema"
import json, sys, jsonschema
d = sys.argv[1]
audit = json.load(open(d + "/table-schema.json"))
ship = json.load(open(d + "/ship-schema.json"))
for v in sys.argv[2:]:
    jsonschema.validate(json.load(open(v + "/audit.json")), audit)
    jsonschema.validate(json.load(open(v + "/ship.json")), ship)
print("ok: audit and ship tables match their schemas")
PY
		exit 0
	fi
done
echo "note: python3-jsonschema not installed, schemas not checked"
