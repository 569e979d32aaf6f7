#!/bin/sh
# help_and_usage.sh - every command answers --help on stdout with exit 0,
# and a bad option with exactly one line on stderr, nothing on stdout, and
# exit 2.  The command list is read from "jetsam --help", so a new command
# is covered without editing this file.
set -u
fail=0
out=$(mktemp) errf=$(mktemp)
trap 'rm -f "$out" "$errf"' EXIT

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
exit $fail
