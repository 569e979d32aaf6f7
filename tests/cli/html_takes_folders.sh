# html (and its old name, report) takes runs as files or folders, as
# calibrate does: a directory of runs, a run directory, a run.json; with
# nothing readable it writes no page
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
mkdir -p "$d/runs/r1" "$d/runs/r2" "$d/empty"
for r in r1 r2; do
	cp tests/fixtures/probelog/killed.jsonl "$d/runs/$r/probe.jsonl"
	printf '{"model":"iPhone12,1","os_version":"14.2","run_id":"%s","probe_log":"probe.jsonl","truth_limit_bytes":5242880}\n' \
		"$r" >"$d/runs/$r/run.json"
done
cd "$d"
for a in "html -o a.html runs/" "report -o b.html runs/r1 runs/r2/run.json" \
	"html -o c.html empty" "html -o d.html runs/r1/probe.jsonl"; do
	echo "== $a"
	jetsam $a 2>&1
	echo "status $?"
done
for f in a b c d; do
	[ -f $f.html ] && echo "$f.html: $(grep -c '<svg' $f.html) charts" ||
		echo "$f.html: not written"
done
