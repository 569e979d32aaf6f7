jetsam models iPhone12,1 iPhone7,2
