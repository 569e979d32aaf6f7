# A backtest worked by hand on the golden table (tests/golden/calibrate/
# evaluate).  iPhone12,1: threshold 1832910848 on 14.2 (ceiling
# 2147483648); 16.0 is carried over from 15.7 (threshold 1885339648).
# Sessions 1700000000 (under), 1900000000 (over), 1885339649 on 16.0 (over
# by one byte), one OOM (not judged): 2 of 3 needless.  Growth 200000000
# leaves 2147483648 - 1832910848 - 200000000 = 114572800; 400000000 leaves
# -85427200: 1 of 2 kills not prevented.  iPhone14,7 (ceiling 3041918976,
# threshold 2936012800): session 2900000000 under; growth 100000000 leaves
# 5906176.  iPhone13,2 has no lab entry: not evaluated, and says why.
# Then: an aggregate cannot be replayed, a bad row is named by file:line.
g=tests/golden/calibrate
jetsam calibrate evaluate -f csv "$g/table.json" \
	--field "$g/evaluate/sessions.csv" --field "$g/evaluate/growth.jsonl" 2>&1
echo "status $?"
jetsam calibrate evaluate -f json "$g/table.json" \
	--field "$g/evaluate/growth.jsonl" 2>/dev/null | jq -c '.[]'
jetsam calibrate evaluate "$g/table.json" --field "$g/evaluate/aggregate.csv" 2>&1
echo "status $?"
jetsam calibrate evaluate "$g/table.json" --field "$g/evaluate/bad.csv" 2>&1
echo "status $?"
jetsam calibrate evaluate "$g/table.json" 2>&1
echo "status $?"
