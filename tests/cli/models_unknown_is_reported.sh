jetsam models -f jsonl iPhone99,9 iPhone12,1
