jetsam devices --help
