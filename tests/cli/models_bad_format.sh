jetsam models -f xml
