#!/bin/sh
# device_run.sh - end to end: the fake device serves the probe's log and,
# after the kill, its JetsamEvent report; "jetsam run -u" captures, pulls,
# matches and writes the run record with the right ceiling (1360 MB)
set -u
. "${ROOT:-.}/tests/fakedevice/lib.sh"
MB=1048576
CEIL=$((1360 * MB))

fake_start probe-kill.conf
jetsam run -u $UDID -o "$WORK/runs" --timeout 10 --report-wait 10 -f csv \
	>"$WORK/out" 2>"$WORK/err"
check "a device run succeeds" test $? -eq 0
check "it says when to launch the probe" \
	grep -q "$UDID: iPhone12,1-14.2-1: ready: launch the probe app now" "$WORK/err"
D=$WORK/runs/iPhone12,1-14.2-1
check "the run directory holds log, report, identity and record" \
	sh -c '[ "$(ls "'$D'" | tr "\n" " ")" = \
	    "JetsamEvent-2020-10-15-173004.ips device.json probe.jsonl run.json " ]'
check "the run record has the right ceiling from every source" \
	sh -c 'jq -e ".kind == \"device\" and .enforcer == \"jetsam\" and
	    .model == \"iPhone12,1\" and .os_version == \"14.2\" and
	    .udid == \"'$UDID'\" and .probe_log == \"probe.jsonl\" and
	    .report == \"JetsamEvent-2020-10-15-173004.ips\" and
	    .report_bytes == '$CEIL' and .footprint_remaining_bytes == '$CEIL' and
	    .kill_reason == \"per-process-limit\" and .samples == 21 and
	    .last_sample_bytes == 1412431872 and .exit_signal == 9 and
	    .truth_limit_bytes == null and .kernel_limit_bytes == '$CEIL'" "'$D/run.json'" >/dev/null'
check "the run record loads as one (calibrator's view)" \
	sh -c 'jq -e ".version == 1" "'$D/run.json'" >/dev/null'
check "the matched report is the probe's, byte for byte" \
	cmp -s "$D/JetsamEvent-2020-10-15-173004.ips" "$SCEN/reports/probe-kill.ips"
check "the matched report is removed from the device, the older one kept" \
	sh -c '[ "$(ls "'$FAKE_STATE/$UDID'/reports")" = "JetsamEvent-2020-10-15-172958.ips" ]'
check "the stdout row says recorded with the ceiling" \
	grep -q "^$UDID,iPhone12\\\\,1-14.2-1\|recorded,JetsamEvent-2020-10-15-173004.ips,$CEIL,$CEIL," "$WORK/out"

jetsam run -u $UDID --runs 2 -o "$WORK/runs" --timeout 10 \
	--report-wait 10 -f csv >"$WORK/out" 2>"$WORK/err"
rc=$?
check "--runs 2 makes two more runs" \
	sh -c '[ '$rc' -eq 0 ] && [ -f "'$WORK'/runs/iPhone12,1-14.2-2/run.json" ] &&
	    [ -f "'$WORK'/runs/iPhone12,1-14.2-3/run.json" ] &&
	    [ "$(grep -c ",recorded," "'$WORK/out'")" -eq 2 ]'

fake_start probe-kill-ios14.conf
jetsam run -u $UDID -o "$WORK/old" --timeout 10 --report-wait 10 -f csv \
	>"$WORK/out" 2>"$WORK/err"
check "a run on a phone with the older kernel lines (iOS 11-18.3) succeeds" \
	test $? -eq 0
check "its run record has the kernel's limit from the EXC_RESOURCE line" \
	sh -c 'jq -e ".kernel_limit_bytes == '$CEIL' and
	    .kill_reason == \"per-process-limit\" and .report_bytes == '$CEIL'" \
	    "'$WORK'/old/iPhone12,1-14.2-1/run.json" >/dev/null'

fake_start probe-kill.conf
jetsam run -u $UDID --keep -o "$WORK/k" --timeout 10 --report-wait 10 \
	>/dev/null 2>&1
rc=$?
check "--keep leaves the matched report on the device" \
	sh -c '[ '$rc' -eq 0 ] && [ "$(ls "'$FAKE_STATE/$UDID'/reports" | wc -l)" -eq 2 ]'

fake_start two-probes.conf
jetsam run --all -o "$WORK/par" --timeout 10 --report-wait 10 -f csv \
	>"$WORK/out" 2>"$WORK/err"
rc=$?
check "--all runs every device in parallel, each recorded" \
	sh -c '[ '$rc' -eq 0 ] && [ "$(grep -c ",recorded," "'$WORK/out'")" -eq 2 ] &&
	    [ "$(ls "'$WORK/par'" | tr "\n" " ")" = "iPhone12,1-14.2-1 iPhone12,1-14.2-2 " ] &&
	    jq -s -e "map(.udid) | sort == [\"0000feed0000000000000000000000000000a001\",
	        \"0000feed0000000000000000000000000000a002\"]" "'$WORK'"/par/*/run.json >/dev/null'
check "rows come in device order" \
	sh -c 'cut -d, -f1 "'$WORK/out'" | tail -n 2 | sort -c'

fake_start silent.conf
jetsam run -u $UDID -o "$WORK/s" --timeout 1 --report-wait 1 >"$WORK/out" 2>"$WORK/err"
check "a run without a kill fails" test $? -eq 1
check "and says why" grep -q "capture ended (silence) without a kill of the probe: no run record" "$WORK/err"
check "the probe log is kept, no run record is written" \
	sh -c '[ -s "'$WORK'/s/iPhone12,1-14.2-1/probe.jsonl" ] &&
	    [ ! -e "'$WORK'/s/iPhone12,1-14.2-1/run.json" ]'

fake_start kill-no-report.conf
jetsam run -u $UDID -o "$WORK/n" --timeout 5 --report-wait 1 >"$WORK/out" 2>"$WORK/err"
check "a kill without its report fails" test $? -eq 1
check "and says so" grep -q "no JetsamEvent report of the kill of pid 4242 arrived within 1 s" "$WORK/err"
check "an unrelated report is neither taken nor removed" \
	sh -c '[ ! -e "'$WORK'/n/iPhone12,1-14.2-1/run.json" ] &&
	    [ "$(ls "'$FAKE_STATE/$UDID'/reports")" = "JetsamEvent-2020-10-15-172958.ips" ]'

fake_start unplug-capture.conf
jetsam run -u $UDID -o "$WORK/u" --timeout 10 >"$WORK/out" 2>"$WORK/err"
rc=$?
check "unplugged mid-run: exit 1 with the reason" \
	sh -c '[ '$rc' -eq 1 ] && grep -q "device was unplugged during capture" "'$WORK/err'"'
check "what was captured is kept" \
	sh -c '[ "$(wc -l <"'$WORK'/u/iPhone12,1-14.2-1/probe.jsonl")" -eq 7 ]'
touch "$FAKE_STATE/$UDID/unplugged"
jetsam run --all -o "$WORK/none" >/dev/null 2>"$WORK/err"
rc=$?
check "--all with no device connected fails clearly" \
	sh -c '[ '$rc' -eq 1 ] && grep -q "no device connected" "'$WORK/err'"'
check "-u and --all together are a usage error" \
	sh -c 'jetsam run -u x --all -o y 2>/dev/null; [ $? -eq 2 ]'
check "-o is required" sh -c 'jetsam run -u x 2>/dev/null; [ $? -eq 2 ]'
[ $fails -eq 0 ]
