//! A foreign counterpart body.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "counterpart")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub region: Option<String>,
    pub body_name: String,
    pub search_key: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
