//! Subtree rollups, in SQL: indicator sums, reporting completeness and
//! timeliness, and task progress, for many committees in one statement each.
//!
//! - A committee's subtree total joins the closure table once per report, so
//!   its own values and its descendants' are each counted exactly once.
//! - `Units::AsOf` walks the tree the reports were filed in. `Units::Current`
//!   first maps each report's committee to `committee.current_id` (one unit
//!   of today's tree per old unit), then walks today's tree: a merged
//!   province's history lands under its successor once.
//! - Every statement is limited to reports and tasks in the viewer's
//!   subtrees, so an upper committee's rollup shows a viewer only its part.
//! - Rates are computed by the caller from the rolled-up numerator and
//!   denominator, never by averaging rates.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use entities::{
    committee, committee_closure, cooperation_record, counterpart, plan, plan_link, report,
    report_value, task, task_progress,
};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, JoinType, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::auth::Scope;
use crate::error::Result;
use crate::service::batch;
use crate::service::enums::{ReportInclusion, ReportStatus, TaskStatus, Units};
use crate::service::period::{Period, PeriodKind};

fn col(table: &str, column: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(column)))
}

/// How rows of a rollup are grouped, for each asked committee `A`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Grouping {
    /// `A`'s whole subtree, itself included.
    Subtree,
    /// `A`'s own reports only.
    Own,
    /// One group per child of `A` (the child's subtree).
    Child,
    /// One group per level of the reporting units in `A`'s subtree.
    Level,
}

/// A group of a rollup: the asked committee and, for CHILD or LEVEL, the part.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GroupKey {
    pub committee: i64,
    pub child: Option<i64>,
    pub level: Option<String>,
}

/// Which reports a rollup reads.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Selection {
    /// The periods summed (the parts of the asked period at the basis cadence).
    pub periods: Vec<String>,
    pub include: ReportInclusion,
    pub units: Units,
}

impl Selection {
    pub fn new(period: Period, basis: PeriodKind, include: ReportInclusion, units: Units) -> Self {
        Self {
            periods: period
                .parts(basis)
                .iter()
                .map(ToString::to_string)
                .collect(),
            include,
            units,
        }
    }

    fn statuses(&self) -> Vec<&'static str> {
        match self.include {
            ReportInclusion::Approved => vec![ReportStatus::Approved.as_str()],
            ReportInclusion::Submitted => vec![
                ReportStatus::Submitted.as_str(),
                ReportStatus::Approved.as_str(),
            ],
        }
    }
}

/// The default basis: quarters for years, halves and quarters; months for a month.
pub fn default_basis(period: Period) -> PeriodKind {
    if period.kind == PeriodKind::Month {
        PeriodKind::Month
    } else {
        PeriodKind::Quarter
    }
}

/// `FROM report r` joined so that `unit` names the committee a report counts
/// under, then grouped as asked. For CHILD, `committees` are the children.
fn grouped_reports(
    scope: &Scope,
    units: Units,
    grouping: Grouping,
    committees: &[i64],
) -> SelectStatement {
    let mut q = Query::select();
    q.from_as(report::Entity, Alias::new("r"));
    let unit = match units {
        Units::AsOf => col("r", "committee_id"),
        Units::Current => {
            q.join_as(
                JoinType::InnerJoin,
                committee::Entity,
                Alias::new("rc"),
                col("rc", "id").equals((Alias::new("r"), Alias::new("committee_id"))),
            );
            col("rc", "current_id")
        }
    };
    let ids = committees.to_vec();
    match grouping {
        Grouping::Own => {
            q.expr_as(unit.clone(), Alias::new("grp"));
            q.and_where(unit.clone().is_in(ids));
            q.group_by_col(Alias::new("grp"));
        }
        Grouping::Subtree | Grouping::Child | Grouping::Level => {
            q.join_as(
                JoinType::InnerJoin,
                committee_closure::Entity,
                Alias::new("cc"),
                unit.clone()
                    .equals((Alias::new("cc"), Alias::new("descendant_id"))),
            );
            if grouping == Grouping::Child {
                // `committees` holds the children here (see `Children`):
                // written as literals, so PostgreSQL estimates the closure
                // rows from its statistics and picks hash joins.
                q.expr_as(col("cc", "ancestor_id"), Alias::new("part"));
                q.and_where(literal_in("cc", "ancestor_id", committees));
                q.group_by_col((Alias::new("cc"), Alias::new("ancestor_id")));
            } else {
                q.expr_as(col("cc", "ancestor_id"), Alias::new("grp"));
                q.and_where(col("cc", "ancestor_id").is_in(ids));
                q.group_by_col((Alias::new("cc"), Alias::new("ancestor_id")));
                if grouping == Grouping::Level {
                    q.join_as(
                        JoinType::InnerJoin,
                        committee::Entity,
                        Alias::new("lu"),
                        col("lu", "id").equals(unit_ref(units)),
                    );
                    q.expr_as(col("lu", "level"), Alias::new("part_level"));
                    q.group_by_col((Alias::new("lu"), Alias::new("level")));
                }
            }
        }
    }
    q.cond_where(scope.in_subtree(col("r", "committee_id")));
    q
}

