#!/bin/sh
# deps.sh - check the build and test dependencies; install what is missing
#
# Run by "make deps" (and so by "make test" and "make demo").  As root on a
# Debian-like system with apt-get it installs the missing packages; anywhere
# else it prints the exact command and fails.
set -u

# pkg-config module -> Debian package
pkgs="jansson:libjansson-dev check:check libplist-2.0:libplist-dev"
# command -> Debian package (tools the tests and benchmarks use)
tools="pkg-config:pkg-config python3:python3 jq:jq sqlite3:sqlite3
	xmllint:libxml2-utils plistutil:libplist-utils clang:clang g++:g++"
if [ "${WITH_DEVICE:-1}" = 1 ]; then
	pkgs="$pkgs libimobiledevice-1.0:libimobiledevice-dev"
	# usbmuxd: every device command talks to phones through it (the
	# tests use the fake on its own socket; people need the daemon).
	tools="$tools idevice_id:libimobiledevice-utils usbmuxd:usbmuxd
		ideviceinstaller:ideviceinstaller"
fi

missing=""
command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"
for pair in $pkgs; do
	mod=${pair%%:*} deb=${pair#*:}
	if ! command -v pkg-config >/dev/null 2>&1 ||
	   ! pkg-config --exists "$mod" 2>/dev/null; then
		missing="$missing $deb"
	fi
done
for pair in $tools; do
	cmd=${pair%%:*} deb=${pair#*:}
	# Daemons live in sbin, which a user's PATH may lack.
	PATH="$PATH:/usr/sbin:/sbin" command -v "$cmd" >/dev/null 2>&1 ||
		missing="$missing $deb"
done
# The schema check of the calibrate tests (Debian's python3, which a
# python3 earlier in PATH may not be).
/usr/bin/python3 -c 'import jsonschema' 2>/dev/null ||
	python3 -c 'import jsonschema' 2>/dev/null ||
	missing="$missing python3-jsonschema"
# One line, sorted, names separated by single spaces, none at either end.
missing=$(echo $missing | tr ' ' '\n' | sort -u | paste -sd ' ' -)
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps: installing: $missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 &&
	apt-get install -y -qq --no-install-recommends $missing >&2 && exit 0
	echo "deps: apt-get failed" >&2
	exit 1
fi
echo "deps: missing packages: $missing" >&2
echo "deps: install them with: sudo apt-get install $missing" >&2
exit 1
