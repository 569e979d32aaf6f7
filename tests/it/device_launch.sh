#!/bin/sh
# device_launch.sh - runs with nobody at the phone: "jetsam run --launch"
# on two fake phones at once, --runs 3 each.  The fake plays the probe
# only once debugserver launched it, with the environment it was given;
# it misbehaves on demand (tests/fakedevice/lab-two.conf): on the first
# phone the probe leaves the foreground on launch 2 and launch 4 is
# refused, on the second the report of launch 1 never comes.  Checks that
# each run's parameters reached the probe, that the failed runs were
# tried again and recorded as failed, and that only good runs reach the
# table.
set -u
. "${ROOT:-.}/tests/fakedevice/lib.sh"
A=0000feed0000000000000000000000000000a001
B=0000feed0000000000000000000000000000a002
MB=1048576
# jqt EXPR FILE... - jq as a test: true or not, nothing printed
jqt() { jq -e "$@" >/dev/null; }

fake_start lab-two.conf
jetsam run --all --runs 3 --launch com.example.jetsamprobe --rate 64M \
	--step 4M --ramp-to 50% --fill constant --timeout 10 --report-wait 3 \
	-f csv -o "$WORK/runs" >"$WORK/csv" 2>"$WORK/err"
rc=$?
tr -d '\r' <"$WORK/csv" >"$WORK/out" # CSV rows end in CRLF
check "two phones, three good runs each, nobody at them: exit 0" \
	test $rc -eq 0
check "each phone has three run records, none of another phone" \
	sh -c '[ "$(jq -r .udid "'$WORK'"/runs/*/run.json | sort | uniq -c |
	    awk "{ printf \"%s %s \", \$1, \$2 }")" = "3 '$A' 3 '$B' " ]'
check "nobody was asked to launch anything" \
	sh -c '! grep -q "ready: launch the probe app now" "'$WORK/err'"'
check "each phone says once how its probe is launched" \
	sh -c '[ "$(grep -c "launching .com.example.jetsamprobe. from the host: debugserver (the developer disk image is mounted)" "'$WORK/err'")" -eq 2 ]'

# The parameters reached the probe: its own header says so, for every
# run, good or failed (the fake reads them with the probe's own parser).
for d in "$WORK"/runs/*/; do
	id=$(basename "$d")
	# a refused launch ran nothing, so logged nothing
	[ "$id" = iPhone12,1-14.2-4 ] && continue
	check "$id: the probe ran with the run's rate, step, fill, ramp and id" \
		jqt -s '.[0] | .type == "header" and
		    .rate_bytes_per_s == 67108864 and .step_bytes == 4194304 and
		    .fill == "constant" and .run_id == "'"$id"'" and
		    .ramp_to_bytes == (if .model == "iPhone12,1"
		        then 64 * '$MB' else 96 * '$MB' end)' \
		"$d/probe.jsonl"
done
check "debugserver was sent the environment and the app's working dir" \
	sh -c 'grep -q "^env JETSAM_PROBE_RUN_ID=iPhone14,7-16.1-1$" \
	        "'$FAKE_STATE/$B'/launch-1.txt" &&
	    grep -q "^env JETSAM_PROBE_FILL=constant$" "'$FAKE_STATE/$B'/launch-1.txt" &&
	    grep -q "^dir /private/var/mobile/Containers/Data/Application/" \
	        "'$FAKE_STATE/$B'/launch-1.txt"'
check "and the ceilings are the phones' limits" \
	sh -c 'jq -e -s "map(select(.model == \"iPhone12,1\") | .footprint_remaining_bytes) == [128 * '$MB', 128 * '$MB', 128 * '$MB'] and
	    map(select(.model == \"iPhone14,7\") | .report_bytes) == [192 * '$MB', 192 * '$MB', 192 * '$MB']" \
	    "'$WORK'"/runs/*/run.json >/dev/null'

# Failed runs: tried again, recorded as failed with the reason, kept apart.
check "the first phone's probe left the foreground: a failed record" \
	jqt '.failure == "left-foreground" and .left_foreground == true and
	    (.failure_detail | test("left the foreground"))' \
	"$WORK/runs/iPhone12,1-14.2-2/failed.json"
