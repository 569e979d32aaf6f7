#!/bin/sh
# walk_hostile_trees.sh - parse and calibrate walk a hostile tree the same
# way (the one walker, jetsam/walk/): a report and its .synced copy, a hard
# link and a symbolic link to reports, "up -> ..", "self -> .", a link
# cycle, a FIFO (which would block a reader), a socket, a hidden copy, a
# file that is not a report, and a directory only root may read.  Both
# commands must read the same three reports, each once; neither may hang.
set -u
d=$(mktemp -d)
trap 'chmod -R u+rwx "$d" 2>/dev/null; rm -rf "$d"' EXIT
fail=0
t=$d/tree
mkdir -p "$t/reports/sub"
cp tests/fixtures/reports/iPhone10-1_iOS11.4.1_crlf.ips "$t/reports/a.ips"
cp "$t/reports/a.ips" "$t/reports/a.ips.synced"
cp tests/corpus/dev/iPhone7-2_iOS11.3.1_546BD956.ips "$t/reports/b.ips"
cp tests/corpus/dev/iPhone7-2_iOS10.1.1_CED7B1F4.ips "$t/reports/sub/c.ips"
cp tests/corpus/dev/iPhone12-1_iOS14.2_B04A36B1.ips "$t/reports/.hidden.ips"
ln "$t/reports/b.ips" "$t/reports/hard.ips"
ln -s sub/c.ips "$t/reports/soft.ips"
ln -s .. "$t/reports/up"
ln -s . "$t/reports/self"
ln -s ../.. "$t/reports/sub/back"
ln -s cycle2 "$t/reports/cycle1"
ln -s cycle1 "$t/reports/cycle2"
mkfifo "$t/reports/fifo.ips"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
	"$t/reports/sock.ips"
echo "not a report" >"$t/reports/notes.txt"

want="$t/reports/a.ips
$t/reports/b.ips
$t/reports/soft.ips"

# parse: the sources it lists.
timeout 60 jetsam parse -f csv "$t/reports" >"$d/parse.csv" 2>"$d/parse.err"
rc=$?
[ "$rc" -eq 1 ] || { echo "parse: exit $rc, want 1 (the link cycle)"; fail=1; }
tail -n +2 "$d/parse.csv" | cut -d, -f1 | sort -u >"$d/parse.set"

# calibrate: the reports it took as inputs.  The link cycle cannot be
# read, so calibrate refuses to write; without it, it writes.
timeout 60 jetsam calibrate --report "$t/reports" -o "$d/t.json" \
	>/dev/null 2>"$d/cal1.err"
rc=$?
[ "$rc" -eq 1 ] || { echo "calibrate: exit $rc, want 1"; fail=1; }
grep -q "cycle1: cannot follow the link" "$d/cal1.err" ||
	{ echo "calibrate: no error for the link cycle"; fail=1; }
rm "$t/reports/cycle1" "$t/reports/cycle2"
# (input paths in the table are relative to --root: / gives them whole)
timeout 60 jetsam calibrate --root / --report "$t/reports" -o "$d/t.json" \
	>/dev/null 2>"$d/cal.err"
rc=$?
[ "$rc" -eq 0 ] || { echo "calibrate: exit $rc, want 0"; cat "$d/cal.err"; fail=1; }
jq -r '.inputs[] | select(.kind == "report") | "/" + .path' "$d/t.json" |
	sort >"$d/cal.set"

if [ "$(cat "$d/parse.set")" != "$want" ]; then
	echo "parse read:"; cat "$d/parse.set"; fail=1
fi
if [ "$(cat "$d/cal.set")" != "$want" ]; then
	echo "calibrate read:"; cat "$d/cal.set"; fail=1
fi
runs=$(jq '[.entries[] | select(.model == "iPhone10,1") | .runs] | add' "$d/t.json")
[ "$runs" = 1 ] || { echo "calibrate counted $runs runs for one report"; fail=1; }

# Both say why each entry was left out, one line each.
for what in "a.ips.synced: incident C81F0000-0000-4000-8000-000000000011 already read from $t/reports/a.ips; skipped" \
	"hard.ips: the same file as $t/reports/b.ips: read once" \
	"sub/c.ips: the same file as $t/reports/soft.ips: read once" \
	"up: a link to a directory: not followed" \
	"self: a link to a directory: not followed" \
	"sub/back: a link to a directory: not followed" \
	"fifo.ips: a FIFO: not read" "sock.ips: a socket: not read"; do
	for f in parse.err cal.err; do
		n=$(grep -cF "$t/reports/$what" "$d/$f")
		[ "$n" -eq 1 ] || { echo "$f: '$what' $n times, want 1"; fail=1; }
	done
done
grep -q "hidden" "$d/parse.err" "$d/cal.err" &&
	{ echo "a hidden file was read"; fail=1; }

# A directory nobody else may read: as nobody, both name it, exit 1, and
# still read the rest.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	mkdir "$t/reports/closed"
	cp "$t/reports/b.ips" "$t/reports/closed/x.ips"
	chmod 000 "$t/reports/closed"
	chmod 755 "$d" "$t"
	chmod 644 "$d/t.json"
	nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	nobody jetsam parse -f csv "$t/reports" >"$d/p2.csv" 2>"$d/p2.err"
	rc=$?
	[ "$rc" -eq 1 ] || { echo "parse as nobody: exit $rc, want 1"; fail=1; }
	grep -q "closed: cannot read directory: Permission denied" "$d/p2.err" ||
		{ echo "parse as nobody: no error for the closed directory"; cat "$d/p2.err"; fail=1; }
	[ "$(tail -n +2 "$d/p2.csv" | cut -d, -f1 | sort -u)" = "$want" ] ||
		{ echo "parse as nobody did not read the rest"; fail=1; }
	nobody jetsam calibrate --report "$t/reports" >/dev/null 2>"$d/c2.err"
	rc=$?
	[ "$rc" -eq 1 ] || { echo "calibrate as nobody: exit $rc, want 1"; fail=1; }
	grep -q "closed: cannot read directory: Permission denied" "$d/c2.err" ||
		{ echo "calibrate as nobody: no error for the closed directory"; fail=1; }
fi
exit $fail
