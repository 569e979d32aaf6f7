jetsam --version
