//! A record of cross-border cooperation (counts only).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "cooperation_record")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub committee_id: i64,
    pub counterpart_id: i64,
    pub kind: crate::enums::CooperationKind,
    pub occurred_on: Date,
    pub title: String,
    pub summary: Option<String>,
    pub victims_repatriated: i32,
    pub suspects_handed_over: i32,
    pub plan_id: Option<i64>,
    pub task_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
