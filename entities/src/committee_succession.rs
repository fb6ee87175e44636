//! A successor link: the predecessor's area went (wholly or partly) to the successor.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "committee_succession")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub predecessor_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub successor_id: i64,
    /// Only part of the predecessor's area went to this successor.
    pub partial: bool,
    pub effective_on: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
