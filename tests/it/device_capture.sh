#!/bin/sh
# device_capture.sh - jetsam capture against the fake device: the probe's
# records kept byte for byte, the kernel's kill lines as events, and the
# three ways a capture ends (kill, silence, Ctrl-C) each keeping everything
set -u
. "${ROOT:-.}/tests/fakedevice/lib.sh"
LOG=$SCEN/syslog/probe-killed.log

fake_start probe-kill.conf
jetsam capture -f json -o "$WORK/a.jsonl" >"$WORK/out" 2>"$WORK/err"
check "a capture that sees the kill succeeds" test $? -eq 0
check "it says when the probe may be launched" \
	grep -q "capturing; launch the probe app now" "$WORK/err"
# what the probe wrote, after the marker, in order
sed -n 's/^.*\[4242\] <Notice>: JETSAMKIT: //p' "$LOG" >"$WORK/want.jsonl"
check "the probe's records are kept byte for byte" \
	sh -c 'head -n 23 "'$WORK/a.jsonl'" | cmp -s - "'$WORK/want.jsonl'"'
check "records of other processes, and their kills, are left out" \
	sh -c '! grep -q "OtherApp\|unrelated" "'$WORK/a.jsonl'"'
check "both kernel lines become kill events" \
	sh -c 'tail -n 2 "'$WORK/a.jsonl'" | jq -e -s "
	    length == 2 and all(.type == \"event\" and .kind == \"kill\") and
	    (.[0].detail | test(\"exceeded mem limit: ActiveHard 1360 MB\")) and
	    .[1].footprint_bytes == 1426063360 and .[0].footprint_bytes == null and
	    .[0].t_ms >= 2000" >/dev/null'
check "the captured file reads as a probe log" \
	sh -c 'jetsam probelog -f json "'$WORK/a.jsonl'" >/dev/null'
check "the summary row names the kill" \
	sh -c 'jq -e ".[0] | .end == \"killed\" and .records == 23 and
	    .kill_lines == 2 and .probe_pid == 4242 and
	    .kernel_limit_bytes == 1426063360 and
	    .kill_reason == \"per-process-limit\"" "'$WORK/out'" >/dev/null'
jetsam capture -o "$WORK/a.jsonl" >/dev/null 2>"$WORK/err"
rc=$?
check "an existing capture is never overwritten" \
	sh -c '[ '$rc' -eq 1 ] && grep -q "exists: will not overwrite" "'$WORK/err'" &&
	    [ "$(wc -l <"'$WORK/a.jsonl'")" -eq 25 ]'

jetsam capture --marker "NOPE: " -f csv -o "$WORK/b.jsonl" --timeout 0.5 >"$WORK/out" 2>"$WORK/err"
check "another marker keeps nothing and ends on silence" \
	sh -c '[ $? -eq 0 ] && [ ! -s "'$WORK/b.jsonl'" ] &&
	    grep -q "silence,0,0,0" "'$WORK/out'"'

fake_start silent.conf
start=$(date +%s)
jetsam capture --timeout 1 -f csv -o "$WORK/c.jsonl" >"$WORK/out" 2>"$WORK/err"
rc=$?
check "silence ends the capture, keeping the records" \
	sh -c '[ '$rc' -eq 0 ] && [ "$(wc -l <"'$WORK/c.jsonl'")" -eq 7 ] &&
	    grep -q "no probe record for 1 s" "'$WORK/err'"'
check "within a few seconds" sh -c '[ $(( $(date +%s) - '$start' )) -le 5 ]'

jetsam capture --timeout 60 -f csv -o "$WORK/d.jsonl" >"$WORK/out" 2>"$WORK/err" &
cp=$!
i=0
lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }
while [ "$(lines "$WORK/d.jsonl")" -lt 7 ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -INT $cp
wait $cp
rc=$?
check "Ctrl-C ends the capture, keeping the records" \
	sh -c '[ '$rc' -eq 0 ] && [ "$(wc -l <"'$WORK/d.jsonl'")" -eq 7 ] &&
	    grep -q "interrupted" "'$WORK/out'"'

check "a bad --timeout is a usage error" \
	sh -c 'jetsam capture --timeout soon -o x 2>/dev/null; [ $? -eq 2 ]'
check "-o is required" sh -c 'jetsam capture 2>/dev/null; [ $? -eq 2 ]'
[ $fails -eq 0 ]
