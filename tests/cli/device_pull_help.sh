jetsam pull --help
