//! Successor links across the 2025 reform: an old unit -> each unit that took
//! in (part of) its area.

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
                    .table(CommitteeSuccession::Table)
                    .col(big_integer(CommitteeSuccession::PredecessorId))
                    .col(big_integer(CommitteeSuccession::SuccessorId))
                    .col(boolean(CommitteeSuccession::Partial))
                    .col(date(CommitteeSuccession::EffectiveOn))
                    .primary_key(
                        Index::create()
                            .col(CommitteeSuccession::PredecessorId)
                            .col(CommitteeSuccession::SuccessorId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_succession_predecessor")
                            .from(
                                CommitteeSuccession::Table,
                                CommitteeSuccession::PredecessorId,
                            )
                            .to(Committee::Table, Committee::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_succession_successor")
                            .from(CommitteeSuccession::Table, CommitteeSuccession::SuccessorId)
                            .to(Committee::Table, Committee::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_succession_successor")
                    .table(CommitteeSuccession::Table)
                    .col(CommitteeSuccession::SuccessorId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CommitteeSuccession::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CommitteeSuccession {
    Table,
    PredecessorId,
    SuccessorId,
    Partial,
    EffectiveOn,
}
