#!/bin/sh
# calibrate.sh - "make bench-calibrate": field-data aggregation against the
# tools a user would pick, measured the way a skeptic would
#
# For each size in BENCH_ROWS (default "1000000 10000000": memory must stay
# flat across them) a raw page-growth CSV file is generated (100 models x
# 20 pages = 2000 keys; the models hold a comma, as real ones do) and
# aggregated to the same output by
#   jetsam    jetsam calibrate field --by-page -f csv: per (model, page)
#             count, max, p99, p999 (the log-bucket sketch of sketch.h);
#             also with -j 2 (byte ranges on two threads)
#   python3   tests/bench/calibrate_agg.py: the csv module, the same row
#             checks, and the same sketch rule for the quantiles
#   sqlite3   .import into a database file, then the shipped query
#             data/warehouse/sqlite/growth_quantiles.sql (the quantiles in
#             SQL); the shipped sketch.sql with jetsam reading the sketch
#             it writes; and the query alone on a database imported before
#   postgres  a private PostgreSQL server (tests/it/field_pg.inc): COPY
#             and data/warehouse/postgres/growth_quantiles.sql; the query
#             alone on a loaded table (the warehouse case); sketch.sql with
#             jetsam reading its sketch.  Its CPU is psql's plus the
#             server's (the postmaster's and every child's user + sys from
#             /proc, before and after, once the connection's backend has
#             exited); its peak is the larger of psql's and the backend's
#             VmHWM (which counts the shared buffers it touched)
#   duckdb    the same SQL in DuckDB, one thread (node, @duckdb/node-api
#             from the npm registry, installed under $BUILD/bench/npm)
# Every tool runs BENCH_RUNS times (default 3).  The table gives the
# median CPU time (user + sys of all its threads, from wait4), wall time
# and peak RSS, and each tool's CPU and wall time over jetsam's; CPU is
# the headline.  The load average is printed before and after.
#
# Every output of every run is compared in full with jetsam's by
# calibrate_check.py, which reads CSV with Python's csv module; any
# difference fails the benchmark.  Before the timing, the check must catch
# a planted difference (a self-test), and jetsam's default per-model view
# must say what its per-page rows imply.  BENCH_PLANT=1 plants a difference
# in the real comparison instead, to show the failure.  Then the same rows
# as JSON Lines: jetsam against python3 with the json module.
#
# Last, BENCH_BIG_ROWS raw rows (default 100000000, about 3.3 GB; 0 skips)
# through jetsam with -j 1 and -j 2 (rows per second of wall time, peak
# RSS), the two outputs compared in full.
#
#   BENCH_ROWS="1000000" BENCH_RUNS=5 make bench-calibrate
#   BENCH_JSONL=0 BENCH_DUCKDB=0 BENCH_PG=0 BENCH_BIG_ROWS=0 make bench-calibrate
set -eu
BUILD=${BUILD:-build}
ROOT=$(pwd)
JETSAM="$ROOT/$BUILD/bin/jetsam"
GEN="$ROOT/$BUILD/tests/tools/calibrate_gen"
MEASURE="$ROOT/$BUILD/tests/tools/calibrate_measure"
PYAGG="$ROOT/tests/bench/calibrate_agg.py"
CHECK="$ROOT/tests/bench/calibrate_check.py"
SIZES=${BENCH_ROWS:-"1000000 10000000"}
RUNS=${BENCH_RUNS:-3}
NPM_DIR="$ROOT/$BUILD/bench/npm"
DUCKDB_PKG=@duckdb/node-api@1.5.6-r.1

# Build before timing (make bench-calibrate has done it already).
[ -n "${MAKELEVEL:-}" ] ||
	make --no-print-directory -s BUILD="$BUILD" all >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# ---- competitors that may be missing -------------------------------------

pg_skip=
if [ "${BENCH_PG:-1}" != 1 ]; then
	pg_skip="BENCH_PG=0"
else
	. "$ROOT/tests/it/field_pg.inc"
	pg_find || { pg_install && pg_find; } ||
		pg_skip="PostgreSQL not installed (apt-get install postgresql)"
