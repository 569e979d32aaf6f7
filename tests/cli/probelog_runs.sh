# probelog takes what the other commands take: a run directory, its
# run.json (the probe log it names is read), a directory of runs; a
# record whose log is gone, and a directory without logs, are errors
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
mkdir -p "$d/runs/r1" "$d/runs/r2" "$d/empty"
cp tests/fixtures/probelog/killed.jsonl "$d/runs/r1/probe.jsonl"
printf '{"model":"iPhone12,1","os_version":"14.2","probe_log":"probe.jsonl"}\n' >"$d/runs/r1/run.json"
printf '{"model":"iPhone12,1","os_version":"14.2","probe_log":"gone.jsonl"}\n' >"$d/runs/r2/run.json"
cd "$d"
for a in runs/r1 runs/r1/run.json runs/r2/run.json runs empty; do
	echo "== $a"
	jetsam probelog -f csv "$a" 2>&1
	echo "status $?"
done
