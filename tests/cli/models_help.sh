jetsam models --help
