//! `Report` and the rollups a committee answers: `IndicatorRollup`,
//! `ReportingStatus`, `TaskProgress`, and a plan's `TargetStatus`.
//!
//! Each rollup object holds only what was asked; its fields read through
//! the DataLoaders, so the same field on many committees (a dashboard over
//! a province's children) is one SQL statement.

use std::collections::HashMap;

use crate::graphql::scalars::DateTime;
use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::NaiveDate;
use entities::{committee, indicator, report};

use crate::error::Error;
use crate::graphql::committee::Committee;
use crate::graphql::enums::{
    Comparator, Level, PeriodKind, ReportInclusion, ReportStatus, RollupGroup, Units,
};
use crate::graphql::ids::{self, NodeKind};
use crate::graphql::loaders::{
    ChildrenKey, IndicatorCode, Loaders, PlanId, ReportValues, StatusKey, SumKey, TaskCountKey,
};
use crate::graphql::plan::{Plan, PlanTarget};
use crate::graphql::report::Indicator;
use crate::graphql::scalars::{Date, Period};
use crate::service::enums as svc;
use crate::service::period;
use crate::service::rollup::{GroupKey, Grouping, Selection, StatusCounts, Sum, TaskCounts};

/// The most indicators one rollup may ask for.
pub const MAX_INDICATORS: usize = 30;

/// A committee's periodic report: a narrative and indicator counts.
#[derive(Clone, Debug)]
pub struct Report(pub report::Model);

impl From<report::Model> for Report {
    fn from(m: report::Model) -> Self {
        Self(m)
    }
}

#[Object]
impl Report {
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::Report, self.0.id)
    }

    async fn committee(&self, ctx: &Context<'_>) -> Result<Committee> {
        Committee::of(ctx, self.0.committee_id).await
    }

    /// The committee directly above that entered this report on its
    /// committee's behalf (a coordinator's spreadsheet import); null when
    /// the committee entered it itself.
    async fn entered_by(&self, ctx: &Context<'_>) -> Result<Option<Committee>> {
        match self.0.entered_by_committee_id {
            Some(id) => Committee::of(ctx, id).await.map(Some),
            None => Ok(None),
        }
    }

    async fn period(&self) -> Result<Period> {
        self.0
            .period
            .parse::<period::Period>()
            .map(Period)
            .map_err(|e| Error::Internal(std::sync::Arc::new(anyhow::anyhow!(e))).into())
    }

    async fn period_start(&self) -> Date {
        Date(self.0.period_start)
    }

    async fn period_end(&self) -> Date {
        Date(self.0.period_end)
    }

    /// The plan whose reporting rule expects this report.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Option<Plan>> {
        let Some(id) = self.0.plan_id else {
            return Ok(None);
        };
        Ok(ctx.data::<Loaders>()?.one(PlanId(id)).await?.map(Plan))
    }

    /// When an expected report is due; none for an unsolicited one.
    async fn deadline(&self) -> Option<Date> {
        self.0.deadline.map(Date)
    }

    async fn status(&self) -> ReportStatus {
        self.0.status.into()
    }

    async fn narrative(&self) -> Option<&str> {
        self.0.narrative.as_deref()
    }

    /// The first submission, by which timeliness is judged.
    async fn submitted_at(&self) -> Option<DateTime> {
        self.0.submitted_at.map(DateTime)
    }

    /// First submitted after the deadline.
    async fn late(&self) -> bool {
        self.0.late
    }

    async fn reviewed_at(&self) -> Option<DateTime> {
        self.0.reviewed_at.map(DateTime)
    }

    /// Why the reviewer returned it.
    async fn return_reason(&self) -> Option<&str> {
        self.0.return_reason.as_deref()
    }

    /// Bumped by every change; name it as `expectedVersion` to detect races.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The counts reported, in indicator order (at most one per indicator).
    async fn values(&self, ctx: &Context<'_>) -> Result<Vec<ReportValue>> {
        let loaders = ctx.data::<Loaders>()?;
        let rows = loaders
            .one(ReportValues(self.0.id))
            .await?
            .unwrap_or_default();
        // Every value's indicator in one batch, not one await after another.
        let indicators = loaders
            .many(rows.iter().map(|v| IndicatorCode(v.indicator_code.clone())))
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|v| {
                indicators
                    .get(&IndicatorCode(v.indicator_code))
                    .map(|i| ReportValue {
                        indicator: Indicator(i.clone()),
                        value: v.value,
                    })
            })
            .collect())
    }

    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}