fi

sqlite_skip=
command -v sqlite3 >/dev/null 2>&1 ||
	sqlite_skip="sqlite3 not installed (apt-get install sqlite3)"
duck_skip=
if [ "${BENCH_DUCKDB:-1}" != 1 ]; then
	duck_skip="BENCH_DUCKDB=0"
elif ! command -v node >/dev/null 2>&1; then
	duck_skip="node not installed (DuckDB runs through @duckdb/node-api)"
elif [ ! -d "$NPM_DIR/node_modules/@duckdb/node-api" ]; then
	mkdir -p "$NPM_DIR"
	if ! npm install --prefix "$NPM_DIR" --no-audit --no-fund \
		--no-save "$DUCKDB_PKG" >npm.log 2>&1; then
		duck_skip="npm install $DUCKDB_PKG failed: $(tail -n 1 npm.log)"
	fi
fi

# SQLite: the raw table, then the shipped queries (data/warehouse/sqlite:
# the sketch rule in integer SQL, see there).
W=$ROOT/data/warehouse
cat >sqlite-load.sql <<'EOF'
CREATE TABLE page_growth(model TEXT, os_version TEXT, page TEXT,
                         growth_bytes INTEGER);
CREATE TABLE sessions(model TEXT, os_version TEXT,
                      peak_footprint_bytes INTEGER, oom INTEGER);
.import --csv --skip 1 g.csv page_growth
.headers on
.mode csv
EOF
{ cat sqlite-load.sql; cat "$W/sqlite/growth_quantiles.sql"; } >sqlite.sql
{ cat sqlite-load.sql; cat "$W/sqlite/sketch.sql"; } >sqlite-sketch.sql
{ echo ".headers on"; echo ".mode csv"; cat "$W/sqlite/growth_quantiles.sql"; } \
	>sqlite-query.sql
# PostgreSQL: the same as psql scripts for the private server (load and
# query, query alone, sketch); each notes its backend's peak memory.
pg_script() { # pg_script load|- QUERY > FILE
	echo 'SELECT pg_backend_pid() AS pid \gset'
	[ "$1" = load ] && cat <<EOF
TRUNCATE page_growth;
COPY page_growth FROM '$tmp/g.csv' WITH (FORMAT csv, HEADER true);
EOF
	cat "$2"
	echo "\\! grep VmHWM /proc/:pid/status > $tmp/pg/hwm.txt"
}
pg_script load "$W/postgres/growth_quantiles.sql" >pg.sql
pg_script - "$W/postgres/growth_quantiles.sql" >pg-query.sql
pg_script load "$W/postgres/sketch.sql" >pg-sketch.sql

# The same in DuckDB's dialect (// is integer division, greatest/least).
[ -n "$duck_skip" ] || cat >"$NPM_DIR/calibrate_duckdb.mjs" <<'EOF'
import { DuckDBInstance } from '@duckdb/node-api';

const [, , path] = process.argv;
const inst = await DuckDBInstance.create(':memory:', { threads: '1' });
const con = await inst.connect();
const src = `read_csv('${path.replace(/'/g, "''")}', header = true,
  columns = {'model': 'VARCHAR', 'os_version': 'VARCHAR', 'page': 'VARCHAR',
             'growth_bytes': 'BIGINT'})`;
