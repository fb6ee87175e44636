//! The write path: every change goes through one [`Write`].
//!
//! [`run`] opens the transaction and hands the service a [`Write`]: the
//! transaction, the authorized caller and its read scope. The service finds
//! every row its input names through the scoped lookups below (a row out of
//! scope answers exactly like one that does not exist: the same `NOT_FOUND`
//! userError, the same message, no name), applies the write rule, makes the
//! change and records the audit event — inside the same transaction, so the
//! change and its audit event commit together or not at all, and the "before"
//! image is the row as the transaction read it.
//!
//! A refused attempt (`FORBIDDEN`, or `NOT_FOUND` for an id the caller may not
//! read or that does not exist) rolls the transaction back and is audited on
//! its own, with the ids the attempt asked for (outcome `FORBIDDEN` or
//! `NOT_FOUND`).
//!
//! Demo and reference loading use [`Write::system`]: no caller, everything in
//! scope, no audit events.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use entities::{agency, committee, cooperation_record, plan, report, task};
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use serde_json::Value;

use crate::auth::policy::in_force;
use crate::auth::{Scope, Viewer};
use crate::error::UserErrorCode;
use crate::error::{Error, Result};
use crate::ids::{self, Kind};
use crate::service::audit::{self, Actor, Event, Outcome};
use crate::service::enums::Role;
use crate::service::events::{Events, ReportSubmitted, TaskUpdated};
use crate::service::{
    agency as agencies, cooperation, hierarchy, plan as plans, relay, report as reports,
    task as tasks,
};

/// One change in progress: its transaction, who makes it and what they may read.
pub struct Write<'a> {
    tx: &'a DatabaseTransaction,
    scope: &'a Scope,
    caller: Option<&'a Viewer>,
    actor: &'a Actor,
    action: &'a str,
    /// The global ids the input named, in the order they were looked up.
    asked: Mutex<Vec<String>>,
    /// What subscribers hear once the transaction has committed.
    notices: Mutex<Vec<Notice>>,
    /// Set by `discard`: the change succeeds but is rolled back.
    discarded: AtomicBool,
}

/// An event for subscribers, sent after the commit (and announced to the
/// other replicas in the transaction, see [`crate::service::relay`]).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "ids")]
pub enum Notice {
    TaskUpdated(TaskUpdated),
    ReportSubmitted(ReportSubmitted),
    /// The account was disabled or enabled, or one of its tokens revoked.
    CredentialsChanged(i64),
    /// The plans some plan implements changed, and with them the scopes
    /// that list upper plans.
    ScopeChanged,
}

