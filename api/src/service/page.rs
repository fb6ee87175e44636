//! Keyset pagination in SQL, for one list or for many parents at once.
//!
//! Every list is ordered by a sort key and the row id as a tiebreak; a cursor
//! is the (key, id) of a row. A page asks the database for `limit + 1` rows
//! after (or before) the cursor, so nothing is paginated in memory. For nested
//! lists, [`fetch_partitioned`] reads the pages of many parents in one
//! statement (a `LATERAL` page per parent on PostgreSQL, `ROW_NUMBER() OVER
//! (PARTITION BY parent ...)` on SQLite), which is how DataLoaders keep the
//! statement count independent of the number of parents.

use std::collections::HashMap;

use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait, Order, OverStatement, Query, SimpleExpr, WindowStatement,
};
use sea_orm::{
    Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QueryResult, QuerySelect, QueryTrait, Select,
};
use serde::{Deserialize, Serialize};

use crate::error::Result;

/// The largest page a client may ask for.
pub const MAX_PAGE: u64 = 100;
/// The page size when a client gives neither `first` nor `last`.
pub const DEFAULT_PAGE: u64 = 20;

/// A sort key value.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Key {
    Int(i64),
    Str(String),
}

impl From<Key> for sea_orm::Value {
    fn from(k: Key) -> Self {
        match k {
            Key::Int(i) => i.into(),
            Key::Str(s) => s.into(),
        }
    }
}

/// The position of a row in an ordered list.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(rename = "k")]
    pub key: Key,
    #[serde(rename = "i")]
    pub id: i64,
}

/// A validated page request.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PageArgs {
    pub limit: u64,
    /// `last`/`before`: read towards the start of the list.
    pub backward: bool,
    pub cursor: Option<Cursor>,
}

impl Default for PageArgs {
    fn default() -> Self {
        Self {
            limit: DEFAULT_PAGE,
            backward: false,
            cursor: None,
        }
    }
}

/// Which of a row's columns a page reads.
///
/// A nested list whose fields need few of its rows' columns reads only those
/// (`Compact`): the database sends, and the server decodes, a fraction of
/// each row. The other columns come back as placeholders (empty text, zero,
/// the epoch; not NULL, which costs more to decode) so the row keeps its
/// entity type; the API object made
/// from a compact row knows it, and reads the whole row by id (batched)
/// before it answers a field outside the compact set. Which set a list reads
/// is decided from the fields the request asks of its nodes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Columns {
    #[default]
    All,
    Compact,
}

/// How a page's rows become models.
///
/// A compact row is read by position: its statement selects the compact
/// columns alone, in the order `decode` reads them (the page's own
/// `page_parent` and `page_row` follow at `width` and `width + 1`), and the
/// model's other fields are left at placeholders (empty text, zero, the
/// epoch) that the API objects never show. Reading by position spares a
/// look-up of every column's name in every row; selecting nothing else
/// spares the database sending, and the server decoding, the rest.
pub enum Decode<M> {
    /// Every column of the model, by name ([`FromQueryResult`]).
    Named,
    /// The model from the first `width` columns, by position.
    Positional {
        width: usize,
        decode: fn(&QueryResult) -> std::result::Result<M, DbErr>,
    },
}

impl<M> Clone for Decode<M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M> Copy for Decode<M> {}

impl<M: FromQueryResult> Decode<M> {
    /// The model of `row`.
    pub fn model(self, row: &QueryResult) -> std::result::Result<M, DbErr> {
        match self {
            Decode::Named => M::from_query_result(row, ""),
            Decode::Positional { decode, .. } => decode(row),
        }
    }

    /// The parent and the place in its page of a row of [`fetch_partitioned`].
    fn page_place(self, row: &QueryResult) -> std::result::Result<(i64, i64), DbErr> {
        match self {
            Decode::Named => Ok((
                row.try_get("", "page_parent")?,
                row.try_get("", "page_row")?,
            )),
            Decode::Positional { width, .. } => Ok((
                row.try_get_by_index(width)?,
                row.try_get_by_index(width + 1)?,
            )),
        }
    }
}

