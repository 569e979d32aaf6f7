# calibrate field on its newer inputs: MetricKit payloads (the transcribed
# real and simulated samples), a diagnostic payload (nothing to use: an
# error), a printed NSDictionary (not JSON: named at its line), a sketch
# written with --sketch-out and read back (the same table), and -j 2
# against -j 1 on the sample data.
m=tests/corpus/metrickit
jetsam calibrate field -f csv --bytes $m/transcribed/*.json 2>&1
echo "status $?"
jetsam calibrate field $m/meter-sim_diag_ios14.0.1.json 2>&1
echo "status $?"
jetsam calibrate field $m/nicepk-real_ios14.2_iPhone10-3.dictdesc.txt 2>&1
echo "status $?"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
d=data/sample-field
jetsam calibrate field --sketch-out "$tmp/s.sketch" -f csv $d/page-growth.csv \
	$d/sessions.jsonl >"$tmp/raw.csv"
echo "status $?"
head -c 170 "$tmp/s.sketch"
echo
jetsam calibrate field -f csv "$tmp/s.sketch" >"$tmp/back.csv"
cmp "$tmp/raw.csv" "$tmp/back.csv" && echo "the sketch gives the raw table"
jetsam calibrate field --sketch-out - "$tmp/s.sketch" | cmp - "$tmp/s.sketch" &&
	echo "the sketch read back writes the same bytes"
jetsam calibrate field -j 2 -f csv $d/page-growth.csv $d/sessions.jsonl |
	cmp - "$tmp/raw.csv" && echo "-j 2 gives the -j 1 table"
jetsam calibrate field -j 0 $d/page-growth.csv 2>&1
echo "status $?"
