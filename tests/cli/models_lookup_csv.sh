jetsam models -f csv iPhone12,1 iPad2,5