const sql = `
WITH b AS (
  SELECT model, page, bucket, count(*) AS n, min(v) AS mn, max(v) AS mx
  FROM (SELECT model, page, v,
               CASE WHEN v < 128 THEN v ELSE s * 64 + (v >> s) END AS bucket
        FROM (SELECT model, page, v,
                     e - CASE WHEN (1::BIGINT << e) > v THEN 1 ELSE 0 END
                       + CASE WHEN (1::BIGINT << (e + 1)) <= v THEN 1 ELSE 0 END
                       - 6 AS s
              FROM (SELECT model, page, growth_bytes AS v,
                           CASE WHEN growth_bytes < 128 THEN 7
                                ELSE CAST(floor(log2(growth_bytes)) AS BIGINT)
                           END AS e
                    FROM ${src})))
  GROUP BY model, page, bucket),
k AS (SELECT model, page, sum(n) AS cnt, min(mn) AS kmn, max(mx) AS kmx,
             (sum(n) - 1) * 99 // 100 AS r99, (sum(n) - 1) * 999 // 1000 AS r999
      FROM b GROUP BY model, page),
c AS (SELECT model, page, cum - n AS before, cum,
             CASE WHEN bucket < 128 THEN bucket
                  ELSE ((bucket % 64 + 64) << (bucket // 64 - 1))
                       + ((1::BIGINT << (bucket // 64 - 1)) - 1) // 2 END AS mid
      FROM (SELECT model, page, bucket, n,
                   sum(n) OVER (PARTITION BY model, page ORDER BY bucket) AS cum
            FROM b))
SELECT k.model, k.page, cnt, kmx,
       CASE WHEN r99 <= 0 THEN kmn WHEN r99 >= cnt - 1 THEN kmx
            ELSE greatest(kmn, least(kmx, c99.mid)) END,
       CASE WHEN r999 <= 0 THEN kmn WHEN r999 >= cnt - 1 THEN kmx
            ELSE greatest(kmn, least(kmx, c999.mid)) END
FROM k
JOIN c AS c99 ON c99.model = k.model AND c99.page = k.page
     AND c99.before <= k.r99 AND c99.cum > k.r99
JOIN c AS c999 ON c999.model = k.model AND c999.page = k.page
     AND c999.before <= k.r999 AND c999.cum > k.r999
ORDER BY k.model, k.page`;
const rows = (await con.runAndReadAll(sql)).getRows();
const cell = (x) => {
  const s = String(x);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
};
let out = 'model,page,count,max_growth_bytes,p99_growth_bytes,p999_growth_bytes\r\n';
for (const r of rows) out += r.map(cell).join(',') + '\r\n';
process.stdout.write(out);
EOF

# ---- measuring -----------------------------------------------------------

# The private PostgreSQL server, and psql as its user in one command.
if [ -z "$pg_skip" ]; then
	chmod 755 "$tmp"
	pg_start "$tmp" >pg-start.log 2>&1 ||
		pg_skip="could not start PostgreSQL: $(tail -n 1 pg-start.log)"
fi
if [ -z "$pg_skip" ]; then
	trap 'pg_stop; rm -rf "$tmp"' EXIT
	pg_psql -c "CREATE TABLE page_growth(model text, os_version text,
	                                     page text, growth_bytes bigint);
	            CREATE TABLE sessions(model text, os_version text,
	                                  peak_footprint_bytes bigint,
	                                  oom integer);"
	{
		echo '#!/bin/sh'
		if [ "$(id -u)" = 0 ]; then
			printf 'exec runuser -u nobody -- '
		else
			printf 'exec '
		fi
		echo "\"$PGBIN/psql\" -X -q -v ON_ERROR_STOP=1 -h \"$PGDIR\"" \
			"-U jetsam -d postgres --csv -f \"\$1\""
	} >psql.sh
fi

