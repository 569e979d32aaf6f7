jetsam models -f json iPhone14,7
