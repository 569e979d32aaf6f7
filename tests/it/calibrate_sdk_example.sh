#!/bin/sh
# calibrate_sdk_example.sh - data/sdk-example against a generated header
#
# JetsamGuard.m is compile-checked by clang as Objective-C (ARC, -Wall
# -Wextra -Wpedantic -Werror) against the header jetsam calibrate writes
# and the minimal SDK stand-in in tests/shim/sdk, for a table with lab
# entries, field-only models and RAM classes, and for an empty one.  The
# Swift file cannot be compiled here (no Swift toolchain in Debian): every
# jetsam_/JETSAM_ name it uses must at least be one the header defines.
set -u
ROOT=$(pwd)
BUILD=${BUILD:-build}
PATH="$ROOT/$BUILD/bin:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v clang >/dev/null 2>&1 ||
	{ echo "SKIP: clang not installed (apt-get install clang)"; exit 77; }
G="$ROOT/tests/golden/calibrate"
ex="$ROOT/data/sdk-example"

(cd "$G" && jetsam calibrate in/runs --field ship/growth.csv \
	--field ship/sessions.jsonl --header "$tmp/full.h" \
	--plist "$tmp/full.plist" >/dev/null 2>&1) || fail "calibrate"
jetsam calibrate show --ship-json "$tmp/s.json" "$G/table.json" >/dev/null &&
	jq '.thresholds = {} | .field_only = {} | .ram_classes = []' \
		"$tmp/s.json" >"$tmp/empty.json" &&
	jetsam calibrate show --header "$tmp/empty.h" "$tmp/empty.json" \
		>/dev/null || fail "empty header"
grep -q 'JETSAM_NFIELD_MODELS [1-9]' "$tmp/full.h" ||
	fail "the full table has no field-only models"

for h in full empty; do
	mkdir -p "$tmp/$h"
	cp "$tmp/$h.h" "$tmp/$h/jetsam_thresholds.h"
	clang -x objective-c -fsyntax-only -fobjc-runtime=ios-13.0 -fobjc-arc \
		-Wall -Wextra -Wpedantic -Werror -isystem "$ROOT/tests/shim/sdk" \
		-I"$tmp/$h" "$ex/JetsamGuard.m" ||
		fail "JetsamGuard.m does not compile against the $h header"
	echo "ok: JetsamGuard.m compiles against the $h header"
done

for f in JetsamGuard.m JetsamGuard.swift; do
	for name in $(grep -o '\b\(jetsam\|JETSAM\)_[A-Za-z_]*' "$ex/$f" |
		sort -u); do
		grep -q "\b$name\b" "$tmp/full.h" ||
			fail "$f uses $name, which the header does not define"
	done
done
echo "ok: every jetsam_ name the examples use is in the header:" \
	$(grep -oh '\b\(jetsam\|JETSAM\)_[A-Za-z_]*' "$ex"/JetsamGuard.* | sort -u)
