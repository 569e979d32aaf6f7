#!/bin/sh
# probe.sh - make bench-probe: local runs at 128 MiB, 512 MiB and 1 GiB
# under both enforcers, with --ramp-to 90% and without, and each evidence
# source's error against the true limit.
#
# Errors are estimate - truth in KiB (step = 1024 KiB).  fp+rem is the
# footprint + remaining route (iOS 13+), crossing the probe-only estimate,
# report rpages x pageSize from the JetsamEvent report, last the last
# sample, warn the footprint at the first (emulated) memory warning, which
# iOS sends 100 MB below the limit or at 80 % of it.  rate is the paced
# rate's error in percent; time the run's wall time.
#
# BENCH_RATE (default 20M, the probe's default) and BENCH_LIMITS change
# the runs; the cgroup rows are skipped, with a note, where no memory
# cgroup can be made.
set -u
BUILD=${BUILD:-build}
PATH="$(pwd)/$BUILD/bin:$PATH"
RATE=${BENCH_RATE:-20M}
LIMITS=${BENCH_LIMITS:-128M 512M 1G}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

to_bytes() {
	case $1 in
	*G) echo $(( ${1%G} * 1073741824 )) ;;
	*M) echo $(( ${1%M} * 1048576 )) ;;
	*) echo "$1" ;;
	esac
}
rate_b=$(to_bytes "$RATE")

echo "bench-probe: rate $RATE/s, step 1 MiB, $(uname -r), $(nproc) cpus"
echo "columns fp+rem..overshoot: estimate - enforced limit, in KiB (one step = 1024 KiB);"
echo "rate%: paced rate vs requested; time_s: probe start to kill"
printf '%-6s %-10s %-5s %9s %9s %9s %9s %10s %9s %7s %7s\n' \
	limit enforcer ramp fp+rem crossing report last warn overshoot \
	rate% time_s
for enforcer in supervisor cgroup; do
	for limit in $LIMITS; do
		for ramp in none 90%; do
			set -- --local --enforce "$enforcer" --limit "$limit" \
				--rate "$RATE" --step 1M --model iPhone12,1 \
				--os 14.2 --build 18B92 -o "$dir/$enforcer" -f json
			[ "$ramp" = none ] || set -- "$@" --ramp-to "$ramp"
			start=$(date +%s.%N)
			if ! jetsam run "$@" >"$dir/out.json" 2>"$dir/err"; then
				if [ "$enforcer" = cgroup ] && grep -q cgroup "$dir/err"; then
					echo "cgroup rows skipped: $(cat "$dir/err")"
					break 2
				fi
				echo "FAILED: jetsam run $*"; cat "$dir/err"; exit 1
			fi
			end=$(date +%s.%N)
			t=$(to_bytes "$limit")
			jq -r --argjson t "$t" --argjson r "$rate_b" \
			   --arg l "$limit" --arg e "$enforcer" --arg ramp "$ramp" \
			   --arg secs "$(echo "$end - $start" | bc)" '.[0] |
			  def kib(x): if x == null then "-" else ((x - $t) / 1024 | floor | tostring) end;
			  [$l, $e, $ramp, kib(.footprint_remaining_bytes),
			   kib(.crossing_bytes), kib(.report_bytes),
			   kib(.last_sample_bytes), kib(.first_warning_bytes),
			   ((.overshoot_bytes // 0) / 1024 | floor | tostring),
			   (((.rate_bytes_per_s - $r) * 10000 / $r | round) / 100 | tostring),
			   ($secs | tonumber * 10 | round / 10 | tostring)] | @tsv' \
			   "$dir/out.json" |
			awk -F'\t' '{printf "%-6s %-10s %-5s %9s %9s %9s %9s %10s %9s %7s %7s\n", $1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11}'
		done
	done
done