/// `table.column IN (1, 2, 3)` with the ids as literals (they are integers).
fn literal_in(table: &str, column: &str, ids: &[i64]) -> Expr {
    if ids.is_empty() {
        return Expr::cust("1 = 0");
    }
    let list: Vec<String> = ids.iter().map(ToString::to_string).collect();
    Expr::cust(format!("\"{table}\".\"{column}\" IN ({})", list.join(", ")))
}

/// The children of the asked committees, for CHILD groupings: each child's
/// rows are read by the child's id and mapped back to its parent.
struct Children(HashMap<i64, i64>);

impl Children {
    async fn of(db: &impl ConnectionTrait, grouping: Grouping, parents: &[i64]) -> Result<Self> {
        if grouping != Grouping::Child || parents.is_empty() {
            return Ok(Self(HashMap::new()));
        }
        let rows: Vec<(i64, Option<i64>)> = committee::Entity::find()
            .select_only()
            .column(committee::Column::Id)
            .column(committee::Column::ParentId)
            .filter(batch::id_in(
                db,
                committee::Column::ParentId,
                parents.iter().copied(),
            ))
            .into_tuple()
            .all(db)
            .await?;
        Ok(Self(
            rows.into_iter()
                .filter_map(|(id, p)| Some((id, p?)))
                .collect(),
        ))
    }

    /// The ids to group by: the children for CHILD, else the asked committees.
    fn ids(&self, grouping: Grouping, committees: &[i64]) -> Vec<i64> {
        if grouping == Grouping::Child {
            let mut ids: Vec<i64> = self.0.keys().copied().collect();
            ids.sort_unstable();
            ids
        } else {
            committees.to_vec()
        }
    }

    fn key(&self, row: &sea_orm::QueryResult, grouping: Grouping) -> Result<Option<GroupKey>> {
        if grouping == Grouping::Child {
            let part: i64 = row.try_get("", "part")?;
            return Ok(self.0.get(&part).map(|&parent| GroupKey {
                committee: parent,
                child: Some(part),
                level: None,
            }));
        }
        group_key(row, grouping).map(Some)
    }
}

fn unit_ref(units: Units) -> (Alias, Alias) {
    match units {
        Units::AsOf => (Alias::new("r"), Alias::new("committee_id")),
        Units::Current => (Alias::new("rc"), Alias::new("current_id")),
    }
}

/// The group of a row of any grouping but CHILD (see [`Children::key`]).
fn group_key(row: &sea_orm::QueryResult, grouping: Grouping) -> Result<GroupKey> {
    Ok(GroupKey {
        committee: row.try_get("", "grp")?,
        child: None,
        level: if grouping == Grouping::Level {
            Some(row.try_get("", "part_level")?)
        } else {
            None
        },
    })
}

/// One indicator's rolled-up sum and the number of reports that gave it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sum {
    pub value: f64,
    pub reports: i64,
}

