#!/bin/sh
# calibrate_header.sh - the generated C header compiles cleanly (-Wall
# -Wextra -Werror, C99 and C11, gcc and clang when present) and its
# jetsam_threshold_lookup() gives the same source and threshold as the
# library's lookup ("jetsam calibrate lookup") for queries that reach every
# step of the fallback order, on the golden table and on one whose strings
# need escaping.
set -u
ROOT=$(pwd)
BUILD=${BUILD:-build}
PATH="$ROOT/$BUILD/bin:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

golden="$ROOT/tests/golden/calibrate/table.json"
# A table whose first model holds a quote, a backslash, a trigraph and a
# line break, and whose profile holds a comment closer.
jq '.entries[0].model = "we\"ird\\mo??=del\nx" | .entries[0].profile = "*/app"' \
	"$golden" >"$tmp/odd.json"

# Queries: model|os|profile|ram|live (tab-separated file).
printf '%s\t%s\t%s\t%s\t%s\n' \
	'iPhone12,1' '14.2' 'app' -1 -1 \
	'iPhone12,1' '15.0' 'app' -1 -1 \
	'iPhone12,1' '12.0' 'app' -1 -1 \
	'iPhone12,1' '19.0' 'increased-memory-limit' -1 -1 \
	'iPhone12,1' '14.2' 'extension:widget' 4294967296 33554432 \
	'iPhone13,2' '16.0' 'app' 4294967296 2147483648 \
	'iPhone13,2' '16.0' 'app' 5368709120 2147483648 \
	'iPhone13,2' '16.0' 'app' 3221225472 -1 \
	'iPhone13,2' '16.0' 'app' 3221225472 100000000 \
	'Unknown1,1' '1.0' 'app' -1 1000 \
	'Unknown1,1' '1.0' 'app' -1 -1 \
	'iPhone10,3' '12.1' 'app' -1 -1 \
	"$(printf 'we"ird\\mo??=del\nx')" '15.0' '*/app' -1 -1 \
	"$(printf 'we"ird\\mo??=del\nx')" '16.0' '*/app' -1 -1 \
	>"$tmp/q.tsv"

cat >"$tmp/main.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "t.h"

static const char *const names[] = {"measured", "carried-over",
				    "runtime-rule", "fraction"};

/* One query per line: model, os, profile, ram, live; a model may hold a
 * line break, so fields are separated by tabs and records by "\n" that
 * follows the 5th field. */
int
main(int argc, char **argv)
{
	FILE *fp = fopen(argv[1], "r");
	char buf[8192], *f[5], *p;
	size_t len;
	int i;

	(void)argc;
	if (fp == NULL)
		return 1;
	len = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[len] = '\0';
	fclose(fp);
	for (p = buf; *p != '\0';) {
		enum jetsam_source src;
		long long t;

		for (i = 0; i < 5; i++) {
			f[i] = p;
			p += strcspn(p, i < 4 ? "\t" : "\n");
			*p++ = '\0';
		}
		t = (long long)jetsam_threshold_lookup(
			f[0], f[1], f[2], strtoll(f[3], NULL, 10),
			strtoll(f[4], NULL, 10), &src);
		printf("%s %lld\n", names[src], t);
	}
	return 0;
}
C

compilers=""
for cc in gcc clang cc; do
	command -v $cc >/dev/null 2>&1 && compilers="$compilers $cc"
done
[ -n "$compilers" ] || { echo "no C compiler"; exit 77; }

for table in "$golden" "$tmp/odd.json"; do
	jetsam calibrate show --header "$tmp/t.h" "$table" >/dev/null ||
		fail "cannot write the header for $table"
	# The library's answers.
	python3 - "$tmp/q.tsv" "$table" "$tmp/want" <<'PY' || fail "lookup"
import csv, io, subprocess, sys
data = open(sys.argv[1]).read()
out = open(sys.argv[3], "w")
# Records: 5 fields; the 5th ends at the first "\n" after it.
rest = data
while rest:
    f = []
    for k in range(4):
        a, rest = rest.split("\t", 1)
        f.append(a)
    a, rest = rest.split("\n", 1)
    f.append(a)
    args = ["jetsam", "calibrate", "lookup", "-f", "csv", "--profile", f[2]]
    if f[3] != "-1":
        args += ["--ram", f[3]]
    if f[4] != "-1":
        args += ["--live-limit", f[4]]
    args += [sys.argv[2], f[0], f[1]]
    r = subprocess.run(args, capture_output=True, text=True, check=True)
    row = list(csv.DictReader(io.StringIO(r.stdout)))[0]
    t = row["threshold_bytes"] or "-1"
    out.write("%s %s\n" % (row["source"], t))
PY
	for cc in $compilers; do
		for std in c99 c11; do
			$cc -std=$std -Wall -Wextra -Wpedantic -Werror \
				-I"$tmp" -o "$tmp/look" "$tmp/main.c" ||
				fail "$cc -std=$std: the header does not compile"
			"$tmp/look" "$tmp/q.tsv" >"$tmp/got" || fail "run"
			diff -u "$tmp/want" "$tmp/got" ||
				fail "$cc -std=$std: header and library disagree"
		done
	done
	echo "ok: $(basename "$table"): $(wc -l <"$tmp/want") lookups agree ($compilers)"
done
cat "$tmp/want"
