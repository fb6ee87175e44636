//! Cross-border cooperation: foreign counterparts and the records of work
//! with them. Counts only; no personal data.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20250101_000001_create_committee::Committee;
use crate::m20250101_000004_create_agency::Agency;
use crate::m20250201_000001_create_plan::Plan;
use crate::m20250201_000004_create_task::Task;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Counterpart::Table)
                    .col(big_pk_auto(Counterpart::Id))
                    .col(string_len(Counterpart::Country, 2))
                    .col(string_len_null(Counterpart::Region, 200))
                    .col(string_len(Counterpart::BodyName, 300))
                    .col(string_len(Counterpart::SearchKey, 600))
                    .col(timestamp_with_time_zone(Counterpart::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_counterpart_identity")
                    .table(Counterpart::Table)
                    .col(Counterpart::Country)
                    .col(Counterpart::SearchKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CooperationRecord::Table)
                    .col(big_pk_auto(CooperationRecord::Id))
                    .col(big_integer(CooperationRecord::CommitteeId))
                    .col(big_integer(CooperationRecord::CounterpartId))
                    .col(string_len(CooperationRecord::Kind, 32))
                    .col(date(CooperationRecord::OccurredOn))
                    .col(string_len(CooperationRecord::Title, 500))
                    .col(text_null(CooperationRecord::Summary))
                    .col(integer(CooperationRecord::VictimsRepatriated))
                    .col(integer(CooperationRecord::SuspectsHandedOver))
                    .col(big_integer_null(CooperationRecord::PlanId))
                    .col(big_integer_null(CooperationRecord::TaskId))
                    .col(timestamp_with_time_zone(CooperationRecord::CreatedAt))
                    .col(timestamp_with_time_zone(CooperationRecord::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_coop_committee")
                            .from(CooperationRecord::Table, CooperationRecord::CommitteeId)
                            .to(Committee::Table, Committee::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_coop_counterpart")
                            .from(CooperationRecord::Table, CooperationRecord::CounterpartId)
                            .to(Counterpart::Table, Counterpart::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_coop_plan")
                            .from(CooperationRecord::Table, CooperationRecord::PlanId)
                            .to(Plan::Table, Plan::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_coop_task")
                            .from(CooperationRecord::Table, CooperationRecord::TaskId)
                            .to(Task::Table, Task::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_coop_committee_date")
                    .table(CooperationRecord::Table)
                    .col(CooperationRecord::CommitteeId)
                    .col(CooperationRecord::OccurredOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CooperationAgency::Table)
                    .col(big_integer(CooperationAgency::RecordId))
                    .col(big_integer(CooperationAgency::AgencyId))
                    .primary_key(
                        Index::create()
                            .col(CooperationAgency::RecordId)
                            .col(CooperationAgency::AgencyId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_coop_agency_record")
                            .from(CooperationAgency::Table, CooperationAgency::RecordId)
                            .to(CooperationRecord::Table, CooperationRecord::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_coop_agency_agency")
                            .from(CooperationAgency::Table, CooperationAgency::AgencyId)
                            .to(Agency::Table, Agency::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CooperationAgency::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(CooperationRecord::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Counterpart::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Counterpart {
    Table,
    Id,
    Country,
    Region,
    BodyName,
    SearchKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CooperationRecord {
    Table,
    Id,
    CommitteeId,
    CounterpartId,
    Kind,
    OccurredOn,
    Title,
    Summary,
    VictimsRepatriated,
    SuspectsHandedOver,
    PlanId,
    TaskId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CooperationAgency {
    Table,
    RecordId,
    AgencyId,
}
