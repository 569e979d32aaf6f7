#!/bin/sh
# device_hostile.sh - a hostile phone against pull, run -u and devices
#
# The fake device answers identity values and crash-report names with a
# path, "..", a newline, ESC or 5,000 characters in them, and files whose
# stated size is absent, negative, wrong or huge.  For each: nothing is
# written outside -o DIR (the whole temporary root is listed before and
# after), the error names the device and the field or file, no raw
# control character reaches the terminal, and the good files and the good
# phone still get through.
set -u
. "${ROOT:-.}/tests/fakedevice/lib.sh"
GOOD=0000feed0000000000000000000000000000a002
R=$WORK/root # the temporary root the commands write into
S=$WORK/scratch
mkdir -p "$R" "$S"
ESC=$(printf '\033')
BEL=$(printf '\007')
CR=$(printf '\r')

# listing - every path under the temporary root but the output
# directories, and under $WORK but the fake's own state and our scratch
listing() {
	{
		find "$R" -path "$R/out" -prune -o -path "$R/runs" -prune \
			-o -print
		find "$WORK" -path "$R" -prune -o -path "$S" -prune \
			-o -path "$WORK/state*" -prune -o -name 'mux*' -prune \
			-o -name fake.log -prune -o -print
	} | sort
}

# no_raw_controls OUT ERR - no ESC, BEL or CR in what was printed (CSV
# rows end in CR LF: that CR is the format's)
no_raw_controls() {
	! sed "s/$CR\$//" "$1" | grep -q "[$ESC$BEL$CR]" &&
		! grep -q "[$ESC$BEL$CR]" "$2"
}

# ---- crash-report names and sizes ---------------------------------------

listing >"$S/before"
fake_start hostile-files.conf
jetsam pull -f csv -o "$R/out" >"$S/out" 2>"$S/err"
rc=$?
listing >"$S/after"
check "hostile files: the pull ends with exit 1" test $rc -eq 1
check "hostile files: nothing is written outside -o DIR" \
	cmp -s "$S/before" "$S/after"
check "hostile files: the good reports still arrive, and only they" \
	sh -c '[ "$(ls -A "'$R/out'" | tr "\n" " ")" = "JetsamEvent-..ips JetsamEvent-2018-05-01-101112.ips JetsamEvent-2020-10-15-172958.ips device.json " ] &&
	    cmp -s "'$R/out'/JetsamEvent-2020-10-15-172958.ips" "'$SCEN'/reports/real-iPhone12-1-iOS14.2.ips" &&
	    cmp -s "'$R/out'/JetsamEvent-..ips" "'$SCEN'/reports/probe-kill.ips"'
check "hostile files: each refused name has its own line naming the device" \
	sh -c '[ "$(grep -c "^jetsam pull: '$UDID': refusing the file" "'$S/err'")" -eq 5 ]'
check "hostile files: a path in a name is refused" \
	grep -q "refusing the file 'JetsamEvent-2020/../../../../escaped.ips': its name has a path in it" "$S/err"
check "hostile files: control characters are refused and shown escaped" \
	sh -c 'grep -qF "refusing the file '"'"'JetsamEvent-\\x1b]0;owned\\x07.ips'"'"'" "'$S/err'" &&
	    grep -qF "JetsamEvent-2020\\x0aJetsamEvent-forged.ips" "'$S/err'"'
check "hostile files: a 5,000-character name is refused, never cut" \
	sh -c 'grep -q "its name is 5016 bytes long (at most 255)" "'$S/err'" &&
	    ! ls "'$R/out'" | grep -q "^JetsamEvent-AAAA"'
check "hostile files: no usable size (negative, absent, garbled): not copied" \
	sh -c '[ "$(grep -c "states no usable size, so a copy cannot be verified: not copied, left on the device" "'$S/err'")" -eq 3 ]'
check "hostile files: a copy shorter or longer than stated is not verified" \
	sh -c 'grep -q "170004.ips.: the copy is 2641 bytes, the device said 999999: not verified" "'$S/err'" &&
	    grep -q "170005.ips.: the copy is longer than the 1000 bytes the device said" "'$S/err'"'
check "hostile files: a stated size over 64 MiB is refused before reading" \
	grep -q "170006.ips' is 70000000 bytes, the device says: more than the 67108864" "$S/err"
check "hostile files: the summary counts what failed" \
	grep -q "3 report(s) pulled into $R/out, 11 failed" "$S/err"
check "hostile files: one row per file, with its outcome" \
	sh -c '[ "$(grep -c ",refused," "'$S/out'")" -eq 5 ] &&
	    [ "$(grep -c ",unverified," "'$S/out'")" -eq 3 ] &&
	    [ "$(grep -c ",mismatch," "'$S/out'")" -eq 2 ] &&
	    [ "$(grep -c ",oversized," "'$S/out'")" -eq 1 ] &&
	    [ "$(grep -c ",copied,.*,true," "'$S/out'")" -eq 3 ]'
check "hostile files: only verified copies are removed from the device" \
	sh -c '[ -z "$(ls "'$FAKE_STATE/$UDID'/reports")" ] &&
	    [ "$(ls "'$FAKE_STATE/$UDID'" | grep removed-vfile | tr "\n" " ")" = "removed-vfile-11 " ]'
check "hostile files: no raw control character reaches the terminal" \
	no_raw_controls "$S/out" "$S/err"

# The same jail during a device run: the probe's report is still found.
sed -e "s|= reports/|= $SCEN/reports/|" "$SCEN/hostile-files.conf" \
	>"$S/hostile-run.conf"
