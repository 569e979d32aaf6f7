#!/bin/sh
# bad files are skipped, the good one still listed, exit 1
jetsam parse -f jsonl tests/fixtures/reports/bad_empty.ips tests/fixtures/reports/bad_binary.ips tests/no-such-file tests/corpus/dev/iPhone7-2_iOS11.3.1_546BD956.ips tests/fixtures/reports/bad_deeply-nested.ips
