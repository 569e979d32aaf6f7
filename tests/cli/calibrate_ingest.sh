# Raw lab files: a probe log without a header or samples is an error; a
# file that is not a JetsamEvent report is an error when named, skipped in
# a directory; the same file given twice (here in a directory and by name)
# is read once, with a note, as jetsam parse does.
cd tests/golden/calibrate/ingest
for a in "--probe-log no-header.jsonl" "--probe-log no-samples.jsonl" \
	"--report not-jetsam.ips" "--report reports" \
	"--report reports --report reports/report-iPhone12,1-13.7.ips" \
	"--report /nonexistent.ips"; do
	echo "== $a"
	jetsam calibrate $a -f csv 2>&1
	echo "status $?"
done
