//! Rollup totals kept up to date: per (units, inclusion, committee, period,
//! indicator), the sum and the number of reports of the committee's whole
//! subtree, so that a rollup reads one row per group instead of every report
//! below it. Written in the transaction of each report's change of status;
//! filled here from the reports already stored.

use sea_orm_migration::{prelude::*, schema::*};

use crate::rollup_totals;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RollupTotal::Table)
                    .if_not_exists()
                    .col(string_len(RollupTotal::Units, 8))
                    .col(string_len(RollupTotal::Inclusion, 10))
                    .col(big_integer(RollupTotal::CommitteeId))
                    .col(string_len(RollupTotal::Period, 8))
                    .col(string_len(RollupTotal::IndicatorCode, 64))
                    .col(double(RollupTotal::Total))
                    .col(big_integer(RollupTotal::Reports))
                    .primary_key(
                        Index::create()
                            .name("pk_rollup_total")
                            .col(RollupTotal::Units)
                            .col(RollupTotal::Inclusion)
                            .col(RollupTotal::CommitteeId)
                            .col(RollupTotal::IndicatorCode)
                            .col(RollupTotal::Period),
                    )
                    .to_owned(),
            )
            .await?;
        // (A table already there is refilled whole.)
        let db = manager.get_connection();
        db.execute_unprepared("DELETE FROM rollup_total").await?;
        db.execute_unprepared(&rollup_totals::fill()).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RollupTotal::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum RollupTotal {
    Table,
    Units,
    Inclusion,
    CommitteeId,
    Period,
    IndicatorCode,
    Total,
    Reports,
}
