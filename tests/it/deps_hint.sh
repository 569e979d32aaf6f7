#!/bin/sh
# deps_hint.sh - not as root, "make deps" (tests/deps.sh) names what is
# missing in one apt-get line that can be pasted as it is: "apt-get
# install check jq ...", names sorted and separated by single spaces, the
# device build's usbmuxd among them when the daemon is not installed.
# Everything is made missing by a PATH holding only the few utilities
# the script itself needs.
set -u
fail=0
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
mkdir "$d/bin"
for u in id tr sort paste; do
	ln -s "$(command -v $u)" "$d/bin/$u"
done
chmod 755 "$d" "$d/bin"
run() {
	if [ "$(id -u)" -eq 0 ]; then
		command -v setpriv >/dev/null 2>&1 ||
			{ echo "SKIP: root without setpriv"; exit 77; }
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			env PATH="$d/bin" WITH_DEVICE=$1 /bin/sh tests/deps.sh
	else
		env PATH="$d/bin" WITH_DEVICE=$1 /bin/sh tests/deps.sh
	fi
}
for dev in 1 0; do
	run $dev >"$d/out" 2>"$d/err"
	rc=$?
	[ "$rc" -eq 1 ] || { echo "WITH_DEVICE=$dev: exit $rc, want 1"; fail=1; }
	[ -s "$d/out" ] && { echo "WITH_DEVICE=$dev: wrote to stdout"; fail=1; }
	hint=$(tail -n 1 "$d/err")
	echo "$hint" | grep -Eqx 'deps: install them with: sudo apt-get install [a-z0-9.+-]+( [a-z0-9.+-]+)*' ||
		{ echo "WITH_DEVICE=$dev: malformed hint: '$hint'"; fail=1; }
	pkgs=${hint#*apt-get install }
	[ "$pkgs" = "$(echo $pkgs | tr ' ' '\n' | sort -u | paste -sd ' ' -)" ] ||
		{ echo "WITH_DEVICE=$dev: packages not sorted once each"; fail=1; }
	for p in check jq libjansson-dev libplist-dev pkg-config python3 sqlite3; do
		case " $pkgs " in *" $p "*) ;; *)
			echo "WITH_DEVICE=$dev: $p not named"; fail=1 ;;
		esac
	done
	case " $pkgs " in *" libimobiledevice-dev "*) has_dev=1 ;; *) has_dev=0 ;; esac
	[ "$has_dev" -eq "$dev" ] ||
		{ echo "WITH_DEVICE=$dev: libimobiledevice-dev named: $has_dev"; fail=1; }
	if [ "$dev" -eq 1 ] && [ ! -x /usr/sbin/usbmuxd ] && [ ! -x /sbin/usbmuxd ]; then
		case " $pkgs " in *" usbmuxd "*) ;; *)
			echo "usbmuxd is not installed and not named"; fail=1 ;;
		esac
	fi
	[ "$dev" -eq 0 ] && case " $pkgs " in *" usbmuxd "*)
		echo "WITH_DEVICE=0 names usbmuxd"; fail=1 ;;
	esac
done
cat "$d/err"
exit $fail
