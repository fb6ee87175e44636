//! An agency in a committee's registry.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "agency")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub committee_id: i64,
    pub name: String,
    pub short_name: Option<String>,
    /// One of the agency kinds (`POLICE`, `BORDER_GUARD`, ...).
    pub kind: crate::enums::AgencyKind,
    pub active: bool,
    /// Lower-case, diacritic-free name, for search and uniqueness per committee.
    pub search_key: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
