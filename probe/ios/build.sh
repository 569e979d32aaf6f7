#!/bin/sh
# build.sh - the probe apps (with their extensions) for a phone, as .app
# and .ipa: what `make ios-probe` runs.  Darwin with Xcode only.
#
#   TEAM=ABCDE12345 BUNDLE_PREFIX=com.yourco.lab IOS_TARGET=13.0 \
#     IOS_OUT=build/ios sh probe/ios/build.sh
#
# Exit status: 0 built, 1 xcodebuild failed, 2 not a Mac / no Xcode / no
# team.
set -eu
TEAM=${TEAM:-}
BUNDLE_PREFIX=${BUNDLE_PREFIX:-com.example.jetsamkit}
IOS_TARGET=${IOS_TARGET:-13.0}
IOS_OUT=${IOS_OUT:-build/ios}

if [ "$(uname -s)" != Darwin ]; then
	echo "ios-probe: needs a Mac with Xcode (this is $(uname -s));" \
		"here 'make check-darwin' checks what can be checked" >&2
	exit 2
fi
if ! command -v xcodebuild >/dev/null 2>&1; then
	echo "ios-probe: xcodebuild not found: install Xcode, then" \
		"sudo xcode-select -s /Applications/Xcode.app" >&2
	exit 2
fi
if [ -z "$TEAM" ]; then
	echo "ios-probe: give TEAM=<your team id> (Xcode > Settings >" \
		"Accounts, or developer.apple.com > Membership)" >&2
	exit 2
fi
case $IOS_TARGET in
1[3-9].* | [2-9][0-9].* | 1[3-9] | [2-9][0-9]) ;;
*)
	echo "ios-probe: IOS_TARGET $IOS_TARGET is below 13.0: the headroom" \
		"(limit_bytes_remaining) needs iOS 13" >&2
	exit 2
	;;
esac

here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$IOS_OUT"
out=$(cd "$IOS_OUT" && pwd)
for target in JetsamProbe JetsamProbeIncreasedMemoryLimit; do
	echo "ios-probe: building $target (team $TEAM, $BUNDLE_PREFIX, iOS $IOS_TARGET+)"
	xcodebuild -project "$here/JetsamProbe.xcodeproj" -target "$target" \
		-configuration Release -sdk iphoneos -allowProvisioningUpdates \
		DEVELOPMENT_TEAM="$TEAM" JT_BUNDLE_PREFIX="$BUNDLE_PREFIX" \
		JT_DEPLOYMENT_TARGET="$IOS_TARGET" \
		SYMROOT="$out/sym" OBJROOT="$out/obj" build || exit 1
	app="$out/sym/Release-iphoneos/$target.app"
	rm -rf "$out/$target.app" "$out/Payload" "$out/$target.ipa"
	cp -R "$app" "$out/$target.app"
	mkdir "$out/Payload"
	cp -R "$app" "$out/Payload/"
	(cd "$out" && zip -qry "$target.ipa" Payload) || exit 1
	rm -rf "$out/Payload"
	echo "ios-probe: $out/$target.app and $out/$target.ipa"
done