# median FILE COLUMN - the median of a column of numbers.
median() {
	awk -v c="$2" '{ print $c }' "$1" | sort -n | awk '
		{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2];
		      else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# run LABEL OUT CMD... - run CMD $RUNS times (stdout to OUT), checking each
# output against jetsam's (ref.csv, once it exists); append the medians to
# results as "LABEL|cpu|wall|rss_kb".  A failing tool fails the benchmark.
run() {
	label=$1 out=$2
	shift 2
	: >runs.txt
	i=0
	while [ $i -lt "$RUNS" ]; do
		rm -f b.db
		"$MEASURE" "$out" "$@" >>runs.txt 2>err.log || {
			echo "$label failed:"
			tail -n 5 err.log
			exit 1
		}
		if [ -f ref.csv ]; then
			[ "${BENCH_PLANT:-0}" = 1 ] &&
				python3 "$CHECK" --plant "$out" "$out"
			python3 "$CHECK" "$label" ref.csv "$out"
		fi
		i=$((i + 1))
	done
	awk '{ printf "%.3f %.3f %d\n", $2 + $3, $1, $4 }' runs.txt >med
	printf '%s|%s|%s|%s\n' "$label" "$(median med 1)" "$(median med 2)" \
		"$(median med 3)" >>results
}

# pg_children - how many processes the postmaster has now.
pg_children() {
	wc -w <"/proc/$PGPID/task/$PGPID/children"
}

# run_pg LABEL OUT SCRIPT - as run, for psql -f SCRIPT on the private
# server: CPU is psql's plus the server's over the run, measured once the
# connection's backend has exited (its CPU is then in the postmaster's
# cutime and cstime); peak is the larger of psql's and the backend's.
run_pg() {
	label=$1 out=$2
	: >runs.txt
	i=0
	while [ $i -lt "$RUNS" ]; do
		kids=$(pg_children)
		before=$(pg_server_cpu)
		"$MEASURE" "$out" sh psql.sh "$3" >one.txt 2>err.log || {
			echo "$label failed:"
			tail -n 5 err.log
			exit 1
		}
		w=0
		while [ "$(pg_children)" -gt "$kids" ] && [ $w -lt 200 ]; do
			sleep 0.05
			w=$((w + 1))
		done
		after=$(pg_server_cpu)
		hwm=$(awk '{ print $2 }' pg/hwm.txt)
		awk -v b="$before" -v a="$after" -v h="$hwm" '{
			printf "%s %.3f %s %d\n", $1, $2 + a - b, $3,
			       ($4 > h ? $4 : h) }' one.txt >>runs.txt
		if [ -f ref.csv ]; then
			[ "${BENCH_PLANT:-0}" = 1 ] &&
				python3 "$CHECK" --plant "$out" "$out"
			case $out in
			psk.csv) # sketch rows: jetsam makes the table
				"$JETSAM" calibrate field --by-page -f csv \
					psk.csv >pskj.csv
				python3 "$CHECK" "$label" ref.csv pskj.csv ;;
			*) python3 "$CHECK" "$label" ref.csv "$out" ;;
			esac
		fi
		i=$((i + 1))
	done
	awk '{ printf "%.3f %.3f %d\n", $2 + $3, $1, $4 }' runs.txt >med
	printf '%s|%s|%s|%s\n' "$label" "$(median med 1)" "$(median med 2)" \
		"$(median med 3)" >>results
}