/// Sums of the count indicators `codes` per group.
pub async fn sums(
    db: &impl ConnectionTrait,
    scope: &Scope,
    sel: &Selection,
    codes: &[String],
    grouping: Grouping,
    committees: &[i64],
) -> Result<HashMap<GroupKey, HashMap<String, Sum>>> {
    if committees.is_empty() || codes.is_empty() || sel.periods.is_empty() {
        return Ok(HashMap::new());
    }
    let children = Children::of(db, grouping, committees).await?;
    let ids = children.ids(grouping, committees);
    if kept_totals_serve(db, scope, sel.units, grouping, &ids).await? {
        return kept_sums(db, sel, codes, grouping, &children, &ids).await;
    }
    let mut q = grouped_reports(scope, sel.units, grouping, &ids);
    q.join_as(
        JoinType::InnerJoin,
        report_value::Entity,
        Alias::new("v"),
        col("v", "report_id").equals((Alias::new("r"), Alias::new("id"))),
    )
    .expr_as(col("v", "indicator_code"), Alias::new("code"))
    .expr_as(Func::sum(col("v", "value")), Alias::new("total"))
    .expr_as(Func::count(col("v", "value")), Alias::new("n"))
    .and_where(col("r", "period").is_in(sel.periods.clone()))
    .and_where(col("r", "status").is_in(sel.statuses()))
    .and_where(col("v", "indicator_code").is_in(codes.to_vec()))
    .group_by_col((Alias::new("v"), Alias::new("indicator_code")));
    let rows = db
        .query_all_raw(db.get_database_backend().build(&q))
        .await?;
    sums_by_group(rows, grouping, &children)
}

/// Rows of (group, `code`, `total`, `n`) as sums per group and indicator.
fn sums_by_group(
    rows: Vec<sea_orm::QueryResult>,
    grouping: Grouping,
    children: &Children,
) -> Result<HashMap<GroupKey, HashMap<String, Sum>>> {
    let mut out: HashMap<GroupKey, HashMap<String, Sum>> = HashMap::new();
    for row in rows {
        let Some(key) = children.key(&row, grouping)? else {
            continue;
        };
        let code: String = row.try_get("", "code")?;
        let value: Option<f64> = row.try_get("", "total")?;
        let reports: i64 = row.try_get("", "n")?;
        out.entry(key).or_default().insert(
            code,
            Sum {
                value: value.unwrap_or(0.0),
                reports,
            },
        );
    }
    Ok(out)
}

/// Whether the kept totals (see [`crate::service::totals`]) answer a sum of
/// these groups for this viewer: a subtree or children grouping, and either a
/// viewer who reads everything or, in the tree of the reports' time, groups
/// wholly inside the viewer's subtrees. Otherwise (a viewer's part of an
/// upper committee's rollup; today's units for a viewer whose reform
/// predecessors are only partly its own) the raw reports are summed.
async fn kept_totals_serve(
    db: &impl ConnectionTrait,
    scope: &Scope,
    units: Units,
    grouping: Grouping,
    ids: &[i64],
) -> Result<bool> {
    if !matches!(grouping, Grouping::Subtree | Grouping::Child) {
        return Ok(false);
    }
    if scope.all {
        return Ok(true);
    }
    if units != Units::AsOf || ids.is_empty() {
        return Ok(false);
    }
    let inside = committee::Entity::find()
        .filter(batch::id_in(db, committee::Column::Id, ids.iter().copied()))
        .filter(scope.in_subtree(Expr::col((committee::Entity, committee::Column::Id))))
        .count(db)
        .await?;
    Ok(usize::try_from(inside).is_ok_and(|n| n == ids.len()))
}

