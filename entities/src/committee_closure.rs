//! Closure table of the committee tree (ancestor, descendant, distance).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "committee_closure")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub ancestor_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub descendant_id: i64,
    pub distance: i16,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::committee::Entity",
        from = "Column::AncestorId",
        to = "super::committee::Column::Id"
    )]
    Ancestor,
    #[sea_orm(
        belongs_to = "super::committee::Entity",
        from = "Column::DescendantId",
        to = "super::committee::Column::Id"
    )]
    Descendant,
}

impl ActiveModelBehavior for ActiveModel {}
