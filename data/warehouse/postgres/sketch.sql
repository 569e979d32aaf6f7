-- sketch.sql (PostgreSQL 12+) - the field-data sketch computed in the engine
--
-- Reads the raw tables
--   page_growth(model, os_version, page, growth_bytes)
--   sessions(model, os_version, peak_footprint_bytes, oom)   oom: 0/1
-- and writes one sketch record per (model, page, bucket) of page growth,
-- per (model, bucket) of sessions without an OOM, and per model with OOM
-- sessions: the columns of data/field-format.md ("Sketches"), which
-- `jetsam calibrate field` / `--field` reads and merges exactly, so the
-- max, p99 and p999 are the numbers the streaming path gives.
--
--   psql -X --csv -f data/warehouse/postgres/sketch.sql > sketch.csv
--
-- The bucket of v (calibrate/field/sketch.h): v itself below 128, else
-- with e = floor(log2 v): (e - 6) * 64 + (v >> (e - 6)).  e is found with
-- integer arithmetic only (bigint shifts) (a binary search on v >> e, six steps), not a
-- floating log2, which may round at exact powers of two.  NULL and
-- negative values are left out (jetsam reports them as bad rows).
WITH
g0 AS (SELECT model, page, growth_bytes AS v FROM page_growth
       WHERE growth_bytes >= 0),
s0 AS (SELECT model, '' AS page, peak_footprint_bytes AS v FROM sessions
       WHERE peak_footprint_bytes >= 0 AND CAST(oom AS INTEGER) = 0),
v0 AS (SELECT 'growth' AS kind, model, page, v FROM g0
       UNION ALL SELECT 'sessions', model, page, v FROM s0),
v1 AS (SELECT kind, model, page, v,
              CASE WHEN v >= 4294967296 THEN 32 ELSE 0 END AS e FROM v0),
v2 AS (SELECT kind, model, page, v,
              e + CASE WHEN (v >> e) >= 65536 THEN 16 ELSE 0 END AS e FROM v1),
v3 AS (SELECT kind, model, page, v,
              e + CASE WHEN (v >> e) >= 256 THEN 8 ELSE 0 END AS e FROM v2),
v4 AS (SELECT kind, model, page, v,
              e + CASE WHEN (v >> e) >= 16 THEN 4 ELSE 0 END AS e FROM v3),
v5 AS (SELECT kind, model, page, v,
              e + CASE WHEN (v >> e) >= 4 THEN 2 ELSE 0 END AS e FROM v4),
v6 AS (SELECT kind, model, page, v,
              e + CASE WHEN (v >> e) >= 2 THEN 1 ELSE 0 END AS e FROM v5),
b AS (SELECT kind, model, page, v,
             CASE WHEN v < 128 THEN v ELSE (e - 6) * 64 + (v >> (e - 6)) END
               AS bucket
      FROM v6)
SELECT 'v1:log2x64' AS sketch, kind, model, page, count(*) AS count,
       min(v) AS min_bytes, max(v) AS max_bytes, 0 AS oom_count,
       bucket || ':' || count(*) AS buckets
FROM b
GROUP BY kind, model, page, bucket
UNION ALL
SELECT 'v1:log2x64', 'sessions', model, '', 0, NULL, NULL, count(*), ''
FROM sessions
WHERE CAST(oom AS INTEGER) <> 0
GROUP BY model
ORDER BY kind, model, page, min_bytes;
