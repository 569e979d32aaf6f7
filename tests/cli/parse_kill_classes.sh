#!/bin/sh
# per-process-limit kills named for the states the report gives: frontmost,
# suspended, daemon, no states (real iOS 14.2 processes), then a class filter
jetsam parse -f csv --killed-only tests/fixtures/reports/iPhone12-1_iOS14.2_limit-kills-by-state.ips
jetsam parse -f csv --reason daemon-limit tests/fixtures/reports/iPhone11-6_iOS12.4_63-kills.ips tests/fixtures/reports/iPhone14-7_iOS18.5_limit-kill_csflags.ips
