//! Mutations on counterparts and cooperation records.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};

use crate::graphql::cooperation::{CooperationRecord, Counterpart};
use crate::graphql::enums::CooperationKind;
use crate::graphql::ids::{NodeKind, input_id, input_ids};
use crate::graphql::scalars::Date;
use crate::graphql::write::{mutate, patch, payload};
use crate::service::cooperation::{self, NewCounterpart, RecordFields, RecordPatch};

#[derive(InputObject)]
pub struct CreateCounterpartInput {
    /// ISO 3166-1 alpha-2 code ("CN", "LA", "KR").
    pub country: String,
    pub region: Option<String>,
    pub body_name: String,
}

payload!(CreateCounterpartPayload {
    /// The new counterpart, or the existing one with the same country, region and name.
    counterpart: Counterpart
});

#[derive(InputObject)]
pub struct CreateCooperationRecordInput {
    pub committee_id: ID,
    pub counterpart_id: ID,
    pub kind: CooperationKind,
    pub occurred_on: Date,
    pub title: String,
    pub summary: Option<String>,
    /// Agencies of the committee's registry that took part.
    #[graphql(default)]
    pub agency_ids: Vec<ID>,
    #[graphql(default)]
    pub victims_repatriated: i32,
    #[graphql(default)]
    pub suspects_handed_over: i32,
    pub plan_id: Option<ID>,
    pub task_id: Option<ID>,
}

/// Changes to a record; absent fields stay, `null` clears.
#[derive(InputObject)]
pub struct UpdateCooperationRecordInput {
    pub id: ID,
    pub counterpart_id: Option<ID>,
    pub kind: Option<CooperationKind>,
    pub occurred_on: Option<Date>,
    pub title: Option<String>,
    pub summary: MaybeUndefined<String>,
    pub agency_ids: Option<Vec<ID>>,
    pub victims_repatriated: Option<i32>,
    pub suspects_handed_over: Option<i32>,
    pub plan_id: MaybeUndefined<ID>,
    pub task_id: MaybeUndefined<ID>,
}

payload!(CooperationRecordPayload {
    cooperation_record: CooperationRecord
});

fn opt_id(
    v: MaybeUndefined<ID>,
    kind: NodeKind,
    field: &str,
) -> Result<Option<Option<i64>>, crate::error::Error> {
    patch(v)
        .map(|id| id.map(|id| input_id(&id, kind, field)).transpose())
        .transpose()
}

#[derive(Default)]
pub struct CooperationMutation;

#[Object]
impl CooperationMutation {
    /// Records a foreign counterpart (or returns the existing one).
    async fn create_counterpart(
        &self,
        ctx: &Context<'_>,
        input: CreateCounterpartInput,
    ) -> Result<CreateCounterpartPayload> {
        Ok(mutate(ctx, "createCounterpart", async |w| {
            let new = NewCounterpart {
                country: input.country,
                region: input.region,
                body_name: input.body_name,
            };
            cooperation::create_counterpart(w, new).await
        })
        .await?
        .into())
    }

    async fn create_cooperation_record(
        &self,
        ctx: &Context<'_>,
        input: CreateCooperationRecordInput,
    ) -> Result<CooperationRecordPayload> {
        Ok(mutate(ctx, "createCooperationRecord", async |w| {
            let fields = RecordFields {
                committee_id: input_id(&input.committee_id, NodeKind::Committee, "committeeId")?,
                counterpart_id: input_id(
                    &input.counterpart_id,
                    NodeKind::Counterpart,
                    "counterpartId",
                )?,
                kind: input.kind.into(),
                occurred_on: input.occurred_on.0,
                title: input.title,
                summary: input.summary,
                agency_ids: input_ids(&input.agency_ids, NodeKind::Agency, "agencyIds")?,
                victims_repatriated: input.victims_repatriated,
                suspects_handed_over: input.suspects_handed_over,
                plan_id: input
                    .plan_id
                    .as_ref()
                    .map(|id| input_id(id, NodeKind::Plan, "planId"))
                    .transpose()?,
                task_id: input
                    .task_id
                    .as_ref()
                    .map(|id| input_id(id, NodeKind::Task, "taskId"))
                    .transpose()?,
            };
            cooperation::create(w, fields).await
        })
        .await?
        .into())
    }

    async fn update_cooperation_record(
        &self,
        ctx: &Context<'_>,
        input: UpdateCooperationRecordInput,
    ) -> Result<CooperationRecordPayload> {
        Ok(mutate(ctx, "updateCooperationRecord", async |w| {
            let id = input_id(&input.id, NodeKind::CooperationRecord, "id")?;
            let patch = RecordPatch {
                counterpart_id: input
                    .counterpart_id
                    .as_ref()
                    .map(|id| input_id(id, NodeKind::Counterpart, "counterpartId"))
                    .transpose()?,
                kind: input.kind.map(Into::into),
                occurred_on: input.occurred_on.map(|d| d.0),
                title: input.title,
                summary: patch(input.summary),
                agency_ids: input
                    .agency_ids
                    .as_deref()
                    .map(|ids| input_ids(ids, NodeKind::Agency, "agencyIds"))
                    .transpose()?,
                victims_repatriated: input.victims_repatriated,
                suspects_handed_over: input.suspects_handed_over,
                plan_id: opt_id(input.plan_id, NodeKind::Plan, "planId")?,
                task_id: opt_id(input.task_id, NodeKind::Task, "taskId")?,
            };
            cooperation::update(w, id, patch).await
        })
        .await?
        .into())
    }
}
