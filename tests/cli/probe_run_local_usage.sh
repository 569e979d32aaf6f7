# jetsam run --local: missing or bad values are usage errors (exit 2)
jetsam run --local -o /nonexistent 2>&1
echo "status $?"
jetsam run --local --limit 12Q -o /nonexistent 2>&1
echo "status $?"
jetsam run --local --limit 64M --enforce kernel -o /nonexistent 2>&1
echo "status $?"
jetsam run --local --limit 64M --ramp-to 64M -o /nonexistent 2>&1
echo "status $?"
jetsam run --local --limit 64M --poll-hz 10 -o /nonexistent 2>&1
echo "status $?"