/// One page of rows, in list order, each with its cursor.
#[derive(Clone, Debug)]
pub struct Page<T> {
    pub items: Vec<(Cursor, T)>,
    pub has_next: bool,
    pub has_previous: bool,
}

impl<T> Page<T> {
    pub fn empty(args: &PageArgs) -> Self {
        Self {
            items: Vec::new(),
            has_next: args.backward && args.cursor.is_some(),
            has_previous: !args.backward && args.cursor.is_some(),
        }
    }
}

/// How a list is ordered: a sort expression and the id column as tiebreak.
#[derive(Clone, Debug)]
pub struct Ordering {
    pub key: SimpleExpr,
    pub id: SimpleExpr,
    pub desc: bool,
}

impl Ordering {
    fn sql_order(&self, backward: bool) -> Order {
        if self.desc != backward {
            Order::Desc
        } else {
            Order::Asc
        }
    }

    /// Rows strictly after (or before) the cursor in the direction of reading.
    fn after(&self, cursor: &Cursor, backward: bool) -> Condition {
        let key: sea_orm::Value = cursor.key.clone().into();
        let greater = self.desc == backward;
        let (k, i) = (self.key.clone(), self.id.clone());
        if greater {
            Condition::any()
                .add(k.clone().gt(key.clone()))
                .add(k.eq(key).and(i.gt(cursor.id)))
        } else {
            Condition::any()
                .add(k.clone().lt(key.clone()))
                .add(k.eq(key).and(i.lt(cursor.id)))
        }
    }
}

fn finish<T>(mut rows: Vec<(Cursor, T)>, args: &PageArgs) -> Page<T> {
    let limit = usize::try_from(args.limit).unwrap_or(usize::MAX);
    let more = rows.len() > limit;
    rows.truncate(limit);
    finish_with(rows, more, args)
}

/// The page of `rows` (at most the limit), `more` if the list goes on.
fn finish_with<T>(mut rows: Vec<(Cursor, T)>, more: bool, args: &PageArgs) -> Page<T> {
    if args.backward {
        rows.reverse();
        Page {
            items: rows,
            has_next: args.cursor.is_some(),
            has_previous: more,
        }
    } else {
        Page {
            items: rows,
            has_next: more,
            has_previous: args.cursor.is_some(),
        }
    }
}

/// One page of `select`, ordered by `ordering`.
pub async fn fetch<E, C>(
    db: &C,
    select: Select<E>,
    ordering: &Ordering,
    args: &PageArgs,
    key_of: impl Fn(&E::Model) -> Cursor,
) -> Result<Page<E::Model>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    fetch_decoded(db, (select, Decode::Named), ordering, args, key_of).await
}

/// Every row of `select`, as `decode` reads them.
pub async fn all_decoded<E, C>(
    db: &C,
    (select, decode): (Select<E>, Decode<E::Model>),
) -> Result<Vec<E::Model>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let rows = db
        .query_all_raw(select.build(db.get_database_backend()))
        .await?;
    Ok(rows
        .iter()
        .map(|row| decode.model(row))
        .collect::<std::result::Result<_, DbErr>>()?)
}

/// [`fetch`] of rows that `decode` reads (`select` and `decode` as a pair,
/// as the services' column choices return them).
pub async fn fetch_decoded<E, C>(
    db: &C,
    (select, decode): (Select<E>, Decode<E::Model>),
    ordering: &Ordering,
    args: &PageArgs,
    key_of: impl Fn(&E::Model) -> Cursor,
) -> Result<Page<E::Model>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    if args.limit == 0 {
        return Ok(Page::empty(args));
    }
    let mut select = select;
    if let Some(cursor) = &args.cursor {
        select = select.filter(ordering.after(cursor, args.backward));
    }
    let order = ordering.sql_order(args.backward);
    let select = select
        .order_by(ordering.key.clone(), order.clone())
        .order_by(ordering.id.clone(), order)
        .limit(args.limit + 1);
    let rows = all_decoded(db, (select, decode))
        .await?
        .into_iter()
        .map(|model| (key_of(&model), model))
        .collect();
    Ok(finish(rows, args))
}

