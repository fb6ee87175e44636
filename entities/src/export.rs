//! A generated export file (XLSX, CSV or JSON), kept until it expires.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "export")]
pub struct Model {
    /// A random, unguessable id; the download URL is `/exports/{id}`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// Who generated it.
    pub account_id: i64,
    /// The scope: this committee's subtree.
    pub committee_id: i64,
    pub definition: String,
    pub period: String,
    /// `XLSX`, `CSV` or `JSON`.
    pub format: String,
    pub include: crate::enums::ReportInclusion,
    pub suppress_below: Option<i32>,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub content: Vec<u8>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
