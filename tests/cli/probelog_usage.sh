# no log, or a bad --limit, is a usage error naming the problem
jetsam probelog 2>&1
jetsam probelog --limit 12Q tests/fixtures/probelog/killed.jsonl 2>&1
