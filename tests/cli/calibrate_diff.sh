# jetsam diff OLD NEW: added/removed keys, a threshold moved by -10 %, a
# rule change; --fail-over 5 fails the gate (exit 1), 15 passes it.
g=tests/golden/calibrate/table.json
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
jq '.entries[1].threshold_bytes -= 188743680
    | .entries[2].rule = "baseline-floor"
    | .entries[3].os_version = "14.3"
    | del(.entries[6])' "$g" > "$tmp"
jetsam diff -f csv "$g" "$tmp" 2>&1
echo "status $?"
jetsam diff --fail-over 5 "$g" "$tmp" 2>&1
echo "status $?"
jetsam calibrate diff --fail-over 15 -f json "$g" "$tmp" >/dev/null 2>&1
echo "status $?"
jetsam diff "$g" "$g" 2>&1
echo "status $?"
jetsam diff "$g" 2>&1
echo "status $?"
