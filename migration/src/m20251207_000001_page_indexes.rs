//! Indexes that give each nested page its rows in page order, so a page of
//! `first: n` reads n rows through the index instead of every row of the
//! parent and a sort: children by (code, id) under their parent.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Committee {
    Table,
    ParentId,
    Code,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ix_committee_parent_code_id")
                    .table(Committee::Table)
                    .col(Committee::ParentId)
                    .col(Committee::Code)
                    .col(Committee::Id)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        // The new index leads with the same columns.
        manager
            .drop_index(
                Index::drop()
                    .name("ix_committee_parent")
                    .table(Committee::Table)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ix_committee_parent")
                    .table(Committee::Table)
                    .col(Committee::ParentId)
                    .col(Committee::Code)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_committee_parent_code_id")
                    .table(Committee::Table)
                    .to_owned(),
            )
            .await
    }
}
