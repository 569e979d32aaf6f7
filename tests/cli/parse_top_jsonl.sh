#!/bin/sh
# the five largest processes of a report, largest first
jetsam parse -f jsonl --top 5 tests/corpus/dev/iPhone12-1_iOS14.2_B04A36B1.ips
