jetsam capture --help
