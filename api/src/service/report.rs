//! Periodic reports: expected reports from a plan's reporting rules, a
//! committee's narrative and indicator values, and the review flow
//! DRAFT → SUBMITTED → APPROVED, or → RETURNED (with a reason) → SUBMITTED …
//!
//! - One report per committee and period. A plan's reporting rules expect a
//!   report from every committee below the plan's committee that exists at
//!   the end of the period (see [`crate::service::period`] for deadlines);
//!   the expectation is written when the plan is issued.
//! - Values are counts of SUM indicators; rates are never entered, they are
//!   computed from rolled-up counts.
//! - Timeliness is judged by the first submission: after the deadline
//!   (Vietnam's date) it is LATE, and stays so through a return.
//! - An APPROVED report is locked: any change is refused with `LOCKED`.
//! - Every change bumps `version`; writers may name the version they saw
//!   and a stale one is a CONFLICT that changes nothing.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use entities::{
    committee, committee_closure, indicator, plan, report, report_value, reporting_rule,
};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    JoinType, QueryFilter, QueryOrder, QuerySelect,
};

use crate::auth::Scope;
use crate::error::UserErrorCode;
use crate::error::{Error, Result};
use crate::ids::Kind;
use crate::service::audit::json;
use crate::service::batch;
use crate::service::enums::ReportStatus;
use crate::service::enums::Role;
use crate::service::events::ReportSubmitted;
use crate::service::page::{self, Cursor, Key, Ordering, Page, PageArgs};
use crate::service::period::{self, Period, Rule};
use crate::service::validate::Check;
use crate::service::webhooks::{self, EventType};
use crate::service::write::{Notice, Write};
use crate::service::{text, today, totals};

/// The largest count a report may state.
pub const MAX_VALUE: f64 = 1_000_000_000.0;
/// The most values one save may carry.
pub const MAX_VALUES: usize = 100;

/// Reports the viewer may read: those of committees in its subtrees.
fn visible(scope: &Scope) -> Condition {
    scope.in_subtree(Expr::col((report::Entity, report::Column::CommitteeId)))
}

pub async fn by_ids(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: &[i64],
) -> Result<Vec<report::Model>> {
    Ok(report::Entity::find()
        .filter(batch::id_in(db, report::Column::Id, ids.iter().copied()))
        .filter(visible(scope))
        .all(db)
        .await?)
}

/// The values of each report, in indicator order.
pub async fn values(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<report_value::Model>>> {
    let rows = report_value::Entity::find()
        .join(
            JoinType::InnerJoin,
            report_value::Entity::belongs_to(indicator::Entity)
                .from(report_value::Column::IndicatorCode)
                .to(indicator::Column::Code)
                .into(),
        )
        .filter(batch::id_in(
            db,
            report_value::Column::ReportId,
            ids.iter().copied(),
        ))
        .order_by_asc(indicator::Column::Position)
        .all(db)
        .await?;
    let mut out: HashMap<i64, Vec<report_value::Model>> = HashMap::new();
    for v in rows {
        out.entry(v.report_id).or_default().push(v);
    }
    Ok(out)
}

/// Filters of a committee's report list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ReportFilter {
    pub period: Option<Period>,
    pub status: Option<ReportStatus>,
}

impl ReportFilter {
    fn apply(
        &self,
        scope: &Scope,
        s: sea_orm::Select<report::Entity>,
    ) -> sea_orm::Select<report::Entity> {
        let mut s = s.filter(visible(scope));
        if let Some(p) = self.period {
            s = s.filter(report::Column::Period.eq(p.to_string()));
        }
        if let Some(st) = self.status {
            s = s.filter(report::Column::Status.eq(st.as_str()));
        }
        s
    }
}

/// Newest year first; within a year by period name, descending.
fn ordering() -> Ordering {
    Ordering {
        key: Expr::col((report::Entity, report::Column::Period)),
        id: Expr::col((report::Entity, report::Column::Id)),
        desc: true,
    }
}

fn cursor(r: &report::Model) -> Cursor {
    Cursor {
        key: Key::Str(r.period.clone()),
        id: r.id,
    }
}

pub async fn pages_by_committee(
    db: &impl ConnectionTrait,
    scope: &Scope,
    committees: &[i64],
    filter: &ReportFilter,
    args: &PageArgs,
) -> Result<HashMap<i64, Page<report::Model>>> {
    let s = filter.apply(scope, report::Entity::find());
    let partition = Expr::col((report::Entity, report::Column::CommitteeId));
    page::fetch_partitioned(db, s, partition, committees, &ordering(), args, cursor).await
}

