//! The sign-in throttle's counts, shared by every replica on PostgreSQL
//! (`hub138::auth::throttle`): one row per (username, address) pair,
//! username and address, with the start of its window. On SQLite the
//! throttle counts in memory and the table stays empty.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SignInCount::Table)
                    .if_not_exists()
                    .col(string_len(SignInCount::Key, 400).primary_key())
                    .col(timestamp_with_time_zone(SignInCount::Started))
                    .col(big_integer(SignInCount::N))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_sign_in_count_started")
                    .table(SignInCount::Table)
                    .col(SignInCount::Started)
                    .if_not_exists()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SignInCount::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SignInCount {
    Table,
    Key,
    Started,
    N,
}
