//! The committee tree numbered in pre-order (`lft`, `rgt`; see
//! [`crate::preorder`]), so that a subtree is a range on an index.

use sea_orm_migration::{prelude::*, schema::*};

use crate::preorder;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Committee::Lft, Committee::Rgt] {
            // Already there on a database that a test brought to this shape by hand.
            if manager.has_column("committee", &column.to_string()).await? {
                continue;
            }
            manager
                .alter_table(
                    Table::alter()
                        .table(Committee::Table)
                        .add_column(big_integer(column).default(0))
                        .to_owned(),
                )
                .await?;
        }
        preorder::renumber(manager.get_connection()).await?;
        manager
            .create_index(
                Index::create()
                    .if_not_exists()
                    .name("ix_committee_lft")
                    .table(Committee::Table)
                    .col(Committee::Lft)
                    .col(Committee::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_committee_lft")
                    .table(Committee::Table)
                    .to_owned(),
            )
            .await?;
        for column in [Committee::Lft, Committee::Rgt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Committee::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Committee {
    Table,
    Id,
    Lft,
    Rgt,
}
