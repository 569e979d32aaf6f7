#!/bin/sh
# only kill rows, from two files given in reverse path order
jetsam parse -f csv --killed-only tests/fixtures/reports/iPhone14-7_iOS18.5_limit-kill_csflags.ips tests/corpus/dev/iPhone12-1_iOS14.2_B04A36B1.ips
