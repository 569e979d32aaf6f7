#!/bin/sh
# - reads stdin
jetsam parse -f jsonl - < tests/corpus/dev/iPhone7-2_iOS10.1.1_CED7B1F4.ips
