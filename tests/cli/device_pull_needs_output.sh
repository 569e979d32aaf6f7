# jetsam pull without -o is a usage error before any device is touched
USBMUXD_SOCKET_ADDRESS=UNIX:/nonexistent jetsam pull 2>/dev/null
