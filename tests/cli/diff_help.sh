# jetsam diff --help is the diff usage, not the whole calibrate usage
jetsam diff --help
echo "status $?"
jetsam calibrate diff --help | head -n 1
