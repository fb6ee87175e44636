//! Accounts: users with a home committee and a role, and long-lived API
//! tokens for machines (stored as SHA-256 hashes).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20250101_000001_create_committee::Committee;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Account::Table)
                    .col(big_pk_auto(Account::Id))
                    .col(string_len(Account::Username, 64).unique_key())
                    .col(string_len(Account::DisplayName, 200))
                    .col(big_integer(Account::CommitteeId))
                    .col(string_len(Account::Role, 16))
                    .col(boolean(Account::Active))
                    .col(string_len(Account::PasswordHash, 255))
                    .col(timestamp_with_time_zone(Account::CreatedAt))
                    .col(timestamp_with_time_zone(Account::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_account_committee")
                            .from(Account::Table, Account::CommitteeId)
                            .to(Committee::Table, Committee::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApiToken::Table)
                    .col(big_pk_auto(ApiToken::Id))
                    .col(big_integer(ApiToken::AccountId))
                    .col(string_len(ApiToken::Name, 200))
                    .col(string_len(ApiToken::TokenHash, 64).unique_key())
                    .col(timestamp_with_time_zone(ApiToken::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiToken::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiToken::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_token_account")
                            .from(ApiToken::Table, ApiToken::AccountId)
                            .to(Account::Table, Account::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApiToken::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Account::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Account {
    Table,
    Id,
    Username,
    DisplayName,
    CommitteeId,
    Role,
    Active,
    PasswordHash,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ApiToken {
    Table,
    Id,
    AccountId,
    Name,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
}