/// The same page of `select` for every parent at once: `partition` is the
/// expression naming a row's parent, `parents` the parents asked for (this
/// keeps to them; `select` need not). Parents with no rows are absent.
///
/// On PostgreSQL each parent's page is read by its own `LATERAL (… ORDER
/// BY … LIMIT n)` over the parents (one array parameter), so the database
/// reads only the rows it returns, through the index on the parent; on
/// SQLite, by `ROW_NUMBER() OVER (PARTITION BY …)` in one pass.
pub async fn fetch_partitioned<E, C>(
    db: &C,
    select: Select<E>,
    partition: SimpleExpr,
    parents: &[i64],
    ordering: &Ordering,
    args: &PageArgs,
    key_of: impl Fn(&E::Model) -> Cursor,
) -> Result<HashMap<i64, Page<E::Model>>>
where
    E: EntityTrait,
    E::Model: FromQueryResult,
    C: ConnectionTrait,
{
    let decode = Decode::Named;
    fetch_partitioned_decoded(
        db,
        (select, decode),
        partition,
        parents,
        ordering,
        args,
        key_of,
    )
    .await
}

/// [`fetch_partitioned`] of rows that `decode` reads (`select` and `decode`
/// as a pair, as the services' column choices return them).
pub async fn fetch_partitioned_decoded<E, C>(
    db: &C,
    (select, decode): (Select<E>, Decode<E::Model>),
    partition: SimpleExpr,
    parents: &[i64],
    ordering: &Ordering,
    args: &PageArgs,
    key_of: impl Fn(&E::Model) -> Cursor,
) -> Result<HashMap<i64, Page<E::Model>>>
where
    E: EntityTrait,
    E::Model: FromQueryResult,
    C: ConnectionTrait,
{
    if args.limit == 0 || parents.is_empty() {
        return Ok(HashMap::new());
    }
    let mut select = select;
    if let Some(cursor) = &args.cursor {
        select = select.filter(ordering.after(cursor, args.backward));
    }
    let order = ordering.sql_order(args.backward);
    let backend = db.get_database_backend();
    let stmt = if backend == sea_orm::DbBackend::Postgres {
        lateral(select, partition, parents, ordering, order, args.limit + 1)
    } else {
        let select = select.filter(partition.clone().is_in(parents.iter().copied()));
        windowed(select, partition, ordering, order, args.limit + 1, backend)
    };
    let rows = db.query_all_raw(stmt).await?;
    let limit = i64::try_from(args.limit).unwrap_or(i64::MAX);
    // Each parent's rows, and whether its list goes on: the row after the
    // page (`limit + 1`) says so, and is not decoded.
    let mut grouped: HashMap<i64, Numbered<E::Model>> = HashMap::new();
    for row in rows {
        let (parent, position) = decode.page_place(&row)?;
        let (rows, more) = grouped.entry(parent).or_default();
        if position > limit {
            *more = true;
            continue;
        }
        let model = decode.model(&row)?;
        rows.push((position, key_of(&model), model));
    }
    Ok(grouped
        .into_iter()
        .map(|(parent, (mut rows, more))| {
            // Each parent's rows in page order (the statement numbers them;
            // sorting here spares the database a sort of every row).
            rows.sort_unstable_by_key(|(position, _, _)| *position);
            let rows = rows.into_iter().map(|(_, c, m)| (c, m)).collect();
            (parent, finish_with(rows, more, args))
        })
        .collect())
}

