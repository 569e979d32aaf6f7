#!/bin/sh
# device_stock_tools.sh - the stock libimobiledevice tools accept the fake
#
# idevice_id, ideviceinfo, idevicecrashreport and idevicesyslog from
# libimobiledevice-utils are the real client library's own front-ends; if
# they work against tests/tools/fakedevice, the fake speaks the protocol
# the library speaks, not merely our reading of it.
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

fake_start untrusted.conf
check "ideviceinfo sees the Trust dialog pending (-19)" \
	sh -c 'ideviceinfo -k ProductType 2>&1 | grep -q "(-19)"'
[ $fails -eq 0 ]
