# Usage errors exit 2 with one line naming the problem; --help exits 0.
jetsam calibrate --help | head -n 5
echo "status $?"
jetsam calibrate 2>&1
echo "status $?"
jetsam calibrate --bogus x 2>&1
echo "status $?"
jetsam calibrate --statistic p50 x 2>&1
echo "status $?"
jetsam calibrate --fraction 1.5 x 2>&1
echo "status $?"
jetsam calibrate --max-bad-rows -1 x 2>&1
echo "status $?"
jetsam calibrate -f yaml x 2>&1
echo "status $?"
jetsam calibrate /nonexistent/run.json 2>&1
echo "status $?"