check "and the probe left running there was ended through debugserver" \
	sh -c '[ "$(cat "'$FAKE_STATE/$A'/debugger-kills")" = 1 ]'
check "its refused launch ran no probe: an empty log" \
	test ! -s "$WORK/runs/iPhone12,1-14.2-4/probe.jsonl"
check "its refused launch: a failed record with debugserver's words" \
	jqt '.failure == "launch-failed" and (.failure_detail |
	    test("debugserver refused the launch of the app: failed to launch the app"))' \
	"$WORK/runs/iPhone12,1-14.2-4/failed.json"
check "the second phone's missing report: a failed record" \
	jqt '.failure == "no-report" and .report == null' \
	"$WORK/runs/iPhone14,7-16.1-1/failed.json"
check "no failed run has a run.json" \
	sh -c 'for f in "'$WORK'"/runs/*/failed.json; do
	    [ -e "$(dirname "$f")/run.json" ] && exit 1; done; exit 0'
check "every failure was tried again: 5 and 4 launches" \
	sh -c '[ "$(cat "'$FAKE_STATE/$A'/launches")" = 5 ] &&
	    [ "$(cat "'$FAKE_STATE/$B'/launches")" = 4 ]'
check "each failure is said with 'trying again'" \
	sh -c '[ "$(grep -c "failed (.*): .*; trying again$" "'$WORK/err'")" -eq 3 ]'
check "one row per attempt: 6 recorded, 3 failed with their reason" \
	sh -c '[ "$(grep -c ",recorded,.*,$" "'$WORK/out'")" -eq 6 ] &&
	    [ "$(grep -c ",failed,.*,left-foreground$" "'$WORK/out'")" -eq 1 ] &&
	    [ "$(grep -c ",failed,.*,launch-failed$" "'$WORK/out'")" -eq 1 ] &&
	    [ "$(grep -c ",failed,.*,no-report$" "'$WORK/out'")" -eq 1 ]'

# Only good runs reach the table.
jetsam calibrate "$WORK/runs" -o "$WORK/table.json" -f csv \
	>/dev/null 2>"$WORK/cal.err"
check "the directory calibrates: the six good runs only" \
	sh -c 'jq -e "[.inputs[] | select(.kind == \"run\")] | length == 6 and
	    all(.path | endswith(\"/run.json\"))" "'$WORK/table.json'" >/dev/null &&
	    jq -e "[.entries[] | .ceiling_bytes] | sort == [128 * '$MB', 192 * '$MB']" \
	        "'$WORK/table.json'" >/dev/null'
check "a failed record given by hand is excluded, not evidence" \
	sh -c 'jetsam calibrate "'$WORK'/runs/iPhone12,1-14.2-2/failed.json" \
	        "'$WORK'/runs/iPhone12,1-14.2-1/run.json" -o "'$WORK'/t2.json" \
	        >/dev/null 2>"'$WORK'/t2.err" &&
	    grep -q "failed.json: kill excluded .*failed run: not evidence" "'$WORK'/t2.err"'

# --resume: what the directory holds counts; only the rest is made.
jetsam run -u $B --runs 4 --resume --launch com.example.jetsamprobe \
	--rate 64M --step 4M --timeout 10 --report-wait 3 -f csv \
	-o "$WORK/runs" >"$WORK/out2" 2>"$WORK/err2"
rc=$?
check "--resume makes only the fourth run" \
	sh -c '[ '$rc' -eq 0 ] && [ "$(cat "'$FAKE_STATE/$B'/launches")" = 5 ] &&
	    [ "$(grep -c ",recorded," "'$WORK/out2'")" -eq 1 ] &&
	    grep -q "3 of 4 runs already done (resumed), 1 failed attempts before" "'$WORK/err2'"'

check "probe options without --launch are a usage error" \
	sh -c 'jetsam run -u x --rate 8M -o y 2>/dev/null; [ $? -eq 2 ]'
check "a rate the probe would refuse is a usage error before any run" \
	sh -c 'jetsam run -u x --launch a.b --step 0 -o y 2>"'$WORK'/e";
	    [ $? -eq 2 ] && grep -q "the probe would refuse this run: invalid step .0." "'$WORK'/e"'
if [ $fails -ne 0 ]; then
	cat "$WORK/err" "$WORK/out"
fi
[ $fails -eq 0 ]