pub async fn counts_by_committee(
    db: &impl ConnectionTrait,
    scope: &Scope,
    committees: &[i64],
    filter: &ReportFilter,
) -> Result<HashMap<i64, i64>> {
    let s = filter.apply(
        scope,
        report::Entity::find().filter(batch::id_in(
            db,
            report::Column::CommitteeId,
            committees.iter().copied(),
        )),
    );
    page::count_partitioned(
        db,
        s,
        Expr::col((report::Entity, report::Column::CommitteeId)),
    )
    .await
}

/// Writes the reports `plan_id`'s rules expect (see the module docs). An
/// existing report for the same committee and period keeps its content and
/// gains the deadline if it had none. Returns the number of periods.
pub async fn expect_for_plan(db: &impl ConnectionTrait, plan_id: i64) -> Result<usize> {
    let Some(p) = plan::Entity::find_by_id(plan_id).one(db).await? else {
        return Ok(0);
    };
    let rules = reporting_rule::Entity::find()
        .filter(reporting_rule::Column::PlanId.eq(plan_id))
        .all(db)
        .await?;
    let parsed: Vec<Rule<'_>> = rules
        .iter()
        .map(|r| Rule {
            cadence: r.cadence,
            month_day: r.deadline_month_day.as_deref(),
        })
        .collect();
    let expected = period::expected(&parsed, p.period_from, p.period_to);
    let now = Utc::now();
    for (period, deadline) in &expected {
        let end = period.end();
        let below = Query::select()
            .column(committee_closure::Column::DescendantId)
            .from(committee_closure::Entity)
            .and_where(committee_closure::Column::AncestorId.eq(p.committee_id))
            .and_where(committee_closure::Column::Distance.gt(0))
            .to_owned();
        let select = Query::select()
            .column(committee::Column::Id)
            .exprs([
                Expr::val(period.to_string()),
                Expr::val(period.kind.as_str()),
                Expr::val(period.start()),
                Expr::val(end),
                Expr::val(plan_id),
                Expr::val(*deadline),
                Expr::val(ReportStatus::Draft.as_str()),
                Expr::val(false),
                Expr::val(1i32),
                Expr::val(now),
                Expr::val(now),
            ])
            .from(committee::Entity)
            .and_where(committee::Column::Id.in_subquery(below))
            .cond_where(
                Condition::all()
                    .add(
                        Condition::any()
                            .add(committee::Column::ValidFrom.is_null())
                            .add(committee::Column::ValidFrom.lte(end)),
                    )
                    .add(
                        Condition::any()
                            .add(committee::Column::ValidTo.is_null())
                            .add(committee::Column::ValidTo.gte(end)),
                    ),
            )
            .to_owned();
        let insert = Query::insert()
            .into_table(report::Entity)
            .columns([
                report::Column::CommitteeId,
                report::Column::Period,
                report::Column::PeriodKind,
                report::Column::PeriodStart,
                report::Column::PeriodEnd,
                report::Column::PlanId,
                report::Column::Deadline,
                report::Column::Status,
                report::Column::Late,
                report::Column::Version,
                report::Column::CreatedAt,
                report::Column::UpdatedAt,
            ])
            .select_from(select)
            .map_err(|e| Error::Internal(std::sync::Arc::new(anyhow::anyhow!("{e}"))))?
            .on_conflict(
                OnConflict::columns([report::Column::CommitteeId, report::Column::Period])
                    .value(
                        report::Column::Deadline,
                        Expr::cust("COALESCE(report.deadline, excluded.deadline)"),
                    )
                    .value(
                        report::Column::PlanId,
                        Expr::cust("COALESCE(report.plan_id, excluded.plan_id)"),
                    )
                    .to_owned(),
            )
            .to_owned();
        db.execute(&insert).await?;
    }
    Ok(expected.len())
}

/// A committee's report content for one period.
#[derive(Clone, Debug)]
pub struct SaveReport {
    pub committee_id: i64,
    pub period: Period,
    /// `None` keeps the narrative; `Some(None)` clears it.
    pub narrative: Option<Option<String>>,
    /// Indicator code and count; replaces the value of each code named.
    pub values: Vec<(String, i64)>,
    pub expected_version: Option<i32>,
    /// Entered by the committee directly above, on this one's behalf
    /// (spreadsheet imports only; see `Viewer::may_enter_on_behalf`).
    pub on_behalf: bool,
}

