#!/bin/sh
# a directory with no reports is an error
d=$(mktemp -d); trap "rm -rf $d" EXIT; jetsam parse "$d"
