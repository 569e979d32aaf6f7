#!/bin/sh
# every process of an iOS 8 text report with names containing spaces
jetsam parse -f csv --all-processes tests/fixtures/reports/iPhone6-1_iOS8.3_A7_pagesize16384_lowmemory-text.ips
