#!/bin/sh
# parse_bad_input.sh - jetsam parse on a mix of good and bad inputs: each
# bad one gets exactly one stderr line naming it, the good ones are still
# listed, the exit status is 1, and the output does not depend on the
# order of the arguments.
set -u
d=$(mktemp -d)
trap 'chmod -R u+rwx "$d" 2>/dev/null; rm -rf "$d"' EXIT
fail=0
good=tests/corpus/dev/iPhone7-2_iOS11.3.1_546BD956.ips

# A 2 GB file, sparse so it costs nothing: refused by size, never read.
truncate -s 2G "$d/huge.ips"
printf '' >"$d/empty.ips"
cp tests/fixtures/reports/bad_binary.ips "$d/garbage.ips"
printf '{"bug_type":"298"}\n{"product":"iPhone12,1","name":"\377\376"}\n' >"$d/badutf8.ips"
cp tests/fixtures/reports/bad_deeply-nested.ips "$d/deep.ips"
cp tests/corpus/dev/iPhone7-2_iOS10.1.1_CED7B1F4.ips "$d/unreadable.ips"
chmod 000 "$d/unreadable.ips"
mkdir "$d/norep"

set -- "$d/huge.ips" "$d/empty.ips" "$d/garbage.ips" "$d/badutf8.ips" \
	"$d/deep.ips" "$d/unreadable.ips" "$d/norep" "$good"
start=$(date +%s)
jetsam parse -f csv --killed-only "$@" >"$d/out" 2>"$d/err"
rc=$?
took=$(( $(date +%s) - start ))
[ "$rc" -eq 1 ] || { echo "exit $rc, want 1"; fail=1; }
[ "$took" -le 5 ] || { echo "took ${took}s: was the 2 GB file read?"; fail=1; }
grep -q ',vmd,' "$d/out" || { echo "the good report was not listed"; fail=1; }
for f in huge empty garbage badutf8 deep norep; do
	n=$(grep -c "$d/$f" "$d/err")
	[ "$n" -eq 1 ] || { echo "$f: $n stderr lines, want 1"; fail=1; }
done
grep -q "huge.ips: file is 2147483648 bytes, over" "$d/err" ||
	{ echo "no size-limit error for the 2 GB file"; fail=1; }
if [ "$(id -u)" -ne 0 ]; then
	grep -q "unreadable.ips: cannot open" "$d/err" ||
		{ echo "no error for the unreadable file"; fail=1; }
fi
[ "$(wc -l <"$d/err")" -le 8 ] || { echo "too many stderr lines"; fail=1; }

# Reverse argument order: byte-identical output.
jetsam parse -f csv --killed-only "$good" "$d/deep.ips" "$d/empty.ips" \
	"$d/huge.ips" >"$d/out2" 2>/dev/null
jetsam parse -f csv --killed-only "$d/huge.ips" "$d/empty.ips" \
	"$d/deep.ips" "$good" >"$d/out3" 2>/dev/null
cmp -s "$d/out2" "$d/out3" || { echo "output depends on argument order"; fail=1; }

# Deeply nested input from stdin: no crash, one error line.
awk 'BEGIN { printf "{\"bug_type\":\"298\"}\n{\"product\":\"x\",\"a\":"; for (i = 0; i < 200000; i++) printf "["; }' |
	jetsam parse - >/dev/null 2>"$d/err2"
rc=$?
[ "$rc" -eq 1 ] && [ "$(wc -l <"$d/err2")" -eq 1 ] &&
	grep -q "nested deeper" "$d/err2" ||
	{ echo "deep nesting on stdin: exit $rc"; cat "$d/err2"; fail=1; }
# A process name that would retitle the terminal (OSC ... BEL), break the
# row (CR LF) and reorder the line (C1 CSI, U+202E): the table shows it
# escaped, the CSV keeps every byte.
sed 's/"MemoryTest"/"Mem\\u001b]0;pwned\\u0007\\r\\nTest\\u009b\\u202e"/' \
	tests/fixtures/reports/iPhone10-1_iOS11.4.1_crlf.ips >"$d/hostile.ips"
jetsam parse --reason frontmost-limit "$d/hostile.ips" >"$d/table" 2>/dev/null
[ "$(wc -l <"$d/table")" -eq 2 ] || { echo "hostile name broke the table"; fail=1; }
LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$d/table" &&
	{ echo "control characters reached the table"; fail=1; }
LC_ALL=C grep -q "$(printf '\302\233')\|$(printf '\342\200\256')" "$d/table" &&
	{ echo "C1 or bidi control reached the table"; fail=1; }
grep -qF 'Mem\x1b]0;pwned\x07\r\nTest\u009b\u202e' "$d/table" ||
	{ echo "the name is not shown escaped"; cat "$d/table"; fail=1; }
jetsam parse -f csv --reason frontmost-limit "$d/hostile.ips" >"$d/csv" 2>/dev/null
LC_ALL=C grep -q "$(printf 'Mem\033]0;pwned\007\r')" "$d/csv" ||
	{ echo "the CSV does not keep the exact name"; fail=1; }
cat "$d/err"
exit $fail
