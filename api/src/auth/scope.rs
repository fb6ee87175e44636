//! Read scope: the committees, plans and tasks a viewer may see, as SQL
//! conditions that every query of the services applies.
//!
//! A viewer reads
//! - its committee's subtree, and the subtrees of the pre-reform units its
//!   committee actually took in at the 2025 reform: its own successor links
//!   between units of the same level, whole or partial (today's Tuyên Quang
//!   reads the records of the old Tuyên Quang and Hà Giang; today's phường
//!   Hà Giang 2 reads the old communes it absorbed, not the old districts some
//!   of whose communes came to it, nor their other communes);
//! - the committees above those (the chain, not their other children);
//! - up the chain, the plans its committee implements, directly or through
//!   other plans, and their tasks.
//!
//! The central committee reads everything. Anything else is treated as if it
//! did not exist.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use entities::{committee, committee_closure, committee_succession, plan, plan_link};

use crate::error::Result;
use crate::service::enums::Level;

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Scope {
    /// Everything (the central committee, or internal work).
    pub all: bool,
    /// The viewer's committee and the committees it succeeded.
    pub roots: Vec<i64>,
    /// The roots' subtrees as ranges of `committee.lft` (see
    /// [`migration::preorder`]), merged where they touch.
    pub ranges: Vec<(i64, i64)>,
    /// The pre-reform units among the roots (all but the viewer's committee):
    /// a ceased committee in their subtrees is corrected by the viewer's
    /// coordinators (see [`crate::auth::policy`]).
    pub taken_in: Vec<i64>,
    /// Committees above the roots.
    pub ancestors: Vec<i64>,
    /// Plans above the roots that the roots' plans implement.
    pub upper_plans: Vec<i64>,
    /// The viewer's own committee has ceased: it reads, but writes nothing.
    pub home_ceased: bool,
}

impl Scope {
    /// No restriction: for the central committee and internal jobs.
    pub fn everything() -> Self {
        Self {
            all: true,
            ..Self::default()
        }
    }

