# the same summary as JSON: sorted keys, null where a source says nothing
jetsam probelog -f json --limit 4M tests/fixtures/probelog/killed.jsonl tests/fixtures/probelog/ended.jsonl tests/fixtures/probelog/alloc_failed.jsonl
