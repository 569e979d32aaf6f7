#!/bin/sh
# device_pull.sh - jetsam pull against the fake device: copies verified,
# removal only after a verified copy, never a clobbered file, the device
# recorded beside the reports, --keep, --all-reports, --since, many
# reports, an empty jail, a report that vanishes
set -u
. "${ROOT:-.}/tests/fakedevice/lib.sh"
R=$SCEN/reports

fake_start trusted.conf
jetsam pull --keep -f csv -o "$WORK/a" >"$WORK/out" 2>"$WORK/err"
check "pull --keep succeeds" test $? -eq 0
check "both JetsamEvent reports are copied byte for byte" \
	sh -c 'cmp -s "'$WORK/a'/JetsamEvent-2020-10-15-172958.ips" "'$R'/real-iPhone12-1-iOS14.2.ips" &&
	    cmp -s "'$WORK/a'/JetsamEvent-2018-05-01-101112.ips" "'$R'/real-iPhone7-2-iOS11.3.1.ips"'
check "the report of another kind is left out" \
	test ! -e "$WORK/a/Analytics-2020-02-22-180009.ips"
check "--keep leaves all three on the device" \
	sh -c '[ "$(ls "'$FAKE_STATE/$UDID'/reports" | wc -l)" -eq 3 ]'
check "device.json records the identity" \
	sh -c 'jq -e ".udid == \"'$UDID'\" and .product_type == \"iPhone12,1\" and .build_version == \"18B92\"" "'$WORK/a/device.json'" >/dev/null'
check "the summary parses each report: victim, reason, bytes" \
	grep -qF ',copied,43020,false,"iPhone7,2",iPhone OS 11.3.1 (15E302),1,vmd,417,vnode-limit,1851392' "$WORK/out"

# A different file under a report's name is never replaced.
mkdir "$WORK/b"
echo "not the device's report" >"$WORK/b/JetsamEvent-2018-05-01-101112.ips"
jetsam pull -o "$WORK/b" >"$WORK/out" 2>"$WORK/err"
check "a name clash fails the pull" test $? -eq 1
check "the clash is named on stderr" \
	grep -q "a different file of this name exists" "$WORK/err"
check "the existing file is untouched" \
	grep -qx "not the device's report" "$WORK/b/JetsamEvent-2018-05-01-101112.ips"
check "the clashing report stays on the device, the other is moved" \
	sh -c '[ "$(ls "'$FAKE_STATE/$UDID'/reports" | tr "\n" " ")" = \
	    "Analytics-2020-02-22-180009.ips JetsamEvent-2018-05-01-101112.ips " ]'

# Pulling again into a directory with the same copy: "same", and removed.
fake_start trusted.conf
jetsam pull --keep -o "$WORK/c" >/dev/null 2>&1
jetsam pull -f csv -o "$WORK/c" >"$WORK/out" 2>"$WORK/err"
check "an identical copy already there counts as pulled" test $? -eq 0
check "it is reported as same and removed from the device" \
	sh -c 'grep -c ",same,.*,true," "'$WORK/out'" | grep -qx 2'

fake_start trusted.conf
jetsam pull --all-reports -f csv -o "$WORK/d" >"$WORK/out" 2>"$WORK/err"
check "--all-reports takes every report" \
	sh -c '[ "$(ls "'$WORK/d'" | wc -l)" -eq 4 ] && [ -z "$(ls "'$FAKE_STATE/$UDID'/reports")" ]'
check "a report of another kind is listed without a kill" \
	grep -q 'Analytics-2020-02-22-180009.ips,copied,71619,true,,,,,,,' "$WORK/out"

fake_start trusted.conf
touch -d '2020-01-01 00:00:00 UTC' "$FAKE_STATE/$UDID/reports/JetsamEvent-2018-05-01-101112.ips"
touch -d '2021-06-01 00:00:00 UTC' "$FAKE_STATE/$UDID/reports/JetsamEvent-2020-10-15-172958.ips"
jetsam pull --since 2021-01-01 -o "$WORK/e" >/dev/null 2>&1
check "--since skips older reports" \
	sh -c '[ "$(ls "'$WORK/e'" | tr "\n" " ")" = "JetsamEvent-2020-10-15-172958.ips device.json " ]'
jetsam pull --since yesterday -o "$WORK/e" >/dev/null 2>"$WORK/err"
check "a bad --since is a usage error" test $? -eq 2

# The same directory cannot take another device's reports.
fake_start two-probes.conf
jetsam pull -u 0000feed0000000000000000000000000000a002 -o "$WORK/a" >/dev/null 2>"$WORK/err"
check "one directory, one device" \
	sh -c '[ $? -eq 0 ] || grep -q "holds reports of another device" "'$WORK/err'"'

fake_start many-reports.conf
jetsam pull -f jsonl -o "$WORK/f" >"$WORK/out" 2>"$WORK/err"
check "40 reports are pulled and removed" \
	sh -c '[ $(ls "'$WORK/f'" | grep -c ^JetsamEvent) -eq 40 ] &&
	    [ -z "$(ls "'$FAKE_STATE/$UDID'/reports")" ] &&
	    [ $(jq -s "map(select(.status == \"copied\" and .victim == \"vmd\")) | length" "'$WORK/out'") -eq 40 ]'

fake_start no-reports.conf
jetsam pull -f csv -o "$WORK/g" >"$WORK/out" 2>"$WORK/err"
check "an empty jail is not an error" test $? -eq 0
check "and lists nothing" sh -c '[ "$(wc -l <"'$WORK/out'")" -eq 1 ]'

fake_start vanish.conf
jetsam pull -f csv -o "$WORK/h" >"$WORK/out" 2>"$WORK/err"
check "a report that vanishes is not a failure" test $? -eq 0
check "it is named on stderr" \
	grep -q "JetsamEvent-2018-05-01-090000.ips: vanished from the device" "$WORK/err"
check "the other report is copied" \
	test -s "$WORK/h/JetsamEvent-2018-05-01-101112.ips"
fake_start trusted.conf
jetsam pull -o "$WORK/no/such/dir" >/dev/null 2>"$WORK/err"
rc=$?
check "an output directory that cannot be made fails, device untouched" \
	sh -c '[ '$rc' -eq 1 ] && grep -q "cannot create directory" "'$WORK/err'" &&
	    [ "$(ls "'$FAKE_STATE/$UDID'/reports" | wc -l)" -eq 3 ]'
[ $fails -eq 0 ]
