#!/bin/sh
# device_launch_routes.sh - what "jetsam run --launch" does when it cannot
# simply launch: an app that is not installed (and --install, over AFC and
# installation_proxy), a phone without a developer disk image, a phone on
# iOS 17 (debugserver is CoreDevice's), a phone that refuses the package,
# and a launch that takes longer than a second to be answered.  Where no
# launch from the host is possible, the person at the bench is prompted,
# told why once per phone (the fake plays that person: autolaunch_ms).
set -u
. "${ROOT:-.}/tests/fakedevice/lib.sh"
A=0000feed0000000000000000000000000000a001
B=0000feed0000000000000000000000000000a002
jqt() { jq -e "$@" >/dev/null; }
launch() {
	jetsam run --launch com.example.jetsamprobe --rate 64M --step 4M \
		--timeout 10 --report-wait 3 "$@"
}
# an .ipa as Xcode makes one: a zip with Payload/NAME.app
python3 - "$WORK/JetsamProbe.ipa" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("Payload/JetsamProbe.app/Info.plist", "<plist/>\n")
    z.writestr("Payload/JetsamProbe.app/JetsamProbe", "binary\n")
EOF

fake_start lab-bare.conf
launch --all --runs 2 -f csv -o "$WORK/a" >"$WORK/out" 2>"$WORK/err"
rc=$?
check "a phone without the app fails alone: exit 1" test $rc -eq 1
check "it says the app is not installed and how to fix it, per attempt" \
	sh -c '[ "$(grep -c "'$A': .*the probe app .com.example.jetsamprobe. is not installed on this phone: install it, or give --install PATH" "'$WORK/err'")" -eq 3 ]'
check "the iOS 17 phone is launched by hand, and says why once" \
	sh -c '[ "$(grep -c "'$B': launch by hand: iOS 17 or later serves debugserver only through CoreDevice, which libimobiledevice 1.3.0 does not speak; on a Mac with Xcode jetsam launches it with xcrun devicectl" "'$WORK/err'")" -eq 1 ]'
check "with a prompt per run" \
	sh -c '[ "$(grep -c "'$B': iPhone14,7-17.0-[12]: ready: launch the probe app now" "'$WORK/err'")" -eq 2 ]'
check "and its runs, launched by hand, are recorded" \
	sh -c '[ "$(ls "'$WORK'"/a/iPhone14,7-17.0-*/run.json | wc -l)" -eq 2 ]'
check "a probe opened by hand has no run id: no mismatch" \
	jqt -s '.[0].run_id == null' "$WORK/a/iPhone14,7-17.0-1/probe.jsonl"
check "nothing was sent to a debugserver" \
	sh -c '! ls "'$FAKE_STATE'"/*/launch-*.txt 2>/dev/null'

printf 'not a zip\n' >"$WORK/bad.ipa"
launch -u $A --install "$WORK/bad.ipa" --retries 0 -o "$WORK/bad" \
	>"$WORK/out" 2>"$WORK/err"
rc=$?
check "a file that is no package is refused by the phone, in its words" \
	sh -c '[ '$rc' -eq 1 ] &&
	    grep -q "installing .PublicStaging/bad.ipa. failed: PackageInspectionFailed: the package is not one" "'$WORK/err'" &&
	    [ ! -e "'$FAKE_STATE/$A'/installed" ]'

launch -u $A --runs 2 --install "$WORK/JetsamProbe.ipa" -f csv \
	-o "$WORK/b" >"$WORK/out" 2>"$WORK/err"
rc=$?
check "--install puts the .ipa on the phone, then the runs go on: exit 0" \
	test $rc -eq 0
check "the package reached the phone byte for byte, into PublicStaging" \
	sh -c 'cmp -s "'$WORK'/JetsamProbe.ipa" \
	        "'$FAKE_STATE/$A'/media/PublicStaging/JetsamProbe.ipa" &&
	    [ "$(cat "'$FAKE_STATE/$A'/installed")" = "PublicStaging/JetsamProbe.ipa $(wc -c <"'$WORK'/JetsamProbe.ipa")" ]'
check "it says so once" \
	sh -c '[ "$(grep -c "'$A': installed .*JetsamProbe.ipa" "'$WORK/err'")" -eq 1 ]'
check "no developer disk image: launched by hand, and it says why once" \
	sh -c '[ "$(grep -c "'$A': launch by hand: the developer disk image is not mounted, so debugserver is not served: mount it" "'$WORK/err'")" -eq 1 ] &&
	    [ "$(grep -c "ready: launch the probe app now" "'$WORK/err'")" -eq 2 ]'

# A phone that refuses the package, and one slow to answer the launch.
cat >"$WORK/refuse.conf" <<EOF
[device]
udid = $A
app = com.example.jetsamprobe
app_installed = 0
install_fail = there is not enough space on the phone
probe_report = $SCEN/reports/probe-template.ips
[device]
udid = $B
product_type = iPhone14,7
product_version = 16.1
app = com.example.jetsamprobe
probe_limit_mb = 192
misbehave = 1 slow-launch
probe_report = $SCEN/reports/probe-template.ips
EOF
fake_start "$WORK/refuse.conf"
launch -u $A --install "$WORK/JetsamProbe.ipa" -o "$WORK/c" \
	>"$WORK/out" 2>"$WORK/err"
rc=$?
check "an install the phone refuses: exit 1, in the phone's words" \
	sh -c '[ '$rc' -eq 1 ] &&
	    grep -q "installing .PublicStaging/JetsamProbe.ipa. failed: APIInternalError: there is not enough space on the phone" "'$WORK/err'" &&
	    [ ! -e "'$FAKE_STATE/$A'/installed" ]'
launch -u $B -o "$WORK/e" >"$WORK/out" 2>"$WORK/err"
rc=$?
check "a launch answered after 1.5 s is waited for" \
	sh -c '[ '$rc' -eq 0 ] && [ "$(ls "'$WORK'"/e/*/run.json | wc -l)" -eq 1 ] &&
	    ! grep -q failed "'$WORK/err'"'
[ $fails -eq 0 ]
