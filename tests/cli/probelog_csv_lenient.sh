# lenient mode counts the bad line instead of rejecting the log
jetsam probelog -f csv --lenient tests/fixtures/probelog/bad_line.jsonl