cat >>"$S/hostile-run.conf" <<EOF
syslog = $SCEN/syslog/probe-killed.log
syslog_delay_ms = 2
syslog_end = hang
late_report = $SCEN/reports/probe-kill.ips JetsamEvent-2020-10-15-173004.ips
EOF
listing >"$S/before"
fake_start "$S/hostile-run.conf"
jetsam run -u $UDID -o "$R/runs" --timeout 10 --report-wait 10 -f csv \
	>"$S/out" 2>"$S/err"
rc=$?
listing >"$S/after"
# (the pulled "JetsamEvent-..ips" holds the same kill: either may match)
check "hostile files: a device run passes them over and finds its report" \
	sh -c '[ '$rc' -eq 0 ] && D="'$R'/runs/iPhone12,1-14.2-1" &&
	    cmp -s "$D/$(jq -r .report "$D/run.json")" "'$SCEN'/reports/probe-kill.ips"'
check "hostile files: and writes nothing outside -o DIR" \
	cmp -s "$S/before" "$S/after"
check "hostile files: the run removed nothing it did not verify" \
	sh -c '! ls "'$FAKE_STATE/$UDID'" | grep removed-vfile | grep -qv "^removed-vfile-11$"'
rm -rf "$R/out" "$R/runs"

# ---- identity values ------------------------------------------------------

# scenario KEY VALUE - a phone whose KEY says VALUE (escapes as in the
# scenario files), beside a good phone; both run the probe to its kill.
# Its lockdownd answers in binary plists, which carry every control
# character as it is (XML ones reach the client as blanks).
scenario() {
	cat >"$S/id.conf" <<EOF
[device]
udid = $UDID
lockdown_plist = binary
$1 = $2
syslog = $SCEN/syslog/probe-killed.log
syslog_end = hang
late_report = $SCEN/reports/probe-kill.ips JetsamEvent-2020-10-15-173004.ips
report = $SCEN/reports/real-iPhone7-2-iOS11.3.1.ips JetsamEvent-2018-05-01-101112.ips
[device]
udid = $GOOD
syslog = $SCEN/syslog/probe-killed.log
syslog_end = hang
late_report = $SCEN/reports/probe-kill.ips JetsamEvent-2020-10-15-173004.ips
EOF
}

# hostile KEY FIELD VALUE [run] - the phone is refused by devices, pull
# (and run --all, which still runs the good phone), naming FIELD
hostile() {
	n=$((n + 1))
	key=$1 field=$2 value=$3 label="identity $n ($1)"
	scenario "$key" "$value"
	listing >"$S/before"
	fake_start "$S/id.conf"
	jetsam devices -f csv >"$S/out" 2>"$S/err"
	rc=$?
	check "$label: devices lists it as refused, exit 1" \
		sh -c '[ '$rc' -eq 1 ] && grep -q ",refused," "'$S/out'" &&
		    grep -q "^'$GOOD',.*,ok," "'$S/out'"'
	check "$label: devices names the device and $field" \
		grep -q "refused: refusing this device: its $field" "$S/err"
	if [ "$key" != udid ]; then
		jetsam pull -u $UDID -o "$R/out" >>"$S/out" 2>"$S/err"
		rc=$?
		check "$label: pull refuses the device, names it and $field" \
			sh -c '[ '$rc' -eq 1 ] &&
			    grep -q "^jetsam pull: '$UDID': refusing this device: its '$field'" "'$S/err'" &&
			    [ ! -e "'$R/out'" ] &&
			    [ "$(ls "'$FAKE_STATE/$UDID'/reports" | wc -l)" -eq 1 ]'
	fi
	if [ $# -gt 3 ]; then
		jetsam run --all -o "$R/runs" --timeout 10 --report-wait 10 \
			-f csv >>"$S/out" 2>"$S/err"
		rc=$?
		check "$label: run --all refuses it and still runs the good phone" \
			sh -c '[ '$rc' -eq 1 ] &&
			    grep -q "refusing this device: its '$field'" "'$S/err'" &&
			    [ "$(ls "'$R/runs'" | tr "\n" " ")" = "iPhone12,1-14.2-1 " ] &&
			    jq -e ".udid == \"'$GOOD'\"" \
			        "'$R'/runs/iPhone12,1-14.2-1/run.json" >/dev/null'
	fi
	listing >"$S/after"
	check "$label: nothing is written outside -o DIR" \
		cmp -s "$S/before" "$S/after"
	check "$label: no raw control character reaches the terminal" \
		no_raw_controls "$S/out" "$S/err"
	rm -rf "$R/out" "$R/runs"
}

# Paths that would leave -o DIR: into the temporary root, from anywhere.
n=0
UP=/../../../../../../../../../../..
hostile product_type ProductType "$UP$R/escaped" run
hostile product_type ProductType "../escaped" run
hostile product_type ProductType ".." run
hostile product_type ProductType 'iPhone12,1\n' run
hostile product_type ProductType 'iPhone\e]0;owned\a12,1'
hostile product_type ProductType '\{5000}A' run
hostile product_version ProductVersion "../../escaped" run
hostile product_version ProductVersion '14.2\n'
hostile product_version ProductVersion '\{5000}1'
hostile build_version BuildVersion '18B92/../../escaped'
hostile build_version BuildVersion '\e[2J'
hostile hardware_model HardwareModel 'N104AP/..'
hostile device_name DeviceName 'Lab\niPhone'
hostile device_name DeviceName '\e]0;owned\a'
hostile device_name DeviceName '\{5000}n'
# The udid comes from usbmuxd's listing (libusbmuxd keeps 43 bytes of it).
hostile udid udid "0000feed/../../../../escaped0000000000a01" run
hostile udid udid '0000feed000000000000000000000000000a01\n' run
hostile udid udid '0000feed\e]0;owned\a00000000000000000000a01'
hostile udid udid '\{5000}f' run
[ $fails -eq 0 ]
