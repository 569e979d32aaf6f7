#!/bin/sh
# device_errors.sh - every device failure has its own message and exit 1,
# and leaves nothing half-written behind
#
# usbmuxd not running, no device, unknown udid, several devices, trust
# pending (-19), trust denied (-18), passcode locked while pairing (-17),
# passcode locked services (-17), a missing service, the cable pulled
# during a pull and during a capture, a stream that dies mid-record.
set -u
. "${ROOT:-.}/tests/fakedevice/lib.sh"

# expect_fail NAME PATTERN CMD... - exit 1, PATTERN on stderr, no stdout
# rows beyond a header
expect_fail() {
	name=$1 pattern=$2
	shift 2
	"$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	if [ $rc -ne 1 ] || ! grep -q -- "$pattern" "$WORK/err"; then
		echo "FAIL: $name: status $rc, stderr:"
		cat "$WORK/err"
		fails=$((fails + 1))
		return 1
	fi
	echo "ok: $name: $(head -n 1 "$WORK/err")"
}

# usbmuxd not running: nothing listens on the socket
USBMUXD_SOCKET_ADDRESS=UNIX:$WORK/nobody-listens
export USBMUXD_SOCKET_ADDRESS
expect_fail "devices without usbmuxd" "cannot reach usbmuxd: is it running" \
	jetsam devices
expect_fail "pull without usbmuxd" "cannot reach usbmuxd" \
	jetsam pull -o "$WORK/p0"
check "a failed pull creates no directory" test ! -e "$WORK/p0"
expect_fail "capture without usbmuxd" "cannot reach usbmuxd" \
	jetsam capture -o "$WORK/c0.jsonl"
check "a failed capture creates no file" test ! -e "$WORK/c0.jsonl"

fake_start two-devices.conf
expect_fail "unknown udid" "no connected device has this udid" \
	jetsam pull -u 0000feed000000000000000000000000000ffff -o "$WORK/p1"
expect_fail "two devices and no -u" "2 devices connected: choose one" \
	jetsam capture -o "$WORK/c1.jsonl"
check "nothing written for an ambiguous device" test ! -e "$WORK/c1.jsonl"

fake_start untrusted.conf
expect_fail "trust pending" "trust pending: unlock the device and tap Trust" \
	jetsam pull -o "$WORK/p2"
check "no directory for an untrusted device" test ! -e "$WORK/p2"
expect_fail "trust pending in a run" "trust pending" \
	jetsam run -u $UDID -o "$WORK/r2"

fake_start denied.conf
expect_fail "trust denied" "this computer is not trusted" \
	jetsam capture -o "$WORK/c3.jsonl"

fake_start locked.conf
expect_fail "passcode locked while pairing" "passcode locked: unlock the device" \
	jetsam pull -o "$WORK/p4"
check "no directory for a locked device" test ! -e "$WORK/p4"

fake_start services-locked.conf
expect_fail "passcode locked services: pull" \
	"passcode locked: unlock the device to start 'com.apple.crashreportmover'" \
	jetsam pull -o "$WORK/p5"
check "no directory for a device with locked services" test ! -e "$WORK/p5"
expect_fail "passcode locked services: capture" \
	"passcode locked: unlock the device to start 'com.apple.syslog_relay'" \
	jetsam capture -o "$WORK/c5.jsonl"
check "no capture file for a locked device" test ! -e "$WORK/c5.jsonl"

fake_start missing-service.conf
expect_fail "missing crashreportmover" \
	"service 'com.apple.crashreportmover' is not available" \
	jetsam pull -o "$WORK/p6"
expect_fail "missing syslog_relay" \
	"service 'com.apple.syslog_relay' is not available" \
	jetsam capture -o "$WORK/c6.jsonl"
check "no capture file without the service" test ! -e "$WORK/c6.jsonl"

fake_start unplug-pull.conf
expect_fail "unplugged mid-transfer" \
	"device was unplugged during transfer of 'JetsamEvent-2020-10-15-172958.ips'" \
	jetsam pull -o "$WORK/p7"
check "the report copied before the cable came out is whole" \
	cmp -s "$WORK/p7/JetsamEvent-2018-05-01-101112.ips" \
	"$SCEN/reports/real-iPhone7-2-iOS11.3.1.ips"
check "no half report and no temporary file are left" \
	sh -c '[ "$(ls -a "'$WORK/p7'" | grep -v "^\.*$" | sort | tr "\n" " ")" = \
	    "JetsamEvent-2018-05-01-101112.ips device.json " ]'
check "the report being copied stays on the device" \
	sh -c 'device_reports() { ls "'$FAKE_STATE/$UDID'/reports"; };
	    [ "$(device_reports)" = "JetsamEvent-2020-10-15-172958.ips" ]'
expect_fail "a device gone after unplugging" "no device connected" \
	jetsam pull -o "$WORK/p7"

fake_start unplug-capture.conf
expect_fail "unplugged mid-capture" "device was unplugged during capture" \
	jetsam capture --timeout 10 -o "$WORK/c8.jsonl"
check "what was captured before the unplug is kept, whole" \
	sh -c '[ "$(wc -l <"'$WORK/c8.jsonl'")" -eq 7 ] &&
	    jq -e -s "length == 7 and .[0].type == \"header\"" \
		"'$WORK/c8.jsonl'" >/dev/null'

fake_start midline.conf
expect_fail "stream closed mid-record" "syslog stream closed by the device" \
	jetsam capture --timeout 10 -o "$WORK/c9.jsonl"
check "the torn record is dropped, the whole ones kept" \
	sh -c '[ "$(wc -l <"'$WORK/c9.jsonl'")" -eq 6 ] &&
	    jq -e -s "length == 6" "'$WORK/c9.jsonl'" >/dev/null'
[ $fails -eq 0 ]
