-- The national rollup for the PostGraphile side of the benchmark: one
-- indicator's sum over the approved quarterly reports of a year, one row per
-- child of the central committee in force during that year (for 2024: the 63
-- pre-2025 provinces), each summing every report of its subtree
-- (committee_closure), zero rows included, ordered by code.
--
-- The same numbers as Hub138's
--   committeeByCode(level: CENTRAL, code: "VN") {
--     indicatorRollup(indicators: [$indicator], period: "$year",
--                     groupBy: CHILD, units: AS_OF, include: APPROVED) { rows { ... } } }
-- whose default basis for a year is its quarters ("2024-Q1" .. "2024-Q4");
-- year, half-year and month reports do not count, nor do SUBMITTED, RETURNED
-- or DRAFT ones. `reports` is the number of report values summed.
--
-- Idempotent: psql -h 127.0.0.1 -U postgres -d DB -v ON_ERROR_STOP=1 -f rollup.sql
CREATE OR REPLACE FUNCTION public.national_rollup(indicator text, year integer)
RETURNS TABLE (
  committee_id bigint,
  code character varying,
  name character varying,
  value double precision,
  reports bigint
)
LANGUAGE sql
STABLE
PARALLEL SAFE
AS $$
  WITH provinces AS (
    SELECT p.id, p.code, p.name
    FROM committee p
    JOIN committee central ON central.id = p.parent_id
    WHERE central.level = 'CENTRAL'
      AND (p.valid_from IS NULL OR p.valid_from <= make_date(national_rollup.year, 12, 31))
      AND (p.valid_to IS NULL OR p.valid_to >= make_date(national_rollup.year, 1, 1))
  ),
  sums AS (
    SELECT cc.ancestor_id, sum(v.value) AS total, count(v.value) AS n
    FROM report r
    JOIN committee_closure cc ON cc.descendant_id = r.committee_id
    JOIN report_value v ON v.report_id = r.id
    WHERE cc.ancestor_id IN (SELECT id FROM provinces)
      AND r.status = 'APPROVED'
      AND r.period IN (
        national_rollup.year || '-Q1', national_rollup.year || '-Q2',
        national_rollup.year || '-Q3', national_rollup.year || '-Q4')
      AND v.indicator_code = national_rollup.indicator
    GROUP BY cc.ancestor_id
  )
  SELECT p.id, p.code, p.name, coalesce(s.total, 0), coalesce(s.n, 0)
  FROM provinces p
  LEFT JOIN sums s ON s.ancestor_id = p.id
  ORDER BY p.code, p.id
$$;

COMMENT ON FUNCTION public.national_rollup(text, integer) IS
  'One indicator''s sum over the approved quarterly reports of a year, per province in force that year (its whole subtree), ordered by code.';