/// One count of a report.
#[derive(SimpleObject, Clone, Debug)]
pub struct ReportValue {
    pub indicator: Indicator,
    pub value: f64,
}

/// An indicator's rolled-up value. For a rate, `value` is
/// 100 × numerator / denominator of the rolled-up counts (null when the
/// denominator is 0).
#[derive(SimpleObject, Clone, Debug)]
pub struct IndicatorValue {
    pub indicator: Indicator,
    pub value: Option<f64>,
    /// For a rate: the rolled-up numerator.
    pub numerator: Option<f64>,
    /// For a rate: the rolled-up denominator.
    pub denominator: Option<f64>,
    /// How many report values went into it (for a rate, into the denominator).
    pub reports: i64,
}

/// The indicators asked for, and the count indicators their values need.
#[derive(Clone, Debug)]
pub struct Asked {
    indicators: Vec<indicator::Model>,
    codes: Vec<String>,
}

impl Asked {
    /// Loads and checks the codes (known, at most [`MAX_INDICATORS`]).
    pub async fn load(ctx: &Context<'_>, codes: Vec<String>) -> Result<Self, Error> {
        if codes.is_empty() || codes.len() > MAX_INDICATORS {
            return Err(Error::BadUserInput(format!(
                "ask for 1 to {MAX_INDICATORS} indicators"
            )));
        }
        let loaders = ctx
            .data::<Loaders>()
            .map_err(|_| Error::Internal(std::sync::Arc::new(anyhow::anyhow!("no loaders"))))?;
        let mut indicators = Vec::with_capacity(codes.len());
        for code in codes {
            match loaders.one(IndicatorCode(code.clone())).await? {
                Some(i) => indicators.push(i),
                None => {
                    return Err(Error::BadUserInput(format!(
                        "no indicator with code {code:?}"
                    )));
                }
            }
        }
        Ok(Self::of(indicators))
    }

    /// The count indicators the asked ones need, sorted.
    pub fn codes(&self) -> &[String] {
        &self.codes
    }

    pub fn of(indicators: Vec<indicator::Model>) -> Self {
        let mut codes: Vec<String> = Vec::new();
        for i in &indicators {
            let needed = match (&i.numerator_code, &i.denominator_code) {
                (Some(n), Some(d)) => vec![n.clone(), d.clone()],
                _ => vec![i.code.clone()],
            };
            for c in needed {
                if !codes.contains(&c) {
                    codes.push(c);
                }
            }
        }
        codes.sort();
        Self { indicators, codes }
    }

    /// The asked indicators' values from rolled-up sums.
    pub fn values(&self, sums: Option<&HashMap<String, Sum>>) -> Vec<IndicatorValue> {
        let get =
            |code: &str| -> Sum { sums.and_then(|s| s.get(code)).copied().unwrap_or_default() };
        self.indicators
            .iter()
            .map(|i| match (&i.numerator_code, &i.denominator_code) {
                (Some(n), Some(d)) => {
                    let (n, d) = (get(n), get(d));
                    IndicatorValue {
                        indicator: Indicator(i.clone()),
                        value: (d.value > 0.0).then(|| 100.0 * n.value / d.value),
                        numerator: Some(n.value),
                        denominator: Some(d.value),
                        reports: d.reports,
                    }
                }
                _ => {
                    let s = get(&i.code);
                    IndicatorValue {
                        indicator: Indicator(i.clone()),
                        value: Some(s.value),
                        numerator: None,
                        denominator: None,
                        reports: s.reports,
                    }
                }
            })
            .collect()
    }
}

