//! `Counterpart` and `CooperationRecord`.

use crate::graphql::scalars::DateTime;
use async_graphql::{Context, ID, InputObject, Object, Result};
use entities::{cooperation_record, counterpart};

use crate::error::Error;
use crate::graphql::agency::Agency;
use crate::graphql::committee::Committee;
use crate::graphql::enums::CooperationKind;
use crate::graphql::ids::{self, NodeKind};
use crate::graphql::loaders::{CounterpartId, Loaders, PlanId, RecordAgencies, TaskId};
use crate::graphql::plan::Plan;
use crate::graphql::scalars::Date;
use crate::graphql::task::Task;
use crate::service::cooperation::RecordFilter;

/// A foreign body Vietnamese committees work with.
#[derive(Clone, Debug)]
pub struct Counterpart(pub counterpart::Model);

impl From<counterpart::Model> for Counterpart {
    fn from(m: counterpart::Model) -> Self {
        Self(m)
    }
}

#[Object]
impl Counterpart {
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::Counterpart, self.0.id)
    }

    /// ISO 3166-1 alpha-2 country code.
    async fn country(&self) -> &str {
        &self.0.country
    }

    /// Province, state or region ("Quảng Tây").
    async fn region(&self) -> Option<&str> {
        self.0.region.as_deref()
    }

    async fn body_name(&self) -> &str {
        &self.0.body_name
    }
}

/// A record of cross-border cooperation. Counts only: no personal data.
#[derive(Clone, Debug)]
pub struct CooperationRecord(pub cooperation_record::Model);

impl From<cooperation_record::Model> for CooperationRecord {
    fn from(m: cooperation_record::Model) -> Self {
        Self(m)
    }
}

#[Object]
impl CooperationRecord {
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::CooperationRecord, self.0.id)
    }

    /// The Vietnamese committee the record belongs to.
    async fn committee(&self, ctx: &Context<'_>) -> Result<Committee> {
        Committee::of(ctx, self.0.committee_id).await
    }

    async fn counterpart(&self, ctx: &Context<'_>) -> Result<Counterpart> {
        Ok(ctx
            .data::<Loaders>()?
            .one(CounterpartId(self.0.counterpart_id))
            .await?
            .map(Counterpart)
            .ok_or_else(|| Error::NotFound("counterpart".to_owned()))?)
    }

    async fn kind(&self) -> CooperationKind {
        self.0.kind.into()
    }

    async fn occurred_on(&self) -> Date {
        Date(self.0.occurred_on)
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn summary(&self) -> Option<&str> {
        self.0.summary.as_deref()
    }

    /// The Vietnamese agencies involved.
    async fn agencies(&self, ctx: &Context<'_>) -> Result<Vec<Agency>> {
        let list = ctx
            .data::<Loaders>()?
            .one(RecordAgencies(self.0.id))
            .await?;
        Ok(list
            .unwrap_or_default()
            .into_iter()
            .map(Agency::new)
            .collect())
    }

    async fn victims_repatriated(&self) -> i32 {
        self.0.victims_repatriated
    }

    async fn suspects_handed_over(&self) -> i32 {
        self.0.suspects_handed_over
    }

    /// The plan the record serves.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Option<Plan>> {
        let Some(id) = self.0.plan_id else {
            return Ok(None);
        };
        Ok(ctx.data::<Loaders>()?.one(PlanId(id)).await?.map(Plan))
    }

    /// The task the record serves.
    async fn task(&self, ctx: &Context<'_>) -> Result<Option<Task>> {
        let Some(id) = self.0.task_id else {
            return Ok(None);
        };
        Ok(ctx.data::<Loaders>()?.one(TaskId(id)).await?.map(Task))
    }

    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}

/// Filters of cooperation-record lists.
#[derive(InputObject, Clone, Debug, Default)]
#[graphql(name = "CooperationRecordFilter")]
pub struct RecordFilterInput {
    /// ISO 3166-1 alpha-2 code of the counterpart's country.
    pub country: Option<String>,
    pub kind: Option<CooperationKind>,
    /// On or after this date.
    pub from: Option<Date>,
    /// On or before this date.
    pub to: Option<Date>,
    pub committee_id: Option<ID>,
    /// With `committeeId`: also the records of every committee below it.
    #[graphql(default)]
    pub include_subtree: bool,
    pub counterpart_id: Option<ID>,
}

impl RecordFilterInput {
    pub fn into_service(self) -> Result<RecordFilter, Error> {
        Ok(RecordFilter {
            country: self.country.map(|c| c.trim().to_ascii_uppercase()),
            kind: self.kind.map(Into::into),
            from: self.from.map(|d| d.0),
            to: self.to.map(|d| d.0),
            committee_id: self
                .committee_id
                .as_ref()
                .map(|id| ids::filter_id(id, NodeKind::Committee))
                .transpose()?,
            include_subtree: self.include_subtree,
            counterpart_id: self
                .counterpart_id
                .as_ref()
                .map(|id| ids::filter_id(id, NodeKind::Counterpart))
                .transpose()?,
        })
    }
}
