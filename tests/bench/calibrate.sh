#!/bin/sh
# calibrate.sh - "make bench-calibrate": field-data aggregation at scale
#
# Generates raw page-growth files of 5 and 10 million rows (100 models x
# 20 pages = 2000 keys) in a temporary directory and aggregates each with
#   jetsam calibrate field   (one pass, per-key max + sketch, SHA-256)
#   a Python csv script      (tests/bench/calibrate_agg.py, same result)
#   sqlite3 .import + GROUP BY model, page (count, max; no quantiles)
# printing wall time, rows per second and peak RSS for each, the ratio to
# jetsam, and checking that all three agree on every model's max.  Then the
# same rows as JSON Lines (the warehouse-export form), jetsam against the
# Python script with the json module; both must give the CSV results.
# BENCH_ROWS="1000000 2000000" overrides the sizes; BENCH_JSONL=0 skips
# the JSON Lines half.
set -eu
BUILD=${BUILD:-build}
ROOT=$(pwd)
JETSAM="$ROOT/$BUILD/bin/jetsam"
GEN="$ROOT/$BUILD/tests/tools/calibrate_gen"
MEASURE="$ROOT/$BUILD/tests/tools/calibrate_measure"
PYAGG="$ROOT/tests/bench/calibrate_agg.py"
SIZES=${BENCH_ROWS:-"5000000 10000000"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

have_sqlite=1
command -v sqlite3 >/dev/null 2>&1 || have_sqlite=0

printf '%-10s %-22s %9s %12s %10s %8s\n' rows tool seconds rows/s peak_MiB vs_jetsam
for n in $SIZES; do
	"$GEN" "$n" > g.csv
	mb=$(du -m g.csv | cut -f1)
	set -- $($MEASURE j.out "$JETSAM" calibrate field -f csv g.csv)
	jt=$1 jr=$2
	set -- $($MEASURE p.out python3 "$PYAGG" g.csv 2>/dev/null)
	pt=$1 pr=$2
	if [ $have_sqlite = 1 ]; then
		rm -f b.db
		set -- $($MEASURE s.out sqlite3 b.db \
			"CREATE TABLE g(model TEXT, os_version TEXT, page TEXT, growth_bytes INTEGER);" \
			".import --csv --skip 1 g.csv g" \
			"SELECT model, max(growth_bytes) FROM (SELECT model, page, count(*) AS n, max(growth_bytes) AS growth_bytes FROM g GROUP BY model, page) GROUP BY model ORDER BY model;")
		st=$1 sr=$2
	fi
	# Every model's largest growth must agree between the three.
	tail -n +2 j.out | tr -d '"' | awk -F, '{print $1","$2","$3}' > j.cmp
	awk -F, '{print $1","$2","$3}' p.out > p.cmp
	cmp -s j.cmp p.cmp || { echo "jetsam and python disagree"; diff j.cmp p.cmp | head; exit 1; }
	if [ $have_sqlite = 1 ]; then
		awk -F, '{print $1","$2"|"$3}' j.cmp > j2.cmp
		cmp -s j2.cmp s.out || { echo "jetsam and sqlite3 disagree"; exit 1; }
	fi
	awk -v n="$n" -v jt="$jt" -v jr="$jr" -v pt="$pt" -v pr="$pr" \
	    -v st="${st:-0}" -v sr="${sr:-0}" -v sq="$have_sqlite" -v mb="$mb" 'BEGIN {
		printf "%-10d %-22s %9.2f %12.0f %10.1f %8s\n", n, "jetsam calibrate", jt, n / jt, jr / 1024, "1.0x"
		printf "%-10d %-22s %9.2f %12.0f %10.1f %7.1fx\n", n, "python3 csv", pt, n / pt, pr / 1024, pt / jt
		if (sq) printf "%-10d %-22s %9.2f %12.0f %10.1f %7.1fx\n", n, "sqlite3 import+GROUP BY", st, n / st, sr / 1024, st / jt
		printf "%-10s (file %d MB; results agree)\n", "", mb
	}'
	rm -f g.csv b.db
	[ "${BENCH_JSONL:-1}" = 1 ] || continue
	"$GEN" --jsonl "$n" > g.jsonl
	mb=$(du -m g.jsonl | cut -f1)
	set -- $($MEASURE jl.out "$JETSAM" calibrate field -f csv g.jsonl)
	jt=$1 jr=$2
	set -- $($MEASURE pl.out python3 "$PYAGG" g.jsonl 2>/dev/null)
	pt=$1 pr=$2
	cmp -s j.out jl.out || { echo "jetsam gives other results from JSON Lines"; exit 1; }
	cmp -s p.out pl.out || { echo "python gives other results from JSON Lines"; exit 1; }
	awk -v n="$n" -v jt="$jt" -v jr="$jr" -v pt="$pt" -v pr="$pr" -v mb="$mb" 'BEGIN {
		printf "%-10d %-22s %9.2f %12.0f %10.1f %8s\n", n, "jetsam (JSON Lines)", jt, n / jt, jr / 1024, "1.0x"
		printf "%-10d %-22s %9.2f %12.0f %10.1f %7.1fx\n", n, "python3 json", pt, n / pt, pr / 1024, pt / jt
		printf "%-10s (file %d MB; results agree, and equal the CSV ones)\n", "", mb
	}'
	rm -f g.jsonl
done
echo "sketch relative error bound: 1/128 (0.78 %); keys: 2000 (100 models x 20 pages)"
