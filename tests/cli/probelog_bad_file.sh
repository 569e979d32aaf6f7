# a bad log is reported on stderr, the good one still summarised, exit 1
jetsam probelog -f jsonl tests/fixtures/probelog/bad_line.jsonl tests/fixtures/probelog/killed.jsonl 2>&1 >/dev/null | sed 's/^/stderr: /'
jetsam probelog -f jsonl tests/fixtures/probelog/bad_line.jsonl tests/fixtures/probelog/killed.jsonl 2>/dev/null
