#!/bin/sh
# field_warehouse.sh - the same quantiles from the streaming path, from
# merged sketches of shards, from -j 2, and from SQLite
#
# Generated page growth and sessions (with every bucket edge up to
# 2^63 - 1 added) are aggregated by jetsam in one pass (the reference
# sketch); cut into three shards (one holding the edge keys alone), each
# sketched on its own and the sketches merged; read on two threads; and
# loaded into SQLite, where data/warehouse/sqlite/*.sql compute the
# sketch's buckets and the quantiles.  Every path must give the same
# sketch bytes, the same max, p99 and p999 per model and per page, and
# the same ship table (tests/it/field_sql.inc).  PostgreSQL is
# tests/it/field_postgres.sh.  Skips (77) without sqlite3 or python3.
set -u
command -v sqlite3 >/dev/null 2>&1 ||
	{ echo "SKIP: sqlite3 not installed (apt-get install sqlite3)"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not installed"; exit 77; }
. "${ROOT:-$(pwd)}/tests/it/field_sql.inc"
W=$ROOT/data/warehouse/sqlite
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sql_data "$tmp"

# Shards: rows dealt round-robin, the edge models all in the first.
for f in g s; do
	awk -F, -v d="$tmp" -v f=$f '
		NR == 1 { for (i = 0; i < 3; i++) print > (d "/" f i ".csv"); next }
		/^"iPhone8,/ { print > (d "/" f "0.csv"); next }
		{ print > (d "/" f (NR % 3) ".csv") }' "$tmp/$f.csv"
done
for i in 0 1 2; do
	"$JETSAM" calibrate field --sketch-out "$tmp/shard$i.sk" \
		"$tmp/g$i.csv" "$tmp/s$i.csv" >/dev/null || sql_fail "shard $i"
done
"$JETSAM" calibrate field --sketch-out - "$tmp/shard2.sk" "$tmp/shard0.sk" \
	"$tmp/shard1.sk" >"$tmp/merged.sk"
same "$tmp/ref.sk" "$tmp/merged.sk" "merged shard sketches"
cat "$tmp"/shard*.sk >"$tmp/cat.sk"
"$JETSAM" calibrate field --sketch-out - "$tmp/cat.sk" >"$tmp/cat2.sk"
same "$tmp/ref.sk" "$tmp/cat2.sk" "concatenated shard sketches"
"$JETSAM" calibrate field -j 2 --sketch-out - "$tmp/g.csv" "$tmp/s.csv" \
	>"$tmp/j2.sk"
same "$tmp/ref.sk" "$tmp/j2.sk" "-j 2"
[ "$failed" = 0 ] && echo "shards merged, concatenated and -j 2 give the streaming sketch"

# SQLite: the raw tables, then the shipped queries.
sqlite3 "$tmp/f.db" \
	"CREATE TABLE page_growth(model TEXT, os_version TEXT, page TEXT,
	                          growth_bytes INTEGER);
	 CREATE TABLE sessions(model TEXT, os_version TEXT,
	                       peak_footprint_bytes INTEGER, oom INTEGER);" \
	".import --csv --skip 1 $tmp/g.csv page_growth" \
	".import --csv --skip 1 $tmp/s.csv sessions" || sql_fail "sqlite3 load"
for q in sketch growth_quantiles session_quantiles; do
	sqlite3 -bail -csv -header "$tmp/f.db" <"$W/$q.sql" >"$tmp/sqlite.$q.csv" ||
		sql_fail "sqlite3 $q.sql"
done
echo "sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
sql_check sqlite "$tmp/sqlite.sketch.csv" "$tmp/sqlite.growth_quantiles.csv" \
	"$tmp/sqlite.session_quantiles.csv"
exit $failed
