//! In-process events for subscriptions. A progress update is published once
//! its transaction has committed, tagged with the task's committee and every
//! committee above it, so a subscriber to any ancestor receives it.
//!
//! Events fan out to the subscribers of this process; on PostgreSQL,
//! [`crate::service::relay`] carries them to every other replica.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::broadcast;

use crate::auth::cache::AuthCache;
use crate::service::write::Notice;

/// A task's progress changed.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct TaskUpdated {
    pub task_id: i64,
    pub committee_id: i64,
    /// The task's committee and all committees above it.
    pub committees: Vec<i64>,
}

/// A report was submitted (first time or again after a return).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ReportSubmitted {
    pub report_id: i64,
    pub committee_id: i64,
    /// The committee that reviews it.
    pub parent_id: Option<i64>,
}

#[derive(Clone)]
pub struct Events {
    task_updated: broadcast::Sender<TaskUpdated>,
    report_submitted: broadcast::Sender<ReportSubmitted>,
    /// Accounts whose credentials changed in this process (disabled, a token
    /// revoked), for open connections to re-check theirs at once; `None`:
    /// every account's, as changes may have been missed.
    credentials_changed: broadcast::Sender<Option<i64>>,
    /// Counts those changes.
    credentials_epoch: Arc<AtomicU64>,
    /// What authentication keeps in memory, forgotten on the changes above.
    auth: AuthCache,
    /// Tags what this process announces to the others, so it can skip its own.
    origin: Arc<str>,
}

impl Default for Events {
    fn default() -> Self {
        Self {
            task_updated: broadcast::channel(1024).0,
            report_submitted: broadcast::channel(1024).0,
            credentials_changed: broadcast::channel(256).0,
            credentials_epoch: Arc::default(),
            auth: AuthCache::default(),
            origin: format!("{:016x}", rand::random::<u64>()).into(),
        }
    }
}

impl Events {
    /// Events whose authentication cache is `auth`.
    pub fn with_auth_cache(auth: AuthCache) -> Self {
        Self {
            auth,
            ..Self::default()
        }
    }

    /// The authentication cache these events keep honest.
    pub fn auth(&self) -> &AuthCache {
        &self.auth
    }

    /// This process's tag on what it announces to the other replicas.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Notices may have been missed (the relay's connection dropped): forget
    /// everything authentication kept and make every open connection
    /// re-check its credentials.
    pub fn missed(&self) {
        self.auth.forget_all();
        self.credentials_epoch.fetch_add(1, Ordering::SeqCst);
        let _ = self.credentials_changed.send(None);
    }

    /// Sends a notice of a committed change (see [`crate::service::write`]).
    pub fn send(&self, notice: Notice) {
        // No subscribers is not an error.
        match notice {
            Notice::TaskUpdated(e) => {
                let _ = self.task_updated.send(e);
            }
            Notice::ReportSubmitted(e) => {
                let _ = self.report_submitted.send(e);
            }
            Notice::CredentialsChanged(account_id) => self.publish_credentials_changed(account_id),
            Notice::ScopeChanged => self.auth.forget_scopes(),
        }
    }

    pub fn task_updates(&self) -> broadcast::Receiver<TaskUpdated> {
        self.task_updated.subscribe()
    }

    pub fn report_submissions(&self) -> broadcast::Receiver<ReportSubmitted> {
        self.report_submitted.subscribe()
    }

    /// Publishes that the account's credentials changed (after the change
    /// committed): it was disabled or enabled, or one of its tokens revoked.
    pub fn publish_credentials_changed(&self, account_id: i64) {
        self.auth.forget_account(account_id);
        self.credentials_epoch.fetch_add(1, Ordering::SeqCst);
        // No subscribers is not an error.
        let _ = self.credentials_changed.send(Some(account_id));
    }

    pub fn credential_changes(&self) -> broadcast::Receiver<Option<i64>> {
        self.credentials_changed.subscribe()
    }

    /// How many credential changes this process has published so far.
    pub fn credentials_epoch(&self) -> u64 {
        self.credentials_epoch.load(Ordering::SeqCst)
    }
}
