# jetsam-probe names the bad value and exits 2 before touching anything
jetsam-probe --log /nonexistent/x --rate 0 2>&1
echo "status $?"
jetsam-probe --log /nonexistent/x --fill zero 2>&1
echo "status $?"
jetsam-probe --rate 1M 2>&1
echo "status $?"
jetsam-probe --log /nonexistent/dir/x.jsonl --max 1M 2>&1
echo "status $?"
