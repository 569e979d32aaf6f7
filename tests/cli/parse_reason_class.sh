#!/bin/sh
# --reason takes a class: only frontmost per-process-limit kills; bad files in the directory make it exit 1
jetsam parse -f jsonl --reason frontmost-limit tests/fixtures/reports
