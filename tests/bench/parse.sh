#!/bin/sh
# parse.sh - "make bench-parse": jetsam parse against jq and Python's json
#
# Replicates the complete JSON reports of the real corpus (iOS 10.1.1,
# 11.3.1 and 14.2: 43 KB, 45 KB and 201 KB) into a temporary directory,
# BENCH_REPORTS of them (default 10002) with a fresh incident id each, then
# times the same extraction done three ways, each in one go over the whole
# directory:
#   C       jetsam parse -f jsonl --killed-only DIR
#   jq      a jq program over all files: header + body, every process with
#           a reason, rpages x pageSize, duplicates by incident id dropped
#   python  a Python json script doing the same, plus the RAM check
# and prints wall-clock times, throughput and the ratios.  Damaged copies
# are left out of the data set because jq stops at the first invalid
# document; jetsam's own damage handling is timed by the test suite.
set -eu
BUILD=${BUILD:-build}
N=${BENCH_REPORTS:-10002}
JETSAM=$BUILD/bin/jetsam
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jt-bench-parse.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

for t in jq python3; do
	command -v $t >/dev/null 2>&1 || { echo "bench-parse: $t is needed"; exit 1; }
done
[ -x "$JETSAM" ] || { echo "bench-parse: build $JETSAM first (make)"; exit 1; }

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
bytes=$(du -sb "$tmp/reports" | cut -f1)
echo "bench-parse: $N reports, $((bytes / 1048576)) MiB in $tmp/reports"

cat >"$tmp/extract.jq" <<'JQ'
# Header and body alternate in the stream; keep the last header.
foreach inputs as $d ({h: null, b: null, seen: {}};
  if ($d | has("processes")) then
    (($d.incident // .h.incident_id) as $id
     | if .seen[$id] then .b = null
       else .b = $d | .seen[$id] = true end)
  else .h = $d | .b = null end;
  select(.b != null)
  | .h as $h | .b as $b
  | $b.processes[] | select(has("reason"))
  | {source: null, incident_id: ($h.incident_id // $b.incident),
     product: $b.product, os_version: ($h.os_version // $b.build),
     page_size_bytes: $b.memoryStatus.pageSize, pid, name, reason,
     rpages, footprint_bytes: (.rpages * $b.memoryStatus.pageSize),
     states: (.states | join(","))})
JQ

cat >"$tmp/extract.py" <<'PY'
import csv, json, os, sys

ram = {}
with open("data/devices.csv") as f:
    for row in csv.DictReader(f):
        ram[row["product_type"]] = int(row["ram_mb"]) << 20

def kills(path, seen, out):
    with open(path, "rb") as f:
        data = f.read()
    nl = data.index(b"\n")
    h = json.loads(data[:nl])
    b = json.loads(data[nl + 1:])
    iid = h.get("incident_id") or b.get("incident")
    if iid in seen:
        return
    seen.add(iid)
    ms = b["memoryStatus"]
    mp = ms["memoryPages"]
    page = ms.get("pageSize")
    pages = sum(mp.get(k, 0) for k in ("active", "inactive", "free",
        "speculative", "throttled", "wired")) + ms.get("compressorSize", 0)
    r = ram.get(b.get("product"))
    if r and not (0.75 <= pages * page / r <= 1.15):
        for p in (4096, 16384):
            if 0.75 <= pages * p / r <= 1.15:
                page = p
    for p in b["processes"]:
        if "reason" in p:
            out.write(json.dumps({
                "source": path, "incident_id": iid,
                "product": b.get("product"),
                "os_version": h.get("os_version") or b.get("build"),
                "page_size_bytes": page, "pid": p.get("pid"),
                "name": p.get("name"), "reason": p["reason"],
                "rpages": p.get("rpages"),
                "footprint_bytes": p["rpages"] * page,
                "states": ",".join(p.get("states", []))},
                sort_keys=True) + "\n")

paths = []
for d, _, files in os.walk(sys.argv[1]):
    paths += [os.path.join(d, f) for f in files]
seen = set()
out = sys.stdout
for path in sorted(paths):
    try:
        kills(path, seen, out)
    except (ValueError, KeyError) as e:
        print("%s: %s" % (path, e), file=sys.stderr)
PY

now() { date +%s.%N; }
# cpu FILE CMD... - run CMD, write its user+system CPU seconds (with its
# children) to FILE; the machine may be shared, so CPU time is shown too.
cpu() {
	f=$1
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f "%U %S" -o "$f" "$@"
	else
		"$@"
		echo "0 0" >"$f"
	fi
}
# Warm the page cache so every contender reads from memory.
cat "$tmp"/reports/*/* >/dev/null

t0=$(now)
cpu "$tmp/c.cpu" "$JETSAM" parse -f jsonl --killed-only "$tmp/reports" >"$tmp/c.out"
t1=$(now)
cpu "$tmp/jq.cpu" sh -c 'find "$1/reports" -type f | sort | xargs cat |
	jq -n -c -f "$1/extract.jq"' sh "$tmp" >"$tmp/jq.out"
t2=$(now)
cpu "$tmp/py.cpu" python3 "$tmp/extract.py" "$tmp/reports" >"$tmp/py.out"
t3=$(now)

c=$(wc -l <"$tmp/c.out") j=$(wc -l <"$tmp/jq.out") p=$(wc -l <"$tmp/py.out")
cc=$(awk '{print $1 + $2}' "$tmp/c.cpu")
cj=$(awk '{print $1 + $2}' "$tmp/jq.cpu")
cp_=$(awk '{print $1 + $2}' "$tmp/py.cpu")
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
awk -v t0="$t0" -v t1="$t1" -v t2="$t2" -v t3="$t3" -v mb="$bytes" \
    -v n="$N" -v c="$c" -v j="$j" -v p="$p" \
    -v cc="$cc" -v cj="$cj" -v cp="$cp_" 'BEGIN {
	tc = t1 - t0; tj = t2 - t1; tp = t3 - t2; mb /= 1048576
	printf "%-8s %9s %9s %10s %9s %10s %10s\n", "tool", "wall_s", "cpu_s", "MiB/s", "rows", "wall_x", "cpu_x"
	printf "%-8s %9.2f %9.2f %10.1f %9d %9.2fx %9.2fx\n", "jetsam", tc, cc, mb / tc, c, 1, 1
	printf "%-8s %9.2f %9.2f %10.1f %9d %9.2fx %9.2fx\n", "jq", tj, cj, mb / tj, j, tj / tc, (cc > 0 ? cj / cc : 0)
	printf "%-8s %9.2f %9.2f %10.1f %9d %9.2fx %9.2fx\n", "python", tp, cp, mb / tp, p, tp / tc, (cc > 0 ? cp / cc : 0)
	printf "reports: %d (%.0f MiB); jetsam is %.1fx faster than jq and %.1fx faster than python json (wall clock)\n", n, mb, tj / tc, tp / tc
}'
[ "$c" -eq "$j" ] && [ "$c" -eq "$p" ] ||
	{ echo "bench-parse: row counts differ ($c, $j, $p)"; exit 1; }
