//! The append-only progress history of a task.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20250201_000004_create_task::Task;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TaskProgress::Table)
                    .col(big_pk_auto(TaskProgress::Id))
                    .col(big_integer(TaskProgress::TaskId))
                    .col(integer(TaskProgress::Version))
                    .col(small_integer(TaskProgress::Percent))
                    .col(string_len(TaskProgress::Status, 16))
                    .col(text_null(TaskProgress::Note))
                    .col(timestamp_with_time_zone(TaskProgress::ReportedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_task_progress_task")
                            .from(TaskProgress::Table, TaskProgress::TaskId)
                            .to(Task::Table, Task::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // One history row per task version: a second writer of the same
        // version cannot slip in.
        manager
            .create_index(
                Index::create()
                    .name("ux_task_progress_version")
                    .table(TaskProgress::Table)
                    .col(TaskProgress::TaskId)
                    .col(TaskProgress::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TaskProgress::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum TaskProgress {
    Table,
    Id,
    TaskId,
    Version,
    Percent,
    Status,
    Note,
    ReportedAt,
}
