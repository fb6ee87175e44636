//! `Plan` and its parts: sections, targets, reporting rules, references.

use crate::graphql::scalars::DateTime;
use async_graphql::{ComplexObject, Context, ID, InputObject, Object, Result, SimpleObject};
use entities::{plan, plan_reference, plan_section, plan_target, reporting_rule};

use crate::error::Error;
use crate::graphql::agency::Agency;
use crate::graphql::committee::Committee;
use crate::graphql::connection::{self, Conn, cost};
use crate::graphql::enums::{Cadence, Comparator, PlanKind, PlanStatus, TargetUnit};
use crate::graphql::enums::{PeriodKind, ReportInclusion, Units};
use crate::graphql::ids::{self, NodeKind};
use crate::graphql::loaders::{
    AgencyId, CountKey, Loaders, PlanImplements, PlanReferences, PlanRules, PlanSections,
    PlanTargets, TaskPageKey,
};
use crate::graphql::loaders::{IndicatorCode, SumKey};
use crate::graphql::report::Indicator;
use crate::graphql::report::{Asked, TargetStatus, meets};
use crate::graphql::scalars::{Date, Period};
use crate::graphql::task::{Task, TaskFilterInput};
use crate::service::rollup::{self, Grouping, Selection};
use crate::service::task::TaskParent;

#[derive(Clone, Debug)]
pub struct Plan(pub plan::Model);

impl From<plan::Model> for Plan {
    fn from(m: plan::Model) -> Self {
        Self(m)
    }
}

/// The document a plan was imported from, downloaded from `url` with the
/// same bearer token.
#[derive(SimpleObject, Clone, Debug)]
pub struct PlanDocumentFile {
    pub file_name: String,
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// Hex SHA-256 of the file.
    pub sha256: String,
    /// `/plans/{id}/document`.
    pub url: String,
}

/// Who signed a plan.
#[derive(SimpleObject, Clone, Debug)]
pub struct Signatory {
    pub name: Option<String>,
    pub title: Option<String>,
}

/// A document outside Hub138 that a plan implements.
#[derive(SimpleObject, Clone, Debug)]
pub struct DocumentReference {
    /// Number and kind as written ("Nghị quyết số 113-NQ/TU").
    pub document: String,
    pub issued_on: Option<Date>,
    pub issuer: Option<String>,
}

impl From<plan_reference::Model> for DocumentReference {
    fn from(r: plan_reference::Model) -> Self {
        Self {
            document: r.document,
            issued_on: r.issued_on.map(Date),
            issuer: r.issuer,
        }
    }
}

/// A target of a plan ("≥ 90 % of denunciations resolved").
#[derive(SimpleObject, Clone, Debug)]
#[graphql(complex)]
pub struct PlanTarget {
    pub indicator_code: String,
    pub comparator: Comparator,
    pub value: f64,
    pub unit: TargetUnit,
    /// The sentence of the plan the target comes from.
    pub source_text: Option<String>,
}

#[ComplexObject]
impl PlanTarget {
    /// The indicator the target is about.
    async fn indicator(&self, ctx: &Context<'_>) -> Result<Option<Indicator>> {
        crate::graphql::report::load(ctx, Some(self.indicator_code.clone())).await
    }
}

impl From<plan_target::Model> for PlanTarget {
    fn from(t: plan_target::Model) -> Self {
        Self {
            comparator: t.comparator.into(),
            unit: t.unit.into(),
            indicator_code: t.indicator_code,
            value: t.value,
            source_text: t.source_text,
        }
    }
}

/// When and to whom the implementers report.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(complex)]
pub struct ReportingRule {
    pub cadence: Cadence,
    /// A recurring deadline, `MM-DD`.
    pub deadline_month_day: Option<String>,
    /// A one-off deadline.
    pub deadline_date: Option<Date>,
    pub source_text: Option<String>,
    #[graphql(skip)]
    pub addressee: Option<i64>,
}

#[ComplexObject]
impl ReportingRule {
    /// The agency reports go to (usually the standing agency).
    async fn addressee_agency(&self, ctx: &Context<'_>) -> Result<Option<Agency>> {
        let Some(id) = self.addressee else {
            return Ok(None);
        };
        Ok(ctx
            .data::<Loaders>()?
            .one(AgencyId(id))
            .await?
            .map(Agency::new))
    }
}

impl From<reporting_rule::Model> for ReportingRule {
    fn from(r: reporting_rule::Model) -> Self {
        Self {
            cadence: r.cadence.into(),
            deadline_month_day: r.deadline_month_day,
            deadline_date: r.deadline_date.map(Date),
            source_text: r.source_text,
            addressee: r.addressee_agency_id,
        }
    }
}

