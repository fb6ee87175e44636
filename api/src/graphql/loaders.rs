//! DataLoaders: every nested field reads through one of these, so a request
//! costs a number of SQL statements that does not grow with the number of
//! rows it returns. Nested lists are batched per distinct page request with
//! window functions (see [`crate::service::page::fetch_partitioned`]).
//!
//! Each HTTP request gets its own loaders, driven by [`drive`]: a batch is
//! sent to the database only when the request can make no other progress,
//! so every key that sibling fields ask for in one round lands in one batch,
//! whatever the machine's speed. (The usual timer-based dispatch splits
//! batches when resolving takes longer than the timer.) The loaders keep no
//! cache, so nothing read is ever stale.

use std::collections::HashMap;
use std::future::{Future, poll_fn};
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use futures_util::stream::FuturesUnordered;

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
            (
                self.relation,
                self.filter.clone(),
                self.order,
                self.args.clone(),
            ),
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
        let mut pages =
            hierarchy::tree_pages(db, relation, &parents, &filter, order, &args).await?;
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
            let page = pages
                .remove(&committee)
                .unwrap_or_else(|| Page::empty(&args));
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
            let page = pages
                .remove(&committee)
                .unwrap_or_else(|| Page::empty(&args));
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
            CountSpec::Agencies(filter) => {
                agencies::counts_by_committee(db, &parents, filter).await?
            }
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

/// Batch loads a request has started but not yet sent.
#[derive(Clone, Default)]
pub struct Queue(Arc<Mutex<Vec<BoxFuture<'static, ()>>>>);

impl Queue {
    fn push(&self, task: BoxFuture<'static, ()>) {
        if let Ok(mut q) = self.0.lock() {
            q.push(task);
        }
    }

    fn take(&self) -> Vec<BoxFuture<'static, ()>> {
        self.0
            .lock()
            .map(|mut q| std::mem::take(&mut *q))
            .unwrap_or_default()
    }
}

/// Wakes the task, remembering that it was woken.
struct Flagged {
    woken: AtomicBool,
    inner: Waker,
}

impl Wake for Flagged {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        self.inner.wake_by_ref();
    }
}

/// Runs `main` (a request's execution), sending its queued batch loads only
/// when `main` is waiting: every key asked for in one round joins one batch.
/// `main` counts as waiting when it returned `Pending` without waking itself
/// (lists of futures yield cooperatively part-way through a round).
pub async fn drive<F: Future>(main: F, queue: Queue) -> F::Output {
    let mut main = std::pin::pin!(main);
    let mut running = FuturesUnordered::new();
    poll_fn(move |cx| {
        loop {
            let flagged = Arc::new(Flagged {
                woken: AtomicBool::new(false),
                inner: cx.waker().clone(),
            });
            let waker = Waker::from(flagged.clone());
            if let Poll::Ready(out) = main.as_mut().poll(&mut Context::from_waker(&waker)) {
                return Poll::Ready(out);
            }
            if flagged.woken.load(Ordering::SeqCst) {
                continue;
            }
            running.extend(queue.take());
            let mut finished = false;
            while let Poll::Ready(Some(())) = running.poll_next_unpin(cx) {
                finished = true;
            }
            // A finished batch may have woken `main`: poll it again.
            if !finished {
                return Poll::Pending;
            }
        }
    })
    .await
}

/// The loaders of one request, and the connection.
pub struct Loaders {
    pub db: DatabaseConnection,
    loader: DataLoader<Db>,
}

impl Loaders {
    /// Loaders whose batches run as spawned tasks after a short delay (for
    /// work outside an HTTP request, such as subscriptions).
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            loader: DataLoader::new(Db(db.clone()), tokio::spawn),
            db,
        }
    }

    /// Loaders for one request; pass the queue to [`drive`].
    pub fn per_request(db: DatabaseConnection) -> (Self, Queue) {
        let queue = Queue::default();
        let q = queue.clone();
        let loader =
            DataLoader::new(Db(db.clone()), move |task| q.push(task)).delay(Duration::ZERO);
        (Self { db, loader }, queue)
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
