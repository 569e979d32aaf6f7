#!/bin/sh
# a directory of look-alikes has no JetsamEvent reports
jetsam parse -f csv tests/corpus/negative
