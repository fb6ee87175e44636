//! One append-only audit event.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "audit_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub token_id: Option<i64>,
    pub committee_id: Option<i64>,
    pub action: String,
    /// `OK`, or `FORBIDDEN` / `NOT_FOUND` for a refused attempt.
    pub outcome: String,
    pub object_id: Option<String>,
    /// JSON of the object before the change.
    pub before: Option<String>,
    /// JSON of the object after the change.
    pub after: Option<String>,
    pub request_id: Option<String>,
    pub client_address: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
