#!/bin/sh
# device_real_smoke.sh - the lab check on a real phone, skipped without one
#
# Uses the system usbmuxd (never the fake): lists the devices, pulls the
# reports with --keep (nothing is removed from the phone), and captures
# the syslog for a while (JETSAMKIT_SMOKE_SECONDS, default 30) to show the
# stream works.  Exits 77 with a visible reason when usbmuxd is not running
# or no phone is attached, which is the case in CI.
set -u
unset USBMUXD_SOCKET_ADDRESS
secs=${JETSAMKIT_SMOKE_SECONDS:-30}
if [ ! -S /var/run/usbmuxd ]; then
	echo "real-device smoke test skipped: usbmuxd is not running (no /var/run/usbmuxd)"
	exit 77
fi
if ! jetsam devices -f csv >/tmp/jetsam-smoke.$$ 2>&1 ||
    [ "$(grep -c . /tmp/jetsam-smoke.$$)" -lt 2 ]; then
	rm -f /tmp/jetsam-smoke.$$
	echo "real-device smoke test skipped: no real device attached to usbmuxd"
	exit 77
fi
cat /tmp/jetsam-smoke.$$
rm -f /tmp/jetsam-smoke.$$
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
udid=$(jetsam devices -f csv 2>/dev/null | sed -n '2s/,.*//p')
echo "device $udid; libimobiledevice $(pkg-config --modversion libimobiledevice-1.0 2>/dev/null)"
jetsam pull -u "$udid" --keep -o "$work/reports" || exit 1
jetsam capture -u "$udid" --timeout "$secs" --marker "JETSAMKIT: " \
	-o "$work/probe.jsonl" || exit 1
echo "smoke test passed on $udid"
