//! Memberships: an agency's role in its committee. At most one membership per
//! agency and at most one STANDING agency per committee (a partial unique
//! index, the same SQL on SQLite and PostgreSQL).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20250101_000001_create_committee::Committee;
use crate::m20250101_000004_create_agency::Agency;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Membership::Table)
                    .col(big_pk_auto(Membership::Id))
                    .col(big_integer(Membership::CommitteeId))
                    .col(big_integer(Membership::AgencyId).unique_key())
                    .col(string_len(Membership::Role, 16))
                    .col(timestamp_with_time_zone(Membership::CreatedAt))
                    .col(timestamp_with_time_zone(Membership::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_membership_committee")
                            .from(Membership::Table, Membership::CommitteeId)
                            .to(Committee::Table, Committee::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_membership_agency")
                            .from(Membership::Table, Membership::AgencyId)
                            .to(Agency::Table, Agency::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_membership_committee")
                    .table(Membership::Table)
                    .col(Membership::CommitteeId)
                    .col(Membership::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_membership_one_standing \
                 ON membership (committee_id) WHERE role = 'STANDING'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Membership::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Membership {
    Table,
    Id,
    CommitteeId,
    AgencyId,
    Role,
    CreatedAt,
    UpdatedAt,
}
