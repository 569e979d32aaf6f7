#!/bin/sh
# device_devices.sh - jetsam devices against the fake: every device listed
# with its state and model (golden CSV), none plugged in is exit 1 with a
# header only
set -u
. "${ROOT:-.}/tests/fakedevice/lib.sh"

fake_start two-devices.conf
jetsam devices -f csv >"$WORK/out" 2>"$WORK/err"
rc=$?
check "a trusted and a pending device are both listed (exit 0)" \
	sh -c '[ '$rc' -eq 0 ] && cmp -s "'$WORK/out'" "'$SCEN/devices-two.csv'"'
check "the pending one is named on stderr" \
	grep -q "0000feed0000000000000000000000000000b002: pairing-pending" "$WORK/err"
jetsam devices -f json >"$WORK/out" 2>/dev/null
check "json output has the states" \
	sh -c 'jq -e "map(.state) == [\"ok\", \"pairing-pending\"]" "'$WORK/out'" >/dev/null'

fake_start locked.conf
jetsam devices -f csv >"$WORK/out" 2>/dev/null
check "a locked device is listed as locked" \
	grep -q ",Lab iPhone,locked,Password protected" "$WORK/out"

fake_start no-reports.conf
touch "$FAKE_STATE/$UDID/unplugged"
jetsam devices -f csv >"$WORK/out" 2>"$WORK/err"
rc=$?
check "no device: exit 1, header only, a clear message" \
	sh -c '[ '$rc' -eq 1 ] && cmp -s "'$WORK/out'" "'$SCEN/devices-none.csv'" &&
	    grep -q "no device connected" "'$WORK/err'"'
[ $fails -eq 0 ]
