//! Sections of a plan ("II.2" above "II.2.1").

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20250201_000001_create_plan::Plan;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PlanSection::Table)
                    .col(big_pk_auto(PlanSection::Id))
                    .col(big_integer(PlanSection::PlanId))
                    .col(big_integer_null(PlanSection::ParentId))
                    .col(string_len(PlanSection::Number, 32))
                    .col(string_len(PlanSection::Title, 500))
                    .col(integer(PlanSection::Position))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_plan_section_plan")
                            .from(PlanSection::Table, PlanSection::PlanId)
                            .to(Plan::Table, Plan::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_plan_section_parent")
                            .from(PlanSection::Table, PlanSection::ParentId)
                            .to(PlanSection::Table, PlanSection::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_plan_section_number")
                    .table(PlanSection::Table)
                    .col(PlanSection::PlanId)
                    .col(PlanSection::Number)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PlanSection::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum PlanSection {
    Table,
    Id,
    PlanId,
    ParentId,
    Number,
    Title,
    Position,
}
