#!/bin/sh
# copies cut with '...' as blogs and tickets print them (from real iOS 14.2
# and 10.1.1 reports): every complete process object between the cuts is
# read, a process cut inside is not; partial, exit 1
jetsam parse -f csv tests/fixtures/reports/iPhone12-1_iOS14.2_elided-processes-line.ips tests/fixtures/reports/iPhone7-2_iOS10.1.1_elided-memorystatus-cut.ips 2>&1
