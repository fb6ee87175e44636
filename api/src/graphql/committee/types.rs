//! `Committee`: a steering committee of one administrative unit, as-of dated.

use std::borrow::Cow;

use async_graphql::{ComplexObject, Context, ID, InputObject, Object, Result, SimpleObject};
use entities::committee;

use crate::graphql::agency::Membership;
use crate::graphql::agency::{Agency, AgencyFilterInput};
use crate::graphql::connection::{self, Conn, cost};
use crate::graphql::enums::PlanStatus;
use crate::graphql::enums::{CommitteeOrderField, Level, OrderDirection};
use crate::graphql::enums::{PeriodKind, ReportInclusion, ReportStatus, RollupGroup, Units};
use crate::graphql::ids::{self, NodeKind};
use crate::graphql::loaders::{
    AgencyPageKey, CommitteeId, CountKey, Loaders, MembershipPageKey, PlanFamily, PlanId,
    PlanPageKey, ReportPageKey, StandingAgencyOf, SuccessionKey, TreePageKey,
};
use crate::graphql::plan::Plan;
use crate::graphql::report::{Asked, IndicatorRollup, Report, ReportingStatus, TaskProgress};
use crate::graphql::scalars::Date;
use crate::graphql::scalars::Period;
use crate::service::agency::AgencyFilter;
use crate::service::hierarchy::{CommitteeFilter, CommitteeOrder, TreeRelation};
use crate::service::page::Columns;
use crate::service::plan::PlanFilter;
use crate::service::report::ReportFilter;
use crate::service::rollup;
use crate::service::{self, hierarchy};

/// A committee and which of its row's columns were read: a list whose
/// nodes ask only for [`Committee::COMPACT_FIELDS`] reads compact rows (see
/// [`Columns`]); the other fields read the whole row first.
#[derive(Clone, Debug)]
pub struct Committee(pub committee::Model, Columns);

impl Committee {
    /// The fields a compact committee row answers by itself.
    pub const COMPACT_FIELDS: &[&str] = &[
        "id",
        "level",
        "code",
        "name",
        "validFrom",
        "validTo",
        "parent",
        "ancestors",
        "children",
        "descendants",
        "successors",
        "predecessors",
        "agencies",
        "memberships",
        "plans",
        "reports",
        "standingAgency",
    ];

    pub fn new(m: committee::Model) -> Self {
        Self(m, Columns::All)
    }

    /// A committee from a row of which `columns` were read.
    pub fn read(m: committee::Model, columns: Columns) -> Self {
        Self(m, columns)
    }

    /// The whole row: this one, or read by id if this one is compact.
    async fn row(&self, ctx: &Context<'_>) -> Result<Cow<'_, committee::Model>> {
        if self.1 == Columns::All {
            return Ok(Cow::Borrowed(&self.0));
        }
        Ok(Cow::Owned(Self::of(ctx, self.0.id).await?.0))
    }

    /// The committee an object of the viewer's belongs to (through the loaders).
    pub async fn of(ctx: &Context<'_>, id: i64) -> Result<Committee> {
        Ok(ctx
            .data::<Loaders>()?
            .one(CommitteeId(id))
            .await?
            .map(Committee::new)
            .ok_or_else(|| crate::error::Error::NotFound("committee".to_owned()))?)
    }

    fn api_level(&self) -> Level {
        self.0.level.into()
    }

    /// The date nested lists are read on: the one asked for, else today,
    /// moved into this committee's validity interval.
    fn as_of(&self, asked: Option<Date>) -> chrono::NaiveDate {
        asked.map_or_else(
            || hierarchy::clamp_to_validity(&self.0, service::today()),
            |d| d.0,
        )
    }
}

/// How to order committee lists.
#[derive(InputObject, Clone, Copy, Debug)]
pub struct CommitteeOrderInput {
    pub field: CommitteeOrderField,
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl From<Option<CommitteeOrderInput>> for CommitteeOrder {
    fn from(o: Option<CommitteeOrderInput>) -> Self {
        o.map_or_else(CommitteeOrder::default, |o| CommitteeOrder {
            field: o.field.into(),
            desc: o.direction == OrderDirection::Desc,
        })
    }
}

/// A successor or predecessor across the 2025 reform.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(complex)]
pub struct CommitteeSuccession {
    /// Only part of the old unit's area went to the new one.
    pub partial: bool,
    pub effective_on: Date,
    #[graphql(skip)]
    pub other: committee::Model,
}

#[ComplexObject]
impl CommitteeSuccession {
    /// The committee on the other side of the link.
    async fn committee(&self) -> Committee {
        Committee::new(self.other.clone())
    }
}

#[Object]
impl Committee {
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::Committee, self.0.id)
    }

    /// The committee's level.
    async fn level(&self) -> Level {
        self.api_level()
    }

    /// The official administrative-unit code (`VN` for the central committee).
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// The committee's name as documents write it ("Ban Chỉ đạo 138 tỉnh Tuyên Quang").
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The unit's full name ("Tỉnh Tuyên Quang").
    async fn unit_name(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(self.row(ctx).await?.unit_name.clone())
    }

