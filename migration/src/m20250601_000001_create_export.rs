//! Generated export files, served by `GET /exports/{id}` until they expire.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20250101_000001_create_committee::Committee;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Export::Table)
                    .col(string_len(Export::Id, 64).primary_key())
                    .col(big_integer(Export::AccountId))
                    .col(big_integer(Export::CommitteeId))
                    .col(string_len(Export::Definition, 64))
                    .col(string_len(Export::Period, 8))
                    .col(string_len(Export::Format, 8))
                    .col(string_len(Export::Include, 16))
                    .col(integer_null(Export::SuppressBelow))
                    .col(string_len(Export::FileName, 200))
                    .col(string_len(Export::ContentType, 100))
                    .col(big_integer(Export::Size))
                    .col(blob(Export::Content))
                    .col(timestamp_with_time_zone(Export::CreatedAt))
                    .col(timestamp_with_time_zone(Export::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_export_committee")
                            .from(Export::Table, Export::CommitteeId)
                            .to(Committee::Table, Committee::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_export_expires")
                    .table(Export::Table)
                    .col(Export::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Export::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Export {
    Table,
    Id,
    AccountId,
    CommitteeId,
    Definition,
    Period,
    Format,
    Include,
    SuppressBelow,
    FileName,
    ContentType,
    Size,
    Content,
    CreatedAt,
    ExpiresAt,
}