/// [`sums`] from the kept totals: one row per group and indicator.
async fn kept_sums(
    db: &impl ConnectionTrait,
    sel: &Selection,
    codes: &[String],
    grouping: Grouping,
    children: &Children,
    ids: &[i64],
) -> Result<HashMap<GroupKey, HashMap<String, Sum>>> {
    let grp = if grouping == Grouping::Child {
        "part"
    } else {
        "grp"
    };
    let t = Alias::new("rollup_total");
    let q = Query::select()
        .from(t.clone())
        .expr_as(col("rollup_total", "committee_id"), Alias::new(grp))
        .expr_as(col("rollup_total", "indicator_code"), Alias::new("code"))
        .expr_as(
            Expr::cust("SUM(\"rollup_total\".\"total\")"),
            Alias::new("total"),
        )
        .expr_as(
            Expr::cust("CAST(SUM(\"rollup_total\".\"reports\") AS BIGINT)"),
            Alias::new("n"),
        )
        .and_where(col("rollup_total", "units").eq(sel.units.as_str()))
        .and_where(col("rollup_total", "inclusion").eq(sel.include.as_str()))
        .and_where(batch::expr_in(
            db,
            col("rollup_total", "committee_id"),
            ids.to_vec(),
        ))
        .and_where(col("rollup_total", "indicator_code").is_in(codes.to_vec()))
        .and_where(col("rollup_total", "period").is_in(sel.periods.clone()))
        .group_by_col((t.clone(), Alias::new("committee_id")))
        .group_by_col((t, Alias::new("indicator_code")))
        .and_having(Expr::cust("SUM(\"rollup_total\".\"reports\") > 0"))
        .to_owned();
    let rows = db
        .query_all_raw(db.get_database_backend().build(&q))
        .await?;
    sums_by_group(rows, grouping, children)
}

/// Completeness and timeliness counts of one group's reports for a period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatusCounts {
    /// Reports a plan's rules expect (they have a deadline).
    pub expected: i64,
    /// Submitted at least once (SUBMITTED, APPROVED or RETURNED).
    pub submitted: i64,
    /// Expected and first submitted by the deadline.
    pub on_time: i64,
    /// Expected and first submitted after the deadline.
    pub late: i64,
    pub approved: i64,
    pub returned: i64,
    /// Submitted and waiting for review (SUBMITTED).
    pub awaiting_review: i64,
    /// Expected, not submitted, deadline not yet passed.
    pub pending: i64,
    /// Expected, not submitted, deadline passed.
    pub missing: i64,
}

/// Reporting status counts per group, for the reports of exactly these periods.
pub async fn status_counts(
    db: &impl ConnectionTrait,
    scope: &Scope,
    periods: &[String],
    units: Units,
    grouping: Grouping,
    committees: &[i64],
    today: NaiveDate,
) -> Result<HashMap<GroupKey, StatusCounts>> {
    if committees.is_empty() {
        return Ok(HashMap::new());
    }
    let children = Children::of(db, grouping, committees).await?;
    let ids = children.ids(grouping, committees);
    let mut q = grouped_reports(scope, units, grouping, &ids);
    let expected = col("r", "deadline").is_not_null();
    let submitted = col("r", "submitted_at").is_not_null();
    let unsent = Condition::all()
        .add(expected.clone())
        .add(col("r", "submitted_at").is_null());
    let counts: [(&str, Condition); 9] = [
        ("expected", Condition::all().add(expected.clone())),
        ("submitted", Condition::all().add(submitted.clone())),
        (
            "on_time",
            Condition::all()
                .add(expected.clone())
                .add(submitted.clone())
                .add(col("r", "late").eq(false)),
        ),
        (
            "late",
            Condition::all()
                .add(expected.clone())
                .add(col("r", "late").eq(true)),
        ),
        (
            "approved",
            Condition::all().add(col("r", "status").eq(ReportStatus::Approved.as_str())),
        ),
        (
            "returned",
            Condition::all().add(col("r", "status").eq(ReportStatus::Returned.as_str())),
        ),
        (
            "awaiting_review",
            Condition::all().add(col("r", "status").eq(ReportStatus::Submitted.as_str())),
        ),
        (
            "pending",
            unsent.clone().add(col("r", "deadline").gte(today)),
        ),
        ("missing", unsent.add(col("r", "deadline").lt(today))),
    ];
    for (name, cond) in counts {
        // COUNT of a CASE without ELSE counts the rows matching `cond`.
        q.expr_as(
            Func::count(Expr::case(cond, Expr::val(1i32))),
            Alias::new(name),
        );
    }
    q.and_where(col("r", "period").is_in(periods.to_vec()));
    let rows = db
        .query_all_raw(db.get_database_backend().build(&q))
        .await?;
    let mut out = HashMap::new();
    for row in rows {
        let Some(key) = children.key(&row, grouping)? else {
            continue;
        };
        let get = |n: &str| -> Result<i64> { Ok(row.try_get("", n)?) };
        out.insert(
            key,
            StatusCounts {
                expected: get("expected")?,
                submitted: get("submitted")?,
                on_time: get("on_time")?,
                late: get("late")?,
                approved: get("approved")?,
                returned: get("returned")?,
                awaiting_review: get("awaiting_review")?,
                pending: get("pending")?,
                missing: get("missing")?,
            },
        );
    }
    Ok(out)
}