fn find<V>(rows: &[(GroupKey, V)], pick: impl Fn(&GroupKey) -> bool) -> Option<&V> {
    rows.iter().find(|(k, _)| pick(k)).map(|(_, v)| v)
}

/// Indicator values of a committee's subtree for a period.
#[derive(Clone, Debug)]
pub struct IndicatorRollup {
    pub committee: committee::Model,
    pub period: period::Period,
    pub basis: period::PeriodKind,
    pub include: svc::ReportInclusion,
    pub units: svc::Units,
    pub group_by: svc::RollupGroup,
    pub asked: Asked,
}

impl IndicatorRollup {
    fn selection(&self) -> Selection {
        Selection::new(self.period, self.basis, self.include, self.units)
    }

    async fn load(
        &self,
        ctx: &Context<'_>,
        grouping: Grouping,
    ) -> Result<Vec<(GroupKey, HashMap<String, Sum>)>> {
        let key = SumKey {
            committee: self.committee.id,
            grouping,
            selection: self.selection(),
            codes: self.asked.codes.clone(),
        };
        Ok(ctx.data::<Loaders>()?.one(key).await?.unwrap_or_default())
    }
}

/// One row of a rollup: a child committee's subtree, or a level.
#[derive(SimpleObject, Clone, Debug)]
pub struct RollupRow {
    /// The child committee (CHILD rows).
    pub committee: Option<Committee>,
    /// The level (LEVEL rows).
    pub level: Option<Level>,
    pub values: Vec<IndicatorValue>,
}

#[Object]
impl IndicatorRollup {
    async fn committee(&self) -> Committee {
        Committee::new(self.committee.clone())
    }

    async fn period(&self) -> Period {
        Period(self.period)
    }

    /// The cadence of the reports summed: the parts of `period` of this kind.
    async fn basis(&self) -> PeriodKind {
        self.basis.into()
    }

    async fn include(&self) -> ReportInclusion {
        self.include.into()
    }

    async fn units(&self) -> Units {
        self.units.into()
    }

    async fn group_by(&self) -> RollupGroup {
        self.group_by.into()
    }

    /// The whole subtree: the committee's own values and every descendant's, once.
    async fn total(&self, ctx: &Context<'_>) -> Result<Vec<IndicatorValue>> {
        let rows = self.load(ctx, Grouping::Subtree).await?;
        Ok(self.asked.values(find(&rows, |_| true)))
    }

    /// The committee's own reports only.
    async fn own(&self, ctx: &Context<'_>) -> Result<Vec<IndicatorValue>> {
        let rows = self.load(ctx, Grouping::Own).await?;
        Ok(self.asked.values(find(&rows, |_| true)))
    }

    /// The breakdown asked for in `groupBy`: every child that existed in the
    /// period (or every child of today, for CURRENT), zero rows included,
    /// ordered by code; or every level with values, top down. Bounded by
    /// one committee's children (at most about 200 in the real tree).
    async fn rows(&self, ctx: &Context<'_>) -> Result<Vec<RollupRow>> {
        let loaders = ctx.data::<Loaders>()?;
        match self.group_by {
            svc::RollupGroup::Child => {
                let rows = self.load(ctx, Grouping::Child).await?;
                let children = loaders
                    .one(ChildrenKey {
                        parent: self.committee.id,
                        from: self.period.start(),
                        to: self.period.end(),
                        units: self.units,
                    })
                    .await?
                    .unwrap_or_default();
                Ok(children
                    .into_iter()
                    .map(|c| {
                        let values = self.asked.values(find(&rows, |k| k.child == Some(c.id)));
                        RollupRow {
                            committee: Some(Committee::new(c)),
                            level: None,
                            values,
                        }
                    })
                    .collect())
            }
            svc::RollupGroup::Level => {
                let mut rows = self.load(ctx, Grouping::Level).await?;
                let order = |k: &GroupKey| {
                    k.level
                        .as_deref()
                        .and_then(|l| l.parse::<svc::Level>().ok())
                };
                rows.sort_by_key(|(k, _)| order(k));
                Ok(rows
                    .iter()
                    .filter_map(|(k, v)| {
                        Some(RollupRow {
                            committee: None,
                            level: Some(order(k)?.into()),
                            values: self.asked.values(Some(v)),
                        })
                    })
                    .collect())
            }
        }
    }
}

