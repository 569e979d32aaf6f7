# Every kind of bad field file: a message with file:line on stderr, exit 1,
# and no table written (the output path must not exist afterwards).  Page
# growth for a model with no lab data is an error only with
# --strict-field (without it the model is field-only: see
# calibrate_field_only.sh).
cd tests/golden/calibrate
tmp=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$tmp" "$log"' EXIT
for f in bad-rows.csv missing-column.csv extra-column.csv empty.csv \
	header-only.csv duplicate-key.csv no-lab-data.csv bad-sessions.jsonl; do
	strict=
	[ "$f" = no-lab-data.csv ] && strict=--strict-field
	echo "== $f${strict:+ $strict}"
	jetsam calibrate in/runs --field bad/$f -o "$tmp/t.json" \
		--header "$tmp/t.h" $strict 2>&1 >/dev/null
	echo "status $?"
	ls "$tmp"
done
echo "== --max-bad-rows 4 lets the 4 bad rows of bad-rows.csv through"
jetsam calibrate in/runs --field bad/bad-rows.csv --max-bad-rows 4 \
	-o "$tmp/t.json" >/dev/null 2>"$log"
echo "status $?"
cat "$log"
ls "$tmp"
