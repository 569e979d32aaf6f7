jetsam --help
