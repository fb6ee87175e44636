//! The maintained rollup totals, computed from scratch: the statement the
//! migration fills `rollup_total` with and `hub138 rollup rebuild` compares
//! the kept totals against. Plain SQL both backends run as written.

/// The totals per (units, inclusion, committee, period, indicator) that the
/// reports imply: for each report, every committee above its unit (itself
/// included) in the tree of its time (`AS_OF`) and, through the unit's
/// `current_id`, in today's tree (`CURRENT`); approved reports count under
/// `APPROVED`, submitted and approved ones under `SUBMITTED`.
pub const EXPECTED: &str = "\
SELECT 'AS_OF' AS units, 'APPROVED' AS inclusion, cc.ancestor_id AS committee_id, \
       r.period AS period, v.indicator_code AS indicator_code, \
       SUM(v.value) AS total, COUNT(*) AS reports \
  FROM report r \
  JOIN report_value v ON v.report_id = r.id \
  JOIN committee_closure cc ON cc.descendant_id = r.committee_id \
 WHERE r.status = 'APPROVED' \
 GROUP BY cc.ancestor_id, r.period, v.indicator_code \
UNION ALL \
SELECT 'AS_OF', 'SUBMITTED', cc.ancestor_id, r.period, v.indicator_code, SUM(v.value), COUNT(*) \
  FROM report r \
  JOIN report_value v ON v.report_id = r.id \
  JOIN committee_closure cc ON cc.descendant_id = r.committee_id \
 WHERE r.status IN ('SUBMITTED', 'APPROVED') \
 GROUP BY cc.ancestor_id, r.period, v.indicator_code \
UNION ALL \
SELECT 'CURRENT', 'APPROVED', cc.ancestor_id, r.period, v.indicator_code, SUM(v.value), COUNT(*) \
  FROM report r \
  JOIN report_value v ON v.report_id = r.id \
  JOIN committee rc ON rc.id = r.committee_id \
  JOIN committee_closure cc ON cc.descendant_id = rc.current_id \
 WHERE r.status = 'APPROVED' \
 GROUP BY cc.ancestor_id, r.period, v.indicator_code \
UNION ALL \
SELECT 'CURRENT', 'SUBMITTED', cc.ancestor_id, r.period, v.indicator_code, SUM(v.value), COUNT(*) \
  FROM report r \
  JOIN report_value v ON v.report_id = r.id \
  JOIN committee rc ON rc.id = r.committee_id \
  JOIN committee_closure cc ON cc.descendant_id = rc.current_id \
 WHERE r.status IN ('SUBMITTED', 'APPROVED') \
 GROUP BY cc.ancestor_id, r.period, v.indicator_code";

/// The columns of `rollup_total` in the order of [`EXPECTED`].
pub const COLUMNS: &str = "units, inclusion, committee_id, period, indicator_code, total, reports";

/// Fills an empty `rollup_total` from the reports.
pub fn fill() -> String {
    format!("INSERT INTO rollup_total ({COLUMNS}) SELECT {COLUMNS} FROM ({EXPECTED}) e")
}
