#!/bin/sh
# help_and_usage.sh - every command answers --help on stdout with exit 0,
# and a bad option with exactly one line on stderr, nothing on stdout, and
# exit 2.  The command list is read from "jetsam --help", so a new command
# is covered without editing this file.
#
# Then each --help is checked against the option table the command really
# parses with: tests/preload/optdump.so, preloaded, prints the table given
# to the first getopt_long call and ends the program.  Every option in the
# table must be in the help and every option the help lists must be in the
# table (commands that print one shared help, like calibrate and its
# subcommands, are held to the union of their tables).  Options a help
# quotes of another command ("jetsam calibrate -o") must exist there too.
set -u
fail=0
BUILD=${BUILD:-build}
ROOT=${ROOT:-$(pwd)}
so=$ROOT/$BUILD/tests/preload/optdump.so
out=$(mktemp) errf=$(mktemp) dir=$(mktemp -d)
trap 'rm -rf "$out" "$errf" "$dir"' EXIT

cmds=$(jetsam --help | awk '/^Commands:/{on=1; next} on && /^  [a-z]/{print $1} /^$/{if (on) exit}')
[ -n "$cmds" ] || { echo "no commands listed by jetsam --help"; exit 1; }
for c in "" $cmds; do
	jetsam $c --help >"$out" 2>"$errf"
	rc=$?
	if [ $rc -ne 0 ] || ! grep -q '^usage: ' "$out" || [ -s "$errf" ]; then
		echo "FAIL: 'jetsam $c --help' (status $rc)"; cat "$errf"; fail=1
	fi
	jetsam $c --no-such-option >"$out" 2>"$errf"
	rc=$?
	lines=$(wc -l <"$errf")
	if [ $rc -ne 2 ] || [ -s "$out" ] || [ "$lines" -ne 1 ]; then
		echo "FAIL: 'jetsam $c --no-such-option' status $rc, $lines stderr lines"
		cat "$errf"; fail=1
	fi
done
for p in jetsam-probe; do
	command -v $p >/dev/null 2>&1 || continue
	$p --help >"$out" 2>"$errf" && grep -q '^usage: ' "$out" ||
		{ echo "FAIL: $p --help"; fail=1; }
	$p --no-such-option >"$out" 2>"$errf"
	[ $? -eq 2 ] && [ "$(wc -l <"$errf")" -eq 1 ] ||
		{ echo "FAIL: $p --no-such-option"; fail=1; }
done

# ---- each help against its getopt table ----------------------------------

[ -f "$so" ] || { echo "FAIL: $so not built"; exit 1; }

# Every invocation with a table of its own: the commands, the calibrate
# subcommands its usage lines name, and the local runs.
subs=$(jetsam calibrate --help |
	sed -n 's/^\(usage:\| \{6\}\) jetsam calibrate \([a-z][a-z]*\).*/\2/p')
[ -n "$subs" ] || { echo "FAIL: no calibrate subcommands in its help"; fail=1; }
calls=$(for c in $cmds; do echo "jetsam $c"; done
	for s in $subs; do echo "jetsam calibrate $s"; done
	echo "jetsam run --local"
	echo "jetsam-probe")

# table CALL - the options CALL parses with, one a line, sorted.
table() {
	# The sanitizer runtime must come first unless told not to mind.
	LD_PRELOAD=$so ASAN_OPTIONS=verify_asan_link_order=0 $1 </dev/null \
		2>/dev/null | sort -u
}
# helpopts - the options a help text on stdin lists: lines that start,
# after spaces, with "-x, --long", "--long" or "-x".
helpopts() {
	sed -n -e 's/^ \{1,\}\(-[A-Za-z0-9]\), \(--[a-z][a-z0-9-]*\).*/\1\n\2/p' \
		-e 's/^ \{1,\}\(--[a-z][a-z0-9-]*\).*/\1/p' \
		-e 's/^ \{1,\}\(-[A-Za-z0-9]\) .*/\1/p' | sort -u
}

echo "$calls" | while read -r call; do
	key=$(echo "$call" | tr ' ' '_')
	table "$call" >"$dir/$key.table"
	[ -s "$dir/$key.table" ] ||
		echo "FAIL: '$call' printed no option table" >>"$dir/fails"
	$call --help >"$dir/$key.help" 2>/dev/null
	sum=$(cksum <"$dir/$key.help" | cut -d' ' -f1)
	cat "$dir/$key.table" >>"$dir/group.$sum.tables"
	[ -f "$dir/group.$sum.help" ] || cp "$dir/$key.help" "$dir/group.$sum.help"
	echo "$call" >>"$dir/group.$sum.calls"
done
for g in "$dir"/group.*.help; do
	base=${g%.help}
	sort -u "$base.tables" >"$base.union"
	helpopts <"$g" >"$base.listed"
	if ! cmp -s "$base.union" "$base.listed"; then
		echo "FAIL: the help of $(paste -sd, "$base.calls") and its getopt table differ"
		echo "  (< only in the table, > only in the help):"
		diff "$base.union" "$base.listed" | grep '^[<>]' | sed 's/^/  /'
		fail=1
	fi
done
[ -f "$dir/fails" ] && { cat "$dir/fails"; fail=1; }

# Options a help quotes: "jetsam calibrate -o", "jetsam run --local --help".
cat "$dir"/*.help |
	grep -o 'jetsam [a-z][a-z]*\( [a-z][a-z]*\)\{0,1\}\( -[-a-zA-Z][-a-z]*\)\{1,\}' |
	sort -u | while read -r quoted; do
	set -- $quoted
	c=$2
	shift 2
	[ $# -gt 0 ] && case $1 in -*) ;; *) shift ;; esac
	cat "$dir"/jetsam_"$c".table "$dir"/jetsam_"$c"_*.table 2>/dev/null |
		sort -u >"$dir/quoted.table"
	for o in "$@"; do
		grep -qx -- "$o" "$dir/quoted.table" ||
			echo "FAIL: a help quotes '$quoted', but jetsam $c has no $o" >>"$dir/qfails"
	done
done
[ -f "$dir/qfails" ] && { cat "$dir/qfails"; fail=1; }
exit $fail