    /// The scope of a viewer whose home committee is `committee_id`.
    pub async fn of(db: &impl ConnectionTrait, committee_id: i64) -> Result<Self> {
        let Some(home) = committee::Entity::find_by_id(committee_id).one(db).await? else {
            return Ok(Self::default());
        };
        if home.level == Level::Central {
            return Ok(Self::everything());
        }
        let mut roots = vec![committee_id];
        let mut frontier = vec![committee_id];
        // Only links between units of the same level (every unit of the
        // frontier is at the home committee's level): an old district's links
        // to the new communes that took in some of its communes do not give
        // those communes the whole district.
        let same_level = Query::select()
            .column(committee::Column::Id)
            .from(committee::Entity)
            .and_where(committee::Column::Level.eq(home.level))
            .to_owned();
        while !frontier.is_empty() {
            let found: Vec<i64> = committee_succession::Entity::find()
                .filter(committee_succession::Column::SuccessorId.is_in(frontier.clone()))
                .filter(committee_succession::Column::PredecessorId.in_subquery(same_level.clone()))
                .all(db)
                .await?
                .into_iter()
                .map(|l| l.predecessor_id)
                .filter(|id| !roots.contains(id))
                .collect();
            roots.extend(found.iter().copied());
            frontier = found;
        }
        let mut ranges: Vec<(i64, i64)> = committee::Entity::find()
            .filter(committee::Column::Id.is_in(roots.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.lft, c.rgt))
            .collect();
        ranges.sort_unstable();
        let ranges = ranges
            .into_iter()
            .fold(Vec::new(), |mut out: Vec<(i64, i64)>, r| {
                match out.last_mut() {
                    Some(last) if r.0 <= last.1 + 1 => last.1 = std::cmp::max(last.1, r.1),
                    _ => out.push(r),
                }
                out
            });
        let mut ancestors: Vec<i64> = committee_closure::Entity::find()
            .filter(committee_closure::Column::DescendantId.is_in(roots.clone()))
            .filter(committee_closure::Column::Distance.gt(0))
            .all(db)
            .await?
            .into_iter()
            .map(|c| c.ancestor_id)
            .collect();
        ancestors.sort_unstable();
        ancestors.dedup();
        let own: Vec<i64> = plan::Entity::find()
            .filter(plan::Column::CommitteeId.is_in(roots.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|p| p.id)
            .collect();
        let mut upper = Vec::new();
        let mut frontier = own;
        while !frontier.is_empty() {
            let found: Vec<i64> = plan_link::Entity::find()
                .filter(plan_link::Column::PlanId.is_in(frontier.clone()))
                .all(db)
                .await?
                .into_iter()
                .map(|l| l.implements_plan_id)
                .filter(|id| !upper.contains(id))
                .collect();
            upper.extend(found.iter().copied());
            frontier = found;
        }
        // Only plans of committees above count as "upper".
        let upper_plans = if upper.is_empty() {
            upper
        } else {
            plan::Entity::find()
                .filter(plan::Column::Id.is_in(upper))
                .filter(plan::Column::CommitteeId.is_in(ancestors.clone()))
                .all(db)
                .await?
                .into_iter()
                .map(|p| p.id)
                .collect()
        };
        Ok(Self {
            all: false,
            home_ceased: !crate::auth::policy::in_force(&home),
            taken_in: roots
                .iter()
                .copied()
                .filter(|r| *r != committee_id)
                .collect(),
            roots,
            ranges,
            ancestors,
            upper_plans,
        })
    }

    /// `lft` (a committee's `lft` column) lies in one of the viewer's ranges.
    fn in_ranges(&self, lft: &Expr) -> Condition {
        if self.ranges.is_empty() {
            return Condition::all().add(Expr::cust("1 = 0"));
        }
        self.ranges.iter().fold(Condition::any(), |c, &(from, to)| {
            c.add(lft.clone().between(from, to))
        })
    }

    /// `col` names a committee in the viewer's subtrees: a range scan of
    /// `committee(lft, id)` per range.
    pub fn in_subtree(&self, col: impl Into<SimpleExpr>) -> Condition {
        if self.all {
            return Condition::all();
        }
        let sc = Alias::new("scope_committee");
        Condition::all().add(
            col.into().in_subquery(
                Query::select()
                    .column((sc.clone(), committee::Column::Id))
                    .from_as(committee::Entity, sc.clone())
                    .cond_where(self.in_ranges(&Expr::col((sc, committee::Column::Lft))))
                    .to_owned(),
            ),
        )
    }

    /// A row of `committee` itself the viewer may see: its own `lft` in a
    /// range, or one of the chain above (no subquery).
    pub fn committee_row_visible(&self) -> Condition {
        if self.all {
            return Condition::all();
        }
        Condition::any()
            .add(self.in_ranges(&Expr::col((committee::Entity, committee::Column::Lft))))
            .add(
                Expr::col((committee::Entity, committee::Column::Id)).is_in(self.ancestors.clone()),
            )
    }

    /// `col` names a committee the viewer may see: its subtrees and the chain above.
    pub fn committee_visible(&self, col: impl Into<SimpleExpr> + Clone) -> Condition {
        if self.all {
            return Condition::all();
        }
        Condition::any()
            .add(self.in_subtree(col.clone()))
            .add(col.into().is_in(self.ancestors.clone()))
    }

    /// A plan (or a task, by its plan and committee columns) the viewer may see.
    pub fn plan_visible(
        &self,
        plan_col: impl Into<SimpleExpr>,
        committee_col: impl Into<SimpleExpr>,
    ) -> Condition {
        if self.all {
            return Condition::all();
        }
        Condition::any()
            .add(self.in_subtree(committee_col))
            .add(plan_col.into().is_in(self.upper_plans.clone()))
    }

    /// Whether `committee_id` is in the subtree of a unit the viewer's
    /// committee took in at the reform (one query).
    pub async fn taken_in_contains(
        &self,
        db: &impl ConnectionTrait,
        committee_id: i64,
    ) -> Result<bool> {
        if self.taken_in.is_empty() {
            return Ok(false);
        }
        Ok(committee_closure::Entity::find()
            .filter(committee_closure::Column::DescendantId.eq(committee_id))
            .filter(committee_closure::Column::AncestorId.is_in(self.taken_in.clone()))
            .one(db)
            .await?
            .is_some())
    }

    /// Whether `committee_id` is in the viewer's subtrees (one query).
    pub async fn contains(&self, db: &impl ConnectionTrait, committee_id: i64) -> Result<bool> {
        if self.all {
            return Ok(true);
        }
        Ok(committee::Entity::find_by_id(committee_id)
            .filter(self.in_subtree(Expr::col((committee::Entity, committee::Column::Id))))
            .one(db)
            .await?
            .is_some())
    }
}
