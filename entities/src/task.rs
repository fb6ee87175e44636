//! A task of a plan.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "task")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub plan_id: i64,
    /// The plan's committee, kept here so subtree queries need no join.
    pub committee_id: i64,
    pub section_id: Option<i64>,
    pub position: i32,
    pub number: String,
    pub title: String,
    pub description: Option<String>,
    pub category: crate::enums::TaskCategory,
    pub all_relevant_agencies: bool,
    pub window_from: Option<Date>,
    pub window_to: Option<Date>,
    pub due_on: Option<Date>,
    pub status: crate::enums::TaskStatus,
    pub percent: i16,
    /// Bumped by every progress report; writers must name the version they saw.
    pub version: i32,
    pub implements_task_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
