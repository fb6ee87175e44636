//! Plans (kế hoạch) of a committee, with the documents they implement.

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
                    .table(Plan::Table)
                    .col(big_pk_auto(Plan::Id))
                    .col(big_integer(Plan::CommitteeId))
                    .col(string_len_null(Plan::DocumentNumber, 100))
                    .col(string_len(Plan::Title, 500))
                    .col(string_len(Plan::SearchKey, 700))
                    .col(string_len(Plan::Kind, 32))
                    .col(date_null(Plan::IssuedOn))
                    .col(date(Plan::PeriodFrom))
                    .col(date(Plan::PeriodTo))
                    .col(integer_null(Plan::OrientationYear))
                    .col(string_len_null(Plan::SignatoryName, 200))
                    .col(string_len_null(Plan::SignatoryTitle, 200))
                    .col(string_len_null(Plan::FundingNote, 2000))
                    .col(string_len(Plan::Status, 16))
                    .col(timestamp_with_time_zone(Plan::CreatedAt))
                    .col(timestamp_with_time_zone(Plan::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_plan_committee")
                            .from(Plan::Table, Plan::CommitteeId)
                            .to(Committee::Table, Committee::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_plan_committee")
                    .table(Plan::Table)
                    .col(Plan::CommitteeId)
                    .col(Plan::PeriodFrom)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PlanLink::Table)
                    .col(big_integer(PlanLink::PlanId))
                    .col(big_integer(PlanLink::ImplementsPlanId))
                    .primary_key(
                        Index::create()
                            .col(PlanLink::PlanId)
                            .col(PlanLink::ImplementsPlanId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_plan_link_plan")
                            .from(PlanLink::Table, PlanLink::PlanId)
                            .to(Plan::Table, Plan::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_plan_link_implements")
                            .from(PlanLink::Table, PlanLink::ImplementsPlanId)
                            .to(Plan::Table, Plan::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_plan_link_implements")
                    .table(PlanLink::Table)
                    .col(PlanLink::ImplementsPlanId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PlanReference::Table)
                    .col(big_pk_auto(PlanReference::Id))
                    .col(big_integer(PlanReference::PlanId))
                    .col(string_len(PlanReference::Document, 300))
                    .col(date_null(PlanReference::IssuedOn))
                    .col(string_len_null(PlanReference::Issuer, 300))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_plan_reference_plan")
                            .from(PlanReference::Table, PlanReference::PlanId)
                            .to(Plan::Table, Plan::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_plan_reference_plan")
                    .table(PlanReference::Table)
                    .col(PlanReference::PlanId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PlanReference::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(PlanLink::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Plan::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Plan {
    Table,
    Id,
    CommitteeId,
    DocumentNumber,
    Title,
    SearchKey,
    Kind,
    IssuedOn,
    PeriodFrom,
    PeriodTo,
    OrientationYear,
    SignatoryName,
    SignatoryTitle,
    FundingNote,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PlanLink {
    Table,
    PlanId,
    ImplementsPlanId,
}

#[derive(DeriveIden)]
enum PlanReference {
    Table,
    Id,
    PlanId,
    Document,
    IssuedOn,
    Issuer,
}
