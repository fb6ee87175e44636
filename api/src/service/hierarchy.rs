//! The committee tree: lookups, lists and subtree walks, all as-of a date.

use std::collections::HashMap;

use chrono::NaiveDate;
use entities::{committee, committee_closure, committee_succession};
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter,
    QueryResult, QuerySelect, RelationTrait, Select,
};

use crate::auth::Scope;
use crate::error::Result;
use crate::service::batch;
use crate::service::enums::Level;
use crate::service::page::{self, Columns, Cursor, Decode, Key, Ordering, Page, PageArgs};
use crate::service::text;

/// Committees valid on `on`: `validFrom <= on <= validTo`, open ends allowed.
pub fn active_on(on: NaiveDate) -> Condition {
    Condition::all()
        .add(
            Condition::any()
                .add(committee::Column::ValidFrom.is_null())
                .add(committee::Column::ValidFrom.lte(on)),
        )
        .add(
            Condition::any()
                .add(committee::Column::ValidTo.is_null())
                .add(committee::Column::ValidTo.gte(on)),
        )
}

/// `on` moved into the committee's own validity interval: a committee that no
/// longer exists is read as it stood on its last day, one that does not exist
/// yet as on its first.
pub fn clamp_to_validity(c: &committee::Model, on: NaiveDate) -> NaiveDate {
    let on = c.valid_to.map_or(on, |to| Ord::min(on, to));
    c.valid_from.map_or(on, |from| Ord::max(on, from))
}

/// `col` names `committee` itself or, with `include_subtree`, any committee below it.
pub fn at_committee(col: impl ColumnTrait, committee: i64, include_subtree: bool) -> SimpleExpr {
    if include_subtree {
        col.in_subquery(
            sea_orm::sea_query::Query::select()
                .column(committee_closure::Column::DescendantId)
                .from(committee_closure::Entity)
                .and_where(committee_closure::Column::AncestorId.eq(committee))
                .to_owned(),
        )
    } else {
        col.eq(committee)
    }
}

/// The sort orders of committee lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CommitteeOrderField {
    #[default]
    Code,
    Name,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CommitteeOrder {
    pub field: CommitteeOrderField,
    pub desc: bool,
}

impl CommitteeOrder {
    pub fn ordering(self) -> Ordering {
        let key = match self.field {
            CommitteeOrderField::Code => committee::Column::Code,
            CommitteeOrderField::Name => committee::Column::SearchKey,
        };
        Ordering {
            key: Expr::col((committee::Entity, key)),
            id: Expr::col((committee::Entity, committee::Column::Id)),
            desc: self.desc,
        }
    }

    pub fn cursor(self, c: &committee::Model) -> Cursor {
        let key = match self.field {
            CommitteeOrderField::Code => c.code.clone(),
            CommitteeOrderField::Name => c.search_key.clone(),
        };
        Cursor {
            key: Key::Str(key),
            id: c.id,
        }
    }
}

/// Filters of `committees`, `children` and `descendants`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CommitteeFilter {
    pub level: Option<Level>,
    pub active_on: NaiveDate,
    pub name_contains: Option<String>,
    pub parent_id: Option<i64>,
}

impl CommitteeFilter {
    pub fn on(active_on: NaiveDate) -> Self {
        Self {
            level: None,
            active_on,
            name_contains: None,
            parent_id: None,
        }
    }

    fn apply(
        &self,
        scope: &Scope,
        mut select: Select<committee::Entity>,
    ) -> Select<committee::Entity> {
        select = select
            .filter(active_on(self.active_on))
            .filter(scope.committee_row_visible());
        if let Some(level) = self.level {
            select = select.filter(committee::Column::Level.eq(level.as_str()));
        }
        if let Some(parent) = self.parent_id {
            select = select.filter(committee::Column::ParentId.eq(parent));
        }
        if let Some(needle) = self
            .name_contains
            .as_deref()
            .filter(|s| !s.trim().is_empty())
        {
            select = select.filter(
                Expr::col((committee::Entity, committee::Column::SearchKey)).like(
                    sea_orm::sea_query::LikeExpr::new(text::like_pattern(needle)).escape('\\'),
                ),
            );
        }
        select
    }
}

pub async fn by_ids(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: &[i64],
) -> Result<Vec<committee::Model>> {
    Ok(committee::Entity::find()
        .filter(batch::id_in(db, committee::Column::Id, ids.iter().copied()))
        .filter(scope.committee_row_visible())
        .all(db)
        .await?)
}

