//! A Vietnamese agency involved in a cooperation record.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "cooperation_agency")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub record_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub agency_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
