//! A plan (kế hoạch) issued by a committee.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "plan")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub committee_id: i64,
    pub document_number: Option<String>,
    pub title: String,
    pub search_key: String,
    /// `ANNUAL`, `PROGRAMME`, `CAMPAIGN`, `PEAK_OPERATION` or `OTHER`.
    pub kind: crate::enums::PlanKind,
    pub issued_on: Option<Date>,
    pub period_from: Date,
    pub period_to: Date,
    pub orientation_year: Option<i32>,
    pub signatory_name: Option<String>,
    pub signatory_title: Option<String>,
    pub funding_note: Option<String>,
    /// `DRAFT`, `ISSUED` or `CLOSED`.
    pub status: crate::enums::PlanStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
