#!/bin/sh
# a report and its .ips.synced copy are listed once
d=$(mktemp -d); trap "rm -rf $d" EXIT
cp tests/corpus/dev/iPhone7-2_iOS11.3.1_546BD956.ips "$d/JetsamEvent-2018-12-29-011622.ips"
cp tests/corpus/dev/iPhone7-2_iOS11.3.1_546BD956.ips "$d/JetsamEvent-2018-12-29-011622.ips.synced"
jetsam parse -f csv --killed-only "$d" | sed "s|$d|DIR|"
