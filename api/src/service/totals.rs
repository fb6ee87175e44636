//! Rollup totals kept up to date (`rollup_total`): for every committee, its
//! whole subtree's sum and number of reports per (units, inclusion, period,
//! indicator). A rollup of a subtree or of a committee's children then reads
//! one row per group instead of every report below.
//!
//! - Kept in the transaction of each change of a report's status
//!   ([`on_step`]): the only change that moves a report into or out of a
//!   total. Values change only while a report is DRAFT or RETURNED, when it
//!   counts under neither inclusion; an APPROVED report is locked.
//! - Each change adds (or subtracts) the report's values to every committee
//!   above its unit, itself included, in the tree of its time and, through
//!   the unit's `current_id`, in today's tree: two statements, whatever the
//!   depth.
//! - Rows are written in one order (committee, indicator) so that two
//!   writers touching the same upper committees take its rows' locks in the
//!   same order.
//! - [`check`] compares the kept totals with the sums of the raw reports;
//!   [`rebuild`] recomputes them (after bulk loads that bypass the services,
//!   and `hub138 rollup rebuild`).

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement, TransactionTrait};

use crate::error::Result;
use crate::service::enums::{ReportInclusion, ReportStatus, Units};

/// Whether a report of `status` counts under `inclusion`.
pub fn counts(inclusion: ReportInclusion, status: ReportStatus) -> bool {
    match inclusion {
        ReportInclusion::Approved => status == ReportStatus::Approved,
        ReportInclusion::Submitted => {
            matches!(status, ReportStatus::Submitted | ReportStatus::Approved)
        }
    }
}

/// The report `report_id` moved from `from` to `to`: its values join or leave
/// the totals of every inclusion whose membership changed.
pub async fn on_step(
    db: &impl ConnectionTrait,
    report_id: i64,
    from: ReportStatus,
    to: ReportStatus,
) -> Result<()> {
    for inclusion in [ReportInclusion::Approved, ReportInclusion::Submitted] {
        let sign = match (counts(inclusion, from), counts(inclusion, to)) {
            (false, true) => 1,
            (true, false) => -1,
            _ => continue,
        };
        for units in [Units::AsOf, Units::Current] {
            add(db, report_id, inclusion, units, sign).await?;
        }
    }
    Ok(())
}

/// Adds `sign` × the report's values to the totals of `inclusion` in `units`.
async fn add(
    db: &impl ConnectionTrait,
    report_id: i64,
    inclusion: ReportInclusion,
    units: Units,
    sign: i64,
) -> Result<()> {
    let unit = match units {
        Units::AsOf => "r.committee_id",
        Units::Current => "rc.current_id",
    };
    // The ids and signs are integers, the names constants: nothing is bound.
    let sql = format!(
        "INSERT INTO rollup_total ({cols}) \
         SELECT '{units}', '{inclusion}', cc.ancestor_id, r.period, v.indicator_code, \
                {sign} * v.value, {sign} \
           FROM report r \
           JOIN committee rc ON rc.id = r.committee_id \
           JOIN report_value v ON v.report_id = r.id \
           JOIN committee_closure cc ON cc.descendant_id = {unit} \
          WHERE r.id = {report_id} \
          ORDER BY cc.ancestor_id, v.indicator_code \
         ON CONFLICT (units, inclusion, committee_id, indicator_code, period) DO UPDATE \
            SET total = rollup_total.total + excluded.total, \
                reports = rollup_total.reports + excluded.reports",
        cols = migration::rollup_totals::COLUMNS,
        units = units.as_str(),
        inclusion = inclusion.as_str(),
    );
    db.execute_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    Ok(())
}

/// How the kept totals compare with the reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    /// Rows the reports imply.
    pub expected: i64,
    /// Of those, rows not kept, or kept with another value.
    pub unmatched: i64,
    /// Kept rows the reports do not imply as they are (another value, or
    /// no such group).
    pub excess: i64,
}

impl Comparison {
    /// The kept totals are the reports' sums.
    pub fn equal(&self) -> bool {
        self.unmatched == 0 && self.excess == 0
    }
}

/// Compares the kept totals with the sums of the raw reports (kept rows that
/// fell back to no report are ignored: they read as absent).
pub async fn check(db: &impl ConnectionTrait) -> Result<Comparison> {
    let expected = migration::rollup_totals::EXPECTED;
    let cols = migration::rollup_totals::COLUMNS;
    let kept = format!("SELECT {cols} FROM rollup_total WHERE reports <> 0");
    let sql = format!(
        "SELECT \
           (SELECT COUNT(*) FROM ({expected}) e) AS expected, \
           (SELECT COUNT(*) FROM (SELECT {cols} FROM ({expected}) e EXCEPT {kept}) b) \
             AS unmatched, \
           (SELECT COUNT(*) FROM ({kept} EXCEPT SELECT {cols} FROM ({expected}) e) a) \
             AS excess"
    );
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    let Some(row) = row else {
        return Ok(Comparison::default());
    };
    Ok(Comparison {
        expected: row.try_get("", "expected")?,
        unmatched: row.try_get("", "unmatched")?,
        excess: row.try_get("", "excess")?,
    })
}

/// Recomputes the totals from the reports in `db`'s current transaction.
pub async fn refill(db: &impl ConnectionTrait) -> Result<()> {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_string(backend, "DELETE FROM rollup_total"))
        .await?;
    db.execute_raw(Statement::from_string(
        backend,
        migration::rollup_totals::fill(),
    ))
    .await?;
    Ok(())
}

/// Compares, then recomputes the totals in one transaction: what differed
/// before the rebuild.
pub async fn rebuild(db: &DatabaseConnection) -> Result<Comparison> {
    let tx = db.begin().await?;
    let before = check(&tx).await?;
    refill(&tx).await?;
    tx.commit().await?;
    Ok(before)
}
