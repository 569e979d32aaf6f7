# Identical inputs give byte-identical tables; a timestamp appears only
# when given, and the input order on the command line does not matter.
cd tests/golden/calibrate/in
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
jetsam calibrate runs --field growth.csv --field sessions.jsonl \
	-o "$tmp/a.json" --header "$tmp/a.h" --plist "$tmp/a.plist" \
	>/dev/null 2>&1
jetsam calibrate runs/h runs/g runs/f runs/e runs/d runs/c runs/b runs/a \
	--field sessions.jsonl --field growth.csv \
	-o "$tmp/b.json" --header "$tmp/b.h" --plist "$tmp/b.plist" \
	>/dev/null 2>&1
for x in json h plist; do
	cmp "$tmp/a.$x" "$tmp/b.$x" && echo "$x identical"
done
grep -c generated_at "$tmp/a.json"
grep '"generated_at"' "$tmp/a.json"
jetsam calibrate runs --generated-at 2026-11-22T12:00:00Z -o "$tmp/c.json" \
	>/dev/null 2>&1
grep '"generated_at"' "$tmp/c.json"