fn locked(r: &report::Model) -> Error {
    let when = r
        .reviewed_at
        .map(|t| format!(" on {}", t.format("%Y-%m-%d")))
        .unwrap_or_default();
    Error::invalid(
        &["input", "id"],
        UserErrorCode::Locked,
        format!(
            "the report for {} was approved{when} and is locked",
            r.period
        ),
    )
}

/// Another writer created the same report between this one's read and its
/// insert (the unique index on committee and period fired): the caller saw
/// a report that did not exist yet, which is a stale view like any other.
fn created_meanwhile(err: sea_orm::DbErr) -> Error {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            Error::Conflict("the report was created meanwhile; reload it and try again".to_owned())
        }
        _ => err.into(),
    }
}

fn stale(r: &report::Model, expected: Option<i32>) -> Result<()> {
    match expected {
        Some(v) if v != r.version => Err(Error::Conflict(format!(
            "the report is at version {}, not {v}; reload it and try again",
            r.version
        ))),
        _ => Ok(()),
    }
}

/// Checks values against the indicator set.
async fn check_values(
    db: &impl ConnectionTrait,
    values: &[(String, i64)],
) -> Result<Vec<(String, f64)>> {
    let mut c = Check::new();
    if values.len() > MAX_VALUES {
        return Err(Error::invalid(
            &["input", "values"],
            UserErrorCode::TooMany,
            format!("at most {MAX_VALUES} values per save"),
        ));
    }
    let mut codes = Vec::new();
    for (i, (k, _)) in values.iter().enumerate() {
        let idx = i.to_string();
        // Only plain strings reach SQL.
        if c.plain(&["input", "values", idx.as_str(), "indicator"], k) {
            codes.push(text::clean(k));
        } else {
            codes.push(String::new());
        }
    }
    let known = crate::service::indicator::by_codes(db, &codes).await?;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (i, ((_, value), code)) in values.iter().zip(codes).enumerate() {
        let idx = i.to_string();
        let field = ["input", "values", idx.as_str(), "indicator"];
        match known.get(&code) {
            None if code.is_empty() => {}
            None => c.fail(
                &field,
                UserErrorCode::UnknownIndicator,
                format!("no indicator with code {code:?}"),
            ),
            Some(ind) if ind.aggregation != "SUM" => c.fail(
                &field,
                UserErrorCode::ComputedIndicator,
                format!(
                    "{code} is a rate computed from its numerator and denominator; report those"
                ),
            ),
            Some(_) if !seen.insert(code.clone()) => c.fail(
                &field,
                UserErrorCode::Duplicate,
                format!("{code} is given more than once"),
            ),
            Some(_) => {}
        }
        #[allow(clippy::cast_precision_loss)]
        let v = *value as f64;
        if !(0.0..=MAX_VALUE).contains(&v) {
            c.fail(
                &["input", "values", idx.as_str(), "value"],
                UserErrorCode::OutOfRange,
                format!("a count is between 0 and {MAX_VALUE}"),
            );
        }
        out.push((code, v));
    }
    c.finish()?;
    Ok(out)
}

/// Creates or updates the committee's report for the period (DRAFT or
/// RETURNED only; an EDITOR of the committee), audited.
pub async fn save(w: &Write<'_>, input: SaveReport) -> Result<report::Model> {
    let r = save_in(w, input).await?;
    w.audit(
        Some(r.committee_id),
        Some((Kind::Report, r.id)),
        None,
        json(&r),
    )
    .await?;
    Ok(r)
}

