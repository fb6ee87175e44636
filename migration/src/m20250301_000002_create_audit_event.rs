//! The append-only audit trail.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditEvent::Table)
                    .col(big_pk_auto(AuditEvent::Id))
                    .col(big_integer_null(AuditEvent::ActorId))
                    .col(string_len_null(AuditEvent::ActorName, 64))
                    .col(big_integer_null(AuditEvent::TokenId))
                    .col(big_integer_null(AuditEvent::CommitteeId))
                    .col(string_len(AuditEvent::Action, 64))
                    .col(string_len_null(AuditEvent::ObjectId, 128))
                    .col(text_null(AuditEvent::Before))
                    .col(text_null(AuditEvent::After))
                    .col(string_len_null(AuditEvent::RequestId, 64))
                    .col(string_len_null(AuditEvent::ClientAddress, 64))
                    .col(timestamp_with_time_zone(AuditEvent::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_committee")
                    .table(AuditEvent::Table)
                    .col(AuditEvent::CommitteeId)
                    .col(AuditEvent::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditEvent::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    Id,
    ActorId,
    ActorName,
    TokenId,
    CommitteeId,
    Action,
    ObjectId,
    Before,
    After,
    RequestId,
    ClientAddress,
    CreatedAt,
}
