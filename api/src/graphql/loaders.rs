//! DataLoaders: every nested field reads through one of these, so a request
//! costs a number of SQL statements that does not grow with the number of
//! rows it returns. Nested lists are batched per distinct page request with
//! window functions (see [`crate::service::page::fetch_partitioned`]).
//!
//! The loaders keep no cache between calls, so one set serves every request
//! and concurrent requests share batches without ever reading stale rows.

use std::collections::HashMap;
use std::hash::Hash;

use async_graphql::dataloader::{DataLoader, Loader};
use entities::{agency, committee, membership};
use sea_orm::DatabaseConnection;

use crate::error::Error;
use crate::service::agency::{self as agencies, AgencyFilter};
use crate::service::hierarchy::{self, CommitteeFilter, CommitteeOrder, Succession, TreeRelation};
use crate::service::page::{Page, PageArgs};

/// A key made of a parent id and the rest of the request, which batches
/// with every key that shares the rest.
trait Batched: Clone + Eq + Hash + Send + Sync + 'static {
    type Spec: Clone + Eq + Hash;
    fn split(&self) -> (i64, Self::Spec);
}

fn groups<K: Batched>(keys: &[K]) -> HashMap<K::Spec, Vec<i64>> {
    let mut out: HashMap<K::Spec, Vec<i64>> = HashMap::new();
    for key in keys {
        let (parent, spec) = key.split();
        out.entry(spec).or_default().push(parent);
    }
    out
}

/// A page of committees related to `parent` by `relation`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TreePageKey {
    pub parent: i64,
    pub relation: TreeRelation,
    pub filter: CommitteeFilter,
    pub order: CommitteeOrder,
    pub args: PageArgs,
}

impl Batched for TreePageKey {
    type Spec = (TreeRelation, CommitteeFilter, CommitteeOrder, PageArgs);
    fn split(&self) -> (i64, Self::Spec) {
        (
            self.parent,
            (self.relation, self.filter.clone(), self.order, self.args.clone()),
        )
    }
}

/// A page of a committee's agencies.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AgencyPageKey {
    pub committee: i64,
    pub filter: AgencyFilter,
    pub args: PageArgs,
}

impl Batched for AgencyPageKey {
    type Spec = (AgencyFilter, PageArgs);
    fn split(&self) -> (i64, Self::Spec) {
        (self.committee, (self.filter.clone(), self.args.clone()))
    }
}

/// A page of a committee's memberships.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MembershipPageKey {
    pub committee: i64,
    pub args: PageArgs,
}

impl Batched for MembershipPageKey {
    type Spec = PageArgs;
    fn split(&self) -> (i64, Self::Spec) {
        (self.committee, self.args.clone())
    }
}

/// What a connection's `totalCount` counts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CountKey {
    /// The root `committees` list (one statement, not batched).
    Committees(CommitteeFilter),
    Tree {
        parent: i64,
        relation: TreeRelation,
        filter: CommitteeFilter,
    },
    Agencies {
        committee: i64,
        filter: AgencyFilter,
    },
    Memberships {
        committee: i64,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CountSpec {
    Committees(CommitteeFilter),
    Tree(TreeRelation, CommitteeFilter),
    Agencies(AgencyFilter),
    Memberships,
}

impl Batched for CountKey {
    type Spec = CountSpec;
    fn split(&self) -> (i64, Self::Spec) {
        match self {
            CountKey::Committees(f) => (0, CountSpec::Committees(f.clone())),
            CountKey::Tree {
                parent,
                relation,
                filter,
            } => (*parent, CountSpec::Tree(*relation, filter.clone())),
            CountKey::Agencies { committee, filter } => {
                (*committee, CountSpec::Agencies(filter.clone()))
            }
            CountKey::Memberships { committee } => (*committee, CountSpec::Memberships),
        }
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

/// The one loader: it answers every key type above from the database.
pub struct Db(DatabaseConnection);

macro_rules! by_id_loader {
    ($key:ty, $value:ty, |$db:ident, $ids:ident| $body:expr) => {
        impl Loader<$key> for Db {
            type Value = $value;
            type Error = Error;
            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, $value>, Error> {
                let $db = &self.0;
                let $ids = keys;
                $body
            }
        }
    };
}

/// Committee by id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CommitteeId(pub i64);
/// Agency by id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AgencyId(pub i64);
/// Membership by id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MembershipId(pub i64);
/// The membership of an agency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MembershipOfAgency(pub i64);
/// The standing agency of a committee.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StandingAgencyOf(pub i64);

by_id_loader!(CommitteeId, committee::Model, |db, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    Ok(hierarchy::by_ids(db, &ids)
        .await?
        .into_iter()
        .map(|m| (CommitteeId(m.id), m))
        .collect())
});

by_id_loader!(AgencyId, agency::Model, |db, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    Ok(agencies::by_ids(db, &ids)
        .await?
        .into_iter()
        .map(|m| (AgencyId(m.id), m))
        .collect())
});

by_id_loader!(MembershipId, membership::Model, |db, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    Ok(agencies::memberships_by_ids(db, &ids)
        .await?
        .into_iter()
        .map(|m| (MembershipId(m.id), m))
        .collect())
});

