#!/bin/sh
# --reason takes a reason verbatim
jetsam parse -f jsonl --reason vm-pageshortage tests/corpus/dev
