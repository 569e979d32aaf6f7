#!/bin/sh
# every real report in one go: damaged ones listed with partial=true, exit 1
jetsam parse -f json tests/corpus/dev
