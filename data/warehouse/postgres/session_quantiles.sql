-- session_quantiles.sql (PostgreSQL 12+) - per model, the count, max, p99
-- and p999 of the peaks of sessions without an OOM, and the OOM count,
-- computed as growth_quantiles.sql does: a sessions-aggregate file
-- (data/field-format.md) whose baseline is the one the streaming path
-- gives.  A model with only OOM sessions has no row (no baseline).
--
--   psql -X --csv -f data/warehouse/postgres/session_quantiles.sql
WITH
s0 AS (SELECT model, '' AS page, peak_footprint_bytes AS v FROM sessions
       WHERE peak_footprint_bytes >= 0 AND CAST(oom AS INTEGER) = 0),
v0 AS (SELECT 'sessions' AS kind, model, page, v FROM s0),
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
      FROM v6),
bk AS (SELECT model, bucket, count(*) AS n, min(v) AS mn, max(v) AS mx
       FROM b GROUP BY model, bucket),
w AS (SELECT model, bucket, n,
             CAST(sum(n) OVER (PARTITION BY model ORDER BY bucket) AS BIGINT) AS cum,
             CAST(sum(n) OVER (PARTITION BY model) AS BIGINT) AS cnt,
             min(mn) OVER (PARTITION BY model) AS kmn,
             max(mx) OVER (PARTITION BY model) AS kmx
      FROM bk),
r AS (SELECT model, n, cum, cnt, kmn, kmx,
             (cnt - 1) * 99 / 100 AS r99, (cnt - 1) * 999 / 1000 AS r999,
             CASE WHEN bucket < 128 THEN bucket
                  ELSE ((bucket % 64 + 64) << CAST(bucket / 64 - 1 AS INTEGER))
                       + ((CAST(1 AS BIGINT) << CAST(bucket / 64 - 1 AS INTEGER)) - 1) / 2 END AS mid
      FROM w),
q AS (SELECT model, max(cnt) AS cnt, max(kmn) AS kmn, max(kmx) AS kmx,
             max(r99) AS r99, max(r999) AS r999,
             max(CASE WHEN cum - n <= r99 AND cum > r99 THEN mid END) AS m99,
             max(CASE WHEN cum - n <= r999 AND cum > r999 THEN mid END)
               AS m999
      FROM r GROUP BY model),
o AS (SELECT model, count(*) AS ooms FROM sessions
      WHERE CAST(oom AS INTEGER) <> 0 GROUP BY model)
SELECT q.model AS model, cnt AS count, kmx AS max_peak_bytes,
       CASE WHEN r99 <= 0 THEN kmn WHEN r99 >= cnt - 1 THEN kmx
            ELSE greatest(kmn, least(kmx, m99)) END AS p99_peak_bytes,
       CASE WHEN r999 <= 0 THEN kmn WHEN r999 >= cnt - 1 THEN kmx
            ELSE greatest(kmn, least(kmx, m999)) END AS p999_peak_bytes,
       coalesce(o.ooms, 0) AS oom_count
FROM q LEFT JOIN o ON o.model = q.model
ORDER BY q.model;
