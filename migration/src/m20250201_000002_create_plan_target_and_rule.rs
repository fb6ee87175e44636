//! A plan's targets (indicator, comparator, value) and reporting rules.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20250101_000004_create_agency::Agency;
use crate::m20250201_000001_create_plan::Plan;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PlanTarget::Table)
                    .col(big_pk_auto(PlanTarget::Id))
                    .col(big_integer(PlanTarget::PlanId))
                    .col(string_len(PlanTarget::IndicatorCode, 64))
                    .col(string_len(PlanTarget::Comparator, 4))
                    .col(double(PlanTarget::Value))
                    .col(string_len(PlanTarget::Unit, 16))
                    .col(string_len_null(PlanTarget::SourceText, 2000))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_plan_target_plan")
                            .from(PlanTarget::Table, PlanTarget::PlanId)
                            .to(Plan::Table, Plan::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_plan_target_plan")
                    .table(PlanTarget::Table)
                    .col(PlanTarget::PlanId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReportingRule::Table)
                    .col(big_pk_auto(ReportingRule::Id))
                    .col(big_integer(ReportingRule::PlanId))
                    .col(string_len(ReportingRule::Cadence, 16))
                    .col(string_len_null(ReportingRule::DeadlineMonthDay, 5))
                    .col(date_null(ReportingRule::DeadlineDate))
                    .col(big_integer_null(ReportingRule::AddresseeAgencyId))
                    .col(string_len_null(ReportingRule::SourceText, 2000))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reporting_rule_plan")
                            .from(ReportingRule::Table, ReportingRule::PlanId)
                            .to(Plan::Table, Plan::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reporting_rule_agency")
                            .from(ReportingRule::Table, ReportingRule::AddresseeAgencyId)
                            .to(Agency::Table, Agency::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_reporting_rule_plan")
                    .table(ReportingRule::Table)
                    .col(ReportingRule::PlanId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReportingRule::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(PlanTarget::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PlanTarget {
    Table,
    Id,
    PlanId,
    IndicatorCode,
    Comparator,
    Value,
    Unit,
    SourceText,
}

#[derive(DeriveIden)]
enum ReportingRule {
    Table,
    Id,
    PlanId,
    Cadence,
    DeadlineMonthDay,
    DeadlineDate,
    AddresseeAgencyId,
    SourceText,
}