/// A parent's rows as read, each with its place in the page, and whether
/// its list goes on after them.
type Numbered<M> = (Vec<(i64, Cursor, M)>, bool);

/// PostgreSQL: `SELECT paged.* FROM unnest($n::bigint[]) AS parents(parent_id)
/// CROSS JOIN LATERAL (<select> AND <partition> = parents.parent_id ORDER BY …
/// LIMIT n) AS paged`, each row numbered in its page (`page_row`) for the
/// caller to order: the database does not sort the whole result.
fn lateral<E: EntityTrait>(
    select: Select<E>,
    partition: SimpleExpr,
    parents: &[i64],
    ordering: &Ordering,
    order: Order,
    limit: u64,
) -> sea_orm::Statement {
    let mut inner = select.into_query();
    inner
        .expr_as(partition.clone(), Alias::new("page_parent"))
        .and_where(partition.eq(Expr::cust("parents.parent_id")))
        .order_by_expr(ordering.key.clone(), order.clone())
        .order_by_expr(ordering.id.clone(), order.clone())
        .limit(limit);
    let mut window = WindowStatement::new();
    window
        .order_by_expr(ordering.key.clone(), order.clone())
        .order_by_expr(ordering.id.clone(), order);
    inner.expr_window_as(Expr::cust("ROW_NUMBER()"), window, Alias::new("page_row"));
    let (sql, mut values) = inner.build(sea_orm::sea_query::PostgresQueryBuilder);
    // Each parent once: a parent named twice would get its page twice.
    let mut ids = parents.to_vec();
    ids.sort_unstable();
    ids.dedup();
    values.0.push(crate::service::batch::id_array(ids));
    let sql = format!(
        "SELECT paged.* FROM unnest(CAST(${n} AS bigint[])) AS parents(parent_id) \
         CROSS JOIN LATERAL ({sql}) AS paged",
        n = values.0.len()
    );
    sea_orm::Statement::from_sql_and_values(sea_orm::DbBackend::Postgres, sql, values.0)
}

/// Any backend: one pass numbering each parent's rows.
fn windowed<E: EntityTrait>(
    select: Select<E>,
    partition: SimpleExpr,
    ordering: &Ordering,
    order: Order,
    limit: u64,
    backend: sea_orm::DbBackend,
) -> sea_orm::Statement {
    let mut inner = select.into_query();
    inner.expr_as(partition.clone(), Alias::new("page_parent"));
    let mut window = WindowStatement::new();
    window
        .add_partition_by(partition)
        .order_by_expr(ordering.key.clone(), order.clone())
        .order_by_expr(ordering.id.clone(), order);
    inner.expr_window_as(Expr::cust("ROW_NUMBER()"), window, Alias::new("page_row"));
    let outer = Query::select()
        .column(Asterisk)
        .from_subquery(inner, Alias::new("paged"))
        .and_where(Expr::col(Alias::new("page_row")).lte(limit))
        .order_by(Alias::new("page_parent"), Order::Asc)
        .order_by(Alias::new("page_row"), Order::Asc)
        .to_owned();
    backend.build(&outer)
}

/// `COUNT(*)` of `select` per parent, in one statement.
pub async fn count_partitioned<E, C>(
    db: &C,
    select: Select<E>,
    partition: SimpleExpr,
) -> Result<HashMap<i64, i64>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let rows: Vec<(i64, i64)> = select
        .select_only()
        .expr_as(partition.clone(), "page_parent")
        .expr_as(Expr::cust("COUNT(*)"), "page_count")
        .group_by(partition)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// `COUNT(*)` of `select`.
pub async fn count<E, C>(db: &C, select: Select<E>) -> Result<i64>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let n: Option<i64> = select
        .select_only()
        .expr_as(Expr::cust("COUNT(*)"), "page_count")
        .into_tuple()
        .one(db)
        .await?;
    Ok(n.unwrap_or(0))
}