/// [`save`] without its audit event, for a change audited as a whole (an
/// import of many reports is one event).
pub async fn save_in(w: &Write<'_>, input: SaveReport) -> Result<report::Model> {
    let committee = w
        .committee(input.committee_id, &["input", "committeeId"])
        .await?;
    if input.on_behalf {
        w.may_enter_on_behalf(&committee)?;
    } else {
        w.may_write(&committee, Role::Editor).await?;
    }
    let entered_by = if input.on_behalf {
        w.caller().map(|v| v.committee_id)
    } else {
        None
    };
    let db = w.tx();
    let mut c = Check::new();
    let narrative = input
        .narrative
        .clone()
        .map(|n| c.opt_text(&["input", "narrative"], n.as_deref(), 20_000));
    c.finish()?;
    let values = check_values(db, &input.values).await?;
    let tx = db;
    let result: Result<report::Model> = async {
        let existing = report::Entity::find()
            .filter(report::Column::CommitteeId.eq(input.committee_id))
            .filter(report::Column::Period.eq(input.period.to_string()))
            .one(tx)
            .await?;
        let now = Utc::now();
        let saved = match existing {
            Some(r) => {
                editable(&r)?;
                stale(&r, input.expected_version)?;
                let version = r.version;
                let mut m: report::ActiveModel = r.into();
                if let Some(n) = narrative {
                    m.narrative = Set(n);
                }
                m.entered_by_committee_id = Set(entered_by);
                m.version = Set(version + 1);
                m.updated_at = Set(now);
                bump(tx, m, version).await?
            }
            None => report::ActiveModel {
                committee_id: Set(input.committee_id),
                period: Set(input.period.to_string()),
                period_kind: Set(input.period.kind.as_str().to_owned()),
                period_start: Set(input.period.start()),
                period_end: Set(input.period.end()),
                plan_id: Set(None),
                deadline: Set(None),
                status: Set(ReportStatus::Draft),
                narrative: Set(narrative.flatten()),
                submitted_at: Set(None),
                late: Set(false),
                reviewed_at: Set(None),
                return_reason: Set(None),
                version: Set(1),
                entered_by_committee_id: Set(entered_by),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(tx)
            .await
            .map_err(created_meanwhile)?,
        };
        if !values.is_empty() {
            let codes: Vec<String> = values.iter().map(|(k, _)| k.clone()).collect();
            report_value::Entity::delete_many()
                .filter(report_value::Column::ReportId.eq(saved.id))
                .filter(report_value::Column::IndicatorCode.is_in(codes))
                .exec(tx)
                .await?;
            let rows = values.iter().map(|(k, v)| report_value::ActiveModel {
                report_id: Set(saved.id),
                indicator_code: Set(k.clone()),
                value: Set(*v),
            });
            report_value::Entity::insert_many(rows)
                .exec_without_returning(tx)
                .await?;
        }
        Ok(saved)
    }
    .await;
    result
}

fn editable(r: &report::Model) -> Result<()> {
    match r.status {
        ReportStatus::Approved => Err(locked(r)),
        ReportStatus::Submitted => Err(Error::invalid(
            &["input", "id"],
            UserErrorCode::Submitted,
            format!(
                "the report for {} is submitted and awaits review; it can change once returned",
                r.period
            ),
        )),
        _ => Ok(()),
    }
}

/// Writes `m` only if the row is still at `version` (another writer
/// otherwise got there first: CONFLICT, nothing written).
async fn bump(
    db: &impl ConnectionTrait,
    m: report::ActiveModel,
    version: i32,
) -> Result<report::Model> {
    let id = match &m.id {
        Set(id) | sea_orm::ActiveValue::Unchanged(id) => *id,
        sea_orm::ActiveValue::NotSet => return Err(Error::NotFound("report".into())),
    };
    let res = report::Entity::update_many()
        .set(m)
        .filter(report::Column::Id.eq(id))
        .filter(report::Column::Version.eq(version))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(Error::Conflict(
            "the report changed meanwhile; reload it and try again".into(),
        ));
    }
    report::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound("report".into()))
}

/// A step of the review flow.
#[derive(Clone, Debug)]
pub enum Step {
    Submit,
    Approve,
    Return(String),
}

impl Step {
    fn name(&self) -> &'static str {
        match self {
            Step::Submit => "submitted",
            Step::Approve => "approved",
            Step::Return(_) => "returned",
        }
    }
}

/// DRAFT or RETURNED → SUBMITTED (an EDITOR of the report's committee). A
/// first submission after the deadline is late. The reviewers hear of it
/// once the transaction commits.
pub async fn submit(
    w: &Write<'_>,
    id: i64,
    expected_version: Option<i32>,
) -> Result<report::Model> {
    let (after, committee) = move_report(w, id, Step::Submit, expected_version).await?;
    w.notify(Notice::ReportSubmitted(ReportSubmitted {
        report_id: after.id,
        committee_id: after.committee_id,
        parent_id: committee.parent_id,
    }));
    Ok(after)
}

