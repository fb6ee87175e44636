//! A committee's periodic report: one per committee and period.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "report")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub committee_id: i64,
    /// `2024`, `2024-H1`, `2024-Q3` or `2024-07`.
    pub period: String,
    /// `YEAR`, `HALF`, `QUARTER` or `MONTH`.
    pub period_kind: String,
    pub period_start: Date,
    pub period_end: Date,
    /// The plan whose reporting rule expects this report, if any.
    pub plan_id: Option<i64>,
    /// Set for expected reports; a report without one is unsolicited.
    pub deadline: Option<Date>,
    /// `DRAFT`, `SUBMITTED`, `APPROVED` or `RETURNED`.
    pub status: crate::enums::ReportStatus,
    pub narrative: Option<String>,
    /// The first submission; timeliness is judged by it.
    pub submitted_at: Option<DateTimeUtc>,
    pub late: bool,
    pub reviewed_at: Option<DateTimeUtc>,
    pub return_reason: Option<String>,
    pub version: i32,
    /// The committee directly above that entered the report on this
    /// committee's behalf (a spreadsheet import by its coordinator); none
    /// when the committee entered it itself.
    pub entered_by_committee_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
