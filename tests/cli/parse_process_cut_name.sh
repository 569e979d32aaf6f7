#!/bin/sh
# a name cut to 31 characters in the report matches the full name
jetsam parse -f jsonl --process "Nike Run Club WatchKit Extension (watchOS)" tests/fixtures/reports/Watch4-2_watchOS7.0.1_complete.ips
