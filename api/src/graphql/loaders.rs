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
use entities::{
    agency, committee, cooperation_record, counterpart, membership, plan, plan_reference,
    plan_section, plan_target, report, report_value, reporting_rule, task, task_progress,
};
use sea_orm::DatabaseConnection;

use crate::auth::Scope;
use crate::error::Error;
use crate::service::agency::{self as agencies, AgencyFilter};
use crate::service::audit::AuditFilter;
use crate::service::cooperation::{self as cooperation, RecordFilter};
use crate::service::enums::TaskAgencyRole;
use crate::service::hierarchy::{self, CommitteeFilter, CommitteeOrder, Succession, TreeRelation};
use crate::service::page::{Page, PageArgs};
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
    /// Root lists of plans, tasks and cooperation records (one statement each).
    Plans(PlanFilter),
    Tasks(TaskFilter),
    Records(RecordFilter),
    Counterparts(Option<String>),
    Audit(AuditFilter),
    Indicators,
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
            | CountKey::Indicators => (0, CountSpec::Root(self.clone())),
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

/// Successors (`true`) or predecessors (`false`) of a committee.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SuccessionKey(pub i64, pub bool);

impl Batched for SuccessionKey {
    type Spec = bool;
    fn split(&self) -> (i64, bool) {
        (self.0, self.1)
    }
}

/// The one loader: it answers every key type above from the database,
/// within the viewer's scope.
pub struct Db(DatabaseConnection, Scope);

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

by_id_loader!(CommitteeId, committee::Model, |db, scope, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    Ok(hierarchy::by_ids(db, scope, &ids)
        .await?
        .into_iter()
        .map(|m| (CommitteeId(m.id), m))
        .collect())
});

by_id_loader!(AgencyId, agency::Model, |db, scope, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    Ok(agencies::by_ids(db, scope, &ids)
        .await?
        .into_iter()
        .map(|m| (AgencyId(m.id), m))
        .collect())
});

by_id_loader!(MembershipId, membership::Model, |db, scope, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    Ok(agencies::memberships_by_ids(db, scope, &ids)
        .await?
        .into_iter()
        .map(|m| (MembershipId(m.id), m))
        .collect())
});

by_id_loader!(MembershipOfAgency, membership::Model, |db, _scope, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    Ok(agencies::memberships_by_agency(db, &ids)
        .await?
        .into_iter()
        .map(|(agency, m)| (MembershipOfAgency(agency), m))
        .collect())
});

