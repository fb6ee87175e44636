//! Indicators as data: counts that add up the tree and rates computed from
//! a numerator and a denominator indicator.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Indicator::Table)
                    .col(string_len(Indicator::Code, 64).primary_key())
                    .col(string_len(Indicator::NameVi, 300))
                    .col(string_len(Indicator::NameEn, 300))
                    .col(string_len(Indicator::Unit, 16))
                    .col(string_len(Indicator::Aggregation, 16))
                    .col(string_len_null(Indicator::NumeratorCode, 64))
                    .col(string_len_null(Indicator::DenominatorCode, 64))
                    .col(integer(Indicator::Position))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_indicator_numerator")
                            .from(Indicator::Table, Indicator::NumeratorCode)
                            .to(Indicator::Table, Indicator::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_indicator_denominator")
                            .from(Indicator::Table, Indicator::DenominatorCode)
                            .to(Indicator::Table, Indicator::Code),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Indicator::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Indicator {
    Table,
    Code,
    NameVi,
    NameEn,
    Unit,
    Aggregation,
    NumeratorCode,
    DenominatorCode,
    Position,
}
