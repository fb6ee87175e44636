//! An indicator of periodic reports.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "indicator")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// `COUNT` or `PERCENT`.
    pub unit: String,
    /// `SUM` (counts add up the tree) or `RATIO` (numerator / denominator).
    pub aggregation: String,
    pub numerator_code: Option<String>,
    pub denominator_code: Option<String>,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
