# jetsam devices with usbmuxd up but nothing plugged in: header only, exit 1
. tests/fakedevice/lib.sh
fake_start unplug-capture.conf
touch "$FAKE_STATE/$UDID/unplugged"
jetsam devices -f csv 2>/dev/null