/// The children of each parent that a rollup lists: for `AsOf`, those that
/// existed during `from..=to`; for `Current`, today's. Ordered by code; the
/// list is bounded by one committee's fan-out in the real tree (≤ 200).
pub async fn children(
    db: &impl ConnectionTrait,
    scope: &Scope,
    parents: &[i64],
    from: NaiveDate,
    to: NaiveDate,
    units: Units,
) -> Result<HashMap<i64, Vec<committee::Model>>> {
    let mut s = committee::Entity::find()
        .filter(batch::id_in(
            db,
            committee::Column::ParentId,
            parents.iter().copied(),
        ))
        .filter(scope.committee_row_visible());
    s = match units {
        Units::Current => s.filter(committee::Column::ValidTo.is_null()),
        Units::AsOf => s
            .filter(
                Condition::any()
                    .add(committee::Column::ValidFrom.is_null())
                    .add(committee::Column::ValidFrom.lte(to)),
            )
            .filter(
                Condition::any()
                    .add(committee::Column::ValidTo.is_null())
                    .add(committee::Column::ValidTo.gte(from)),
            ),
    };
    let rows = s.order_by_asc(committee::Column::Code).all(db).await?;
    let mut out: HashMap<i64, Vec<committee::Model>> = HashMap::new();
    for c in rows {
        if let Some(p) = c.parent_id {
            out.entry(p).or_default().push(c);
        }
    }
    Ok(out)
}

/// For each of `plan_ids`, that plan and every plan that implements it,
/// directly or through others: one statement per level of implementation
/// for all of them together.
pub async fn plan_families(
    db: &impl ConnectionTrait,
    plan_ids: &[i64],
) -> Result<HashMap<i64, Vec<i64>>> {
    let mut all: HashMap<i64, Vec<i64>> = plan_ids.iter().map(|&p| (p, vec![p])).collect();
    // (the plan a family is of, a plan of it whose implementers are next)
    let mut frontier: Vec<(i64, i64)> = plan_ids.iter().map(|&p| (p, p)).collect();
    while !frontier.is_empty() {
        let mut ids: Vec<i64> = frontier.iter().map(|f| f.1).collect();
        ids.sort_unstable();
        ids.dedup();
        let links = plan_link::Entity::find()
            .filter(batch::id_in(db, plan_link::Column::ImplementsPlanId, ids))
            .all(db)
            .await?;
        let mut by_upper: HashMap<i64, Vec<i64>> = HashMap::new();
        for l in links {
            by_upper
                .entry(l.implements_plan_id)
                .or_default()
                .push(l.plan_id);
        }
        let mut next = Vec::new();
        for (root, upper) in frontier {
            for &lower in by_upper.get(&upper).into_iter().flatten() {
                let family = all.entry(root).or_default();
                if !family.contains(&lower) {
                    family.push(lower);
                    next.push((root, lower));
                }
            }
        }
        frontier = next;
    }
    Ok(all)
}

/// Task counts of one group.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskCounts {
    pub total: i64,
    pub by_status: HashMap<String, i64>,
    pub overdue: i64,
    /// Sum of completion percents over tasks not cancelled (DONE counts 100).
    pub percent_sum: i64,
    /// Tasks not cancelled.
    pub counted: i64,
}

impl TaskCounts {
    /// Completion of the group: every task not cancelled weighs the same.
    pub fn completion(&self) -> Option<f64> {
        #[allow(clippy::cast_precision_loss)]
        (self.counted > 0).then(|| self.percent_sum as f64 / self.counted as f64)
    }
}

