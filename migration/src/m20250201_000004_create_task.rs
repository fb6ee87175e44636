//! Tasks of a plan, their lead and coordinating agencies, and the upper-level
//! task each one implements.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20250101_000001_create_committee::Committee;
use crate::m20250101_000004_create_agency::Agency;
use crate::m20250201_000001_create_plan::Plan;
use crate::m20250201_000003_create_plan_section::PlanSection;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Task::Table)
                    .col(big_pk_auto(Task::Id))
                    .col(big_integer(Task::PlanId))
                    .col(big_integer(Task::CommitteeId))
                    .col(big_integer_null(Task::SectionId))
                    .col(integer(Task::Position))
                    .col(string_len(Task::Number, 32))
                    .col(string_len(Task::Title, 500))
                    .col(text_null(Task::Description))
                    .col(string_len(Task::Category, 32))
                    .col(boolean(Task::AllRelevantAgencies))
                    .col(date_null(Task::WindowFrom))
                    .col(date_null(Task::WindowTo))
                    .col(date_null(Task::DueOn))
                    .col(string_len(Task::Status, 16))
                    .col(small_integer(Task::Percent))
                    .col(integer(Task::Version))
                    .col(big_integer_null(Task::ImplementsTaskId))
                    .col(timestamp_with_time_zone(Task::CreatedAt))
                    .col(timestamp_with_time_zone(Task::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_task_plan")
                            .from(Task::Table, Task::PlanId)
                            .to(Plan::Table, Plan::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_task_committee")
                            .from(Task::Table, Task::CommitteeId)
                            .to(Committee::Table, Committee::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_task_section")
                            .from(Task::Table, Task::SectionId)
                            .to(PlanSection::Table, PlanSection::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_task_implements")
                            .from(Task::Table, Task::ImplementsTaskId)
                            .to(Task::Table, Task::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("ix_task_plan", vec![Task::PlanId, Task::Position]),
            (
                "ix_task_committee_due",
                vec![Task::CommitteeId, Task::DueOn],
            ),
            ("ix_task_implements", vec![Task::ImplementsTaskId]),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(Task::Table);
            for c in cols {
                idx.col(c);
            }
            manager.create_index(idx.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(TaskAgency::Table)
                    .col(big_integer(TaskAgency::TaskId))
                    .col(big_integer(TaskAgency::AgencyId))
                    .col(string_len(TaskAgency::Role, 16))
                    .primary_key(
                        Index::create()
                            .col(TaskAgency::TaskId)
                            .col(TaskAgency::AgencyId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_task_agency_task")
                            .from(TaskAgency::Table, TaskAgency::TaskId)
                            .to(Task::Table, Task::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_task_agency_agency")
                            .from(TaskAgency::Table, TaskAgency::AgencyId)
                            .to(Agency::Table, Agency::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_task_agency_agency")
                    .table(TaskAgency::Table)
                    .col(TaskAgency::AgencyId)
                    .col(TaskAgency::Role)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TaskAgency::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Task::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Task {
    Table,
    Id,
    PlanId,
    CommitteeId,
    SectionId,
    Position,
    Number,
    Title,
    Description,
    Category,
    AllRelevantAgencies,
    WindowFrom,
    WindowTo,
    DueOn,
    Status,
    Percent,
    Version,
    ImplementsTaskId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TaskAgency {
    Table,
    TaskId,
    AgencyId,
    Role,
}
