# calibrate field on the sample data: the per-model view, the per-page view
# (count, max, p99, p999), and the per-page view read back as an aggregate
# file, which must give the per-model figures of the raw rows again.
d=data/sample-field
jetsam calibrate field -f csv $d/page-growth.csv $d/sessions.jsonl
echo "status $?"
jetsam calibrate field --by-page -f csv $d/page-growth.csv
echo "status $?"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for s in max p99 p999; do
	jetsam calibrate field --by-page -f csv $d/page-growth.csv >"$tmp"
	a=$(jetsam calibrate field --statistic $s -f csv $d/page-growth.csv)
	b=$(jetsam calibrate field --statistic $s -f csv "$tmp")
	[ "$a" = "$b" ] && echo "$s: per-page aggregates give the raw result"
done
# A BOM and a hexadecimal size: the first is skipped, the second named.
printf '\357\273\277model,os_version,page,growth_bytes\n"iPhone12,1",14.2,feed,0x10\n' >"$tmp"
{
	jetsam calibrate field -f csv "$tmp" 2>&1
	echo "status $?"
} | sed "s|$tmp|FILE|"
