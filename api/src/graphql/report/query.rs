//! Root queries of the indicators.

use async_graphql::{Context, Object, Result};

use crate::graphql::connection::{self, Conn, cost};
use crate::graphql::loaders::CountKey;
use crate::graphql::reader;
use crate::graphql::report::Indicator;
use crate::service;

#[derive(Default)]
pub struct IndicatorQuery;

#[Object]
impl IndicatorQuery {
    /// The indicators of periodic reports, in reference order.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn indicators(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<Indicator>> {
        let loaders = reader(ctx)?;
        let args = connection::page_args(first, after, last, before)?;
        let page = service::indicator::list(&loaders.db, &args).await?;
        Ok(connection::connection(
            page,
            CountKey::Indicators,
            Indicator,
        ))
    }
}
