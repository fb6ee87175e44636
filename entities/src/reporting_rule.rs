//! When and to whom a plan's implementers report.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "reporting_rule")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub plan_id: i64,
    /// `QUARTERLY`, `SEMIANNUAL`, `ANNUAL` or `ONE_OFF`.
    pub cadence: crate::enums::Cadence,
    /// A recurring deadline, `MM-DD`.
    pub deadline_month_day: Option<String>,
    /// A one-off deadline.
    pub deadline_date: Option<Date>,
    pub addressee_agency_id: Option<i64>,
    pub source_text: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
