#!/bin/sh
# refresh_e2e.sh - "jetsam refresh" end to end on three fake phones (the
# models of the sample field data) with nobody at them: release r1 from
# scratch, then release r2 against r1's table, crashed in the middle
# (SIGKILL) and run again: finished runs are reused, the missing ones made,
# the report of the run cut short is pulled aside, and the gate fails on
# the model whose limit moved.  A third call with a wider gate has nothing
# left to run and passes.
set -u
. "${ROOT:-.}/tests/fakedevice/lib.sh"
SF=${ROOT:-.}/data/sample-field
MB=1048576
jqt() { jq -e "$@" >/dev/null; }
# refresh RELEASE DIR ARGS... - the command the lab machine runs (exec'd:
# run in the background, its pid is jetsam's)
refresh() {
	rel=$1 dir=$2
	shift 2
	exec jetsam refresh --release "$rel" --runs 2 \
		--launch com.example.jetsamprobe --rate 64M --step 4M \
		--timeout 10 --report-wait 3 --field "$SF/page-growth.csv" \
		--field "$SF/sessions.jsonl" -o "$dir" "$@"
}
launches() { cat "$FAKE_STATE"/*/launches | awk '{ n += $1 } END { print n }'; }

# ---- release r1 ------------------------------------------------------------
fake_start lab-three.conf
(refresh r1 "$WORK/r1") >"$WORK/r1.out" 2>"$WORK/r1.err"
rc=$?
check "r1: every phone has its runs: exit 0" test $rc -eq 0
check "r1: the summary says phones, runs, failed attempts, table" \
	sh -c 'grep -q "^release r1: 3 of 3 phones have their 2 runs$" "'$WORK/r1.out'" &&
	    grep -q "^runs: 6 good (0 from before), 2 failed attempts (not evidence)$" "'$WORK/r1.out'" &&
	    grep -q "table: .*/r1/table.json (3 entries)" "'$WORK/r1.out'" &&
	    grep -q "^models changed: not compared (no --previous)$" "'$WORK/r1.out'"'
check "r1: the table has the sample field data's rules at the phones' limits" \
	jqt '.generator.release == "r1" and
	    ([.entries[] | [.model, .ceiling_bytes, .threshold_bytes, .rule]] ==
	     [["Emulated1,1", 64 * '$MB', 52 * '$MB', "ceiling-minus-growth"],
	      ["iPhone12,1", 128 * '$MB', 104 * '$MB', "ceiling-minus-growth"],
	      ["iPhone14,7", 192 * '$MB', 170 * '$MB', "baseline-floor"]])' \
	"$WORK/r1/table.json"
check "r1: only the six good runs are its lab inputs" \
	jqt '[.inputs[] | select(.kind == "run") | .path | endswith("/run.json")]
	    == [true, true, true, true, true, true]' "$WORK/r1/table.json"
check "r1: the failed attempts are on disk, apart" \
	sh -c '[ "$(ls "'$WORK'"/r1/runs/*/failed.json | wc -l)" -eq 2 ]'
check "r1: plist, header, report and summary are written" \
	sh -c 'grep -q "<plist" "'$WORK'/r1/table.plist" &&
	    grep -q "jetsam_threshold_lookup" "'$WORK'/r1/table.h" &&
	    grep -q "release r1" "'$WORK'/r1/report.html" &&
	    jq -e ".gate == \"none\" and .runs_ok == 6 and .attempts_failed == 2 and
	        (.phones | map(.done) == [true, true, true])" "'$WORK'/r1/refresh.json" >/dev/null'
check "r1: not a terminal: one line per event" \
	sh -c '[ "$(grep -c ": run [0-9]/2: recorded " "'$WORK/r1.err'")" -eq 6 ] &&
	    ! grep -q "$(printf "\r")" "'$WORK/r1.err'"'

# ---- release r2: iPhone 11's limit moved from 128 to 136 MiB ----------------
sed -e 's/^probe_limit_mb = 128$/probe_limit_mb = 136/' -e '/^misbehave/d' \
	-e "s|^app = .*|&\\
probe_report = $SCEN/reports/probe-template.ips|" \
	"$SCEN/lab-three.conf" >"$WORK/r2.conf"
fake_start "$WORK/r2.conf"
refresh r2 "$WORK/r2" --previous "$WORK/r1/table.json" --fail-over 5 \
	>"$WORK/r2a.out" 2>"$WORK/r2a.err" &
pid=$!
# crash it once two runs are done and a probe is running
i=0
while [ $i -lt 600 ]; do
	n=$(ls "$WORK"/r2/runs/*/run.json 2>/dev/null | wc -l)
	[ "$n" -ge 2 ] && ls "$FAKE_STATE"/*/probe.pid >/dev/null 2>&1 && break
	i=$((i + 1))
	sleep 0.05
done
kill -9 $pid
wait $pid 2>/dev/null
before=$(ls "$WORK"/r2/runs/*/run.json | sort)
nbefore=$(echo "$before" | wc -l)
sums=$(cat $before | cksum)
# the probes of the crash play to their end on the phones
i=0
while ls "$FAKE_STATE"/*/probe.pid >/dev/null 2>&1 && [ $i -lt 200 ]; do
	i=$((i + 1))
	sleep 0.05
done
sleep 0.5
made=$(launches)
check "r2: crashed after $nbefore good runs, a run cut short" \
	sh -c '[ '$nbefore' -ge 2 ] && [ '$nbefore' -lt 6 ] &&
	    [ ! -e "'$WORK'/r2/table.json" ]'

(refresh r2 "$WORK/r2" --previous "$WORK/r1/table.json" --fail-over 5) \
	>"$WORK/r2.out" 2>"$WORK/r2.err"
rc=$?
check "r2 again: the gate fails on the moved threshold: exit 1" test $rc -eq 1
check "r2 again: the runs done before the crash are reused, untouched" \
	sh -c 'for f in '"$(echo $before)"'; do [ -f "$f" ] || exit 1; done &&
	    [ "$(cat '"$(echo $before)"' | cksum)" = "'"$sums"'" ] &&
	    jq -e ".runs_resumed == '$nbefore' and .runs_ok == 6" \
	        "'$WORK'/r2/refresh.json" >/dev/null &&
	    grep -q "^runs: 6 good ('$nbefore' from before)" "'$WORK/r2.out'"'
check "r2 again: only the missing runs were made" \
	sh -c '[ $(( $(cat "'$FAKE_STATE'"/*/launches | awk "{ n += \$1 } END { print n }") - '$made' )) \
	    -eq $((6 - '$nbefore')) ] &&
	    [ "$(ls "'$WORK'"/r2/runs/*/run.json | wc -l)" -eq 6 ]'
check "r2 again: the run cut short is no run, and not evidence" \
	sh -c 'cut=0; for d in "'$WORK'"/r2/runs/*/; do
	        [ -e "$d/run.json" ] || [ -e "$d/failed.json" ] || cut=$((cut + 1)); done
	    [ $cut -ge 1 ] &&
	    jq -e "[.inputs[] | select(.kind == \"run\")] | length == 6" \
	        "'$WORK'/r2/table.json" >/dev/null'
check "r2 again: its report, left on the phone, is pulled aside" \
	sh -c '[ "$(ls "'$WORK'"/r2/pulled/*/JetsamEvent-*.ips | wc -l)" -ge 1 ] &&
	    grep -q "^reports left on the phones: [1-9]" "'$WORK/r2.out'"'
check "r2 again: the diff names iPhone 11's move, the gate fails" \
	sh -c 'grep -q "changed.*iPhone12,1" "'$WORK'/r2/diff.txt" &&
	    jq -e ".gate == \"failed\" and .diff.changed == 1 and .diff.over == 1" \
	        "'$WORK'/r2/refresh.json" >/dev/null &&
	    grep -q "^models changed against .*: 1 thresholds changed" "'$WORK/r2.out'" &&
	    grep -q "^gate (--fail-over 5 %): FAILED$" "'$WORK/r2.out'"'
check "r2 again: the new table has the new ceiling, the report the diff" \
	sh -c 'jq -e "[.entries[] | select(.model == \"iPhone12,1\") | .ceiling_bytes]
	        == [136 * '$MB']" "'$WORK'/r2/table.json" >/dev/null &&
	    grep -q "release r2" "'$WORK'/r2/report.html"'

# ---- r2 once more, with a wider gate: nothing to run ------------------------
made=$(launches)
script -qec "jetsam refresh --release r2 --runs 2 \
	--launch com.example.jetsamprobe --rate 64M --step 4M \
	--field $SF/page-growth.csv --field $SF/sessions.jsonl \
	--previous $WORK/r1/table.json --fail-over 10 -o $WORK/r2 \
	>$WORK/r2b.out" "$WORK/tty" >/dev/null 2>&1
rc=$?
check "r2, complete, wider gate: nothing launched, gate passed, exit 0" \
	sh -c '[ '$rc' -eq 0 ] && [ "$(cat "'$FAKE_STATE'"/*/launches | awk "{ n += \$1 } END { print n }")" -eq '$made' ] &&
	    grep -q "^gate (--fail-over 10 %): passed$" "'$WORK/r2b.out'" &&
	    grep -q "^runs: 6 good (6 from before)" "'$WORK/r2b.out'"'
check "on a terminal the status lines are redrawn in place" \
	grep -q "$(printf '\r\033')\[K" "$WORK/tty"
# Three phones, three status lines: erased from the last up (cursor up,
# erase), and each finished phone says so on its own line.
check "on a terminal each phone has its own status line" \
	sh -c 'grep -q "$(printf "\033")\[A$(printf "\033")\[K" "'$WORK'/tty" &&
	    [ "$(tr "\r" "\n" <"'$WORK'/tty" | grep -c "^[^ ]* done$")" -ge 3 ]'

# A terminal of three rows: one phone's line and a sum of the other two.
script -qec "stty rows 3 cols 60; jetsam refresh --release r2 --runs 2 \
	--launch com.example.jetsamprobe --rate 64M --step 4M \
	--field $SF/page-growth.csv --field $SF/sessions.jsonl \
	--previous $WORK/r1/table.json --fail-over 10 -o $WORK/r2 \
	>$WORK/r2c.out" "$WORK/tty3" >/dev/null 2>&1
check "more phones than rows: the lines that fit and a sum of the rest" \
	sh -c 'tr "\r" "\n" <"'$WORK'/tty3" | grep -q "^2 more phones: 2 done, 0 failed$" &&
	    ! tr "\r" "\n" <"'$WORK'/tty3" | grep -q "^a003 "'

check "--release and -o are required" \
	sh -c 'jetsam refresh -o x 2>/dev/null; [ $? -eq 2 ] &&
	    jetsam refresh --release x 2>/dev/null; [ $? -eq 2 ]'
check "--fail-over needs --previous" \
	sh -c 'jetsam refresh --release x -o y --fail-over 5 2>/dev/null; [ $? -eq 2 ]'
if [ $fails -ne 0 ]; then
	cat "$WORK/r2.err" "$WORK/r2.out"
fi
[ $fails -eq 0 ]
