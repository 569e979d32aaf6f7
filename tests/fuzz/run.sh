#!/bin/sh
# run.sh - build the libFuzzer targets and run each for a bounded time
# (FUZZ_SECONDS, default 60).  Called by "make fuzz".
#
#   report       jt_report_parse, seeded with tests/corpus,
#                tests/fixtures/reports and tests/fuzz/regress
#   field_jsonl  the field-data reader, differential on JSON Lines (the
#                fast in-place cutter against jansson), seeded with
#                data/sample-field
#   field_metrickit  the MetricKit reader: never a crash, and the bracket
#                splitter cuts where jansson does (the same values as
#                JSON Lines and as one array read the same), seeded with
#                tests/corpus/metrickit
#   syslogline   the syslog_relay stream splitter (differential: one read
#                against reads of any size), the record and kernel
#                kill-line parsers and the capture above them, seeded with
#                the fake device's syslogs (tests/fakedevice/syslog)
#
#   FUZZ_SECONDS=600 make fuzz
#   FUZZ_TARGETS=field_jsonl FUZZ_SECONDS=300 make fuzz
#   FUZZ_TARGETS=syslogline FUZZ_SECONDS=600 make fuzz
#   FUZZ_JOBS=2 FUZZ_SECONDS=300 make fuzz   (parallel workers)
#
# New inputs found are kept in $BUILD/fuzz/<target>/corpus between runs; a
# crash is written to $BUILD/fuzz/<target>/ and the script exits 1.
set -eu
BUILD=${BUILD:-build}
SECONDS_=${FUZZ_SECONDS:-60}
JOBS=${FUZZ_JOBS:-1}
TARGETS=${FUZZ_TARGETS:-"report field_jsonl field_metrickit syslogline"}
CLANG=${CLANG:-clang}

command -v "$CLANG" >/dev/null 2>&1 || { echo "fuzz: $CLANG not found"; exit 1; }
# The device table is compiled in from this generated file.
make --no-print-directory "$BUILD/gen/models_data.c" BUILD="$BUILD" >/dev/null

status=0
for target in $TARGETS; do
	out=$BUILD/fuzz/$target
	mkdir -p "$out/corpus" "$out/seed"
	case $target in
	report)
		find tests/corpus tests/fixtures/reports tests/fuzz/regress -type f \
			! -name '*.tsv' ! -name '*.md' -exec cp {} "$out/seed/" \; \
			2>/dev/null || true
		srcs="tests/fuzz/fuzz_report.c jetsam/report/*.c
			jetsam/core/models.c jetsam/core/csv.c
			jetsam/core/error.c jetsam/core/fileio.c
			$BUILD/gen/models_data.c"
		maxlen=1048576
		dict=
		;;
	field_jsonl)
		cp data/sample-field/* "$out/seed/"
		# One seed per shape, in JSON Lines, and the sample growth rows.
		awk -F, 'NR > 1 && NR < 40 { gsub(/"/, "", $0);
			printf "{\"model\":\"%s,%s\",\"os_version\":\"%s\",\"page\":\"%s\",\"growth_bytes\":%s}\n",
			$1, $2, $3, $4, $5 }' data/sample-field/page-growth.csv \
			> "$out/seed/growth.jsonl"
		# and single lines, which mutations reach more easily
		head -n 3 "$out/seed/growth.jsonl" | split -l 1 - "$out/seed/line-"
		dict=-dict=$PWD/tests/fuzz/field_jsonl.dict
		srcs="tests/fuzz/fuzz_field_jsonl.c calibrate/field/*.c
			jetsam/core/csv.c jetsam/core/error.c
			jetsam/core/json.c jetsam/core/fileio.c"
		maxlen=8192 # lines are short; long inputs only slow it down
		;;
	field_metrickit)
		find tests/corpus/metrickit -type f ! -name '*.tsv' \
			-exec cp {} "$out/seed/" \;
		dict=-dict=$PWD/tests/fuzz/field_metrickit.dict
		srcs="tests/fuzz/fuzz_field_metrickit.c calibrate/field/*.c
			jetsam/core/csv.c jetsam/core/error.c
			jetsam/core/json.c jetsam/core/fileio.c"
		maxlen=131072
		;;
	syslogline)
		# whole syslogs, and each kernel line alone behind a seed byte
		cp tests/fakedevice/syslog/*.log "$out/seed/"
		grep -h "kernel\[0\]" tests/fakedevice/syslog/*.log |
			sed 's/^.*<Notice>: //' | split -l 1 - "$out/seed/kill-"
		for f in "$out"/seed/kill-*; do
			printf '\001' | cat - "$f" >"$f.in" && rm -f "$f"
		done
		dict=-dict=$PWD/tests/fuzz/syslogline.dict
		srcs="tests/fuzz/fuzz_syslogline.c jetsam/device/syslogline.c
			jetsam/device/capture.c jetsam/device/device_none.c
			jetsam/device/devinfo.c jetsam/core/text.c
			jetsam/core/error.c"
		maxlen=70000 # past JT_SYSLOG_MAX_RECORD, for the cut records
		;;
	*)
		echo "fuzz: unknown target '$target'"
		exit 2
		;;
	esac
	# shellcheck disable=SC2086
	$CLANG -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-I. $(pkg-config --cflags jansson) \
		$srcs $(pkg-config --libs jansson) -lpthread -o "$out/fuzz_$target"

	echo "fuzz: running $out/fuzz_$target for ${SECONDS_}s ($JOBS job(s))"
	log=$out/fuzz.log
	rm -f "$out"/fuzz-*.log
	set +e
	if [ "$JOBS" -gt 1 ]; then
		(cd "$out" && ./fuzz_$target -max_total_time="$SECONDS_" \
			-jobs="$JOBS" -workers="$JOBS" $dict -max_len=$maxlen \
			-rss_limit_mb=2048 -print_final_stats=1 corpus seed) \
			>"$log" 2>&1
	else
		(cd "$out" && ./fuzz_$target -max_total_time="$SECONDS_" \
			$dict -max_len=$maxlen -rss_limit_mb=2048 \
			-print_final_stats=1 corpus seed) >"$log" 2>&1
	fi
	rc=$?
	set -e
	cat "$out"/fuzz-*.log >>"$log" 2>/dev/null || true
	execs=$(grep -h 'stat::number_of_executed_units' "$log" \
		"$out"/fuzz-*.log 2>/dev/null | awk '{s += $2} END {print s + 0}')
	tail -n 5 "$log"
	echo "fuzz: $target: $execs executions in ${SECONDS_}s, exit $rc"
	[ "$rc" -eq 0 ] || status=1
done
exit $status
