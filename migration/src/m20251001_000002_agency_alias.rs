//! Other names an agency goes by in documents ("Công an" for "Công an tỉnh
//! Lạng Sơn"), used when a plan document's agency names are matched to the
//! registry.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AgencyAlias::Table)
                    .if_not_exists()
                    .col(pk_auto(AgencyAlias::Id).big_integer())
                    .col(big_integer(AgencyAlias::AgencyId))
                    .col(string_len(AgencyAlias::Alias, 300))
                    .col(string_len(AgencyAlias::SearchKey, 300))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_agency_alias_agency")
                            .from(AgencyAlias::Table, AgencyAlias::AgencyId)
                            .to(Agency::Table, Agency::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .if_not_exists()
                    .name("ux_agency_alias")
                    .table(AgencyAlias::Table)
                    .col(AgencyAlias::AgencyId)
                    .col(AgencyAlias::SearchKey)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AgencyAlias::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AgencyAlias {
    Table,
    Id,
    AgencyId,
    Alias,
    SearchKey,
}

#[derive(DeriveIden)]
enum Agency {
    Table,
    Id,
}
