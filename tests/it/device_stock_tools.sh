#!/bin/sh
# device_stock_tools.sh - the stock libimobiledevice tools accept the fake
#
# idevice_id, ideviceinfo, idevicecrashreport and idevicesyslog from
# libimobiledevice-utils are the real client library's own front-ends; if
# they work against tests/tools/fakedevice, the fake speaks the protocol
# the library speaks, not merely our reading of it.  The app services too:
# ideviceimagemounter -l (mobile_image_mounter), ideviceinstaller -l and
# -i (installation_proxy, the upload over com.apple.afc; package
# ideviceinstaller, skipped when not installed) and idevicedebug run
# (debugserver: the 1.3.0 client's own packets and framing, its -e
# variables reaching the probe).
set -u
. "${ROOT:-.}/tests/fakedevice/lib.sh"
for t in idevice_id ideviceinfo idevicecrashreport idevicesyslog; do
	command -v $t >/dev/null 2>&1 ||
		{ echo "skip: $t not installed (libimobiledevice-utils)"; exit 77; }
done
fake_start trusted.conf

check "idevice_id -l lists the fake udid" \
	sh -c '[ "$(idevice_id -l)" = "'$UDID'" ]'
check "ideviceinfo -k ProductType reads lockdownd" \
	sh -c '[ "$(ideviceinfo -u '$UDID' -k ProductType)" = "iPhone12,1" ]'
check "ideviceinfo without a key dumps the identity" \
	sh -c 'ideviceinfo | grep -qx "BuildVersion: 18B92"'

mkdir "$WORK/crash"
check "idevicecrashreport -k copies every report" \
	sh -c 'idevicecrashreport -k "'$WORK/crash'" >/dev/null &&
	    [ "$(ls "'$WORK/crash'" | wc -l)" -eq 3 ] &&
	    cmp -s "'$WORK'/crash/JetsamEvent-2020-10-15-172958.ips" \
		"'$SCEN'/reports/real-iPhone12-1-iOS14.2.ips"'
check "-k keeps them on the device" \
	sh -c '[ "$(ls "'$FAKE_STATE/$UDID/reports'" | wc -l)" -eq 3 ]'

: >"$WORK/syslog.txt"
idevicesyslog -u $UDID >"$WORK/syslog.txt" 2>&1 &
sp=$!
i=0
while ! grep -q 'killing_specific_process pid 4242' "$WORK/syslog.txt" &&
    [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -INT $sp 2>/dev/null
wait $sp 2>/dev/null
check "idevicesyslog shows the probe's records and the kernel's kill" \
	sh -c 'grep -q "JETSAMKIT: {\"type\":\"header\"" "'$WORK/syslog.txt'" &&
	    grep -q "exceeded mem limit: ActiveHard 1360 MB (fatal)" \
		"'$WORK/syslog.txt'"'

# ---- the app services ------------------------------------------------------
A=0000feed0000000000000000000000000000a001
cat >"$WORK/apps.conf" <<EOF
[device]
udid = $A
product_version = 13.7
build_version = 17H35
app = com.example.jetsamprobe
app_installed = 0
probe_limit_mb = 128
probe_report = $SCEN/reports/probe-template.ips
EOF
fake_start "$WORK/apps.conf"
check "ideviceimagemounter -l sees the mounted developer image" \
	sh -c 'ideviceimagemounter -u '$A' -l 2>&1 | grep -q "ImageSignature"'
if command -v ideviceinstaller >/dev/null 2>&1; then
	python3 - "$WORK/JetsamProbe.ipa" <<'PY'
import sys, zipfile
info = """<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
<key>CFBundleIdentifier</key><string>com.example.jetsamprobe</string>
<key>CFBundleExecutable</key><string>JetsamProbe</string>
</dict></plist>
"""
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("Payload/JetsamProbe.app/Info.plist", info)
    z.writestr("Payload/JetsamProbe.app/JetsamProbe", "binary\n")
PY
	check "ideviceinstaller -l: the app is not there yet" \
		sh -c '! ideviceinstaller -u '$A' -l 2>&1 |
		    grep -q com.example.jetsamprobe'
	# (it uploads the package under the bundle id it read from it)
	check "ideviceinstaller -i uploads the .ipa and installs it" \
		sh -c 'ideviceinstaller -u '$A' -i "'$WORK'/JetsamProbe.ipa" \
		        2>&1 | grep -q "Complete" &&
		    cmp -s "'$WORK'/JetsamProbe.ipa" \
		        "'$FAKE_STATE/$A'/media/PublicStaging/com.example.jetsamprobe"'
	check "ideviceinstaller -l lists it" \
		sh -c 'ideviceinstaller -u '$A' -l 2>&1 |
		    grep -q "com.example.jetsamprobe"'
else
	echo "skip: ideviceinstaller not installed (package ideviceinstaller)"
	echo preinstalled >"$FAKE_STATE/$A/installed"
fi
: >"$WORK/syslog2.txt"
idevicesyslog -u $A >"$WORK/syslog2.txt" 2>&1 &
sp=$!
sleep 0.5
idevicedebug -u $A -e JETSAM_PROBE_RATE=64M -e JETSAM_PROBE_STEP=4M \
	-e JETSAM_PROBE_RUN_ID=stock-1 run com.example.jetsamprobe \
	>"$WORK/debug.txt" 2>&1 &
dp=$!
i=0
while ! grep -q 'killing_specific_process pid' "$WORK/syslog2.txt" &&
    [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -INT $dp $sp 2>/dev/null
wait $dp 2>/dev/null
wait $sp 2>/dev/null
check "idevicedebug run launches the app with its -e variables" \
	sh -c 'grep "JETSAMKIT: {\"type\":\"header\"" "'$WORK/syslog2.txt'" |
	    grep "\"rate_bytes_per_s\":67108864,\"step_bytes\":4194304," |
	    grep -q "\"run_id\":\"stock-1\"" &&
	    grep -q "exceeded mem limit: ActiveHard 128 MB (fatal)" \
	        "'$WORK/syslog2.txt'"'
check "in its working directory, with the app's path as argv[0]" \
	sh -c 'grep -q "^dir /private/var/mobile/Containers/Data/Application/" \
	        "'$FAKE_STATE/$A'/launch-1.txt" &&
	    grep -q "^arg /private/var/.*/JetsamProbe.app/JetsamProbe$" \
	        "'$FAKE_STATE/$A'/launch-1.txt"'

fake_start untrusted.conf
check "ideviceinfo sees the Trust dialog pending (-19)" \
	sh -c 'ideviceinfo -k ProductType 2>&1 | grep -q "(-19)"'
[ $fails -eq 0 ]
