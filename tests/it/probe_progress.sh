#!/bin/sh
# probe_progress.sh - the live progress line (footprint vs limit, rate,
# ETA) goes to stderr on a terminal only: none when stderr is a file, and
# one on a pseudo-terminal made by script(1).
set -u
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
jetsam run --local --limit 48M --rate 32M -o "$dir/a" >/dev/null 2>"$dir/err" ||
	{ echo "FAIL: run failed"; cat "$dir/err"; exit 1; }
[ -s "$dir/err" ] && { echo "FAIL: progress written to a non-terminal:"; cat "$dir/err"; exit 1; }
command -v script >/dev/null 2>&1 || { echo "script(1) is not installed: terminal half not tried"; exit 77; }
script -qec "jetsam run --local --limit 48M --rate 32M -o '$dir/b' >/dev/null" \
	/dev/null >"$dir/tty" 2>&1 </dev/null
grep -q ' / 48 MiB, [0-9.]* MiB/s, ETA ' "$dir/tty" ||
	{ echo "FAIL: no progress line on a terminal:"; cat -v "$dir/tty"; exit 1; }
echo "ok: $(tr '\r' '\n' <"$dir/tty" | grep ETA | tail -n 1)"
