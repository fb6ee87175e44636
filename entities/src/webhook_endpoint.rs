//! A receiver registered by an ADMIN for some event types of a committee's
//! subtree.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoint")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Events of this committee and of every committee below it.
    pub committee_id: i64,
    pub url: String,
    /// The signing secret (`whsec_` and base64), shown once at creation.
    pub secret: String,
    /// The event types, comma-separated with a comma at each end
    /// (`,report.submitted,plan.issued,`).
    pub event_types: String,
    pub active: bool,
    /// Failed attempts since the last delivered one.
    pub consecutive_failures: i32,
    /// Why the endpoint was disabled, if the delivery disabled it.
    pub disabled_reason: Option<String>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
