//! Committees: by id, their successors and predecessors, and pages of the tree.

use super::*;
use entities::committee;

/// A page of committees related to `parent` by `relation`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreePageKey {
    pub parent: i64,
    pub relation: TreeRelation,
    pub filter: CommitteeFilter,
    pub order: CommitteeOrder,
    pub args: PageArgs,
    pub columns: Columns,
}

/// Hashes the parent alone: the keys of one request differ in little else,
/// and hashing the rest (filters, page arguments) on every load costs more
/// than the rare equal hash ([`Eq`] still tells such keys apart).
impl Hash for TreePageKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.parent.hash(state);
    }
}

impl Batched for TreePageKey {
    type Spec = (
        TreeRelation,
        CommitteeFilter,
        CommitteeOrder,
        PageArgs,
        Columns,
    );
    fn split(&self) -> (i64, Self::Spec) {
        (
            self.parent,
            (
                self.relation,
                self.filter.clone(),
                self.order,
                self.args.clone(),
                self.columns,
            ),
        )
    }
}

/// Successors (`true`) or predecessors (`false`) of a committee.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SuccessionKey(pub i64, pub bool);

impl Batched for SuccessionKey {
    type Spec = bool;
    fn split(&self) -> (i64, bool) {
        (self.0, self.1)
    }
}

/// Committee by id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CommitteeId(pub i64);

by_id_loader!(CommitteeId, committee::Model, |db, scope, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    Ok(hierarchy::by_ids(db, scope, &ids)
        .await?
        .into_iter()
        .map(|m| (CommitteeId(m.id), m))
        .collect())
});

by_id_loader!(SuccessionKey, Vec<Succession>, |db, scope, keys| {
    let mut out = HashMap::new();
    for (forward, ids) in groups(keys) {
        for (id, list) in hierarchy::successions(db, scope, &ids, forward).await? {
            out.insert(SuccessionKey(id, forward), list);
        }
    }
    Ok(out)
});

by_id_loader!(
    TreePageKey,
    Arc<Page<committee::Model>>,
    |db, scope, keys| {
        let mut out = HashMap::new();
        for ((relation, filter, order, args, columns), parents) in groups(keys) {
            let mut pages = hierarchy::tree_pages(
                db, scope, relation, &parents, &filter, order, &args, columns,
            )
            .await?;
            for parent in parents {
                let page = pages.remove(&parent).unwrap_or_else(|| Page::empty(&args));
                let key = TreePageKey {
                    parent,
                    relation,
                    filter: filter.clone(),
                    order,
                    args: args.clone(),
                    columns,
                };
                out.insert(key, Arc::new(page));
            }
        }
        Ok(out)
    }
);