    /// The unit's name without its type word ("Tuyên Quang").
    async fn unit_short_name(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(self.row(ctx).await?.unit_short_name.clone())
    }

    /// The unit type as the statistics office gives it (`tỉnh`, `xã`, `phường`...).
    async fn unit_type(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(self.row(ctx).await?.unit_type.clone())
    }

    /// First day this committee exists; null if it predates the data.
    async fn valid_from(&self) -> Option<Date> {
        self.0.valid_from.map(Date)
    }

    /// Last day this committee exists; null while it is in force.
    async fn valid_to(&self) -> Option<Date> {
        self.0.valid_to.map(Date)
    }

    /// The committee directly above.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Committee>> {
        let Some(parent) = self.0.parent_id else {
            return Ok(None);
        };
        let loaders = ctx.data::<Loaders>()?;
        Ok(loaders.one(CommitteeId(parent)).await?.map(Committee::new))
    }

    /// The committees above, the central committee first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn ancestors(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<Committee>> {
        let filter = CommitteeFilter::on(service::today());
        self.tree(
            ctx,
            TreeRelation::Ancestors,
            filter,
            None,
            (first, after, last, before),
        )
        .await
    }

    /// The committees directly below, as they stood on `activeOn` (default:
    /// today, or this committee's last day if it no longer exists).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn children(
        &self,
        ctx: &Context<'_>,
        active_on: Option<Date>,
        name_contains: Option<String>,
        order_by: Option<CommitteeOrderInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<Committee>> {
        let filter = CommitteeFilter {
            name_contains,
            ..CommitteeFilter::on(self.as_of(active_on))
        };
        self.tree(
            ctx,
            TreeRelation::Children,
            filter,
            order_by,
            (first, after, last, before),
        )
        .await
    }

    /// Every committee below, at any depth, as the tree stood on `activeOn`.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn descendants(
        &self,
        ctx: &Context<'_>,
        level: Option<Level>,
        active_on: Option<Date>,
        name_contains: Option<String>,
        order_by: Option<CommitteeOrderInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<Committee>> {
        let filter = CommitteeFilter {
            level: level.map(Into::into),
            name_contains,
            ..CommitteeFilter::on(self.as_of(active_on))
        };
        self.tree(
            ctx,
            TreeRelation::Descendants,
            filter,
            order_by,
            (first, after, last, before),
        )
        .await
    }

    /// The units that took in this one's area at the 2025 reform.
    async fn successors(&self, ctx: &Context<'_>) -> Result<Vec<CommitteeSuccession>> {
        self.links(ctx, true).await
    }

    /// The units whose area this one took in at the 2025 reform.
    async fn predecessors(&self, ctx: &Context<'_>) -> Result<Vec<CommitteeSuccession>> {
        self.links(ctx, false).await
    }

    /// The committee's agency registry, by name. Inactive agencies only with
    /// `filter: {includeInactive: true}`.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn agencies(
        &self,
        ctx: &Context<'_>,
        filter: Option<AgencyFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<Agency>> {
        let loaders = ctx.data::<Loaders>()?;
        let args = connection::page_args(first, after, last, before)?;
        let filter: AgencyFilter = filter.map(Into::into).unwrap_or_default();
        let columns = connection::columns(ctx, Agency::COMPACT_FIELDS);
        let key = AgencyPageKey {
            committee: self.0.id,
            filter: filter.clone(),
            args: args.clone(),
            columns,
        };
        let page = loaders.page(key, &args).await?;
        let count = CountKey::Agencies {
            committee: self.0.id,
            filter,
        };
        Ok(connection::connection(page, count, |a| {
            Agency::read(a, columns)
        }))
    }

    /// The member agencies with their roles, in the order they joined.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn memberships(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<Membership>> {
        let loaders = ctx.data::<Loaders>()?;
        let args = connection::page_args(first, after, last, before)?;
        let key = MembershipPageKey {
            committee: self.0.id,
            args: args.clone(),
        };
        let page = loaders.page(key, &args).await?;
        let count = CountKey::Memberships {
            committee: self.0.id,
        };
        Ok(connection::connection(page, count, Membership))
    }

    /// The committee's own plans, newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn plans(
        &self,
        ctx: &Context<'_>,
        status: Option<PlanStatus>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<Plan>> {
        let loaders = ctx.data::<Loaders>()?;
        let args = connection::page_args(first, after, last, before)?;
        let filter = PlanFilter {
            status: status.map(Into::into),
            ..PlanFilter::default()
        };
        let key = PlanPageKey {
            committee: self.0.id,
            filter: filter.clone(),
            args: args.clone(),
        };
        let page = loaders.page(key, &args).await?;
        let count = CountKey::CommitteePlans {
            committee: self.0.id,
            filter,
        };
        Ok(connection::connection(page, count, Plan))
    }

    /// The committee's periodic reports, newest year first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn reports(
        &self,
        ctx: &Context<'_>,
        period: Option<Period>,
        status: Option<ReportStatus>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<Report>> {
        let loaders = ctx.data::<Loaders>()?;
        let args = connection::page_args(first, after, last, before)?;
        let filter = ReportFilter {
            period: period.map(|p| p.0),
            status: status.map(Into::into),
        };
        let key = ReportPageKey {
            committee: self.0.id,
            filter: filter.clone(),
            args: args.clone(),
        };
        let page = loaders.page(key, &args).await?;
        let count = CountKey::CommitteeReports {
            committee: self.0.id,
            filter,
        };
        Ok(connection::connection(page, count, Report))
    }

    /// Indicator values of the subtree for `period`, summed in SQL from the
    /// reports of cadence `basis` inside it (default: quarters, or months
    /// for a month). Rates are computed from the rolled-up numerator and
    /// denominator. Only reports in the viewer's scope count.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "connection::rollup_cost(indicators.len(), child_complexity)")]
    async fn indicator_rollup(
        &self,
        ctx: &Context<'_>,
        indicators: Vec<String>,
        period: Period,
        #[graphql(default_with = "RollupGroup::Child")] group_by: RollupGroup,
        #[graphql(default_with = "ReportInclusion::Approved")] include: ReportInclusion,
        #[graphql(default_with = "Units::AsOf")] units: Units,
        basis: Option<PeriodKind>,
    ) -> Result<IndicatorRollup> {
        let asked = Asked::load(ctx, indicators).await?;
        Ok(IndicatorRollup {
            committee: self.row(ctx).await?.into_owned(),
            period: period.0,
            basis: basis.map_or_else(|| rollup::default_basis(period.0), Into::into),
            include: include.into(),
            units: units.into(),
            group_by: group_by.into(),
            asked,
        })
    }

    /// Who in the subtree has reported for `period` (exactly that period).
    #[graphql(complexity = "connection::rollup_cost(0, child_complexity)")]
    async fn reporting_status(
        &self,
        ctx: &Context<'_>,
        period: Period,
        #[graphql(default_with = "Units::AsOf")] units: Units,
    ) -> Result<ReportingStatus> {
        Ok(ReportingStatus {
            committee: self.row(ctx).await?.into_owned(),
            period: period.0,
            units: units.into(),
        })
    }

    /// Progress of `planId`'s tasks and of the plans implementing it, in
    /// the subtree, as it stood at the end of `asOf` (default today).
    #[graphql(complexity = "connection::rollup_cost(0, child_complexity)")]
    async fn task_progress(
        &self,
        ctx: &Context<'_>,
        plan_id: ID,
        as_of: Option<Date>,
    ) -> Result<TaskProgress> {
        let loaders = ctx.data::<Loaders>()?;
        let id = ids::filter_id(&plan_id, NodeKind::Plan)?;
        let plan = loaders
            .one(PlanId(id))
            .await?
            .ok_or_else(|| crate::error::Error::NotFound("plan".to_owned()))?;
        let plans = loaders.one(PlanFamily(id)).await?.unwrap_or_default();
        Ok(TaskProgress {
            committee: self.row(ctx).await?.into_owned(),
            plan,
            plans,
            as_of: as_of.map_or_else(service::today, |d| d.0),
        })
    }

    /// The standing agency (cơ quan thường trực), usually the police.
    async fn standing_agency(&self, ctx: &Context<'_>) -> Result<Option<Agency>> {
        let loaders = ctx.data::<Loaders>()?;
        let columns = connection::object_columns(ctx, Agency::COMPACT_FIELDS);
        let key = StandingAgencyOf(self.0.id, columns);
        Ok(loaders.one(key).await?.map(|a| Agency::read(a, columns)))
    }
}

