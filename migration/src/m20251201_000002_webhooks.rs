//! Webhooks: the endpoints ADMINs register, the outbox of events written in
//! the transactions of their changes, and one delivery row per event and
//! endpoint (`hub138::service::webhooks`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WebhookEndpoint::Table)
                    .if_not_exists()
                    .col(big_pk_auto(WebhookEndpoint::Id))
                    .col(big_integer(WebhookEndpoint::CommitteeId))
                    .col(string_len(WebhookEndpoint::Url, 2000))
                    .col(string_len(WebhookEndpoint::Secret, 100))
                    .col(string_len(WebhookEndpoint::EventTypes, 500))
                    .col(boolean(WebhookEndpoint::Active))
                    .col(integer(WebhookEndpoint::ConsecutiveFailures).default(0))
                    .col(string_len_null(WebhookEndpoint::DisabledReason, 500))
                    .col(big_integer(WebhookEndpoint::CreatedBy))
                    .col(timestamp_with_time_zone(WebhookEndpoint::CreatedAt))
                    .col(timestamp_with_time_zone(WebhookEndpoint::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookEvent::Table)
                    .if_not_exists()
                    .col(big_pk_auto(WebhookEvent::Id))
                    .col(string_len_uniq(WebhookEvent::MessageId, 40))
                    .col(string_len(WebhookEvent::EventType, 40))
                    .col(big_integer(WebhookEvent::CommitteeId))
                    .col(text(WebhookEvent::Payload))
                    .col(timestamp_with_time_zone(WebhookEvent::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDelivery::Table)
                    .if_not_exists()
                    .col(big_pk_auto(WebhookDelivery::Id))
                    .col(big_integer(WebhookDelivery::EventId))
                    .col(big_integer(WebhookDelivery::EndpointId))
                    .col(string_len(WebhookDelivery::Status, 12))
                    .col(integer(WebhookDelivery::Attempts).default(0))
                    .col(timestamp_with_time_zone(WebhookDelivery::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(
                        WebhookDelivery::LastAttemptAt,
                    ))
                    .col(integer_null(WebhookDelivery::LastStatus))
                    .col(string_len_null(WebhookDelivery::LastError, 500))
                    .col(timestamp_with_time_zone_null(WebhookDelivery::DeliveredAt))
                    .col(timestamp_with_time_zone(WebhookDelivery::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookDelivery::Table, WebhookDelivery::EventId)
                            .to(WebhookEvent::Table, WebhookEvent::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookDelivery::Table, WebhookDelivery::EndpointId)
                            .to(WebhookEndpoint::Table, WebhookEndpoint::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "ix_webhook_delivery_due",
                vec![WebhookDelivery::Status, WebhookDelivery::NextAttemptAt],
            ),
            (
                "ix_webhook_delivery_endpoint",
                vec![WebhookDelivery::EndpointId, WebhookDelivery::Id],
            ),
            ("ix_webhook_delivery_event", vec![WebhookDelivery::EventId]),
        ] {
            let mut index = Index::create();
            index
                .name(name)
                .table(WebhookDelivery::Table)
                .if_not_exists();
            for c in cols {
                index.col(c);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            WebhookDelivery::Table.into_iden(),
            WebhookEvent::Table.into_iden(),
            WebhookEndpoint::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum WebhookEndpoint {
    Table,
    Id,
    CommitteeId,
    Url,
    Secret,
    EventTypes,
    Active,
    ConsecutiveFailures,
    DisabledReason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WebhookEvent {
    Table,
    Id,
    MessageId,
    EventType,
    CommitteeId,
    Payload,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WebhookDelivery {
    Table,
    Id,
    EventId,
    EndpointId,
    Status,
    Attempts,
    NextAttemptAt,
    LastAttemptAt,
    LastStatus,
    LastError,
    DeliveredAt,
    CreatedAt,
}
