#!/bin/sh
# probe_signals.sh - SIGUSR1 is logged as a memory warning, SIGTERM ends
# the run normally (exit 0, an "end" event, blocks freed), and the same
# records reach --log-fd as the file.
set -u
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
jetsam-probe --quiet --log "$dir/p.jsonl" --log-fd 3 --rate 16M \
	--step 256K --max 1G 3>"$dir/fd.jsonl" &
pid=$!
sleep 0.3
kill -USR1 $pid
sleep 0.2
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 0 ] || { echo "FAIL: probe exited $rc after SIGTERM"; exit 1; }
jq -e -s '
	([.[] | select(.type == "event" and .kind == "warning" and
		.detail == "warn")] | length) == 1 and
	(.[-1] | .type == "event" and .kind == "end" and .detail == "signal") and
	([.[] | select(.type == "sample")] | length) > 10' "$dir/p.jsonl" \
	>/dev/null || { echo "FAIL: log lacks the warning or the end"; cat "$dir/p.jsonl" | tail -5; exit 1; }
cmp -s "$dir/p.jsonl" "$dir/fd.jsonl" || { echo "FAIL: --log-fd differs from the file"; exit 1; }
jetsam probelog -f json "$dir/p.jsonl" | jq -e '.[0].end == "end:signal" and .[0].first_warning_bytes > 0' >/dev/null ||
	{ echo "FAIL: jetsam probelog does not read it"; exit 1; }
echo "ok: warning, normal end on SIGTERM, identical fd sink"