type PageInput = (Option<i32>, Option<String>, Option<i32>, Option<String>);

impl Committee {
    async fn tree(
        &self,
        ctx: &Context<'_>,
        relation: TreeRelation,
        filter: CommitteeFilter,
        order: Option<CommitteeOrderInput>,
        (first, after, last, before): PageInput,
    ) -> Result<Conn<Committee>> {
        let loaders = ctx.data::<Loaders>()?;
        let args = connection::page_args(first, after, last, before)?;
        let columns = connection::columns(ctx, Self::COMPACT_FIELDS);
        let key = TreePageKey {
            parent: self.0.id,
            relation,
            filter: filter.clone(),
            order: order.into(),
            args: args.clone(),
            columns,
        };
        let page = loaders.page(key, &args).await?;
        let count = CountKey::Tree {
            parent: self.0.id,
            relation,
            filter,
        };
        Ok(connection::connection(page, count, |c| {
            Committee::read(c, columns)
        }))
    }

    async fn links(&self, ctx: &Context<'_>, forward: bool) -> Result<Vec<CommitteeSuccession>> {
        let loaders = ctx.data::<Loaders>()?;
        let links = loaders
            .one(SuccessionKey(self.0.id, forward))
            .await?
            .unwrap_or_default();
        Ok(links
            .into_iter()
            .map(|s| CommitteeSuccession {
                partial: s.partial,
                effective_on: Date(s.effective_on),
                other: s.other,
            })
            .collect())
    }
}