/// Runs `change` as `action` in one transaction: commits when it succeeds,
/// rolls back and audits the refusal when it is refused.
pub async fn run<T>(
    db: &DatabaseConnection,
    events: &Events,
    caller: &Viewer,
    actor: &Actor,
    action: &str,
    change: impl AsyncFnOnce(&Write<'_>) -> Result<T>,
) -> Result<T> {
    let tx = begin(db).await?;
    let w = Write {
        tx: &tx,
        scope: &caller.scope,
        caller: Some(caller),
        actor,
        action,
        asked: Mutex::new(Vec::new()),
        notices: Mutex::new(Vec::new()),
        discarded: AtomicBool::new(false),
    };
    // An account whose committee has ceased writes nothing.
    let result = if caller.scope.home_ceased {
        Err(Error::Forbidden)
    } else {
        change(&w).await
    };
    let asked = w.asked();
    let notices = w.notices.lock().map(|n| n.clone()).unwrap_or_default();
    let discarded = w.is_discarded();
    drop(w);
    match result {
        Ok(value) if discarded => {
            tx.rollback().await?;
            Ok(value)
        }
        Ok(value) => {
            relay::announce(&tx, events.origin(), &notices).await?;
            tx.commit().await?;
            for n in notices {
                events.send(n);
            }
            Ok(value)
        }
        Err(err) => {
            tx.rollback().await?;
            if let Some(outcome) = refusal(&err) {
                audit::record(
                    db,
                    actor,
                    Event {
                        action,
                        outcome,
                        committee_id: Some(caller.committee_id),
                        object_id: asked.first().cloned(),
                        before: None,
                        after: Some(serde_json::json!({ "asked": asked })),
                    },
                )
                .await?;
            }
            Err(err)
        }
    }
}

/// Runs `change` as the system itself (reference and demo data, fixtures):
/// one transaction, everything in scope, no audit events, no notices.
pub async fn as_system<T>(
    db: &DatabaseConnection,
    change: impl AsyncFnOnce(&Write<'_>) -> Result<T>,
) -> Result<T> {
    let tx = begin(db).await?;
    let w = Write::system(&tx);
    let result = change(&w).await;
    let discarded = w.is_discarded();
    drop(w);
    match result {
        Ok(v) if discarded => {
            tx.rollback().await?;
            Ok(v)
        }
        Ok(v) => {
            tx.commit().await?;
            Ok(v)
        }
        Err(e) => {
            tx.rollback().await?;
            Err(e)
        }
    }
}

/// A write transaction. On SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`), so a write that reads first queues on the busy timeout
/// instead of failing when another writer got there in between.
async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction> {
    Ok(db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await?)
}

/// Whether an error is a refusal worth auditing.
fn refusal(err: &Error) -> Option<Outcome> {
    match err {
        Error::Forbidden => Some(Outcome::Forbidden),
        Error::NotFound(_) => Some(Outcome::NotFound),
        Error::Invalid(errors) if errors.iter().any(|e| e.code == UserErrorCode::NotFound) => {
            Some(Outcome::NotFound)
        }
        _ => None,
    }
}

/// The `NOT_FOUND` userError for an id that names nothing the caller may read.
pub fn not_found(field: &[&str], what: &str) -> Error {
    Error::invalid(
        field,
        UserErrorCode::NotFound,
        format!("no {what} with this id"),
    )
}

impl<'a> Write<'a> {
    /// Loading done by the system itself (reference and demo data): no
    /// caller, everything in scope, nothing audited.
    pub fn system(tx: &'a DatabaseTransaction) -> Self {
        static EVERYTHING: std::sync::LazyLock<Scope> = std::sync::LazyLock::new(Scope::everything);
        static SYSTEM: std::sync::LazyLock<Actor> = std::sync::LazyLock::new(Actor::cli);
        Self {
            tx,
            scope: &EVERYTHING,
            caller: None,
            actor: &SYSTEM,
            action: "system",
            asked: Mutex::new(Vec::new()),
            notices: Mutex::new(Vec::new()),
            discarded: AtomicBool::new(false),
        }
    }

    pub fn tx(&self) -> &'a DatabaseTransaction {
        self.tx
    }

    /// Ends the change without keeping it: it still answers what it
    /// found, but its transaction rolls back and subscribers hear nothing
    /// (an import that wrote rows before a later row was refused).
    pub fn discard(&self) {
        self.discarded.store(true, Ordering::Relaxed);
    }

    fn is_discarded(&self) -> bool {
        self.discarded.load(Ordering::Relaxed)
    }

    /// What the caller may read.
    pub fn scope(&self) -> &'a Scope {
        self.scope
    }

    /// The caller; `None` for the system's own loading.
    pub fn caller(&self) -> Option<&'a Viewer> {
        self.caller
    }

    fn asked(&self) -> Vec<String> {
        self.asked.lock().map(|a| a.clone()).unwrap_or_default()
    }

    fn ask(&self, kind: Kind, id: i64) {
        let id = ids::encode(kind, id);
        if let Ok(mut a) = self.asked.lock()
            && !a.contains(&id)
        {
            a.push(id);
        }
    }

    // --- scoped lookups: the only way a write finds a row -----------------

    /// A committee the caller may read, or `NOT_FOUND` on `field`.
    pub async fn committee(&self, id: i64, field: &[&str]) -> Result<committee::Model> {
        self.ask(Kind::Committee, id);
        hierarchy::by_ids(self.tx, self.scope, &[id])
            .await?
            .pop()
            .ok_or_else(|| not_found(field, "committee"))
    }

    /// The committees of `ids` the caller may read (others are left out).
    pub async fn committees(&self, ids: &[i64]) -> Result<Vec<committee::Model>> {
        ids.iter().for_each(|id| self.ask(Kind::Committee, *id));
        hierarchy::by_ids(self.tx, self.scope, ids).await
    }

    pub async fn agency(&self, id: i64, field: &[&str]) -> Result<agency::Model> {
        self.ask(Kind::Agency, id);
        agencies::by_ids(self.tx, self.scope, &[id])
            .await?
            .pop()
            .ok_or_else(|| not_found(field, "agency"))
    }

    /// The agencies of `ids` the caller may read (others are left out).
    pub async fn agencies(&self, ids: &[i64]) -> Result<Vec<agency::Model>> {
        ids.iter().for_each(|id| self.ask(Kind::Agency, *id));
        agencies::by_ids(self.tx, self.scope, ids).await
    }

    pub async fn plan(&self, id: i64, field: &[&str]) -> Result<plan::Model> {
        self.find_plan(id)
            .await?
            .ok_or_else(|| not_found(field, "plan"))
    }

    /// A plan the caller may read, if any.
    pub async fn find_plan(&self, id: i64) -> Result<Option<plan::Model>> {
        self.ask(Kind::Plan, id);
        Ok(plans::by_ids(self.tx, self.scope, &[id]).await?.pop())
    }

    /// The plans of `ids` the caller may read (others are left out).
    pub async fn plans(&self, ids: &[i64]) -> Result<Vec<plan::Model>> {
        ids.iter().for_each(|id| self.ask(Kind::Plan, *id));
        plans::by_ids(self.tx, self.scope, ids).await
    }

    pub async fn task(&self, id: i64, field: &[&str]) -> Result<task::Model> {
        self.find_task(id)
            .await?
            .ok_or_else(|| not_found(field, "task"))
    }

    /// A task the caller may read, if any.
    pub async fn find_task(&self, id: i64) -> Result<Option<task::Model>> {
        self.ask(Kind::Task, id);
        Ok(tasks::by_ids(self.tx, self.scope, &[id]).await?.pop())
    }

    pub async fn report(&self, id: i64, field: &[&str]) -> Result<report::Model> {
        self.ask(Kind::Report, id);
        reports::by_ids(self.tx, self.scope, &[id])
            .await?
            .pop()
            .ok_or_else(|| not_found(field, "report"))
    }

    pub async fn record(&self, id: i64, field: &[&str]) -> Result<cooperation_record::Model> {
        self.ask(Kind::CooperationRecord, id);
        cooperation::by_ids(self.tx, self.scope, &[id])
            .await?
            .pop()
            .ok_or_else(|| not_found(field, "cooperation record"))
    }

    /// Whether `committee_id` is in the caller's subtrees.
    pub async fn in_subtree(&self, committee_id: i64) -> Result<bool> {
        self.scope.contains(self.tx, committee_id).await
    }

    // --- write rules --------------------------------------------------------

    /// Writing the records of `committee` with at least `role` (see
    /// [`crate::auth::policy`]); the system may write anything.
    pub async fn may_write(&self, committee: &committee::Model, role: Role) -> Result<()> {
        match self.caller {
            None => Ok(()),
            Some(v) => v.may_write(self.tx, committee, role).await,
        }
    }

    /// Entering `committee`'s report on its behalf (see
    /// [`Viewer::may_enter_on_behalf`]); the system may.
    pub fn may_enter_on_behalf(&self, committee: &committee::Model) -> Result<()> {
        match self.caller {
            None => Ok(()),
            Some(v) => v.may_enter_on_behalf(committee),
        }
    }

    /// Writing the records of the committee `committee_id` (already found in scope).
    pub async fn may_write_id(&self, committee_id: i64, role: Role) -> Result<()> {
        if self.caller.is_none() {
            return Ok(());
        }
        let c = hierarchy::by_ids(self.tx, &Scope::everything(), &[committee_id])
            .await?
            .pop()
            .ok_or(Error::Forbidden)?;
        self.may_write(&c, role).await
    }

    /// ADMIN of a committee in the caller's subtree (a ceased committee: of
    /// one the caller's committee took in).
    pub async fn may_administer(&self, committee: &committee::Model) -> Result<()> {
        match self.caller {
            None => Ok(()),
            Some(v) if !in_force(committee) => v.may_write(self.tx, committee, Role::Admin).await,
            Some(v) => {
                let inside = self.in_subtree(committee.id).await?;
                v.may_administer(inside)
            }
        }
    }

    /// The caller is at least `role`.
    pub fn at_least(&self, role: Role) -> Result<()> {
        match self.caller {
            None => Ok(()),
            Some(v) if v.role >= role => Ok(()),
            Some(_) => Err(Error::Forbidden),
        }
    }

    // --- notices for subscribers ------------------------------------------

    /// Subscribers of the task's committee and of every committee above it
    /// hear of this progress update once the transaction commits.
    pub async fn task_updated(&self, task_id: i64, committee_id: i64) -> Result<()> {
        use crate::service::webhooks::{self, EventType};
        webhooks::enqueue(
            self.tx,
            EventType::TaskProgress,
            committee_id,
            serde_json::json!({
                "taskId": ids::encode(Kind::Task, task_id),
                "committeeId": ids::encode(Kind::Committee, committee_id),
            }),
        )
        .await?;
        let committees = hierarchy::chain_ids(self.tx, committee_id).await?;
        self.notify(Notice::TaskUpdated(TaskUpdated {
            task_id,
            committee_id,
            committees,
        }));
        Ok(())
    }

    pub fn notify(&self, notice: Notice) {
        if let Ok(mut n) = self.notices.lock() {
            n.push(notice);
        }
    }

    // --- the audit event ----------------------------------------------------

    /// Records the change, in this transaction, under the action `run` was
    /// given (or `action`, when one write records several events).
    pub async fn audit(
        &self,
        committee_id: Option<i64>,
        object: Option<(Kind, i64)>,
        before: Option<Value>,
        after: Option<Value>,
    ) -> Result<()> {
        self.audit_as(self.action, committee_id, object, before, after)
            .await
    }

    pub async fn audit_as(
        &self,
        action: &str,
        committee_id: Option<i64>,
        object: Option<(Kind, i64)>,
        before: Option<Value>,
        after: Option<Value>,
    ) -> Result<()> {
        if self.caller.is_none() {
            return Ok(());
        }
        audit::record(
            self.tx,
            self.actor,
            Event {
                action,
                outcome: Outcome::Ok,
                committee_id,
                object_id: object.map(|(k, id)| ids::encode(k, id)),
                before,
                after,
            },
        )
        .await
    }
}
