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
use sea_orm::DatabaseConnection;

use crate::auth::Scope;
use crate::error::Error;
use crate::service::agency::{self as agencies, AgencyFilter};
use crate::service::audit::AuditFilter;
use crate::service::cooperation::{self as records, RecordFilter};
use crate::service::enums::TaskAgencyRole;
use crate::service::hierarchy::{self, CommitteeFilter, CommitteeOrder, Succession, TreeRelation};
use crate::service::page::{Columns, Page, PageArgs};
use crate::service::period::Period;
use crate::service::plan::{self as plans, PlanFilter};
use crate::service::report::{self as reports, ReportFilter};
use crate::service::rollup::{self, GroupKey, Grouping, Selection, StatusCounts, Sum, TaskCounts};
use crate::service::task::{self as tasks, TaskFilter, TaskParent};

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

/// What a connection's `totalCount` counts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CountKey {
    /// The root `committees` list (one statement, not batched).
    Committees(CommitteeFilter),
    /// Root lists of plans, tasks and cooperation records (one statement each).
    Plans(PlanFilter),
    Tasks(TaskFilter),
    Records(RecordFilter),
    Counterparts(Option<String>),
    Audit(AuditFilter),
    Indicators,
    /// The root `webhookEndpoints` and `webhookDeliveries` lists.
    WebhookEndpoints,
    WebhookDeliveries {
        endpoint: i64,
        status: Option<&'static str>,
    },
    CommitteeReports {
        committee: i64,
        filter: ReportFilter,
    },
    CommitteePlans {
        committee: i64,
        filter: PlanFilter,
    },
    NestedTasks {
        parent: TaskParent,
        id: i64,
        filter: TaskFilter,
    },
    Progress {
        task: i64,
    },
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
    Root(CountKey),
    CommitteePlans(PlanFilter),
    CommitteeReports(ReportFilter),
    NestedTasks(TaskParent, TaskFilter),
    Progress,
    Tree(TreeRelation, CommitteeFilter),
    Agencies(AgencyFilter),
    Memberships,
}

