# a killed log, a torn one and a normally ended one, as a table
jetsam probelog tests/fixtures/probelog/killed.jsonl tests/fixtures/probelog/torn.jsonl tests/fixtures/probelog/ended.jsonl
