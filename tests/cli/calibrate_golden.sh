# Golden outputs in every format from fixed lab evidence and field data
# (tests/golden/calibrate/in): the summary as table, CSV and JSON on
# stdout; the JSON table, plist and C header compared byte for byte.
set -e
g=tests/golden/calibrate
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd $g/in
jetsam calibrate runs --probe-log probe.jsonl \
	--report report-iPhone12,1-13.7.ips --report report-highwater.ips \
	--field growth.csv --field sessions.jsonl \
	--field growth-aggregate.csv --field sessions-aggregate.csv \
	--release golden -o "$tmp/table.json" --plist "$tmp/table.plist" \
	--header "$tmp/table.h" 2>/dev/null
jetsam calibrate show -f csv "$tmp/table.json"
jetsam calibrate show -f json "$tmp/table.json"
cd ..
for f in table.json table.plist table.h; do
	if cmp -s "$f" "$tmp/$f"; then
		echo "$f: same as golden"
	else
		echo "$f: differs from golden"
		diff -u "$f" "$tmp/$f" | head -n 20
	fi
done
