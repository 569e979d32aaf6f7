#!/bin/sh
# calibrate_header.sh - the generated C header's compile matrix, and its
# lookup against the library's.
#
# Tables: the golden one (with and without --include-unknown), one whose
# names need escaping (quote, backslash, trigraph, comment closer), one
# with no entries, field-only models or RAM classes at all, one with
# entries but no RAM classes, one where every model is unknown (so the
# ship header is empty), one with field-only models, and one holding the
# longest model, OS and profile names a table accepts (64, 32 and 128
# bytes).  Each header is compiled by gcc and clang as C99 and C11, by g++
# and clang++ as C++11 and C++17, and by clang as Objective-C, all with
# -Wall -Wextra -Wpedantic -Werror, once only included and once calling
# jetsam_threshold_lookup(); the answers of that program must equal
# "jetsam calibrate lookup" on the same table for queries that reach every
# step of the lookup.  A name the header could not hold (a line break) is
# refused when the table is read.
set -u
ROOT=$(pwd)
BUILD=${BUILD:-build}
PATH="$ROOT/$BUILD/bin:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

golden="$ROOT/tests/golden/calibrate/table.json"
for t in gcc clang g++ clang++ jq; do
	command -v $t >/dev/null 2>&1 ||
		{ echo "SKIP: $t not installed (apt-get install gcc g++ clang jq)"; exit 77; }
done

# The ship table of the golden table, then edits of it.
jetsam calibrate show --ship-json "$tmp/ship.json" "$golden" >/dev/null ||
	fail "cannot write the ship table"
jetsam calibrate show --include-unknown --ship-json "$tmp/unknown.json" \
	"$golden" >/dev/null || fail "cannot write the ship table (unknown)"
jq '.thresholds["we\"ird\\mo??=del*/"] = .thresholds["iPhone12,1"]
    | .thresholds["iPhone12,1"]["14.2"]["*/app"] =
	.thresholds["iPhone12,1"]["14.2"].app' \
	"$tmp/ship.json" >"$tmp/odd.json"
jq '.thresholds = {} | .field_only = {} | .ram_classes = []' \
	"$tmp/ship.json" >"$tmp/empty.json"
jq '.ram_classes = []' "$tmp/ship.json" >"$tmp/noclasses.json"
jq '.entries[].known_model = false | .ram_classes = []' "$golden" \
	>"$tmp/allunknown-audit.json"
jetsam calibrate show --ship-json "$tmp/allunknown.json" \
	"$tmp/allunknown-audit.json" >/dev/null ||
	fail "cannot ship a table of unknown models"
[ "$(jq '.thresholds | length' "$tmp/allunknown.json")" = 0 ] ||
	fail "unknown models were shipped"
jq '.field_only = {"iPhone13,2": {"growth_bytes": 419430400,
	"baseline_bytes": 1800000000, "flags": []},
    "iPhone11,8": {"growth_bytes": 104857600, "baseline_bytes": null,
	"flags": []}}' \
	"$tmp/ship.json" >"$tmp/fieldonly.json"
M=$(printf 'M%.0s' $(seq 64)) O=$(printf '1%.0s' $(seq 32))
P=$(printf 'p%.0s' $(seq 128))
jq --arg m "$M" --arg o "$O" --arg p "$P" \
	'.thresholds[$m] = {($o): {($p): .thresholds["iPhone12,1"]["14.2"].app}}
	 | .field_only[$m + "x" | .[1:]] = {"growth_bytes": 1,
		"baseline_bytes": null, "flags": []}' \
	"$tmp/ship.json" >"$tmp/longest.json"

# One name too long, one with a line break: refused when read.
jq --arg m "${M}M" '.thresholds[$m] = .thresholds["iPhone12,1"]' \
	"$tmp/ship.json" >"$tmp/toolong.json"
jq '.thresholds["a\nb"] = .thresholds["iPhone12,1"]' \
	"$tmp/ship.json" >"$tmp/linebreak.json"
for bad in toolong linebreak; do
	if jetsam calibrate show --header "$tmp/$bad.h" "$tmp/$bad.json" \
		>/dev/null 2>"$tmp/err"; then
		fail "$bad: a name a header cannot hold was accepted"
	fi
	grep -q "model name" "$tmp/err" || fail "$bad: $(cat "$tmp/err")"
	[ ! -e "$tmp/$bad.h" ] || fail "$bad: a header was written"
	echo "ok: $bad refused: $(cat "$tmp/err")"
done