impl Batched for CountKey {
    type Spec = CountSpec;
    fn split(&self) -> (i64, Self::Spec) {
        match self {
            CountKey::Committees(_)
            | CountKey::Plans(_)
            | CountKey::Tasks(_)
            | CountKey::Records(_)
            | CountKey::Counterparts(_)
            | CountKey::Audit(_)
            | CountKey::Indicators
            | CountKey::WebhookEndpoints
            | CountKey::WebhookDeliveries { .. } => (0, CountSpec::Root(self.clone())),
            CountKey::CommitteePlans { committee, filter } => {
                (*committee, CountSpec::CommitteePlans(filter.clone()))
            }
            CountKey::CommitteeReports { committee, filter } => {
                (*committee, CountSpec::CommitteeReports(filter.clone()))
            }
            CountKey::NestedTasks { parent, id, filter } => {
                (*id, CountSpec::NestedTasks(*parent, filter.clone()))
            }
            CountKey::Progress { task } => (*task, CountSpec::Progress),
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

/// The one loader: it answers every key type above from the database,
/// within the viewer's scope.
pub struct Db(DatabaseConnection, Arc<Scope>);

macro_rules! by_id_loader {
    ($key:ty, $value:ty, |$db:ident, $scope:ident, $ids:ident| $body:expr) => {
        impl Loader<$key> for Db {
            type Value = $value;
            type Error = Error;
            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, $value>, Error> {
                let $db = &self.0;
                let $scope = &self.1;
                let $ids = keys;
                $body
            }
        }
    };
}

macro_rules! id_key {
    ($($(#[$m:meta])* $name:ident),+ $(,)?) => {
        $($(#[$m])* #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)] pub struct $name(pub i64);)+
    };
}

macro_rules! by_key {
    // Rows keyed by objects the viewer has already been allowed to read.
    (open $key:ident, $value:ty, $fetch:expr, $id:expr) => {
        by_id_loader!($key, $value, |db, _scope, keys| {
            let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
            Ok($fetch(db, &ids)
                .await?
                .into_iter()
                .map(|m| ($key($id(&m)), m))
                .collect())
        });
    };
    ($key:ident, $value:ty, $fetch:expr, $id:expr) => {
        by_id_loader!($key, $value, |db, scope, keys| {
            let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
            Ok($fetch(db, scope, &ids)
                .await?
                .into_iter()
                .map(|m| ($key($id(&m)), m))
                .collect())
        });
    };
}

macro_rules! grouped {
    // Children of objects the viewer has already been allowed to read.
    (open $key:ident, $value:ty, $fetch:expr) => {
        by_id_loader!($key, $value, |db, _scope, keys| {
            let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
            Ok($fetch(db, &ids)
                .await?
                .into_iter()
                .map(|(k, v)| ($key(k), v))
                .collect())
        });
    };
    ($key:ident, $value:ty, $fetch:expr) => {
        by_id_loader!($key, $value, |db, scope, keys| {
            let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
            Ok($fetch(db, scope, &ids)
                .await?
                .into_iter()
                .map(|(k, v)| ($key(k), v))
                .collect())
        });
    };
}

mod agency;
mod committee;
mod cooperation;
mod plan;
mod report;
mod task;

pub use agency::*;
pub use committee::*;
pub use cooperation::*;
pub use plan::*;
pub use report::*;
pub use task::*;

by_id_loader!(CountKey, i64, |db, scope, keys| {
    let mut out = HashMap::new();
    for (spec, parents) in groups(keys) {
        let counts = match &spec {
            CountSpec::Root(root) => {
                let n = match root {
                    CountKey::Committees(f) => hierarchy::count(db, scope, f).await?,
                    CountKey::Plans(f) => plans::count(db, scope, f).await?,
                    CountKey::Tasks(f) => tasks::count(db, scope, f).await?,
                    CountKey::Records(f) => records::count(db, scope, f).await?,
                    CountKey::Audit(f) => crate::service::audit::count(db, scope, f).await?,
                    CountKey::Indicators => crate::service::indicator::count(db).await?,
                    CountKey::WebhookEndpoints => {
                        crate::service::webhooks::count_endpoints(db, scope).await?
                    }
                    CountKey::WebhookDeliveries { endpoint, status } => {
                        crate::service::webhooks::count_deliveries(db, scope, *endpoint, *status)
                            .await?
                    }
                    CountKey::Counterparts(c) => {
                        records::count_counterparts(db, c.as_deref()).await?
                    }
                    _ => 0,
                };
                out.insert(root.clone(), n);
                continue;
            }
            CountSpec::CommitteePlans(filter) => {
                plans::counts_by_committee(db, scope, &parents, filter).await?
            }
            CountSpec::CommitteeReports(filter) => {
                reports::counts_by_committee(db, scope, &parents, filter).await?
            }
            CountSpec::NestedTasks(parent, filter) => {
                tasks::counts_by_parent(db, scope, *parent, &parents, filter).await?
            }
            CountSpec::Progress => tasks::progress_counts(db, &parents).await?,
            CountSpec::Tree(relation, filter) => {
                hierarchy::tree_counts(db, scope, *relation, &parents, filter).await?
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
                CountSpec::CommitteePlans(filter) => CountKey::CommitteePlans {
                    committee: parent,
                    filter: filter.clone(),
                },
                CountSpec::CommitteeReports(filter) => CountKey::CommitteeReports {
                    committee: parent,
                    filter: filter.clone(),
                },
                CountSpec::NestedTasks(p, filter) => CountKey::NestedTasks {
                    parent: *p,
                    id: parent,
                    filter: filter.clone(),
                },
                CountSpec::Progress => CountKey::Progress { task: parent },
                CountSpec::Memberships | CountSpec::Root(_) => {
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
/// when `main` is waiting and the previous round's batches have all
/// finished: every key asked for in one round joins one batch.
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
            // A new round starts only when the previous one has finished,
            // so how keys group into batches never depends on timing.
            if running.is_empty() {
                running.extend(queue.take());
            }
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
    /// What the viewer may read; every root query applies it too.
    pub scope: Arc<Scope>,
    loader: DataLoader<Db>,
}

impl Loaders {
    /// Loaders whose batches run as spawned tasks after a short delay (for
    /// work outside an HTTP request, such as subscriptions).
    pub fn new(db: DatabaseConnection, scope: Arc<Scope>) -> Self {
        Self {
            loader: DataLoader::new(Db(db.clone(), scope.clone()), tokio::spawn),
            scope,
            db,
        }
    }

    /// Loaders for one request; pass the queue to [`drive`].
    pub fn per_request(db: DatabaseConnection, scope: Arc<Scope>) -> (Self, Queue) {
        let queue = Queue::default();
        let q = queue.clone();
        let loader = DataLoader::new(Db(db.clone(), scope.clone()), move |task| q.push(task))
            .delay(Duration::ZERO);
        (Self { db, scope, loader }, queue)
    }

    // The DataLoader's futures are boxed here: a resolver that awaits one
    // would otherwise hold it inline (about a kilobyte), and async-graphql
    // allocates and moves a future the size of the largest resolver of an
    // object for every field it resolves, the plain ones included.

    pub async fn one<K>(&self, key: K) -> Result<Option<<Db as Loader<K>>::Value>, Error>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        Db: Loader<K, Error = Error>,
    {
        Box::pin(self.loader.load_one(key)).await
    }

    /// The values of `keys` in one batch (absent keys left out).
    pub async fn many<K>(
        &self,
        keys: impl IntoIterator<Item = K>,
    ) -> Result<HashMap<K, <Db as Loader<K>>::Value>, Error>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        Db: Loader<K, Error = Error>,
    {
        Box::pin(self.loader.load_many(keys)).await
    }

    pub async fn count(&self, key: CountKey) -> Result<i64, Error> {
        Ok(Box::pin(self.loader.load_one(key)).await?.unwrap_or(0))
    }

    /// The page for `key`; a missing parent has an empty page.
    ///
    /// Page loaders answer shared pages: the DataLoader clones every value
    /// it hands out, and a page is the one asker's alone once the batch is
    /// done, so it is taken, not copied (copied only if still shared).
    pub async fn page<K, T>(&self, key: K, args: &PageArgs) -> Result<Page<T>, Error>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        Db: Loader<K, Error = Error, Value = Arc<Page<T>>>,
        T: Send + Sync + Clone + 'static,
    {
        Ok(Box::pin(self.loader.load_one(key))
            .await?
            .map_or_else(|| Page::empty(args), Arc::unwrap_or_clone))
    }
}
