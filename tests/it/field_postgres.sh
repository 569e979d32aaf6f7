#!/bin/sh
# field_postgres.sh - the sketch's buckets and quantiles inside a real
# PostgreSQL server, equal to the streaming path's
#
# A private server (initdb and pg_ctl from Debian's postgresql package, a
# Unix socket in a temporary directory, no TCP; as root it runs as
# "nobody") is fed the generated rows of tests/it/field_sql.inc with
# \copy; data/warehouse/postgres/*.sql compute the sketch rows and the
# quantiles, which must give the streaming path's sketch bytes, max, p99
# and p999 per model and per page, and ship table.  The server is
# stopped on exit.  As root the postgresql package is installed when
# missing; otherwise the test skips (77), as it does without python3.
set -u
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not installed"; exit 77; }
. "${ROOT:-$(pwd)}/tests/it/field_pg.inc"
if ! pg_find; then
	pg_install && pg_find ||
		{ echo "SKIP: PostgreSQL not installed (apt-get install postgresql)"; exit 77; }
fi
. "${ROOT:-$(pwd)}/tests/it/field_sql.inc"
W=$ROOT/data/warehouse/postgres
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'pg_stop; rm -rf "$tmp"' EXIT
sql_data "$tmp"
pg_start "$tmp" || { echo "FAIL: could not start PostgreSQL"; exit 1; }
echo "$("$PGBIN/postgres" --version)"
pg_psql -c "CREATE TABLE page_growth(model text, os_version text, page text,
                                     growth_bytes bigint);
            CREATE TABLE sessions(model text, os_version text,
                                  peak_footprint_bytes bigint, oom integer);" \
	-c "\\copy page_growth FROM '$tmp/g.csv' WITH (FORMAT csv, HEADER true)" \
	-c "\\copy sessions FROM '$tmp/s.csv' WITH (FORMAT csv, HEADER true)" ||
	sql_fail "psql load"
for q in sketch growth_quantiles session_quantiles; do
	pg_psql --csv -f "$W/$q.sql" >"$tmp/pg.$q.csv" || sql_fail "psql $q.sql"
done
sql_check postgres "$tmp/pg.sketch.csv" "$tmp/pg.growth_quantiles.csv" \
	"$tmp/pg.session_quantiles.csv"
exit $failed
