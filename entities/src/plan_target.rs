//! A target of a plan: indicator, comparator and value.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "plan_target")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub plan_id: i64,
    pub indicator_code: String,
    /// `EQ`, `GT`, `GTE`, `LT` or `LTE`.
    pub comparator: crate::enums::Comparator,
    pub value: f64,
    /// `PERCENT` or `COUNT`.
    pub unit: crate::enums::TargetUnit,
    pub source_text: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
