//! A report entered on its committee's behalf by the committee directly
//! above (a coordinator consolidating paper reports from a spreadsheet)
//! records which committee entered it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Already there on a database that a test brought to this shape by hand.
        if manager
            .has_column("report", "entered_by_committee_id")
            .await?
        {
            return Ok(());
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Report::Table)
                    .add_column(
                        ColumnDef::new(Report::EnteredByCommitteeId)
                            .big_integer()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Report::Table)
                    .drop_column(Report::EnteredByCommitteeId)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Report {
    Table,
    EnteredByCommitteeId,
}
