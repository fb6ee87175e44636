//! Query roots.

use async_graphql::{Context, ID, InputObject, Object, Result};

use crate::error::Error;
use crate::graphql::committee::{Committee, CommitteeOrderInput};
use crate::graphql::connection::{self, Conn, cost};
use crate::graphql::enums::Level;
use crate::graphql::ids::{self, NodeKind};
use crate::graphql::loaders::CountKey;
use crate::graphql::node::{self, Node};
use crate::graphql::reader;
use crate::graphql::scalars::Date;
use crate::service::hierarchy::{self, CommitteeFilter};
use crate::service::{self, page::MAX_PAGE};

/// Filters of the `committees` list.
#[derive(InputObject, Clone, Debug, Default)]
#[graphql(name = "CommitteeFilter")]
pub struct CommitteeFilterInput {
    pub level: Option<Level>,
    /// Only committees that exist on this date (default: today).
    pub active_on: Option<Date>,
    /// Matches the committee's or unit's name ignoring case and diacritics.
    pub name_contains: Option<String>,
    /// Only the direct children of this committee.
    pub parent_id: Option<ID>,
}

#[derive(Default)]
pub struct HierarchyQuery;

#[Object]
impl HierarchyQuery {
    /// The object with this global id, or null if there is none.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        Ok(node::load(reader(ctx)?, &id).await?)
    }

    /// The objects with these ids, in order, null where there is none (at most 100 ids).
    #[graphql(complexity = "connection::list_cost(ids.len(), child_complexity)")]
    async fn nodes(&self, ctx: &Context<'_>, ids: Vec<ID>) -> Result<Vec<Option<Node>>> {
        if ids.len() > MAX_PAGE as usize {
            return Err(Error::BadUserInput(format!("at most {MAX_PAGE} ids per request")).into());
        }
        let loaders = reader(ctx)?;
        let lookups = ids.iter().map(|id| node::load(loaders, id));
        let found = futures_util::future::try_join_all(lookups).await?;
        Ok(found)
    }

    /// The committee of the unit with this level and code, as it stood on
    /// `activeOn` (default: today).
    async fn committee_by_code(
        &self,
        ctx: &Context<'_>,
        level: Level,
        code: String,
        active_on: Option<Date>,
    ) -> Result<Option<Committee>> {
        let loaders = reader(ctx)?;
        let on = active_on.map_or_else(service::today, |d| d.0);
        Ok(
            hierarchy::by_code(&loaders.db, &loaders.scope, level.into(), &code, on)
                .await?
                .map(Committee::new),
        )
    }

    /// Committees, filtered; by default those in force today, by code.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn committees(
        &self,
        ctx: &Context<'_>,
        filter: Option<CommitteeFilterInput>,
        order_by: Option<CommitteeOrderInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<Committee>> {
        let loaders = reader(ctx)?;
        let args = connection::page_args(first, after, last, before)?;
        let f = filter.unwrap_or_default();
        // An id of another type has no children: an empty list.
        let parent_id = f
            .parent_id
            .as_ref()
            .map(|id| ids::filter_id(id, NodeKind::Committee))
            .transpose()?;
        let filter = CommitteeFilter {
            level: f.level.map(Into::into),
            active_on: f.active_on.map_or_else(service::today, |d| d.0),
            name_contains: f.name_contains,
            parent_id,
        };
        let columns = connection::columns(ctx, Committee::COMPACT_FIELDS);
        let order = order_by.into();
        let page =
            hierarchy::list(&loaders.db, &loaders.scope, &filter, order, &args, columns).await?;
        Ok(connection::connection(
            page,
            CountKey::Committees(filter),
            |c| Committee::read(c, columns),
        ))
    }
}
