//! Relay connections over [`crate::service::page`]: argument checks, cursor
//! encoding and a lazily computed `totalCount`.

use async_graphql::connection::{CursorType, Edge, OpaqueCursor};
use async_graphql::{Context, Object, OutputType};

use crate::error::Error;
use crate::graphql::loaders::{CountKey, Loaders};
use crate::service::page::{Columns, Cursor, MAX_PAGE, Page, PageArgs};

pub type Conn<N> = async_graphql::connection::Connection<OpaqueCursor<Cursor>, N, Counted>;

/// The complexity of a connection field: its page size times its children.
pub fn cost(first: Option<i32>, last: Option<i32>, child: usize) -> usize {
    let n = first
        .or(last)
        .map_or(crate::service::page::DEFAULT_PAGE as usize, |n| {
            usize::try_from(n).unwrap_or(0)
        });
    n.max(1).saturating_mul(child).saturating_add(1)
}

/// The complexity of one rollup (`indicatorRollup`, `reportingStatus`,
/// `taskProgress`, `targetStatus`): a grouped SQL read over a subtree, about
/// what a hundred rows cost. Under a connection it is multiplied by the
/// page size like any field, though the loaders batch it.
pub const ROLLUP_COST: usize = 100;

/// The complexity of `createExport`: two dozen grouped reads over a whole
/// subtree and a file (seconds for the national export), so at most four fit
/// in the default limit.
pub const EXPORT_COST: usize = 10_000;

/// The complexity of a rollup field over `items` asked-for items.
pub fn rollup_cost(items: usize, child: usize) -> usize {
    ROLLUP_COST.saturating_add(items).saturating_add(child)
}

/// The complexity of a list of `n` objects fetched by id.
pub fn list_cost(n: usize, child: usize) -> usize {
    n.max(1).saturating_mul(child).saturating_add(1)
}

/// Checks `first`/`after`/`last`/`before` and turns them into a page request.
pub fn page_args(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> Result<PageArgs, Error> {
    let size = |name: &str, n: i32| -> Result<u64, Error> {
        let n = u64::try_from(n)
            .map_err(|_| Error::BadUserInput(format!("{name} must not be negative")))?;
        if n > MAX_PAGE {
            return Err(Error::BadUserInput(format!(
                "{name} must be at most {MAX_PAGE}: a page holds at most {MAX_PAGE} items"
            )));
        }
        Ok(n)
    };
    let decode = |name: &str, s: String| -> Result<Cursor, Error> {
        OpaqueCursor::<Cursor>::decode_cursor(&s)
            .map(|c| c.0)
            .map_err(|_| Error::BadUserInput(format!("{name} is not a valid cursor")))
    };
    match (first, last) {
        (Some(_), Some(_)) => Err(Error::BadUserInput(
            "pass either first or last, not both".to_owned(),
        )),
        (_, None) if before.is_some() && first.is_some() => Err(Error::BadUserInput(
            "before goes with last, not with first".to_owned(),
        )),
        (None, Some(_)) if after.is_some() => Err(Error::BadUserInput(
            "after goes with first, not with last".to_owned(),
        )),
        (None, last) if last.is_some() || before.is_some() => Ok(PageArgs {
            limit: last.map_or(Ok(crate::service::page::DEFAULT_PAGE), |n| size("last", n))?,
            backward: true,
            cursor: before.map(|s| decode("before", s)).transpose()?,
        }),
        (first, _) => Ok(PageArgs {
            limit: first.map_or(Ok(crate::service::page::DEFAULT_PAGE), |n| size("first", n))?,
            backward: false,
            cursor: after.map(|s| decode("after", s)).transpose()?,
        }),
    }
}

/// The columns the connection field being resolved needs of its rows:
/// [`Columns::Compact`] when every field its nodes are asked for (through
/// `nodes` or `edges { node }`, fragments included) is one of `compact`,
/// else all of them. Only a matter of speed: an object made from a compact
/// row reads its whole row before it answers any other field.
pub fn columns(ctx: &Context<'_>, compact: &[&str]) -> Columns {
    let field = ctx.field();
    let nodes = field.selection_set().flat_map(|f| match f.name() {
        "nodes" => f.selection_set().collect(),
        "edges" => f
            .selection_set()
            .filter(|e| e.name() == "node")
            .flat_map(|n| n.selection_set().collect::<Vec<_>>())
            .collect(),
        _ => Vec::new(),
    });
    within(nodes, compact)
}

/// The same for the object field being resolved: compact when every field
/// asked of the object is one of `compact`.
pub fn object_columns(ctx: &Context<'_>, compact: &[&str]) -> Columns {
    within(ctx.field().selection_set(), compact)
}

fn within<'a>(
    mut asked: impl Iterator<Item = async_graphql::SelectionField<'a>>,
    compact: &[&str],
) -> Columns {
    if asked.all(|f| f.name() == "__typename" || compact.contains(&f.name())) {
        Columns::Compact
    } else {
        Columns::All
    }
}

/// Builds a connection from a page, mapping each row to its API type.
pub fn connection<T, N: OutputType>(
    page: Page<T>,
    count: CountKey,
    map: impl Fn(T) -> N,
) -> Conn<N> {
    let mut conn = Conn::with_additional_fields(page.has_previous, page.has_next, Counted(count));
    conn.edges.extend(
        page.items
            .into_iter()
            .map(|(cursor, item)| Edge::new(OpaqueCursor(cursor), map(item))),
    );
    conn
}

/// The `totalCount` of a connection, computed only when asked for.
pub struct Counted(pub CountKey);

#[Object]
impl Counted {
    /// The number of items in the whole list, across all pages.
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        let loaders = ctx.data::<Loaders>()?;
        Ok(loaders.count(self.0.clone()).await?)
    }
}
