//! The document a plan was imported from, kept with the plan.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_document")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub plan_id: i64,
    pub file_name: String,
    pub content_type: String,
    /// `DOCX` or `TEXT`.
    pub format: String,
    pub size: i64,
    /// Hex SHA-256 of `content`.
    pub sha256: String,
    pub content: Vec<u8>,
    /// Who imported it (none for the demo data).
    pub account_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
