#!/bin/sh
# probe_local_runs.sh - local runs under both enforcers recover the truth:
# footprint + remaining within 1 MiB, the probe-only crossing within one
# step, the report's rpages x pageSize within two (the kill lags the
# crossing by up to a poll), the paced rate
# within 1 % of the requested one; the report is a real-format bug_type
# 298 file.  Small limits keep it fast; tests/bench/probe.sh goes to 1 GiB.
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
		(.report_bytes - $t | fabs) <= 2 * $step and
		(.effective_rate_bytes_per_s - $rate | fabs) <= $rate / 100 and
		.exit_signal == 9 and .samples > 2 and
		.kill_reason == (if .enforcer == "cgroup" then "oom-kill"
				 else "per-process-limit" end)' "$rec" >/dev/null ||
		{ echo "FAIL: $1 at $2 bytes misses the truth:"; cat "$rec"; fail=1; }
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
	for spec in 64M:64M: 160M:64M:75% 96M:32M:; do
		limit=${spec%%:*}; rest=${spec#*:}
		rate=${rest%%:*}; ramp=${rest#*:}
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
			break
		fi
		[ $rc -eq 0 ] || { echo "FAIL: jetsam run $* (status $rc)"; cat "$dir/err"; fail=1; continue; }
		id=$(jq -r '.[0].run_id' "$dir/out.json")
		echo "$enforcer $limit rate $rate ramp ${ramp:-none}: $(jq -c '.[0] | {last_sample_bytes, crossing_bytes, footprint_remaining_bytes, report_bytes, rate_bytes_per_s, duration_ms}' "$dir/out.json")"
		check_run "$enforcer" $(( ${limit%M} * MIB )) "$out/$id"
	done
done
[ $fail -eq 0 ] || exit 1
if [ -n "$skipped" ]; then
	echo "supervisor runs passed; cgroup runs skipped: $skipped"
	exit 77
fi
exit 0
