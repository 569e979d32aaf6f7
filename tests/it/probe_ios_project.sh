#!/bin/sh
# probe_ios_project.sh - the iOS project checker finds what it claims to:
# the checked-in project passes; copies broken in one way each fail with
# the problem named.  (Nothing here builds for iOS: that needs a Mac.)
set -u
ROOT=${ROOT:-$(pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

check() { python3 "$ROOT/tests/shim/check_ios.py" "$tmp/ios" >"$tmp/out" 2>&1; }
fresh() { rm -rf "$tmp/ios" && cp -R "$ROOT/probe/ios" "$tmp/ios" && cp "$ROOT/probe/probe.c" "$ROOT/probe/probe.h" "$ROOT/probe/size.c" "$ROOT/probe/size.h" "$ROOT/probe/footprint_darwin.c" "$tmp/"; }
expect() { # expect WHAT GREP
	if check; then
		echo "FAIL: $1: the checker passed"; fail=1
	elif ! grep -q -- "$2" "$tmp/out"; then
		echo "FAIL: $1: no line with '$2':"; cat "$tmp/out"; fail=1
	fi
}
pbx=ios/JetsamProbe.xcodeproj/project.pbxproj

fresh
check || { echo "FAIL: the checked-in project:"; cat "$tmp/out"; fail=1; }
python3 "$ROOT/probe/ios/project.py" --check ||
	{ echo "FAIL: project.pbxproj is not what project.py writes"; fail=1; }

fresh; rm "$tmp/ios/NotificationService/NotificationService.m"
expect "a missing source" "NotificationService.m does not exist"
fresh; sed -i 's/JT_DEPLOYMENT_TARGET = 13.0;/JT_DEPLOYMENT_TARGET = 12.4;/' "$tmp/$pbx"
expect "iOS 12 deployment" "deployment target 12.4 is below 13.0"
fresh; sed -i 's/JT_PROBE_PROFILE = "widget-extension";/JT_PROBE_PROFILE = widget;/' "$tmp/$pbx"
expect "an undocumented profile" "profile 'widget' is not documented"
fresh; sed -i 's/<true\/>/<false\/>/' "$tmp/ios/App/IncreasedMemoryLimit.entitlements"
expect "the entitlement off" "increased-memory-limit entitlement missing"
fresh; printf '<plist><dict><key>x</key>' >"$tmp/ios/Widget/Info.plist"
expect "a broken plist" "Info.plist"
fresh; sed -i '0,/fileRef = \([0-9A-F]\{24\}\)/s//fileRef = 000000000000000000000000/' "$tmp/$pbx"
expect "a dangling reference" "refers to missing 000000000000000000000000"
fresh; sed -i 's/objectVersion = 54;/objectVersion = 54/' "$tmp/$pbx"
expect "a syntax error" "expected ';'"
fresh; echo 'int x;' >"$tmp/ios/App/extra.m"
expect "a forgotten source" "extra.m is built by no target"
exit $fail
