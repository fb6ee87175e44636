//! Mutations on counterparts and cooperation records.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};

use crate::graphql::guard::writer;
use crate::graphql::ids::{NodeKind, input_id, input_ids};
use crate::graphql::scalars::Date;
use crate::graphql::types::cooperation::{CooperationRecord, Counterpart};
use crate::graphql::types::enums::CooperationKind;
use crate::graphql::types::payload::{UserError, split};
use crate::service::audit::json;
use crate::service::cooperation::{self, NewCounterpart, RecordFields, RecordPatch};
use crate::service::enums::Role;

#[derive(InputObject)]
pub struct CreateCounterpartInput {
    /// ISO 3166-1 alpha-2 code ("CN", "LA", "KR").
    pub country: String,
    pub region: Option<String>,
    pub body_name: String,
}

#[derive(SimpleObject)]
pub struct CreateCounterpartPayload {
    /// The new counterpart, or the existing one with the same country, region and name.
    pub counterpart: Option<Counterpart>,
    pub user_errors: Vec<UserError>,
}

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

#[derive(SimpleObject)]
pub struct CooperationRecordPayload {
    pub cooperation_record: Option<CooperationRecord>,
    pub user_errors: Vec<UserError>,
}

fn opt_id(
    v: MaybeUndefined<ID>,
    kind: NodeKind,
    field: &str,
) -> Result<Option<Option<i64>>, crate::error::Error> {
    Ok(match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(id) => Some(Some(input_id(&id, kind, field)?)),
    })
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
        let w = writer(ctx)?;
        let db = &w.loaders.db;
        w.viewer.may_edit()?;
        let result = async {
            let c = cooperation::create_counterpart(
                db,
                NewCounterpart {
                    country: input.country,
                    region: input.region,
                    body_name: input.body_name,
                },
            )
            .await?;
            w.audit(
                "createCounterpart",
                None,
                Some((NodeKind::Counterpart, c.id)),
                None,
                json(&c),
            )
            .await?;
            Ok(c)
        }
        .await;
        let (counterpart, user_errors) = split(result)?;
        Ok(CreateCounterpartPayload {
            counterpart: counterpart.map(Counterpart),
            user_errors,
        })
    }

    async fn create_cooperation_record(
        &self,
        ctx: &Context<'_>,
        input: CreateCooperationRecordInput,
    ) -> Result<CooperationRecordPayload> {
        let w = writer(ctx)?;
        let db = &w.loaders.db;
        let result = async {
            let committee_id = input_id(&input.committee_id, NodeKind::Committee, "committeeId")?;
            w.committee(committee_id, "committeeId").await?;
            w.viewer.may_write_own(committee_id, Role::Editor)?;
            let fields = RecordFields {
                committee_id,
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
            let r = cooperation::create(db, fields).await?;
            w.audit(
                "createCooperationRecord",
                Some(committee_id),
                Some((NodeKind::CooperationRecord, r.id)),
                None,
                json(&r),
            )
            .await?;
            Ok(r)
        }
        .await;
        let (record, user_errors) = split(result)?;
        Ok(CooperationRecordPayload {
            cooperation_record: record.map(CooperationRecord),
            user_errors,
        })
    }

    async fn update_cooperation_record(
        &self,
        ctx: &Context<'_>,
        input: UpdateCooperationRecordInput,
    ) -> Result<CooperationRecordPayload> {
        let w = writer(ctx)?;
        let db = &w.loaders.db;
        let result = async {
            let id = input_id(&input.id, NodeKind::CooperationRecord, "id")?;
            let before = w.record(id, "id").await?;
            w.viewer.may_write_own(before.committee_id, Role::Editor)?;
            let patch = RecordPatch {
                counterpart_id: input
                    .counterpart_id
                    .as_ref()
                    .map(|id| input_id(id, NodeKind::Counterpart, "counterpartId"))
                    .transpose()?,
                kind: input.kind.map(Into::into),
                occurred_on: input.occurred_on.map(|d| d.0),
                title: input.title,
                summary: match input.summary {
                    MaybeUndefined::Undefined => None,
                    MaybeUndefined::Null => Some(None),
                    MaybeUndefined::Value(s) => Some(Some(s)),
                },
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
            let r = cooperation::update(db, id, patch).await?;
            w.audit(
                "updateCooperationRecord",
                Some(r.committee_id),
                Some((NodeKind::CooperationRecord, id)),
                json(&before),
                json(&r),
            )
            .await?;
            Ok(r)
        }
        .await;
        let (record, user_errors) = split(result)?;
        Ok(CooperationRecordPayload {
            cooperation_record: record.map(CooperationRecord),
            user_errors,
        })
    }
}