/// Completeness and timeliness counts.
#[derive(SimpleObject, Clone, Copy, Debug, Default)]
pub struct ReportingCounts {
    /// Reports a plan's reporting rules expect.
    pub expected: i64,
    /// Submitted at least once (including approved and returned ones).
    pub submitted: i64,
    /// Expected and first submitted by the deadline.
    pub on_time: i64,
    /// Expected and first submitted after the deadline.
    pub late: i64,
    pub approved: i64,
    pub returned: i64,
    /// Submitted and waiting for its reviewer (status SUBMITTED).
    pub awaiting_review: i64,
    /// Expected, not submitted, and not yet due.
    pub pending: i64,
    /// Expected, not submitted, and overdue.
    pub missing: i64,
}

impl From<StatusCounts> for ReportingCounts {
    fn from(c: StatusCounts) -> Self {
        Self {
            expected: c.expected,
            submitted: c.submitted,
            on_time: c.on_time,
            late: c.late,
            approved: c.approved,
            returned: c.returned,
            awaiting_review: c.awaiting_review,
            pending: c.pending,
            missing: c.missing,
        }
    }
}

/// Who has reported for a period, in a committee's subtree.
#[derive(Clone, Debug)]
pub struct ReportingStatus {
    pub committee: committee::Model,
    pub period: period::Period,
    pub units: svc::Units,
}

impl ReportingStatus {
    async fn counts(&self, ctx: &Context<'_>, grouping: Grouping) -> Result<ReportingCounts> {
        let key = StatusKey {
            committee: self.committee.id,
            grouping,
            period: self.period,
            units: self.units,
        };
        let rows = ctx.data::<Loaders>()?.one(key).await?.unwrap_or_default();
        Ok(find(&rows, |_| true).copied().unwrap_or_default().into())
    }
}

#[Object]
impl ReportingStatus {
    async fn committee(&self) -> Committee {
        Committee::new(self.committee.clone())
    }

    async fn period(&self) -> Period {
        Period(self.period)
    }

    /// The committee and everything below it.
    async fn total(&self, ctx: &Context<'_>) -> Result<ReportingCounts> {
        self.counts(ctx, Grouping::Subtree).await
    }

    /// The committee's own report.
    async fn own(&self, ctx: &Context<'_>) -> Result<ReportingCounts> {
        self.counts(ctx, Grouping::Own).await
    }

    /// The same for each child that existed in the period (today's children
    /// for CURRENT), ordered by code; bounded by one committee's children.
    async fn children(&self, ctx: &Context<'_>) -> Result<Vec<ReportingStatus>> {
        let children = ctx
            .data::<Loaders>()?
            .one(ChildrenKey {
                parent: self.committee.id,
                from: self.period.start(),
                to: self.period.end(),
                units: self.units,
            })
            .await?
            .unwrap_or_default();
        Ok(children
            .into_iter()
            .map(|c| ReportingStatus {
                committee: c,
                period: self.period,
                units: self.units,
            })
            .collect())
    }
}

/// Progress of a plan's tasks, and of the plans implementing it, in a
/// committee's subtree.
#[derive(Clone, Debug)]
pub struct TaskProgress {
    pub committee: committee::Model,
    pub plan: entities::plan::Model,
    pub plans: Vec<i64>,
    pub as_of: NaiveDate,
}

