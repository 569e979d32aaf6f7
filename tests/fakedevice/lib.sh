# lib.sh - start and stop the fake device from an integration test
#
# Sourced (not run) by tests/it/device_*.sh.  fake_start SCENARIO starts
# tests/tools/fakedevice on a unique socket in a private temporary
# directory and points libusbmuxd at it; the EXIT trap always kills it and
# removes the directory (KEEP_WORK=1 keeps it, to look into after a
# failure).  $WORK is the test's scratch directory.
if [ "${WITH_DEVICE:-1}" = 0 ]; then
	echo "device test skipped: built without libimobiledevice (WITH_DEVICE=0)"
	exit 77
fi
FAKE=${ROOT:-$(pwd)}/${BUILD:-build}/tests/tools/fakedevice
SCEN=${ROOT:-$(pwd)}/tests/fakedevice
WORK=$(mktemp -d "${TMPDIR:-/tmp}/jetsam-dev.XXXXXX")
FAKE_PID=""
FAKE_N=0

fake_stop() {
	if [ -n "$FAKE_PID" ]; then
		kill "$FAKE_PID" 2>/dev/null
		wait "$FAKE_PID" 2>/dev/null
		FAKE_PID=""
	fi
}

fake_cleanup() {
	[ -n "${KEEP_WORK:-}" ] && { fake_stop; echo "kept $WORK"; return; }
	fake_stop
	rm -rf "$WORK"
}
trap fake_cleanup EXIT
trap 'exit 1' INT TERM

# fake_start SCENARIO - a fresh fake device (state and socket of its own);
# SCENARIO is a file in tests/fakedevice/, or an absolute path (a scenario
# a test wrote)
fake_start() {
	fake_stop
	FAKE_N=$((FAKE_N + 1))
	FAKE_SOCK=$WORK/mux$FAKE_N
	FAKE_STATE=$WORK/state$FAKE_N
	case $1 in
	/*) conf=$1 ;;
	*) conf=$SCEN/$1 ;;
	esac
	"$FAKE" -s "$FAKE_SOCK" -c "$conf" -d "$FAKE_STATE" \
		2>>"$WORK/fake.log" &
	FAKE_PID=$!
	i=0
	while [ ! -S "$FAKE_SOCK" ]; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$FAKE_PID" 2>/dev/null; then
			echo "fake device did not start ($1)"
			cat "$WORK/fake.log"
			exit 1
		fi
		sleep 0.05
	done
	USBMUXD_SOCKET_ADDRESS=UNIX:$FAKE_SOCK
	export USBMUXD_SOCKET_ADDRESS
}

# device_reports UDID - the reports still on the fake device
device_reports() {
	ls "$FAKE_STATE/$1/reports"
}

fails=0
# check DESCRIPTION COMMAND... - run a shell test, count a failure
check() {
	what=$1
	shift
	if "$@"; then
		echo "ok: $what"
	else
		echo "FAIL: $what"
		fails=$((fails + 1))
	fi
}

UDID=0000feed0000000000000000000000000000a001
