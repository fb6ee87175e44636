//! Periodic reports and their indicator values; and, on each committee, the
//! unit of today's tree its records count under (`current_id`), so rollups
//! asked in today's units map every old unit to exactly one new one.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20250101_000001_create_committee::Committee;
use crate::m20250201_000001_create_plan::Plan;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Committee::Table)
                    .add_column(big_integer_null(CommitteeCurrent::CurrentId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_committee_current")
                    .table(Committee::Table)
                    .col(CommitteeCurrent::CurrentId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Report::Table)
                    .col(big_pk_auto(Report::Id))
                    .col(big_integer(Report::CommitteeId))
                    .col(string_len(Report::Period, 8))
                    .col(string_len(Report::PeriodKind, 8))
                    .col(date(Report::PeriodStart))
                    .col(date(Report::PeriodEnd))
                    .col(big_integer_null(Report::PlanId))
                    .col(date_null(Report::Deadline))
                    .col(string_len(Report::Status, 16))
                    .col(text_null(Report::Narrative))
                    .col(timestamp_with_time_zone_null(Report::SubmittedAt))
                    .col(boolean(Report::Late))
                    .col(timestamp_with_time_zone_null(Report::ReviewedAt))
                    .col(string_len_null(Report::ReturnReason, 2000))
                    .col(integer(Report::Version))
                    .col(timestamp_with_time_zone(Report::CreatedAt))
                    .col(timestamp_with_time_zone(Report::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_report_committee")
                            .from(Report::Table, Report::CommitteeId)
                            .to(Committee::Table, Committee::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_report_plan")
                            .from(Report::Table, Report::PlanId)
                            .to(Plan::Table, Plan::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_report_committee_period")
                    .table(Report::Table)
                    .col(Report::CommitteeId)
                    .col(Report::Period)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_report_period")
                    .table(Report::Table)
                    .col(Report::Period)
                    .col(Report::Status)
                    .col(Report::CommitteeId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_report_plan")
                    .table(Report::Table)
                    .col(Report::PlanId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReportValue::Table)
                    .col(big_integer(ReportValue::ReportId))
                    .col(string_len(ReportValue::IndicatorCode, 64))
                    .col(double(ReportValue::Value))
                    .primary_key(
                        Index::create()
                            .col(ReportValue::ReportId)
                            .col(ReportValue::IndicatorCode),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_report_value_report")
                            .from(ReportValue::Table, ReportValue::ReportId)
                            .to(Report::Table, Report::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_report_value_indicator")
                            .from(ReportValue::Table, ReportValue::IndicatorCode)
                            .to(Indicator::Table, Indicator::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_report_value_indicator")
                    .table(ReportValue::Table)
                    .col(ReportValue::IndicatorCode)
                    .col(ReportValue::ReportId)
                    .col(ReportValue::Value)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReportValue::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Report::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_committee_current")
                    .table(Committee::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Committee::Table)
                    .drop_column(CommitteeCurrent::CurrentId)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum CommitteeCurrent {
    CurrentId,
}

#[derive(DeriveIden)]
enum Indicator {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum Report {
    Table,
    Id,
    CommitteeId,
    Period,
    PeriodKind,
    PeriodStart,
    PeriodEnd,
    PlanId,
    Deadline,
    Status,
    Narrative,
    SubmittedAt,
    Late,
    ReviewedAt,
    ReturnReason,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ReportValue {
    Table,
    ReportId,
    IndicatorCode,
    Value,
}
