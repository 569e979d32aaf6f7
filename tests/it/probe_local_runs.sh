#!/bin/sh
# probe_local_runs.sh - local runs under both enforcers recover the truth:
# footprint + remaining within 1 MiB and the probe-only crossing within one
# step of the enforced limit; the report holds the footprint the probe was
# killed at (within a step of its last sample, never below the limit by
# more than two: the cgroup runner's last poll can trail the probe's last
# sample, which cgroup v1's page-cache charge keeps up to a step low); the paced rate is within 1 % of the requested one; the
# report is a real-format bug_type 298 file.  Small limits keep it fast;
# tests/bench/probe.sh goes to 1 GiB.
#
# On this kind of machine (a VM) the first touch of fresh pages sometimes
# stalls for tens of milliseconds; the probe's absolute deadlines then catch
# up in a burst, which can carry the footprint several steps past the limit
# before the next poll.  That is overshoot, reported as such, not an error
# of the estimates above; and the paced rate is measured as the median
# slope between samples (tests/it/paced_rate.py), which such a stall barely
# moves, instead of end to end.  Near a cgroup v1 limit the kernel also
# stalls the probe in reclaim before the OOM kill, so the rate window ends
# 16 MiB below the limit.
# The runs pace at 16 MiB/s so a step has 62 ms: enough even when the host
# makes page faults a hundred times slower for a while (once seen in CI
# here: 19 MB/s was all it could touch).  A run that still misses is run
# once more, visibly; a real pacing or estimate bug fails both times.
# The ramped run ramps to 50 % of its limit, not further, so its paced
# window (after the ramp, up to 16 MiB below the limit) still holds 64
# samples: with 24 (a 75 % ramp), one 0.5 s stall and its catch-up burst
# covered ten of them, past what the median slope tolerates (seen in CI).
# Skips (77) the cgroup half only where no memory cgroup can be made, and
# says so; the supervisor half always runs.
set -u
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
MIB=1048576
STEP=$MIB
skipped=""

check_run() { # enforcer limit_bytes run_dir
	rec="$3/run.json"
	[ -f "$rec" ] || { echo "FAIL: no $rec"; fail=1; return; }
	jq -e --argjson t "$2" --argjson step "$STEP" --argjson rate "$RATE" '
		(.footprint_remaining_bytes - $t | fabs) <= 1048576 and
		(.crossing_bytes - $t | fabs) <= $step and
		.report_bytes >= $t - 2 * $step and
		(.report_bytes - .last_sample_bytes | fabs) <= $step + 65536 and
		.exit_signal == 9 and .samples > 2 and
		.kill_reason == (if .enforcer == "cgroup" then "oom-kill"
				 else "per-process-limit" end)' "$rec" >/dev/null ||
		{ echo "FAIL: $1 at $2 bytes misses the truth:"; cat "$rec"; fail=1; }
	# Two estimates of the paced rate that fail differently under host
	# stalls: the run record's end to end (skewed by a stall at the end)
	# and the median slope between samples (skewed when stalls are many).
	# A probe that paces wrongly misses with both.
	e2e=$(jq '.effective_rate_bytes_per_s // 0' "$rec")
	median=$(python3 tests/it/paced_rate.py "$3/probe.jsonl" "$2")
	within() { [ -n "$1" ] && [ $(( ($1 - RATE) * 100 )) -le "$RATE" ] &&
		[ $(( (RATE - $1) * 100 )) -le "$RATE" ]; }
	if ! within "$e2e" && ! within "$median"; then
		echo "FAIL: $1 at $2 bytes: paced rate $e2e B/s end to end, ${median:-?} B/s median slope; requested $RATE"
		fail=1
	fi
	ips=$(ls "$3"/JetsamEvent-*.ips 2>/dev/null | head -n 1)
	[ -n "$ips" ] || { echo "FAIL: $1: no JetsamEvent report in $3"; fail=1; return; }
	head -n 1 "$ips" | jq -e '.bug_type == "298"' >/dev/null &&
	tail -n +2 "$ips" | jq -e --arg m iPhone12,1 '
		.product == $m and .build == "iPhone OS 14.2 (18B92)" and
		.memoryStatus.pageSize == 16384 and
		([.processes[] | select(.reason == "per-process-limit" and
			.states == ["frontmost"] and .name == "jetsam-probe")]
		 | length) == 1' >/dev/null ||
		{ echo "FAIL: $1: $ips is not the expected report"; fail=1; }
}

for enforcer in supervisor cgroup; do
	for spec in 64M:16M: 160M:16M:50% 96M:16M:; do
		limit=${spec%%:*}; rest=${spec#*:}
		rate=${rest%%:*}; ramp=${rest#*:}
		for attempt in 1 2; do
			out="$dir/$enforcer"
			RATE=$(( ${rate%M} * MIB ))
			set -- --local --enforce "$enforcer" --limit "$limit" \
				--rate "$rate" --step 1M --model iPhone12,1 --os 14.2 \
				--build 18B92 -o "$out" -f json
			[ -n "$ramp" ] && set -- "$@" --ramp-to "$ramp"
			jetsam run "$@" >"$dir/out.json" 2>"$dir/err"
			rc=$?
			if [ $rc -ne 0 ] && [ "$enforcer" = cgroup ] &&
			   grep -q cgroup "$dir/err"; then
				skipped=$(cat "$dir/err")
				break 2
			fi
			[ $rc -eq 0 ] || { echo "FAIL: jetsam run $* (status $rc)"; cat "$dir/err"; fail=1; break; }
			id=$(jq -r '.[0].run_id' "$dir/out.json")
			echo "$enforcer $limit rate $rate ramp ${ramp:-none}: $(jq -c '.[0] | {last_sample_bytes, crossing_bytes, footprint_remaining_bytes, report_bytes, rate_bytes_per_s, duration_ms}' "$dir/out.json")"
			before=$fail
			fail=0
			check_run "$enforcer" $(( ${limit%M} * MIB )) "$out/$id" >"$dir/check" 2>&1
			cat "$dir/check"
			if [ $fail -eq 0 ] || [ $attempt -eq 2 ]; then
				[ $fail -eq 0 ] && fail=$before
				break
			fi
			echo "retry: $enforcer $limit: a host stall can slow one run (see above); running it once more"
			fail=$before
		done
	done
done
[ $fail -eq 0 ] || exit 1
if [ -n "$skipped" ]; then
	echo "supervisor runs passed; cgroup runs skipped: $skipped"
	exit 77
fi
exit 0