# Queries: model, os, profile, ram, live (tab-separated, one per line).
{
	printf '%s\t%s\t%s\t%s\t%s\n' \
		'iPhone12,1' '14.2' 'app' 4294967296 -1 \
		'iPhone12,1' '15.0' 'app' 4294967296 -1 \
		'iPhone12,1' '12.0' 'app' 4294967296 -1 \
		'iPhone12,1' '19.0' 'increased-memory-limit' 4294967296 -1 \
		'iPhone12,1' '14.2' 'extension:widget' 4294967296 33554432 \
		'iPhone13,2' '16.0' 'app' 4294967296 2147483648 \
		'iPhone13,2' '16.0' 'app' 4294967296 1900000000 \
		'iPhone13,2' '16.0' 'app' 4294967296 -1 \
		'iPhone11,8' '16.0' 'app' 3221225472 2147483648 \
		'iPhone11,8' '16.0' 'app' 3221225472 100000000 \
		'iPhone11,8' '16.0' 'app' 3221225472 -1 \
		'iPhone13,2' '16.0' 'app' 5368709120 2147483648 \
		'iPhone13,2' '16.0' 'app' 3221225472 100000000 \
		'Unknown1,1' '1.0' 'app' -1 1000 \
		'Unknown1,1' '1.0' 'app' -1 -1 \
		'Emulated1,1' '15.0' 'app' -1 -1 \
		'iPhone10,3' '12.1' 'app' 3221225472 -1 \
		'we"ird\mo??=del*/' '14.2' '*/app' -1 -1 \
		'we"ird\mo??=del*/' '16.0' 'app' -1 -1 \
		"$M" "$O" "$P" -1 -1 \
		"$M" '1.0' "$P" -1 -1
} >"$tmp/q.tsv"

cat >"$tmp/include_only.c" <<'C'
#include "t.h"
int main(void) { return JETSAM_NTHRESHOLDS < 0; }
C
cp "$ROOT/tests/golden/calibrate/header_lookup.c" "$tmp/look.c"
cp "$tmp/look.c" "$tmp/look.cc"
cp "$tmp/look.c" "$tmp/look.m"
cp "$tmp/include_only.c" "$tmp/include_only.cc"
cp "$tmp/include_only.c" "$tmp/include_only.m"
W="-Wall -Wextra -Wpedantic -Werror"

n=0
for name in ship unknown odd empty noclasses allunknown fieldonly longest; do
	table="$tmp/$name.json"
	rm -f "$tmp/t.h"
	jetsam calibrate show --include-unknown --header "$tmp/t.h" "$table" \
		>/dev/null || fail "$name: cannot write the header"
	# The library's answers (RAM given: the device table is not asked).
	while IFS="$(printf '\t')" read -r m o p ram live; do
		set -- -f csv --profile "$p"
		[ "$ram" != -1 ] && set -- "$@" --ram "$ram"
		[ "$live" != -1 ] && set -- "$@" --live-limit "$live"
		jetsam calibrate lookup "$@" "$table" "$m" "$o" |
			jq -R -r 'select(startswith("model,") | not)' >"$tmp/row.csv" ||
			fail "$name: library lookup"
		python3 -c 'import csv,sys
r = next(csv.reader(open(sys.argv[1])))
print(r[3], r[4] or "-1")' "$tmp/row.csv" || fail "$name: lookup row"
	done <"$tmp/q.tsv" >"$tmp/want"
	for cc in "gcc -std=c99" "gcc -std=c11" "clang -std=c99" \
		"clang -std=c11" "g++ -std=c++11" "g++ -std=c++17" \
		"clang++ -std=c++11" "clang++ -std=c++17" \
		"clang -x objective-c -std=c99"; do
		case $cc in
		*objective-c*) ext=m ;;
		*++*) ext=cc ;;
		*) ext=c ;;
		esac
		$cc $W -I"$tmp" -o "$tmp/inc" "$tmp/include_only.$ext" \
			2>"$tmp/cc.err" || {
			cat "$tmp/cc.err"
			fail "$name: $cc: the header alone does not compile"
		}
		$cc $W -I"$tmp" -DJETSAM_HEADER='"t.h"' -o "$tmp/look" \
			"$tmp/look.$ext" 2>"$tmp/cc.err" || {
			cat "$tmp/cc.err"
			fail "$name: $cc: the lookup does not compile"
		}
		"$tmp/look" "$tmp/q.tsv" >"$tmp/got" || fail "$name: $cc: run"
		diff -u "$tmp/want" "$tmp/got" ||
			fail "$name: $cc: header and library disagree"
		n=$((n + 1))
	done
	echo "ok: $name: $(wc -l <"$tmp/want") lookups agree, 9 compilers"
	cat "$tmp/want" >>"$tmp/all"
done
echo "compile matrix: $n builds, all -Werror clean; answers by source:"
cut -d' ' -f1 "$tmp/all" | sort | uniq -c
# Every step of the lookup was reached.
for s in measured carried-over field-only runtime-rule fraction; do
	grep -q "^$s " "$tmp/all" || fail "no query reached $s"
done
