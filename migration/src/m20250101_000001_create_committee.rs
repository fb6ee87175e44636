//! Committees: one row per administrative unit *version*. A unit that existed
//! before and after the 2025 reform has two rows (legacy and current), linked
//! by a succession row, so each row's parent never changes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Committee::Table)
                    .col(big_pk_auto(Committee::Id))
                    .col(string_len(Committee::Level, 16))
                    .col(string_len(Committee::Code, 16))
                    .col(string_len(Committee::Name, 255))
                    .col(string_len(Committee::UnitName, 255))
                    .col(string_len(Committee::UnitShortName, 255))
                    .col(string_len(Committee::UnitType, 64))
                    .col(string_len(Committee::SearchKey, 255))
                    .col(big_integer_null(Committee::ParentId))
                    .col(small_integer(Committee::Depth))
                    .col(date_null(Committee::ValidFrom))
                    .col(date_null(Committee::ValidTo))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_committee_parent")
                            .from(Committee::Table, Committee::ParentId)
                            .to(Committee::Table, Committee::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_committee_level_code")
                    .table(Committee::Table)
                    .col(Committee::Level)
                    .col(Committee::Code)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_committee_parent")
                    .table(Committee::Table)
                    .col(Committee::ParentId)
                    .col(Committee::Code)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Committee::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Committee {
    Table,
    Id,
    Level,
    Code,
    Name,
    UnitName,
    UnitShortName,
    UnitType,
    SearchKey,
    ParentId,
    Depth,
    ValidFrom,
    ValidTo,
}