/// A numbered section of a plan ("II.2.1 Công tác truyền thông").
#[derive(SimpleObject, Clone, Debug)]
pub struct PlanSection {
    pub number: String,
    pub title: String,
    /// The number of the enclosing section ("II.2" for "II.2.1").
    pub parent_number: Option<String>,
}

pub fn sections(list: Vec<plan_section::Model>) -> Vec<PlanSection> {
    let numbers: std::collections::HashMap<i64, String> =
        list.iter().map(|s| (s.id, s.number.clone())).collect();
    list.into_iter()
        .map(|s| PlanSection {
            parent_number: s.parent_id.and_then(|p| numbers.get(&p).cloned()),
            number: s.number,
            title: s.title,
        })
        .collect()
}

#[Object]
impl Plan {
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::Plan, self.0.id)
    }

    /// The issuing committee.
    async fn committee(&self, ctx: &Context<'_>) -> Result<Committee> {
        Committee::of(ctx, self.0.committee_id).await
    }

    /// The document number as issued ("19/KH-BCĐ138/CP").
    async fn document_number(&self) -> Option<&str> {
        self.0.document_number.as_deref()
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn kind(&self) -> PlanKind {
        self.0.kind.into()
    }

    async fn status(&self) -> PlanStatus {
        self.0.status.into()
    }

    async fn issued_on(&self) -> Option<Date> {
        self.0.issued_on.map(Date)
    }

    async fn period_from(&self) -> Date {
        Date(self.0.period_from)
    }

    async fn period_to(&self) -> Date {
        Date(self.0.period_to)
    }

    /// The year a programme gives its orientation to ("định hướng đến năm 2035").
    async fn orientation_year(&self) -> Option<i32> {
        self.0.orientation_year
    }

    /// The document the plan was imported from (`importPlanDocument`).
    async fn document(&self, ctx: &Context<'_>) -> Result<Option<PlanDocumentFile>> {
        let found = ctx
            .data::<Loaders>()?
            .one(crate::graphql::loaders::PlanDocument(self.0.id))
            .await?;
        Ok(found.map(|d| PlanDocumentFile {
            url: format!(
                "/plans/{}/document",
                ids::encode(NodeKind::Plan, d.plan_id).as_str()
            ),
            file_name: d.file_name,
            content_type: d.content_type,
            size: d.size,
            sha256: d.sha256,
        }))
    }

    async fn signatory(&self) -> Option<Signatory> {
        (self.0.signatory_name.is_some() || self.0.signatory_title.is_some()).then(|| Signatory {
            name: self.0.signatory_name.clone(),
            title: self.0.signatory_title.clone(),
        })
    }

    async fn funding_note(&self) -> Option<&str> {
        self.0.funding_note.as_deref()
    }

    /// The plans in Hub138 this plan implements.
    async fn implements(&self, ctx: &Context<'_>) -> Result<Vec<Plan>> {
        let list = ctx
            .data::<Loaders>()?
            .one(PlanImplements(self.0.id))
            .await?;
        Ok(list.unwrap_or_default().into_iter().map(Plan).collect())
    }

    /// Documents outside Hub138 this plan implements.
    async fn references(&self, ctx: &Context<'_>) -> Result<Vec<DocumentReference>> {
        let list = ctx
            .data::<Loaders>()?
            .one(PlanReferences(self.0.id))
            .await?;
        Ok(list
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect())
    }

    async fn targets(&self, ctx: &Context<'_>) -> Result<Vec<PlanTarget>> {
        let list = ctx.data::<Loaders>()?.one(PlanTargets(self.0.id)).await?;
        Ok(list
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Each target against the rolled-up actual for `period` at
    /// `committeeId` (default: the plan's committee) — at any level.
    #[graphql(complexity = "connection::rollup_cost(0, child_complexity)")]
    async fn target_status(
        &self,
        ctx: &Context<'_>,
        period: Period,
        committee_id: Option<ID>,
        #[graphql(default_with = "ReportInclusion::Approved")] include: ReportInclusion,
        #[graphql(default_with = "Units::AsOf")] units: Units,
        basis: Option<PeriodKind>,
    ) -> Result<Vec<TargetStatus>> {
        let loaders = ctx.data::<Loaders>()?;
        let committee_id = match &committee_id {
            Some(id) => ids::filter_id(id, NodeKind::Committee)?,
            None => self.0.committee_id,
        };
        let committee = Committee::of(ctx, committee_id).await?;
        let targets = loaders
            .one(PlanTargets(self.0.id))
            .await?
            .unwrap_or_default();
        let mut indicators = Vec::new();
        for t in &targets {
            if let Some(i) = loaders.one(IndicatorCode(t.indicator_code.clone())).await? {
                indicators.push(i);
            }
        }
        let asked = Asked::of(indicators.clone());
        let basis = basis.map_or_else(|| rollup::default_basis(period.0), Into::into);
        let key = SumKey {
            committee: committee_id,
            grouping: Grouping::Subtree,
            selection: Selection::new(period.0, basis, include.into(), units.into()),
            codes: asked.codes().to_vec(),
        };
        let rows = loaders.one(key).await?.unwrap_or_default();
        let values = asked.values(rows.first().map(|(_, v)| v));
        Ok(targets
            .into_iter()
            .map(|t| {
                let v = values
                    .iter()
                    .find(|v| v.indicator.0.code == t.indicator_code);
                let target: PlanTarget = t.into();
                let actual = v.and_then(|v| if v.reports > 0 { v.value } else { None });
                TargetStatus {
                    met: actual.map(|a| meets(target.comparator, a, target.value)),
                    indicator: v.map(|v| v.indicator.clone()),
                    numerator: v.and_then(|v| v.numerator),
                    denominator: v.and_then(|v| v.denominator),
                    committee: committee.clone(),
                    period,
                    actual,
                    target,
                }
            })
            .collect())
    }

    async fn reporting_rules(&self, ctx: &Context<'_>) -> Result<Vec<ReportingRule>> {
        let list = ctx.data::<Loaders>()?.one(PlanRules(self.0.id)).await?;
        Ok(list
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The sections, in document order.
    async fn sections(&self, ctx: &Context<'_>) -> Result<Vec<PlanSection>> {
        let list = ctx.data::<Loaders>()?.one(PlanSections(self.0.id)).await?;
        Ok(sections(list.unwrap_or_default()))
    }

    /// The plan's tasks, in document order.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn tasks(
        &self,
        ctx: &Context<'_>,
        filter: Option<TaskFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<Task>> {
        let filter = filter.unwrap_or_default().into_service()?;
        nested_tasks(
            ctx,
            TaskParent::Plan,
            self.0.id,
            filter,
            (first, after, last, before),
        )
        .await
    }

    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}

pub type PageInput = (Option<i32>, Option<String>, Option<i32>, Option<String>);

/// A page of tasks below a plan or an upper task, batched.
pub async fn nested_tasks(
    ctx: &Context<'_>,
    parent: TaskParent,
    id: i64,
    filter: crate::service::task::TaskFilter,
    (first, after, last, before): PageInput,
) -> Result<Conn<Task>> {
    let loaders = ctx.data::<Loaders>()?;
    let args = connection::page_args(first, after, last, before)?;
    let key = TaskPageKey {
        parent,
        id,
        filter: filter.clone(),
        args: args.clone(),
    };
    let page = loaders.page(key, &args).await?;
    Ok(connection::connection(
        page,
        CountKey::NestedTasks { parent, id, filter },
        Task,
    ))
}

/// Filters of plan lists.
#[derive(InputObject, Clone, Debug, Default)]
#[graphql(name = "PlanFilter")]
pub struct PlanFilterInput {
    pub committee_id: Option<ID>,
    /// With `committeeId`: also the plans of every committee below it.
    #[graphql(default)]
    pub include_subtree: bool,
    pub status: Option<PlanStatus>,
    /// Plans whose period contains this date.
    pub active_on: Option<Date>,
    /// Matches the title or document number ignoring case and diacritics.
    pub title_contains: Option<String>,
    /// Plans that implement this plan.
    pub implements_plan_id: Option<ID>,
}

impl PlanFilterInput {
    pub fn into_service(self) -> Result<crate::service::plan::PlanFilter, Error> {
        Ok(crate::service::plan::PlanFilter {
            committee_id: self
                .committee_id
                .as_ref()
                .map(|id| ids::filter_id(id, NodeKind::Committee))
                .transpose()?,
            include_subtree: self.include_subtree,
            status: self.status.map(Into::into),
            active_on: self.active_on.map(|d| d.0),
            title_contains: self.title_contains,
            implements_plan_id: self
                .implements_plan_id
                .as_ref()
                .map(|id| ids::filter_id(id, NodeKind::Plan))
                .transpose()?,
        })
    }
}