by_id_loader!(StandingAgencyOf, agency::Model, |db, _scope, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    Ok(agencies::standing_by_committee(db, &ids)
        .await?
        .into_iter()
        .map(|(committee, a)| (StandingAgencyOf(committee), a))
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

by_id_loader!(TreePageKey, Page<committee::Model>, |db, scope, keys| {
    let mut out = HashMap::new();
    for ((relation, filter, order, args), parents) in groups(keys) {
        let mut pages =
            hierarchy::tree_pages(db, scope, relation, &parents, &filter, order, &args).await?;
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

by_id_loader!(AgencyPageKey, Page<agency::Model>, |db, _scope, keys| {
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

by_id_loader!(
    MembershipPageKey,
    Page<membership::Model>,
    |db, _scope, keys| {
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
    }
);

by_id_loader!(CountKey, i64, |db, scope, keys| {
    let mut out = HashMap::new();
    for (spec, parents) in groups(keys) {
        let counts = match &spec {
            CountSpec::Root(root) => {
                let n = match root {
                    CountKey::Committees(f) => hierarchy::count(db, scope, f).await?,
                    CountKey::Plans(f) => plans::count(db, scope, f).await?,
                    CountKey::Tasks(f) => tasks::count(db, scope, f).await?,
                    CountKey::Records(f) => cooperation::count(db, scope, f).await?,
                    CountKey::Audit(f) => crate::service::audit::count(db, scope, f).await?,
                    CountKey::Indicators => crate::service::indicator::count(db).await?,
                    CountKey::Counterparts(c) => {
                        cooperation::count_counterparts(db, c.as_deref()).await?
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

/// A page of a committee's plans.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PlanPageKey {
    pub committee: i64,
    pub filter: PlanFilter,
    pub args: PageArgs,
}

impl Batched for PlanPageKey {
    type Spec = (PlanFilter, PageArgs);
    fn split(&self) -> (i64, Self::Spec) {
        (self.committee, (self.filter.clone(), self.args.clone()))
    }
}

/// A page of a plan's tasks, or of the tasks implementing a task.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TaskPageKey {
    pub parent: TaskParent,
    pub id: i64,
    pub filter: TaskFilter,
    pub args: PageArgs,
}

impl Batched for TaskPageKey {
    type Spec = (TaskParent, TaskFilter, PageArgs);
    fn split(&self) -> (i64, Self::Spec) {
        (
            self.id,
            (self.parent, self.filter.clone(), self.args.clone()),
        )
    }
}

/// A page of a task's progress history.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ProgressPageKey {
    pub task: i64,
    pub args: PageArgs,
}

impl Batched for ProgressPageKey {
    type Spec = PageArgs;
    fn split(&self) -> (i64, Self::Spec) {
        (self.task, self.args.clone())
    }
}

macro_rules! id_key {
    ($($(#[$m:meta])* $name:ident),+ $(,)?) => {
        $($(#[$m])* #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)] pub struct $name(pub i64);)+
    };
}

id_key!(
    /// Plan by id.
    PlanId,
    /// Task by id.
    TaskId,
    /// Progress entry by id.
    ProgressId,
    /// Counterpart by id.
    CounterpartId,
    /// Cooperation record by id.
    RecordId,
    /// Section by id.
    SectionId,
    /// The plans a plan implements.
    PlanImplements,
    /// A plan's references to outside documents.
    PlanReferences,
    /// A plan's targets.
    PlanTargets,
    /// A plan's reporting rules.
    PlanRules,
    /// A plan's sections.
    PlanSections,
    /// A task's agencies.
    TaskAgencies,
    /// How many tasks implement a task, and how many of them are done.
    ImplementationCount,
    /// The agencies of a cooperation record.
    RecordAgencies,
);

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

by_key!(PlanId, plan::Model, plans::by_ids, |m: &plan::Model| m.id);
by_key!(TaskId, task::Model, tasks::by_ids, |m: &task::Model| m.id);
by_key!(
    ProgressId,
    task_progress::Model,
    tasks::progress_by_ids,
    |m: &task_progress::Model| m.id
);
by_key!(
    open CounterpartId,
    counterpart::Model,
    cooperation::counterparts_by_ids,
    |m: &counterpart::Model| m.id
);
by_key!(
    RecordId,
    cooperation_record::Model,
    cooperation::by_ids,
    |m: &cooperation_record::Model| m.id
);
by_key!(
    open SectionId,
    plan_section::Model,
    plans::sections_by_ids,
    |m: &plan_section::Model| m.id
);
grouped!(PlanImplements, Vec<plan::Model>, plans::implemented_by);
grouped!(open PlanReferences, Vec<plan_reference::Model>, plans::references);
grouped!(open PlanTargets, Vec<plan_target::Model>, plans::targets);
grouped!(open PlanRules, Vec<reporting_rule::Model>, plans::rules);
grouped!(open PlanSections, Vec<plan_section::Model>, plans::sections);
grouped!(open TaskAgencies, Vec<(TaskAgencyRole, agency::Model)>, tasks::agencies_by_task);
grouped!(
    ImplementationCount,
    (i64, i64),
    tasks::implementation_counts
);

by_id_loader!(RecordAgencies, Vec<agency::Model>, |db, scope, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    let links = cooperation::agencies_of(db, &ids).await?;
    let all: Vec<i64> = links.values().flatten().copied().collect();
    let found: HashMap<i64, agency::Model> = agencies::by_ids(db, scope, &all)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    Ok(links
        .into_iter()
        .map(|(record, ids)| {
            let list = ids.iter().filter_map(|id| found.get(id).cloned()).collect();
            (RecordAgencies(record), list)
        })
        .collect())
});

by_id_loader!(PlanPageKey, Page<plan::Model>, |db, scope, keys| {
    let mut out = HashMap::new();
    for ((filter, args), committees) in groups(keys) {
        let mut pages = plans::pages_by_committee(db, scope, &committees, &filter, &args).await?;
        for committee in committees {
            let page = pages
                .remove(&committee)
                .unwrap_or_else(|| Page::empty(&args));
            let key = PlanPageKey {
                committee,
                filter: filter.clone(),
                args: args.clone(),
            };
            out.insert(key, page);
        }
    }
    Ok(out)
});

by_id_loader!(TaskPageKey, Page<task::Model>, |db, scope, keys| {
    let mut out = HashMap::new();
    for ((parent, filter, args), ids) in groups(keys) {
        let mut pages = tasks::pages_by_parent(db, scope, parent, &ids, &filter, &args).await?;
        for id in ids {
            let page = pages.remove(&id).unwrap_or_else(|| Page::empty(&args));
            let key = TaskPageKey {
                parent,
                id,
                filter: filter.clone(),
                args: args.clone(),
            };
            out.insert(key, page);
        }
    }
    Ok(out)
});

by_id_loader!(
    ProgressPageKey,
    Page<task_progress::Model>,
    |db, _scope, keys| {
        let mut out = HashMap::new();
        for (args, ids) in groups(keys) {
            let mut pages = tasks::progress_pages(db, &ids, &args).await?;
            for task in ids {
                let page = pages.remove(&task).unwrap_or_else(|| Page::empty(&args));
                out.insert(
                    ProgressPageKey {
                        task,
                        args: args.clone(),
                    },
                    page,
                );
            }
        }
        Ok(out)
    }
);

/// An indicator by code (reference data, open to every reader).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IndicatorCode(pub String);

by_id_loader!(
    IndicatorCode,
    entities::indicator::Model,
    |db, _scope, keys| {
        let codes: Vec<String> = keys.iter().map(|k| k.0.clone()).collect();
        Ok(crate::service::indicator::by_codes(db, &codes)
            .await?
            .into_iter()
            .map(|(code, i)| (IndicatorCode(code), i))
            .collect())
    }
);

/// A page of a committee's reports.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReportPageKey {
    pub committee: i64,
    pub filter: ReportFilter,
    pub args: PageArgs,
}

impl Batched for ReportPageKey {
    type Spec = (ReportFilter, PageArgs);
    fn split(&self) -> (i64, Self::Spec) {
        (self.committee, (self.filter.clone(), self.args.clone()))
    }
}

by_id_loader!(ReportPageKey, Page<report::Model>, |db, scope, keys| {
    let mut out = HashMap::new();
    for ((filter, args), committees) in groups(keys) {
        let mut pages = reports::pages_by_committee(db, scope, &committees, &filter, &args).await?;
        for committee in committees {
            let page = pages
                .remove(&committee)
                .unwrap_or_else(|| Page::empty(&args));
            let key = ReportPageKey {
                committee,
                filter: filter.clone(),
                args: args.clone(),
            };
            out.insert(key, page);
        }
    }
    Ok(out)
});

id_key!(
    /// Report by id.
    ReportId,
    /// A report's values.
    ReportValues,
    /// A plan and the plans implementing it, transitively.
    PlanFamily,
);

by_key!(
    ReportId,
    report::Model,
    reports::by_ids,
    |m: &report::Model| m.id
);
grouped!(open ReportValues, Vec<report_value::Model>, reports::values);

by_id_loader!(PlanFamily, Vec<i64>, |db, _scope, keys| {
    let mut out = HashMap::new();
    for key in keys {
        out.insert(*key, rollup::plan_family(db, key.0).await?);
    }
    Ok(out)
});

/// Splits grouped rollup rows by the committee they were asked for.
fn per_committee<V>(rows: HashMap<GroupKey, V>) -> HashMap<i64, Vec<(GroupKey, V)>> {
    let mut out: HashMap<i64, Vec<(GroupKey, V)>> = HashMap::new();
    for (k, v) in rows {
        out.entry(k.committee).or_default().push((k, v));
    }
    out
}

/// Indicator sums of a committee's subtree, own reports, children or levels.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SumKey {
    pub committee: i64,
    pub grouping: Grouping,
    pub selection: Selection,
    pub codes: Vec<String>,
}

impl Batched for SumKey {
    type Spec = (Grouping, Selection, Vec<String>);
    fn split(&self) -> (i64, Self::Spec) {
        (
            self.committee,
            (self.grouping, self.selection.clone(), self.codes.clone()),
        )
    }
}

by_id_loader!(
    SumKey,
    Vec<(GroupKey, HashMap<String, Sum>)>,
    |db, scope, keys| {
        let mut out = HashMap::new();
        for ((grouping, selection, codes), ids) in groups(keys) {
            let rows = rollup::sums(db, scope, &selection, &codes, grouping, &ids).await?;
            let mut per = per_committee(rows);
            for committee in ids {
                let key = SumKey {
                    committee,
                    grouping,
                    selection: selection.clone(),
                    codes: codes.clone(),
                };
                out.insert(key, per.remove(&committee).unwrap_or_default());
            }
        }
        Ok(out)
    }
);

/// Reporting status counts of a committee's subtree, own reports or children.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StatusKey {
    pub committee: i64,
    pub grouping: Grouping,
    pub period: Period,
    pub units: crate::service::enums::Units,
}

impl Batched for StatusKey {
    type Spec = (Grouping, Period, crate::service::enums::Units);
    fn split(&self) -> (i64, Self::Spec) {
        (self.committee, (self.grouping, self.period, self.units))
    }
}

by_id_loader!(
    StatusKey,
    Vec<(GroupKey, StatusCounts)>,
    |db, scope, keys| {
        let mut out = HashMap::new();
        let today = crate::service::today();
        for ((grouping, period, units), ids) in groups(keys) {
            let rows = rollup::status_counts(
                db,
                scope,
                &[period.to_string()],
                units,
                grouping,
                &ids,
                today,
            )
            .await?;
            let mut per = per_committee(rows);
            for committee in ids {
                let key = StatusKey {
                    committee,
                    grouping,
                    period,
                    units,
                };
                out.insert(key, per.remove(&committee).unwrap_or_default());
            }
        }
        Ok(out)
    }
);

/// Task counts of a committee's subtree or children for a family of plans.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TaskCountKey {
    pub committee: i64,
    pub grouping: Grouping,
    pub plans: Vec<i64>,
    pub as_of: chrono::NaiveDate,
}

impl Batched for TaskCountKey {
    type Spec = (Grouping, Vec<i64>, chrono::NaiveDate);
    fn split(&self) -> (i64, Self::Spec) {
        (
            self.committee,
            (self.grouping, self.plans.clone(), self.as_of),
        )
    }
}

by_id_loader!(
    TaskCountKey,
    Vec<(GroupKey, TaskCounts)>,
    |db, scope, keys| {
        let mut out = HashMap::new();
        let today = crate::service::today();
        for ((grouping, plans, as_of), ids) in groups(keys) {
            let selection = rollup::PlanSelection::Ids(plans.clone());
            let rows =
                rollup::task_counts(db, scope, &selection, grouping, &ids, as_of, today).await?;
            let mut per = per_committee(rows);
            for committee in ids {
                let key = TaskCountKey {
                    committee,
                    grouping,
                    plans: plans.clone(),
                    as_of,
                };
                out.insert(key, per.remove(&committee).unwrap_or_default());
            }
        }
        Ok(out)
    }
);

/// The children a rollup lists (see [`rollup::children`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ChildrenKey {
    pub parent: i64,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub units: crate::service::enums::Units,
}

impl Batched for ChildrenKey {
    type Spec = (
        chrono::NaiveDate,
        chrono::NaiveDate,
        crate::service::enums::Units,
    );
    fn split(&self) -> (i64, Self::Spec) {
        (self.parent, (self.from, self.to, self.units))
    }
}

by_id_loader!(ChildrenKey, Vec<committee::Model>, |db, scope, keys| {
    let mut out = HashMap::new();
    for ((from, to, units), parents) in groups(keys) {
        let mut found = rollup::children(db, scope, &parents, from, to, units).await?;
        for parent in parents {
            let key = ChildrenKey {
                parent,
                from,
                to,
                units,
            };
            out.insert(key, found.remove(&parent).unwrap_or_default());
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
    pub scope: Scope,
    loader: DataLoader<Db>,
}

impl Loaders {
    /// Loaders whose batches run as spawned tasks after a short delay (for
    /// work outside an HTTP request, such as subscriptions).
    pub fn new(db: DatabaseConnection, scope: Scope) -> Self {
        Self {
            loader: DataLoader::new(Db(db.clone(), scope.clone()), tokio::spawn),
            scope,
            db,
        }
    }

    /// Loaders for one request; pass the queue to [`drive`].
    pub fn per_request(db: DatabaseConnection, scope: Scope) -> (Self, Queue) {
        let queue = Queue::default();
        let q = queue.clone();
        let loader = DataLoader::new(Db(db.clone(), scope.clone()), move |task| q.push(task))
            .delay(Duration::ZERO);
        (Self { db, scope, loader }, queue)
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
