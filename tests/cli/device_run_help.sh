# without --local, "jetsam run" is a device run: its own help
jetsam run -u 0000feed0000000000000000000000000000a001 --help
