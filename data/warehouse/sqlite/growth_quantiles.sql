-- growth_quantiles.sql (SQLite 3.25+) - count, max, p99 and p999 per
-- (model, page) of page growth, computed in the engine from the sketch's
-- buckets exactly as jetsam computes them, so the numbers are the ones
-- `jetsam calibrate field --by-page` prints.  The output is a
-- page-growth-aggregate file (data/field-format.md).
--
--   sqlite3 -csv -header field.db < data/warehouse/sqlite/growth_quantiles.sql
--
-- The buckets are sketch.sql's (see there).  A quantile q = num/den is
-- the value of rank r = floor((n - 1) * num / den) in sorted order: the
-- key's exact min at rank 0 and max at rank n - 1, else the middle of the
-- bucket where the running count first passes r, clamped to [min, max]:
-- low + (width - 1) / 2, with low = (b % 64 + 64) << (b / 64 - 1) and
-- width = 1 << (b / 64 - 1) for b >= 128 (b itself, width 1, below).
-- Running counts and totals are window sums over each key's buckets:
-- one pass, no join, whatever the planner's estimates.
WITH
g0 AS (SELECT model, page, growth_bytes AS v FROM page_growth
       WHERE growth_bytes >= 0),
v0 AS (SELECT 'growth' AS kind, model, page, v FROM g0),
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
bk AS (SELECT model, page, bucket, count(*) AS n, min(v) AS mn, max(v) AS mx
       FROM b GROUP BY model, page, bucket),
w AS (SELECT model, page, bucket, n,
             sum(n) OVER (PARTITION BY model, page ORDER BY bucket) AS cum,
             sum(n) OVER (PARTITION BY model, page) AS cnt,
             min(mn) OVER (PARTITION BY model, page) AS kmn,
             max(mx) OVER (PARTITION BY model, page) AS kmx
      FROM bk),
r AS (SELECT model, page, n, cum, cnt, kmn, kmx,
             (cnt - 1) * 99 / 100 AS r99, (cnt - 1) * 999 / 1000 AS r999,
             CASE WHEN bucket < 128 THEN bucket
                  ELSE ((bucket % 64 + 64) << (bucket / 64 - 1))
                       + ((1 << (bucket / 64 - 1)) - 1) / 2 END AS mid
      FROM w),
q AS (SELECT model, page, max(cnt) AS cnt, max(kmn) AS kmn, max(kmx) AS kmx,
             max(r99) AS r99, max(r999) AS r999,
             max(CASE WHEN cum - n <= r99 AND cum > r99 THEN mid END) AS m99,
             max(CASE WHEN cum - n <= r999 AND cum > r999 THEN mid END)
               AS m999
      FROM r GROUP BY model, page)
SELECT model, page, cnt AS count, kmx AS max_growth_bytes,
       CASE WHEN r99 <= 0 THEN kmn WHEN r99 >= cnt - 1 THEN kmx
            ELSE max(kmn, min(kmx, m99)) END AS p99_growth_bytes,
       CASE WHEN r999 <= 0 THEN kmn WHEN r999 >= cnt - 1 THEN kmx
            ELSE max(kmn, min(kmx, m999)) END AS p999_growth_bytes
FROM q
ORDER BY model, page;
