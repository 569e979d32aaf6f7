#!/bin/sh
# calibrate_outputs.sh - the commands that write several files commit
# them as one set: all old or all new, never a mix, and no temporary file
# left behind, whatever the free space.
#
# 1. A small tmpfs (where this machine lets us mount one: root, and mount
#    allowed) holds the old outputs of "jetsam calibrate -o --ship-json
#    --plist --header" and of "jetsam calibrate show --ship-json --plist
#    --header", plus a filler that leaves 0, 1, 2, ... pages free, up to
#    enough for every new file.  At each step the command either fails
#    naming a file and "No space left on device", with every old file
#    intact, or succeeds with every file new.  The HTML report (one file)
#    is run the same way.
# 2. Everywhere (no root needed): a fault injected into write(2) with the
#    file-size limit (ulimit -f; SIGXFSZ ignored, so write fails with
#    EFBIG) on the largest output only: nothing is replaced.
# Also: a replaced file keeps its mode, a new one follows the umask.
set -u
ROOT=$(pwd)
BUILD=${BUILD:-build}
PATH="$ROOT/$BUILD/bin:$PATH"
G="$ROOT/tests/golden/calibrate/in"
tmp=$(mktemp -d)
mnt="$tmp/mnt"
mounted=0
cleanup() {
	[ "$mounted" = 1 ] && umount "$mnt"
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# make OUTDIR RELEASE: the four outputs of one calibration.
make_set() {
	(cd "$G" && jetsam calibrate runs --field growth.csv \
		--field sessions.jsonl --release "$2" -o "$1/t.json" \
		--ship-json "$1/s.json" --plist "$1/t.plist" --header "$1/t.h" \
		>/dev/null 2>"$tmp/make.err")
}
show_set() { # show_set OUTDIR TABLE
	jetsam calibrate show --ship-json "$1/s.json" --plist "$1/t.plist" \
		--header "$1/t.h" "$2" >/dev/null 2>"$tmp/show.err"
}
mkdir -p "$tmp/old" "$tmp/new"
make_set "$tmp/old" old || fail "calibrate (old)"
make_set "$tmp/new" new || fail "calibrate (new)"
files="t.json s.json t.plist t.h"
for f in $files; do
	cmp -s "$tmp/old/$f" "$tmp/new/$f" && fail "$f: old and new are the same"
done

# check DIR STATUS ERRFILE WHAT: all old (failed) or all new (succeeded).
check() {
	set -- "$1" "$2" "$3" "$4" "$5"
	left=$(ls -A "$1" | grep -E '\.(tmp|old)-' || true)
	[ -z "$left" ] || fail "$4: temporary files left: $left"
	if [ "$2" = 0 ]; then
		for f in $5; do
			cmp -s "$1/$f" "$tmp/new/$f" ||
				fail "$4: exit 0 but $f is not the new one"
		done
		echo new
	else
		for f in $5; do
			cmp -s "$1/$f" "$tmp/old/$f" ||
				fail "$4: exit $2 but $f was replaced"
		done
		grep -Eq "(t\.json|s\.json|t\.plist|t\.h|r\.html): cannot (write|create)" "$3" ||
			fail "$4: the error names no file: $(cat "$3")"
		echo old
	fi
}

# ---- 1. a full tmpfs -----------------------------------------------------
mkdir -p "$mnt"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=4m,mode=0755 tmpfs "$mnt" \
	2>"$tmp/mount.err"; then
	mounted=1
else
	echo "SKIP part 1 (full tmpfs): cannot mount a tmpfs here" \
		"($(cat "$tmp/mount.err" 2>/dev/null)); fault injection only"
fi
if [ "$mounted" = 1 ]; then
	need=0
	for f in $files; do
		need=$((need + ($(wc -c <"$tmp/new/$f") + 4095) / 4096))
	done
	jetsam html -o "$tmp/new/r.html" --table "$tmp/new/t.json" \
		2>/dev/null || fail "html (new)"
	jetsam html -o "$tmp/old/r.html" --table "$tmp/old/t.json" \
		2>/dev/null || fail "html (old)"
	for cmd in calibrate show html; do
		seen=""
		k=0
		while [ $k -le $((need + 2)) ]; do
			rm -f "$mnt"/* "$mnt"/.[!.]* 2>/dev/null
			cp "$tmp/old"/* "$mnt/"
			avail=$(df -B1 --output=avail "$mnt" | tail -n 1)
			fill=$((avail - k * 4096))
			[ $fill -gt 0 ] && head -c $fill /dev/zero >"$mnt/.filler" 2>/dev/null
			case $cmd in
			calibrate) make_set "$mnt" new; rc=$?; e="$tmp/make.err"
				w="$files" ;;
			show) show_set "$mnt" "$tmp/new/t.json"; rc=$?
				e="$tmp/show.err"; w="s.json t.plist t.h" ;;
			html) jetsam html -o "$mnt/r.html" --table \
				"$tmp/new/t.json" 2>"$tmp/html.err"; rc=$?
				e="$tmp/html.err"; w="r.html" ;;
			esac
			got=$(check "$mnt" $rc "$e" "$cmd, $k pages free" "$w") ||
				{ echo "$got"; exit 1; }
			seen="$seen $got"
			[ "$got" = old ] && cat "$e" >>"$tmp/$cmd.fails"
			k=$((k + 1))
		done
		case $seen in
		*old*new*) ;;
		*) fail "$cmd: expected failures then success, saw:$seen" ;;
		esac
		grep -q "No space left on device" "$tmp/$cmd.fails" ||
			fail "$cmd: no ENOSPC message: $(cat "$tmp/$cmd.fails")"
		echo "ok: $cmd on a full tmpfs, 0..$((need + 2)) pages free:$seen"
		sort -u "$tmp/$cmd.fails" | sed "s|$mnt/|MNT/|" | head -n 4
	done
fi

# ---- 2. a write that fails (file-size limit) ----------------------------
d="$tmp/fault"
mkdir -p "$d"
cp "$tmp/old"/t.json "$tmp/old"/s.json "$tmp/old"/t.plist "$tmp/old"/t.h "$d/"
big=0 bigf=
for f in $files; do
	n=$(wc -c <"$tmp/new/$f")
	[ $n -gt $big ] && big=$n bigf=$f
done
blocks=$(( (big - 1) / 512 ))
for f in $files; do
	[ $(wc -c <"$tmp/new/$f") -le $((blocks * 512)) ] || [ $f = $bigf ] ||
		fail "cannot single out $bigf by size"
done
(trap '' XFSZ; ulimit -f $blocks; make_set "$d" new)
rc=$?
[ $rc = 1 ] || fail "a failed write gave exit $rc"
grep -q "$bigf: cannot write: File too large" "$tmp/make.err" ||
	fail "error: $(cat "$tmp/make.err")"
check "$d" 1 "$tmp/make.err" "file-size limit" "$files" >/dev/null
echo "ok: a write failing on $bigf (the largest) replaced nothing: $(tail -n 1 "$tmp/make.err")"

# ---- modes ---------------------------------------------------------------
chmod 0600 "$d/t.json"
rm -f "$d/t.h"
(umask 027; make_set "$d" new) || fail "calibrate after the fault"
[ "$(stat -c %a "$d/t.json")" = 600 ] || fail "t.json lost its mode 0600"
[ "$(stat -c %a "$d/t.h")" = 640 ] || fail "new t.h: $(stat -c %a "$d/t.h"), not 640 (umask 027)"
[ "$(stat -c %a "$d/t.plist")" = "$(stat -c %a "$tmp/old/t.plist")" ] ||
	fail "t.plist changed mode"
echo "ok: replaced files keep their mode (0600), new ones follow the umask (0640)"