/// Which plans' tasks a task rollup counts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PlanSelection {
    /// These plans (a plan and those implementing it).
    Ids(Vec<i64>),
    /// Every plan whose period overlaps `from..=to`.
    Active { from: NaiveDate, to: NaiveDate },
}

/// Task counts per group for the tasks of `plans` in each committee's
/// subtree, as they stood at the end of `as_of` (Vietnam time): each task's
/// last progress report until then, or NOT_STARTED at 0 % without one. For
/// today or later, the tasks' current state.
pub async fn task_counts(
    db: &impl ConnectionTrait,
    scope: &Scope,
    plans: &PlanSelection,
    grouping: Grouping,
    committees: &[i64],
    as_of: NaiveDate,
    today: NaiveDate,
) -> Result<HashMap<GroupKey, TaskCounts>> {
    if committees.is_empty() || plans == &PlanSelection::Ids(Vec::new()) {
        return Ok(HashMap::new());
    }
    let mut q = Query::select();
    q.from_as(task::Entity, Alias::new("t")).join_as(
        JoinType::InnerJoin,
        committee_closure::Entity,
        Alias::new("cc"),
        col("cc", "descendant_id").equals((Alias::new("t"), Alias::new("committee_id"))),
    );
    let children = Children::of(db, grouping, committees).await?;
    let ids = children.ids(grouping, committees);
    match grouping {
        Grouping::Own => {
            q.expr_as(col("t", "committee_id"), Alias::new("grp"))
                .and_where(batch::expr_in(db, col("t", "committee_id"), ids))
                .and_where(col("cc", "distance").eq(0))
                .group_by_col((Alias::new("t"), Alias::new("committee_id")));
        }
        Grouping::Child => {
            q.expr_as(col("cc", "ancestor_id"), Alias::new("part"))
                .and_where(literal_in("cc", "ancestor_id", &ids))
                .group_by_col((Alias::new("cc"), Alias::new("ancestor_id")));
        }
        _ => {
            q.expr_as(col("cc", "ancestor_id"), Alias::new("grp"))
                .and_where(batch::expr_in(db, col("cc", "ancestor_id"), ids))
                .group_by_col((Alias::new("cc"), Alias::new("ancestor_id")));
        }
    }
    let (status, percent) = if as_of >= today {
        (col("t", "status"), col("t", "percent"))
    } else {
        let end = as_of + Duration::days(1);
        // Midnight after `as_of` in Vietnam (UTC+7).
        let cutoff = Utc.from_utc_datetime(&end.and_time(NaiveTime::MIN)) - Duration::hours(7);
        let latest = Query::select()
            .expr(Func::max(col("p2", "version")))
            .from_as(task_progress::Entity, Alias::new("p2"))
            .and_where(col("p2", "task_id").equals((Alias::new("t"), Alias::new("id"))))
            .and_where(col("p2", "reported_at").lt(cutoff))
            .to_owned();
        q.join_as(
            JoinType::LeftJoin,
            task_progress::Entity,
            Alias::new("tp"),
            Condition::all()
                .add(col("tp", "task_id").equals((Alias::new("t"), Alias::new("id"))))
                .add(col("tp", "version").in_subquery(latest)),
        );
        (
            Func::coalesce([
                col("tp", "status"),
                Expr::val(TaskStatus::NotStarted.as_str()),
            ])
            .into(),
            Func::coalesce([col("tp", "percent"), Expr::val(0i32)]).into(),
        )
    };
    match plans {
        PlanSelection::Ids(ids) => {
            q.and_where(batch::expr_in(db, col("t", "plan_id"), ids.clone()));
        }
        PlanSelection::Active { from, to } => {
            q.join_as(
                JoinType::InnerJoin,
                plan::Entity,
                Alias::new("pl"),
                col("pl", "id").equals((Alias::new("t"), Alias::new("plan_id"))),
            )
            .and_where(col("pl", "period_from").lte(*to))
            .and_where(col("pl", "period_to").gte(*from));
        }
    }
    let done = status.clone().eq(TaskStatus::Done.as_str());
    let cancelled = status.clone().eq(TaskStatus::Cancelled.as_str());
    let open = Condition::all()
        .add(status.clone().ne(TaskStatus::Done.as_str()))
        .add(status.clone().ne(TaskStatus::Cancelled.as_str()));
    q.expr_as(status.clone(), Alias::new("st"))
        .expr_as(Func::count(Expr::val(1i32)), Alias::new("n"))
        .expr_as(
            Func::count(Expr::case(
                open.add(col("t", "due_on").lt(as_of)),
                Expr::val(1i32),
            )),
            Alias::new("overdue"),
        )
        .expr_as(
            Func::sum(
                Expr::case(done, Expr::val(100i32))
                    .case(cancelled, Expr::val(0i32))
                    .finally(percent),
            ),
            Alias::new("pct"),
        )
        .cond_where(scope.in_subtree(col("t", "committee_id")))
        .group_by_col(Alias::new("st"));
    let rows = db
        .query_all_raw(db.get_database_backend().build(&q))
        .await?;
    let mut out: HashMap<GroupKey, TaskCounts> = HashMap::new();
    for row in rows {
        let Some(key) = children.key(&row, grouping)? else {
            continue;
        };
        let st: String = row.try_get("", "st")?;
        let n: i64 = row.try_get("", "n")?;
        let overdue: i64 = row.try_get("", "overdue")?;
        let pct: Option<i64> = row.try_get("", "pct")?;
        let e = out.entry(key).or_default();
        e.total += n;
        e.overdue += overdue;
        if st != TaskStatus::Cancelled.as_str() {
            e.counted += n;
            e.percent_sum += pct.unwrap_or(0);
        }
        *e.by_status.entry(st).or_default() += n;
    }
    Ok(out)
}