/// SUBMITTED → APPROVED or RETURNED: a COORDINATOR (or ADMIN) of the
/// committee above the report's, or of a committee above that.
pub async fn review(
    w: &Write<'_>,
    id: i64,
    step: Step,
    expected_version: Option<i32>,
) -> Result<report::Model> {
    Ok(move_report(w, id, step, expected_version).await?.0)
}

/// One step of the review flow by whoever the step's rule allows, audited.
async fn move_report(
    w: &Write<'_>,
    id: i64,
    step: Step,
    expected_version: Option<i32>,
) -> Result<(report::Model, committee::Model)> {
    let before = w.report(id, &["input", "id"]).await?;
    let committee = w.committee(before.committee_id, &["input", "id"]).await?;
    match (&step, w.caller()) {
        // A report the committee above entered on its behalf, that
        // committee's coordinator may submit too.
        (Step::Submit, Some(v)) if before.entered_by_committee_id == Some(v.committee_id) => {
            w.may_enter_on_behalf(&committee)?;
        }
        (Step::Submit, _) => w.may_write(&committee, Role::Editor).await?,
        (_, Some(v)) => {
            let inside = match committee.parent_id {
                Some(parent) => w.in_subtree(parent).await?,
                None => false,
            };
            v.may_review(inside)?;
        }
        (_, None) => {}
    }
    let after = step_in(w.tx(), before.clone(), step, expected_version).await?;
    w.audit(
        Some(after.committee_id),
        Some((Kind::Report, after.id)),
        json(&before),
        json(&after),
    )
    .await?;
    Ok((after, committee))
}

/// Moves a report one step. A first submission is judged late against
/// today's date in Vietnam.
pub async fn step_in(
    tx: &sea_orm::DatabaseTransaction,
    r: report::Model,
    step: Step,
    expected_version: Option<i32>,
) -> Result<report::Model> {
    let reason = match &step {
        Step::Return(r) => {
            let mut c = Check::new();
            let r = c.text(&["input", "reason"], r, 2000);
            c.finish()?;
            Some(r)
        }
        _ => None,
    };
    let from = r.status;
    if from == ReportStatus::Approved {
        return Err(locked(&r));
    }
    let allowed = matches!(
        (from, &step),
        (ReportStatus::Draft | ReportStatus::Returned, Step::Submit)
            | (ReportStatus::Submitted, Step::Approve | Step::Return(_))
    );
    if !allowed {
        return Err(Error::invalid(
            &["input", "id"],
            UserErrorCode::InvalidTransition,
            format!("a {from} report cannot be {}", step.name()),
        ));
    }
    stale(&r, expected_version)?;
    let now = Utc::now();
    let version = r.version;
    let first = r.submitted_at.is_none();
    let deadline = r.deadline;
    let mut m: report::ActiveModel = r.into();
    match step {
        Step::Submit => {
            m.status = Set(ReportStatus::Submitted);
            if first {
                m.submitted_at = Set(Some(now));
                m.late = Set(is_late(deadline, today()));
            }
        }
        Step::Approve => {
            m.status = Set(ReportStatus::Approved);
            m.reviewed_at = Set(Some(now));
            m.return_reason = Set(None);
        }
        Step::Return(_) => {
            m.status = Set(ReportStatus::Returned);
            m.reviewed_at = Set(Some(now));
            m.return_reason = Set(reason);
        }
    }
    m.version = Set(version + 1);
    m.updated_at = Set(now);
    let after = bump(tx, m, version).await?;
    totals::on_step(tx, after.id, from, after.status).await?;
    let event = match after.status {
        ReportStatus::Submitted => EventType::ReportSubmitted,
        ReportStatus::Approved => EventType::ReportApproved,
        _ => EventType::ReportReturned,
    };
    webhooks::enqueue(
        tx,
        event,
        after.committee_id,
        serde_json::json!({
            "reportId": crate::ids::encode(Kind::Report, after.id),
            "committeeId": crate::ids::encode(Kind::Committee, after.committee_id),
            "period": after.period,
            "status": after.status.to_string(),
        }),
    )
    .await?;
    Ok(after)
}

/// Submitted on `on` against `deadline`: late only after the deadline day.
pub fn is_late(deadline: Option<NaiveDate>, on: NaiveDate) -> bool {
    deadline.is_some_and(|d| on > d)
}