by_id_loader!(MembershipOfAgency, membership::Model, |db, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    Ok(agencies::memberships_by_agency(db, &ids)
        .await?
        .into_iter()
        .map(|(agency, m)| (MembershipOfAgency(agency), m))
        .collect())
});

by_id_loader!(StandingAgencyOf, agency::Model, |db, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    Ok(agencies::standing_by_committee(db, &ids)
        .await?
        .into_iter()
        .map(|(committee, a)| (StandingAgencyOf(committee), a))
        .collect())
});

by_id_loader!(SuccessionKey, Vec<Succession>, |db, keys| {
    let mut out = HashMap::new();
    for (forward, ids) in groups(keys) {
        for (id, list) in hierarchy::successions(db, &ids, forward).await? {
            out.insert(SuccessionKey(id, forward), list);
        }
    }
    Ok(out)
});

by_id_loader!(TreePageKey, Page<committee::Model>, |db, keys| {
    let mut out = HashMap::new();
    for ((relation, filter, order, args), parents) in groups(keys) {
        let mut pages = hierarchy::tree_pages(db, relation, &parents, &filter, order, &args).await?;
        for parent in parents {
            let page = pages.remove(&parent).unwrap_or_else(|| Page::empty(&args));
            let key = TreePageKey {
                parent,
                relation,
                filter: filter.clone(),
                order,
                args: args.clone(),
            };
            out.insert(key, page);
        }
    }
    Ok(out)
});

by_id_loader!(AgencyPageKey, Page<agency::Model>, |db, keys| {
    let mut out = HashMap::new();
    for ((filter, args), committees) in groups(keys) {
        let mut pages = agencies::pages_by_committee(db, &committees, &filter, &args).await?;
        for committee in committees {
            let page = pages.remove(&committee).unwrap_or_else(|| Page::empty(&args));
            let key = AgencyPageKey {
                committee,
                filter: filter.clone(),
                args: args.clone(),
            };
            out.insert(key, page);
        }
    }
    Ok(out)
});

by_id_loader!(MembershipPageKey, Page<membership::Model>, |db, keys| {
    let mut out = HashMap::new();
    for (args, committees) in groups(keys) {
        let mut pages = agencies::membership_pages(db, &committees, &args).await?;
        for committee in committees {
            let page = pages.remove(&committee).unwrap_or_else(|| Page::empty(&args));
            out.insert(
                MembershipPageKey {
                    committee,
                    args: args.clone(),
                },
                page,
            );
        }
    }
    Ok(out)
});

by_id_loader!(CountKey, i64, |db, keys| {
    let mut out = HashMap::new();
    for (spec, parents) in groups(keys) {
        let counts = match &spec {
            CountSpec::Committees(filter) => {
                let n = hierarchy::count(db, filter).await?;
                out.insert(CountKey::Committees(filter.clone()), n);
                continue;
            }
            CountSpec::Tree(relation, filter) => {
                hierarchy::tree_counts(db, *relation, &parents, filter).await?
            }
            CountSpec::Agencies(filter) => agencies::counts_by_committee(db, &parents, filter).await?,
            CountSpec::Memberships => agencies::membership_counts(db, &parents).await?,
        };
        for parent in parents {
            let n = counts.get(&parent).copied().unwrap_or(0);
            let key = match &spec {
                CountSpec::Tree(relation, filter) => CountKey::Tree {
                    parent,
                    relation: *relation,
                    filter: filter.clone(),
                },
                CountSpec::Agencies(filter) => CountKey::Agencies {
                    committee: parent,
                    filter: filter.clone(),
                },
                CountSpec::Memberships | CountSpec::Committees(_) => {
                    CountKey::Memberships { committee: parent }
                }
            };
            out.insert(key, n);
        }
    }
    Ok(out)
});

/// The loaders and the connection, shared by all requests as schema data.
pub struct Loaders {
    pub db: DatabaseConnection,
    loader: DataLoader<Db>,
}

impl Loaders {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            loader: DataLoader::new(Db(db.clone()), tokio::spawn),
            db,
        }
    }

    pub async fn one<K>(&self, key: K) -> Result<Option<<Db as Loader<K>>::Value>, Error>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        Db: Loader<K, Error = Error>,
    {
        self.loader.load_one(key).await
    }

    pub async fn count(&self, key: CountKey) -> Result<i64, Error> {
        Ok(self.loader.load_one(key).await?.unwrap_or(0))
    }

    /// The page for `key`; a missing parent has an empty page.
    pub async fn page<K, T>(&self, key: K, args: &PageArgs) -> Result<Page<T>, Error>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        Db: Loader<K, Error = Error, Value = Page<T>>,
        T: Send + Sync + Clone + 'static,
    {
        Ok(self
            .loader
            .load_one(key)
            .await?
            .unwrap_or_else(|| Page::empty(args)))
    }
}
