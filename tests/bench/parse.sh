#!/bin/sh
# parse.sh - "make bench-parse": jetsam parse against competitors that
# produce the same output
#
# Replicates the complete JSON reports of the real corpus (iOS 10.1.1,
# 11.3.1 and 14.2: 45 KB, 43 KB and 201 KB) into a temporary directory,
# BENCH_REPORTS of them (default 10002, 952 MiB) with a fresh incident id
# each, then times, BENCH_RUNS times each (default 3, tools interleaved):
#   jetsam         jetsam parse -f jsonl --killed-only DIR
#   python-json    tests/bench/parse_extract.py with Python's json module
#   python-orjson  the same script with orjson, if python3 can import it
#   jq             tests/bench/parse_extract.jq over the same files
# Each competitor computes every column jetsam prints (the RAM check of the
# page size and its warning, implausible, kill classes, sizes), and its
# rows are compared with jetsam's, field by field, with a JSON reader
# (tests/bench/parse_check.py): any difference fails the benchmark.
# Printed per tool: the median CPU time (user + sys), wall time and peak
# RSS, and the ratios to jetsam; the headline ratio is on CPU, since a
# shared machine stretches wall time.  The load average is printed before
# and after.  Everything is single-threaded.  Run it after "make" (make
# bench-parse builds first): nothing is compiled here.
#
#   BENCH_REPORTS=3000 BENCH_RUNS=5 make bench-parse
#   BENCH_PLANT=1 make bench-parse   plant one wrong value in the
#                                    python-json rows: the check must fail
set -eu
BUILD=${BUILD:-build}
N=${BENCH_REPORTS:-10002}
RUNS=${BENCH_RUNS:-3}
JETSAM=$BUILD/bin/jetsam
BENCH=tests/bench
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jt-bench-parse.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

[ -x "$JETSAM" ] || { echo "bench-parse: build $JETSAM first (make)"; exit 1; }
[ -x /usr/bin/time ] || { echo "bench-parse: /usr/bin/time is needed (Debian package time)"; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "bench-parse: python3 is needed"; exit 1; }

tools="jetsam python-json"
skipped=""
if python3 -c 'import orjson' 2>/dev/null; then
	tools="$tools python-orjson"
else
	skipped="$skipped
  python-orjson  SKIP: python3 cannot import orjson (PyPI is not reachable from this machine and Debian has no python3-orjson package)"
fi
if command -v jq >/dev/null 2>&1; then
	tools="$tools jq"
else
	skipped="$skipped
  jq             SKIP: jq is not installed (apt-get install jq)"
fi

python3 - "$tmp/reports" "$N" <<'PY'
import os, re, sys
out, n = sys.argv[1], int(sys.argv[2])
src = ["tests/corpus/dev/iPhone7-2_iOS10.1.1_CED7B1F4.ips",
       "tests/corpus/dev/iPhone7-2_iOS11.3.1_546BD956.ips",
       "tests/corpus/dev/iPhone12-1_iOS14.2_B04A36B1.ips"]
texts = []
for s in src:
    t = open(s).read()
    uuid = re.search(r'"incident_id":"([0-9A-F-]{36})"', t).group(1)
    texts.append((t, uuid))
for i in range(n):
    t, uuid = texts[i % len(texts)]
    d = os.path.join(out, "%03d" % (i // 1000))
    os.makedirs(d, exist_ok=True)
    new = "%08X-0000-4000-8000-%012X" % (i, i)
    with open(os.path.join(d, "JetsamEvent-%06d.ips" % i), "w") as f:
        f.write(t.replace(uuid, new))
PY
# The jq program gets the device table as JSON: {product: [ram, page]}.
python3 - data/devices.csv "$tmp/models.json" <<'PY'
import csv, json, sys
with open(sys.argv[1], newline="") as f:
    m = {r["product_type"]: [int(r["ram_mb"]) * 1024 * 1024,
                             int(r["page_size"])] for r in csv.DictReader(f)}
with open(sys.argv[2], "w") as f:
    json.dump(m, f)
PY
find "$tmp/reports" -type f | sort >"$tmp/files"
bytes=$(du -sb "$tmp/reports" | cut -f1)
mib=$((bytes / 1048576))

# run TOOL - one timed run of TOOL, rows to $tmp/TOOL.out
run() {
	case $1 in
	jetsam) set -- "$JETSAM" parse -f jsonl --killed-only "$tmp/reports" ;;
	python-json) set -- python3 "$BENCH/parse_extract.py" json data/devices.csv "$tmp/reports" ;;
	python-orjson) set -- python3 "$BENCH/parse_extract.py" orjson data/devices.csv "$tmp/reports" ;;
	jq) set -- sh -c 'xargs -s 1000000 jq -n -c --slurpfile models "$1" -f "$2" <"$3"' \
		sh "$tmp/models.json" "$BENCH/parse_extract.jq" "$tmp/files" ;;
	esac
	/usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" >"$tmp/$tool.out"
	cat "$tmp/time" >>"$tmp/$tool.times"
}

