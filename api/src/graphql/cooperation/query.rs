//! Root queries of cooperation records and counterparts.

use async_graphql::{Context, Object, Result};

use crate::graphql::connection::{self, Conn, cost};
use crate::graphql::cooperation::{CooperationRecord, Counterpart, RecordFilterInput};
use crate::graphql::loaders::CountKey;
use crate::graphql::reader;
use crate::service::cooperation;

#[derive(Default)]
pub struct CooperationQuery;

#[Object]
impl CooperationQuery {
    /// Cross-border cooperation records, newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn cooperation_records(
        &self,
        ctx: &Context<'_>,
        filter: Option<RecordFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<CooperationRecord>> {
        let loaders = reader(ctx)?;
        let args = connection::page_args(first, after, last, before)?;
        let filter = filter.unwrap_or_default().into_service()?;
        let page = cooperation::list(&loaders.db, &loaders.scope, &filter, &args).await?;
        Ok(connection::connection(
            page,
            CountKey::Records(filter),
            CooperationRecord,
        ))
    }

    /// Foreign counterparts, optionally of one country (ISO 3166-1 alpha-2).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn counterparts(
        &self,
        ctx: &Context<'_>,
        country: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<Counterpart>> {
        let loaders = reader(ctx)?;
        let args = connection::page_args(first, after, last, before)?;
        let page = cooperation::counterparts(&loaders.db, country.as_deref(), &args).await?;
        let country = country.map(|c| c.trim().to_ascii_uppercase());
        Ok(connection::connection(
            page,
            CountKey::Counterparts(country),
            Counterpart,
        ))
    }
}
