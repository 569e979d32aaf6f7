#!/bin/sh
# probe_durability.sh - SIGKILL the probe at 200 random moments: every log
# parses with the real reader, no torn line is ever read, and the last
# sample the probe wrote before each kill is in the file (killprobe.c says
# how that is witnessed).
set -u
BUILD=${BUILD:-build}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
seed=${JT_SEED:-$(date +%s)}
echo "seed $seed"
"$BUILD/tests/tools/killprobe" "$BUILD/bin/jetsam-probe" 200 "$seed" "$dir"
