//! Root queries of plans and tasks.

use async_graphql::{Context, Object, Result};

use crate::graphql::connection::{self, Conn, cost};
use crate::graphql::loaders::CountKey;
use crate::graphql::plan::{Plan, PlanFilterInput};
use crate::graphql::reader;
use crate::graphql::task::{Task, TaskFilterInput};
use crate::service::{plan as plans, task as tasks};

#[derive(Default)]
pub struct PlanQuery;

#[Object]
impl PlanQuery {
    /// Plans, newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn plans(
        &self,
        ctx: &Context<'_>,
        filter: Option<PlanFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<Plan>> {
        let loaders = reader(ctx)?;
        let args = connection::page_args(first, after, last, before)?;
        let filter = filter.unwrap_or_default().into_service()?;
        let page = plans::list(&loaders.db, &loaders.scope, &filter, &args).await?;
        Ok(connection::connection(page, CountKey::Plans(filter), Plan))
    }

    /// Tasks across plans: "what is overdue in my province's subtree", "what
    /// does the provincial police lead this year". In the order they were written.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn tasks(
        &self,
        ctx: &Context<'_>,
        filter: Option<TaskFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<Task>> {
        let loaders = reader(ctx)?;
        let args = connection::page_args(first, after, last, before)?;
        let filter = filter.unwrap_or_default().into_service()?;
        let page = tasks::list(&loaders.db, &loaders.scope, &filter, &args).await?;
        Ok(connection::connection(page, CountKey::Tasks(filter), Task))
    }
}
