//! A user account.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Lower-case, unique.
    pub username: String,
    pub display_name: String,
    /// The home committee: the viewer's place in the hierarchy.
    pub committee_id: i64,
    /// `VIEWER`, `EDITOR`, `COORDINATOR` or `ADMIN`.
    pub role: crate::enums::Role,
    pub active: bool,
    /// argon2id PHC string.
    pub password_hash: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