/// Cooperation records of `committee`'s subtree in `from..=to`, by country
/// and kind: (country, kind, records, victims repatriated, suspects handed over).
pub async fn cooperation_by_country(
    db: &impl ConnectionTrait,
    scope: &Scope,
    committee: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(String, String, i64, i64, i64)>> {
    let mut q = Query::select();
    q.from_as(cooperation_record::Entity, Alias::new("cr"))
        .join_as(
            JoinType::InnerJoin,
            counterpart::Entity,
            Alias::new("cp"),
            col("cp", "id").equals((Alias::new("cr"), Alias::new("counterpart_id"))),
        )
        .join_as(
            JoinType::InnerJoin,
            committee_closure::Entity,
            Alias::new("cc"),
            col("cc", "descendant_id").equals((Alias::new("cr"), Alias::new("committee_id"))),
        )
        .expr_as(col("cp", "country"), Alias::new("country"))
        .expr_as(col("cr", "kind"), Alias::new("kind"))
        .expr_as(Func::count(Expr::val(1i32)), Alias::new("n"))
        .expr_as(
            Func::sum(col("cr", "victims_repatriated")),
            Alias::new("victims"),
        )
        .expr_as(
            Func::sum(col("cr", "suspects_handed_over")),
            Alias::new("suspects"),
        )
        .and_where(col("cc", "ancestor_id").eq(committee))
        .and_where(col("cr", "occurred_on").gte(from))
        .and_where(col("cr", "occurred_on").lte(to))
        .cond_where(scope.in_subtree(col("cr", "committee_id")))
        .group_by_col((Alias::new("cp"), Alias::new("country")))
        .group_by_col((Alias::new("cr"), Alias::new("kind")))
        .order_by(
            (Alias::new("cp"), Alias::new("country")),
            sea_orm::Order::Asc,
        )
        .order_by((Alias::new("cr"), Alias::new("kind")), sea_orm::Order::Asc);
    let rows = db
        .query_all_raw(db.get_database_backend().build(&q))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push((
            row.try_get("", "country")?,
            row.try_get("", "kind")?,
            row.try_get("", "n")?,
            row.try_get::<Option<i64>>("", "victims")?.unwrap_or(0),
            row.try_get::<Option<i64>>("", "suspects")?.unwrap_or(0),
        ));
    }
    Ok(out)
}