pub async fn by_code(
    db: &impl ConnectionTrait,
    scope: &Scope,
    level: Level,
    code: &str,
    on: NaiveDate,
) -> Result<Option<committee::Model>> {
    Ok(committee::Entity::find()
        .filter(committee::Column::Level.eq(level.as_str()))
        .filter(committee::Column::Code.eq(code.trim()))
        .filter(active_on(on))
        .filter(scope.committee_row_visible())
        .one(db)
        .await?)
}

/// A page of the committees `filter` keeps, reading `columns` of each row.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &CommitteeFilter,
    order: CommitteeOrder,
    args: &PageArgs,
    columns: Columns,
) -> Result<Page<committee::Model>> {
    let select = filter.apply(scope, committee::Entity::find());
    let select = reading(select, columns, order);
    page::fetch_decoded(db, select, &order.ordering(), args, |c| order.cursor(c)).await
}

pub async fn count(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &CommitteeFilter,
) -> Result<i64> {
    page::count(db, filter.apply(scope, committee::Entity::find())).await
}

/// Which relation of the tree a nested list walks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TreeRelation {
    /// Direct children.
    Children,
    /// Every committee below, at any distance.
    Descendants,
    /// Every committee above, the central committee first.
    Ancestors,
}

fn closure(col: committee_closure::Column) -> SimpleExpr {
    Expr::col((committee_closure::Entity, col))
}

/// The select, partition expression and ordering of a nested tree list.
fn tree_select(
    scope: &Scope,
    relation: TreeRelation,
    parents: &[i64],
    filter: &CommitteeFilter,
    order: CommitteeOrder,
) -> (Select<committee::Entity>, SimpleExpr, Ordering) {
    let ids = parents.iter().copied();
    match relation {
        // The page functions keep to the parents themselves.
        TreeRelation::Children => (
            filter.apply(scope, committee::Entity::find()),
            Expr::col((committee::Entity, committee::Column::ParentId)),
            order.ordering(),
        ),
        TreeRelation::Descendants => (
            filter.apply(
                scope,
                committee::Entity::find()
                    .join_rev(
                        JoinType::InnerJoin,
                        committee_closure::Relation::Descendant.def(),
                    )
                    .filter(committee_closure::Column::AncestorId.is_in(ids))
                    .filter(committee_closure::Column::Distance.gt(0)),
            ),
            closure(committee_closure::Column::AncestorId),
            order.ordering(),
        ),
        TreeRelation::Ancestors => (
            committee::Entity::find()
                .join_rev(
                    JoinType::InnerJoin,
                    committee_closure::Relation::Ancestor.def(),
                )
                .filter(committee_closure::Column::DescendantId.is_in(ids))
                .filter(committee_closure::Column::Distance.gt(0))
                .filter(scope.committee_row_visible()),
            closure(committee_closure::Column::DescendantId),
            Ordering {
                key: Expr::col((committee::Entity, committee::Column::Depth)),
                id: Expr::col((committee::Entity, committee::Column::Id)),
                desc: false,
            },
        ),
    }
}

fn tree_cursor(relation: TreeRelation, order: CommitteeOrder, c: &committee::Model) -> Cursor {
    match relation {
        TreeRelation::Ancestors => Cursor {
            key: Key::Int(i64::from(c.depth)),
            id: c.id,
        },
        _ => order.cursor(c),
    }
}

/// `select` reading `columns` of each committee row, and how to decode them.
/// A compact row is the id, level, code, name, parent, depth, validity, and
/// the search key if it is the sort key of `order`, read by position (see
/// [`Decode`]); the unit's names and type, the search key (unless it is the
/// sort key), today's unit and the pre-order numbers are placeholders.
fn reading(
    select: Select<committee::Entity>,
    columns: Columns,
    order: CommitteeOrder,
) -> (Select<committee::Entity>, Decode<committee::Model>) {
    use committee::Column as C;
    if columns == Columns::All {
        return (select, Decode::Named);
    }
    let select = select.select_only().columns([
        C::Id,
        C::Level,
        C::Code,
        C::Name,
        C::ParentId,
        C::Depth,
        C::ValidFrom,
        C::ValidTo,
    ]);
    if order.field == CommitteeOrderField::Name {
        let decode = |row: &QueryResult| -> std::result::Result<_, DbErr> {
            Ok(committee::Model {
                search_key: row.try_get_by_index(8)?,
                ..compact_row(row)?
            })
        };
        (
            select.column(C::SearchKey),
            Decode::Positional { width: 9, decode },
        )
    } else {
        let decode = compact_row;
        (select, Decode::Positional { width: 8, decode })
    }
}

