#!/bin/sh
# impossible numbers are flagged in the parse output, and calibrate lists
# the kills of such reports as excluded with the reason (the good report's
# frontmost kill is the only evidence used)
fix=tests/fixtures/reports
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jt-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
jetsam parse -f csv --reason frontmost-limit $fix/iPhone12-1_iOS14.2_pagesize-0.ips $fix/iPhone12-1_iOS14.2_rpages-above-ram.ips
echo "status $?"
jetsam calibrate -f csv -o "$tmp/t.json" --report $fix/iPhone12-1_iOS14.2_limit-kills-by-state.ips --report $fix/iPhone12-1_iOS14.2_rpages-above-ram.ips --report $fix/iPhone12-1_iOS14.2_pagesize-0.ips >"$tmp/out" 2>&1
echo "status $?"
grep -v "not frontmost" "$tmp/out"
jq -r '.excluded[] | select(.why | startswith("implausible")) | .input + ": " + .why' "$tmp/t.json" | sort | uniq -c
