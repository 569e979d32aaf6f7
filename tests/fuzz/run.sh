#!/bin/sh
# run.sh - build the libFuzzer target for the report parser and run it for
# a bounded time (FUZZ_SECONDS, default 60) from a seed corpus made of
# tests/corpus and tests/fixtures/reports.  Called by "make fuzz".
#
#   FUZZ_SECONDS=600 make fuzz
#   FUZZ_JOBS=2 FUZZ_SECONDS=300 make fuzz   (parallel workers)
#
# New inputs found are kept in $BUILD/fuzz/corpus between runs; a crash is
# written to $BUILD/fuzz/ and the script exits 1.
set -eu
BUILD=${BUILD:-build}
SECONDS_=${FUZZ_SECONDS:-60}
JOBS=${FUZZ_JOBS:-1}
CLANG=${CLANG:-clang}
out=$BUILD/fuzz
mkdir -p "$out/corpus" "$out/seed"

command -v "$CLANG" >/dev/null 2>&1 || { echo "fuzz: $CLANG not found"; exit 1; }
# The device table is compiled in from this generated file.
make --no-print-directory "$BUILD/gen/models_data.c" BUILD="$BUILD" >/dev/null

find tests/corpus tests/fixtures/reports tests/fuzz/regress -type f ! -name '*.tsv' ! -name '*.md' \
	-exec cp {} "$out/seed/" \; 2>/dev/null || true

# shellcheck disable=SC2046
$CLANG -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Ijetsam $(pkg-config --cflags jansson) \
	tests/fuzz/fuzz_report.c jetsam/report.c jetsam/report_json.c \
	jetsam/report_text.c jetsam/models.c jetsam/csv.c jetsam/error.c \
	jetsam/fileio.c "$BUILD/gen/models_data.c" \
	$(pkg-config --libs jansson) -o "$out/fuzz_report"

echo "fuzz: running $out/fuzz_report for ${SECONDS_}s ($JOBS job(s))"
log=$out/fuzz.log
set +e
if [ "$JOBS" -gt 1 ]; then
	(cd "$out" && ./fuzz_report -max_total_time="$SECONDS_" \
		-jobs="$JOBS" -workers="$JOBS" -max_len=1048576 -rss_limit_mb=2048 \
		-print_final_stats=1 corpus seed) >"$log" 2>&1
else
	(cd "$out" && ./fuzz_report -max_total_time="$SECONDS_" \
		-max_len=1048576 -rss_limit_mb=2048 -print_final_stats=1 \
		corpus seed) >"$log" 2>&1
fi
rc=$?
set -e
cat "$out"/fuzz-*.log >>"$log" 2>/dev/null || true
execs=$(grep -h 'stat::number_of_executed_units' "$log" "$out"/fuzz-*.log 2>/dev/null |
	awk '{s += $2} END {print s + 0}')
tail -n 5 "$log"
echo "fuzz: $execs executions in ${SECONDS_}s, exit $rc"
[ "$rc" -eq 0 ]
