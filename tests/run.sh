#!/bin/sh
# run.sh - run every test: Check suites, golden CLI cases, integration tests
#
# Called by "make test" with BUILD set.  Prints each suite's own output, then
# one closing line "N passed, N failed, N skipped" counting individual checks,
# CLI cases and integration scripts.  Exit 1 if anything failed.
set -u
BUILD=${BUILD:-build}
ROOT=$(pwd)
PATH="$ROOT/$BUILD/bin:$PATH"
export BUILD ROOT PATH
export CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-120}
passed=0 failed=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Check suites: add up "N%: Checks: A, Failures: B, Errors: C".
for t in "$BUILD"/tests/check_*; do
	[ -x "$t" ] || continue
	"$t" >"$log" 2>&1
	rc=$?
	cat "$log"
	line=$(grep -E '^[0-9]+%: Checks: ' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL: $t ended without a Check summary (status $rc)"
		failed=$((failed + 1))
		continue
	fi
	n=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
	f=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
	e=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
	passed=$((passed + n - f - e))
	failed=$((failed + f + e))
	if [ "$rc" -ne 0 ] && [ $((f + e)) -eq 0 ]; then
		echo "FAIL: $t exited $rc"
		failed=$((failed + 1))
	fi
done

# Golden CLI cases: tests/cli/NAME.sh run from the root; stdout must equal
# NAME.out and the exit status NAME.status (0 if there is no such file).
cli_pass=0 cli_fail=0
for c in tests/cli/*.sh; do
	[ -f "$c" ] || continue
	name=${c%.sh}
	want_status=0
	[ -f "$name.status" ] && want_status=$(cat "$name.status")
	sh "$c" >"$log" 2>"$log.err"
	rc=$?
	if [ "$rc" -eq "$want_status" ] && cmp -s "$log" "$name.out"; then
		cli_pass=$((cli_pass + 1))
	else
		cli_fail=$((cli_fail + 1))
		echo "FAIL: $c (status $rc, want $want_status)"
		diff -u "$name.out" "$log" | head -n 40
		head -n 5 "$log.err"
	fi
	rm -f "$log.err"
done
echo "cli: $cli_pass passed, $cli_fail failed"
passed=$((passed + cli_pass))
failed=$((failed + cli_fail))

# Integration tests: tests/it/NAME.sh; exit 0 pass, 77 skip, else fail.
for t in tests/it/*.sh; do
	[ -f "$t" ] || continue
	sh "$t" >"$log" 2>&1
	rc=$?
	case $rc in
	0) passed=$((passed + 1)); echo "PASS: $t" ;;
	77) skipped=$((skipped + 1)); echo "SKIP: $t: $(tail -n 1 "$log")" ;;
	*) failed=$((failed + 1)); echo "FAIL: $t (status $rc)"; tail -n 30 "$log" ;;
	esac
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
