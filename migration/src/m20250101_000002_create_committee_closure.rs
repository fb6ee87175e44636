//! The closure table of the committee tree: one row per (ancestor, descendant)
//! pair including each committee with itself at distance 0. Subtree queries
//! and rollups join on it instead of walking the tree.

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
                    .table(CommitteeClosure::Table)
                    .col(big_integer(CommitteeClosure::AncestorId))
                    .col(big_integer(CommitteeClosure::DescendantId))
                    .col(small_integer(CommitteeClosure::Distance))
                    .primary_key(
                        Index::create()
                            .col(CommitteeClosure::AncestorId)
                            .col(CommitteeClosure::DescendantId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_closure_ancestor")
                            .from(CommitteeClosure::Table, CommitteeClosure::AncestorId)
                            .to(Committee::Table, Committee::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_closure_descendant")
                            .from(CommitteeClosure::Table, CommitteeClosure::DescendantId)
                            .to(Committee::Table, Committee::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_closure_descendant")
                    .table(CommitteeClosure::Table)
                    .col(CommitteeClosure::DescendantId)
                    .col(CommitteeClosure::Distance)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CommitteeClosure::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum CommitteeClosure {
    Table,
    AncestorId,
    DescendantId,
    Distance,
}
