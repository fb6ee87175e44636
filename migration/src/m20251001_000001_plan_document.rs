//! The document a plan was imported from (`importPlanDocument`), kept with
//! the plan and downloadable by whoever may read it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PlanDocument::Table)
                    .if_not_exists()
                    .col(big_integer(PlanDocument::PlanId).primary_key())
                    .col(string_len(PlanDocument::FileName, 200))
                    .col(string_len(PlanDocument::ContentType, 100))
                    .col(string_len(PlanDocument::Format, 8))
                    .col(big_integer(PlanDocument::Size))
                    .col(string_len(PlanDocument::Sha256, 64))
                    .col(blob(PlanDocument::Content))
                    .col(big_integer_null(PlanDocument::AccountId))
                    .col(timestamp_with_time_zone(PlanDocument::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_plan_document_plan")
                            .from(PlanDocument::Table, PlanDocument::PlanId)
                            .to(Plan::Table, Plan::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PlanDocument::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PlanDocument {
    Table,
    PlanId,
    FileName,
    ContentType,
    Format,
    Size,
    Sha256,
    Content,
    AccountId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Plan {
    Table,
    Id,
}