/// The first eight columns of a compact committee row (see [`reading`]).
fn compact_row(row: &QueryResult) -> std::result::Result<committee::Model, DbErr> {
    Ok(committee::Model {
        id: row.try_get_by_index(0)?,
        level: row.try_get_by_index(1)?,
        code: row.try_get_by_index(2)?,
        name: row.try_get_by_index(3)?,
        unit_name: String::new(),
        unit_short_name: String::new(),
        unit_type: String::new(),
        search_key: String::new(),
        parent_id: row.try_get_by_index(4)?,
        depth: row.try_get_by_index(5)?,
        valid_from: row.try_get_by_index(6)?,
        valid_to: row.try_get_by_index(7)?,
        current_id: None,
        lft: 0,
        rgt: 0,
    })
}

/// One page of `relation` for each of `parents`, in one statement, reading
/// `columns` of each row.
#[allow(clippy::too_many_arguments)]
pub async fn tree_pages(
    db: &impl ConnectionTrait,
    scope: &Scope,
    relation: TreeRelation,
    parents: &[i64],
    filter: &CommitteeFilter,
    order: CommitteeOrder,
    args: &PageArgs,
    columns: Columns,
) -> Result<HashMap<i64, Page<committee::Model>>> {
    let (select, partition, ordering) = tree_select(scope, relation, parents, filter, order);
    let select = reading(select, columns, order);
    page::fetch_partitioned_decoded(db, select, partition, parents, &ordering, args, |c| {
        tree_cursor(relation, order, c)
    })
    .await
}

/// The size of `relation` for each of `parents`, in one statement.
pub async fn tree_counts(
    db: &impl ConnectionTrait,
    scope: &Scope,
    relation: TreeRelation,
    parents: &[i64],
    filter: &CommitteeFilter,
) -> Result<HashMap<i64, i64>> {
    let (select, partition, _) =
        tree_select(scope, relation, parents, filter, CommitteeOrder::default());
    let select = select.filter(batch::expr_in(
        db,
        partition.clone(),
        parents.iter().copied(),
    ));
    page::count_partitioned(db, select, partition).await
}

/// A successor (or predecessor) link seen from one committee.
#[derive(Clone, Debug)]
pub struct Succession {
    pub other: committee::Model,
    pub partial: bool,
    pub effective_on: NaiveDate,
}

/// Successors (`forward`) or predecessors of each of `ids`, ordered by code.
/// These lists are bounded by the reform data (at most a few dozen).
pub async fn successions(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: &[i64],
    forward: bool,
) -> Result<HashMap<i64, Vec<Succession>>> {
    let (this_col, other_col) = if forward {
        (
            committee_succession::Column::PredecessorId,
            committee_succession::Column::SuccessorId,
        )
    } else {
        (
            committee_succession::Column::SuccessorId,
            committee_succession::Column::PredecessorId,
        )
    };
    let rows: Vec<(committee::Model, Option<committee_succession::Model>)> =
        committee::Entity::find()
            .join_rev(
                JoinType::InnerJoin,
                committee_succession::Entity::belongs_to(committee::Entity)
                    .from(other_col)
                    .to(committee::Column::Id)
                    .into(),
            )
            .select_also(committee_succession::Entity)
            .filter(batch::id_in(db, this_col, ids.iter().copied()))
            .filter(scope.committee_row_visible())
            .all(db)
            .await?;
    let mut out: HashMap<i64, Vec<Succession>> = HashMap::new();
    for (other, link) in rows {
        let Some(link) = link else { continue };
        let this = if forward {
            link.predecessor_id
        } else {
            link.successor_id
        };
        out.entry(this).or_default().push(Succession {
            other,
            partial: link.partial,
            effective_on: link.effective_on,
        });
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| (a.other.depth, &a.other.code).cmp(&(b.other.depth, &b.other.code)));
    }
    Ok(out)
}

/// The committee and every committee above it.
pub async fn chain_ids(db: &impl ConnectionTrait, committee_id: i64) -> Result<Vec<i64>> {
    Ok(committee_closure::Entity::find()
        .filter(committee_closure::Column::DescendantId.eq(committee_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.ancestor_id)
        .collect())
}
