//! The agency registry: each agency belongs to one committee.

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
                    .table(Agency::Table)
                    .col(big_pk_auto(Agency::Id))
                    .col(big_integer(Agency::CommitteeId))
                    .col(string_len(Agency::Name, 255))
                    .col(string_len_null(Agency::ShortName, 100))
                    .col(string_len(Agency::Kind, 32))
                    .col(boolean(Agency::Active))
                    .col(string_len(Agency::SearchKey, 255))
                    .col(timestamp_with_time_zone(Agency::CreatedAt))
                    .col(timestamp_with_time_zone(Agency::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_agency_committee")
                            .from(Agency::Table, Agency::CommitteeId)
                            .to(Committee::Table, Committee::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_agency_committee_name")
                    .table(Agency::Table)
                    .col(Agency::CommitteeId)
                    .col(Agency::Name)
                    .to_owned(),
            )
            .await?;
        // Two agencies of one committee cannot share a (folded) name.
        manager
            .create_index(
                Index::create()
                    .name("ux_agency_committee_search_key")
                    .table(Agency::Table)
                    .col(Agency::CommitteeId)
                    .col(Agency::SearchKey)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Agency::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Agency {
    Table,
    Id,
    CommitteeId,
    Name,
    ShortName,
    Kind,
    Active,
    SearchKey,
    CreatedAt,
    UpdatedAt,
}