impl TaskProgress {
    async fn counts(&self, ctx: &Context<'_>) -> Result<TaskCounts> {
        let key = TaskCountKey {
            committee: self.committee.id,
            grouping: Grouping::Subtree,
            plans: self.plans.clone(),
            as_of: self.as_of,
        };
        let rows = ctx.data::<Loaders>()?.one(key).await?.unwrap_or_default();
        Ok(find(&rows, |_| true).cloned().unwrap_or_default())
    }

    async fn status(&self, ctx: &Context<'_>, s: svc::TaskStatus) -> Result<i64> {
        Ok(self
            .counts(ctx)
            .await?
            .by_status
            .get(s.as_str())
            .copied()
            .unwrap_or(0))
    }
}

#[Object]
impl TaskProgress {
    async fn committee(&self) -> Committee {
        Committee::new(self.committee.clone())
    }

    async fn plan(&self) -> Plan {
        Plan(self.plan.clone())
    }

    async fn as_of(&self) -> Date {
        Date(self.as_of)
    }

    /// Tasks of the plan, and of the plans implementing it, in the subtree.
    async fn total(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(self.counts(ctx).await?.total)
    }

    async fn not_started(&self, ctx: &Context<'_>) -> Result<i64> {
        self.status(ctx, svc::TaskStatus::NotStarted).await
    }

    async fn in_progress(&self, ctx: &Context<'_>) -> Result<i64> {
        self.status(ctx, svc::TaskStatus::InProgress).await
    }

    async fn done(&self, ctx: &Context<'_>) -> Result<i64> {
        self.status(ctx, svc::TaskStatus::Done).await
    }

    async fn blocked(&self, ctx: &Context<'_>) -> Result<i64> {
        self.status(ctx, svc::TaskStatus::Blocked).await
    }

    async fn cancelled(&self, ctx: &Context<'_>) -> Result<i64> {
        self.status(ctx, svc::TaskStatus::Cancelled).await
    }

    /// Past their due date and neither done nor cancelled.
    async fn overdue(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(self.counts(ctx).await?.overdue)
    }

    /// Mean completion in percent of the tasks not cancelled, each weighing
    /// the same (a DONE task counts 100); null without tasks.
    async fn completion(&self, ctx: &Context<'_>) -> Result<Option<f64>> {
        Ok(self.counts(ctx).await?.completion())
    }

    /// The same for each child committee (as the tree stood on `asOf`).
    async fn children(&self, ctx: &Context<'_>) -> Result<Vec<TaskProgress>> {
        let on = crate::service::hierarchy::clamp_to_validity(&self.committee, self.as_of);
        let children = ctx
            .data::<Loaders>()?
            .one(ChildrenKey {
                parent: self.committee.id,
                from: on,
                to: on,
                units: svc::Units::AsOf,
            })
            .await?
            .unwrap_or_default();
        Ok(children
            .into_iter()
            .map(|c| TaskProgress {
                committee: c,
                plan: self.plan.clone(),
                plans: self.plans.clone(),
                as_of: self.as_of,
            })
            .collect())
    }
}

/// A plan's target against the rolled-up actual value.
#[derive(SimpleObject, Clone, Debug)]
pub struct TargetStatus {
    pub target: PlanTarget,
    pub indicator: Option<Indicator>,
    pub committee: Committee,
    pub period: Period,
    /// The rolled-up value (a percent for rates); null without data.
    pub actual: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// Whether `actual` meets the target; null without data.
    pub met: Option<bool>,
}

/// Whether `actual` meets `target` under `cmp`.
pub fn meets(cmp: Comparator, actual: f64, target: f64) -> bool {
    match cmp {
        Comparator::Eq => (actual - target).abs() < 1e-9,
        Comparator::Gt => actual > target,
        Comparator::Gte => actual >= target,
        Comparator::Lt => actual < target,
        Comparator::Lte => actual <= target,
    }
}