# table ROWS - print results, ratios to the first row (jetsam).
table() {
	awk -F'|' -v n="$1" '
		NR == 1 { jc = $2; jw = $3 }
		{ printf "%-10d %-40s %8.2f %8.2f %9.1f %8.1fx %8.1fx\n",
		         n, $1, $2, $3, $4 / 1024, $2 / jc, $3 / jw }' results
	: >results
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" \
	"($(getconf _NPROCESSORS_ONLN) CPUs); medians of $RUNS runs"
[ -z "$sqlite_skip" ] || echo "SKIP sqlite3: $sqlite_skip"
[ -z "$pg_skip" ] || echo "SKIP postgres: $pg_skip"
[ -n "$pg_skip" ] ||
	echo "$("$PGBIN/postgres" --version); its server CPU is counted"
[ -z "$duck_skip" ] || echo "SKIP duckdb: $duck_skip"
printf '%-10s %-40s %8s %8s %9s %9s %9s\n' rows tool cpu_s wall_s \
	peak_MiB cpu_ratio wall_ratio
: >results
for n in $SIZES; do
	"$GEN" "$n" >g.csv
	chmod a+r g.csv
	mb=$(du -m g.csv | cut -f1)
	rm -f ref.csv
	run "jetsam calibrate field --by-page" j.csv \
		"$JETSAM" calibrate field --by-page -f csv g.csv
	cp j.csv ref.csv
	# The check must be able to fail, and the per-model view must agree.
	python3 "$CHECK" --plant ref.csv planted.csv
	if python3 "$CHECK" self-test ref.csv planted.csv 2>/dev/null; then
		echo "content check self-test: a planted difference was missed"
		exit 1
	fi
	"$JETSAM" calibrate field -f csv g.csv >models.csv
	python3 "$CHECK" --models "jetsam per-model view" ref.csv models.csv
	run "jetsam -j 2 (byte ranges, 2 threads)" j2.csv \
		"$JETSAM" calibrate field -j 2 --by-page -f csv g.csv
	run "python3 csv module (same output)" p.csv python3 "$PYAGG" g.csv
	if [ -z "$sqlite_skip" ]; then
		run "sqlite3 .import + quantiles SQL" s.csv \
			sqlite3 b.db ".read sqlite.sql"
		run "sqlite3 .import + sketch SQL, jetsam" ss.csv sh -c \
			"rm -f b.db && sqlite3 b.db '.read sqlite-sketch.sql' >sk.csv &&
			 '$JETSAM' calibrate field --by-page -f csv sk.csv"
		rm -f b.db
		sqlite3 loaded.db ".read sqlite-load.sql" >/dev/null
		run "sqlite3 quantiles SQL alone (loaded)" sq.csv \
			sqlite3 loaded.db ".read sqlite-query.sql"
		rm -f loaded.db sk.csv
	fi
	if [ -z "$pg_skip" ]; then
		run_pg "postgres COPY + quantiles SQL" pg.csv pg.sql
		run_pg "postgres quantiles SQL alone (loaded)" pq.csv pg-query.sql
		run_pg "postgres COPY + sketch SQL" psk.csv pg-sketch.sql
		run "jetsam reading postgres' sketch" pskj2.csv \
			"$JETSAM" calibrate field --by-page -f csv psk.csv
	fi
	[ -n "$duck_skip" ] ||
		run "duckdb 1 thread, same SQL (node)" d.csv \
			node "$NPM_DIR/calibrate_duckdb.mjs" "$tmp/g.csv"
	table "$n"
	printf '%-10s (%d MB of CSV; every output equals jetsam%ss in all\n' \
		"" "$mb" "'"
	printf '%-10s columns, read back with the csv module)\n' ""
	if [ "${BENCH_JSONL:-1}" = 1 ]; then
		"$GEN" --jsonl "$n" >g.jsonl
		mb=$(du -m g.jsonl | cut -f1)
		rm -f g.csv
		run "jetsam (JSON Lines)" jl.csv \
			"$JETSAM" calibrate field --by-page -f csv g.jsonl
		run "python3 json module (same output)" pl.csv \
			python3 "$PYAGG" g.jsonl
		table "$n"
		printf '%-10s (%d MB of JSON Lines; both equal the CSV results)\n' \
			"" "$mb"
		rm -f g.jsonl
	fi
	rm -f g.csv b.db
done
# ---- 100 million rows on one and two threads -----------------------------

big=${BENCH_BIG_ROWS:-100000000}
if [ "$big" -gt 0 ]; then
	"$GEN" "$big" >big.csv
	mb=$(du -m big.csv | cut -f1)
	cat big.csv >/dev/null # in the page cache for both
	rm -f ref.csv
	run "jetsam -j 1" b1.csv "$JETSAM" calibrate field --by-page -f csv \
		big.csv
	cp b1.csv ref.csv
	run "jetsam -j 2" b2.csv "$JETSAM" calibrate field -j 2 --by-page \
		-f csv big.csv
	printf '%-10s %-40s %8s %8s %9s %12s %9s\n' rows tool cpu_s wall_s \
		peak_MiB rows_per_s speedup
	awk -F'|' -v n="$big" '
		NR == 1 { jw = $3 }
		{ printf "%-10d %-40s %8.2f %8.2f %9.1f %12.0f %8.2fx\n",
		         n, $1, $2, $3, $4 / 1024, n / $3, jw / $3 }' results
	: >results
	printf '%-10s (%d MB of CSV, in the page cache; rows/s of wall time;\n' \
		"" "$mb"
	printf '%-10s the -j 2 output equals -j 1 in full)\n' ""
	rm -f big.csv
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "sketch relative error bound: 1/128 (0.78 %); keys: 2000" \
	"(100 models x 20 pages); CPU = user + sys of all threads"