# Warm the page cache so that every tool reads from memory.
xargs cat <"$tmp/files" >/dev/null
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
i=0
while [ $i -lt "$RUNS" ]; do
	for tool in $tools; do
		run "$tool"
	done
	i=$((i + 1))
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

if [ "${BENCH_PLANT:-0}" = 1 ]; then
	# Plant one wrong value, as a competitor with a bug would give it.
	awk 'NR == 1000 { sub(/"rpages":[0-9]+/, "\"rpages\":1") } { print }' \
		"$tmp/python-json.out" >"$tmp/planted" &&
		mv "$tmp/planted" "$tmp/python-json.out"
	echo "bench-parse: BENCH_PLANT=1: row 1000 of python-json has a wrong rpages"
fi

# median FILE COLUMN - the median of a column of the runs' times.
median() {
	awk -v c="$2" '{ print $c }' "$1" | sort -n |
		awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
cpu() {
	awk '{ print $2 + $3 }' "$tmp/$1.times" >"$tmp/$1.cpu"
	median "$tmp/$1.cpu" 1
}

status=0
printf 'bench-parse: %d reports, %d MiB, %d run(s) per tool, medians; CPU = user + sys\n' "$N" "$mib" "$RUNS"
printf 'load average before: %s\n\n' "$load_before"
printf '%-14s %8s %8s %9s %7s %10s %10s  %s\n' tool cpu_s wall_s peak_MiB rows cpu_ratio wall_ratio content
jc=$(cpu jetsam) jw=$(median "$tmp/jetsam.times" 1)
for tool in $tools; do
	c=$(cpu "$tool") w=$(median "$tmp/$tool.times" 1)
	m=$(median "$tmp/$tool.times" 4)
	rows=$(wc -l <"$tmp/$tool.out")
	if [ "$tool" = jetsam ]; then
		verdict="(reference)"
	elif verdict=$(python3 "$BENCH/parse_check.py" "$tmp/jetsam.out" "$tmp/$tool.out" "$tool"); then
		:
	else
		echo "$verdict" >"$tmp/$tool.diff"
		verdict="DIFFERS"
		status=1
	fi
	awk -v t="$tool" -v c="$c" -v w="$w" -v m="$m" -v r="$rows" -v jc="$jc" -v jw="$jw" -v v="$verdict" 'BEGIN {
		printf "%-14s %8.2f %8.2f %9.1f %7d %9.2fx %9.2fx  %s\n", t, c, w, m / 1024, r, c / jc, w / jw, v
	}'
	eval "cpu_$(echo "$tool" | tr - _)=$c"
done
[ -z "$skipped" ] || printf '%s\n' "$skipped"
printf '\nload average after:  %s\n' "$load_after"
for tool in $tools; do
	[ -f "$tmp/$tool.diff" ] && cat "$tmp/$tool.diff"
done
if [ $status -ne 0 ]; then
	echo "bench-parse: FAILED: a competitor's rows differ from jetsam's (see above)"
	exit 1
fi
awk -v jc="$jc" -v pj="${cpu_python_json:-0}" -v po="${cpu_python_orjson:-0}" -v jq="${cpu_jq:-0}" 'BEGIN {
	printf "headline (CPU, single thread, same rows): jetsam parse takes %.1fx less CPU than Python json", pj / jc
	if (po > 0) printf ", %.1fx less than orjson", po / jc
	if (jq > 0) printf ", %.1fx less than jq", jq / jc
	printf "\ngoals: >= 5x Python json: %s", (pj / jc >= 5) ? "met" : "NOT met"
	if (po > 0) printf "; >= 2.5x orjson: %s", (po / jc >= 2.5) ? "met" : "NOT met"
	printf "\n"
}'
