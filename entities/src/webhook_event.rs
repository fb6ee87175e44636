//! The outbox: one event, written in the transaction of the change it
//! describes, when some endpoint is registered for it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The `webhook-id` every delivery of this event carries (`msg_…`).
    #[sea_orm(unique)]
    pub message_id: String,
    /// `report.submitted`, `plan.issued`, …
    pub event_type: String,
    /// The committee the event is about.
    pub committee_id: i64,
    /// The JSON body sent.
    pub payload: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
