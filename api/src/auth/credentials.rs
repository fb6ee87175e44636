//! The credentials a long-lived connection (a graphql-ws socket) signed in
//! with, kept honest for as long as it stays open.
//!
//! They hold while the account is active and the token neither revoked nor
//! expired. [`Credentials::hold`] is asked before every event a subscription
//! delivers; [`Credentials::until_revoked`] resolves when they stop holding,
//! and the socket is then closed (4403). To keep a busy subscription from
//! costing a database round trip per event, a successful check is trusted
//! for [`RECHECK`] (one second) per connection, unless this process has
//! changed some account's credentials since (`setAccountActive`,
//! `revokeApiToken`), which forces the next check. So:
//!
//! - a change made through this process's API closes the socket at once
//!   (the change is announced to every open connection of the account);
//! - a change made elsewhere (the `hub138 user disable` command, another
//!   replica) stops the first event delivered more than a second after the
//!   connection's previous check, and closes the socket;
//! - an expired token closes the socket at its expiry, events or not.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use tokio::sync::{broadcast, watch};

use crate::service::account;
use crate::service::events::Events;

/// How long a successful check is trusted, per connection.
pub const RECHECK: Duration = Duration::from_secs(1);

pub struct Credentials {
    db: DatabaseConnection,
    events: Events,
    account_id: i64,
    token_id: Option<i64>,
    expires_at: Option<DateTime<Utc>>,
    /// When the last check succeeded, and the credentials epoch then.
    checked: Mutex<Option<(Instant, u64)>>,
    ended: watch::Sender<bool>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("account_id", &self.account_id)
            .field("token_id", &self.token_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl Credentials {
    /// Credentials that were just checked (at sign-in on the connection).
    pub fn new(
        db: DatabaseConnection,
        events: Events,
        account_id: i64,
        token_id: Option<i64>,
        expires_at: Option<DateTime<Utc>>,
    ) -> Self {
        let epoch = events.credentials_epoch();
        Self {
            db,
            events,
            account_id,
            token_id,
            expires_at,
            checked: Mutex::new(Some((Instant::now(), epoch))),
            ended: watch::Sender::new(false),
        }
    }

    fn expired(&self) -> bool {
        self.expires_at.is_some_and(|e| e <= Utc::now())
    }

    fn end(&self) {
        self.ended.send_replace(true);
    }

    /// Whether the credentials still hold. Once they do not, they never do
    /// again, and [`Self::until_revoked`] resolves. When the database cannot
    /// say, this call answers false (the event is not delivered) but the
    /// connection stays open.
    pub async fn hold(&self) -> bool {
        self.check().await == Some(true)
    }

    /// `None` when the database could not be asked.
    async fn check(&self) -> Option<bool> {
        if *self.ended.borrow() {
            return Some(false);
        }
        if self.expired() {
            self.end();
            return Some(false);
        }
        let epoch = self.events.credentials_epoch();
        let fresh = self
            .checked
            .lock()
            .ok()
            .and_then(|c| *c)
            .is_some_and(|(at, checked_epoch)| checked_epoch == epoch && at.elapsed() < RECHECK);
        if fresh {
            return Some(true);
        }
        match account::still_valid(&self.db, self.account_id, self.token_id).await {
            Ok(true) => {
                if let Ok(mut c) = self.checked.lock() {
                    *c = Some((Instant::now(), epoch));
                }
                Some(true)
            }
            Ok(false) => {
                self.end();
                Some(false)
            }
            Err(err) => {
                tracing::warn!(error = ?err, "cannot re-check a connection's credentials");
                None
            }
        }
    }

    /// Resolves when the credentials stop holding: at the token's expiry,
    /// when a change of this account announced in this process fails the
    /// re-check, or when [`Self::hold`] found them gone.
    pub async fn until_revoked(&self) {
        let mut ended = self.ended.subscribe();
        let mut changes = self.events.credential_changes();
        let expiry = async {
            match self.expires_at {
                Some(e) => {
                    let left = (e - Utc::now()).to_std().unwrap_or(Duration::ZERO);
                    tokio::time::sleep(left).await;
                }
                None => std::future::pending().await,
            }
        };
        tokio::pin!(expiry);
        loop {
            tokio::select! {
                () = &mut expiry => {
                    self.end();
                    return;
                }
                () = async {
                    let _ = ended.wait_for(|e| *e).await;
                } => return,
                change = changes.recv() => match change {
                    Ok(Some(id)) if id != self.account_id => {}
                    Err(broadcast::error::RecvError::Closed) => {
                        changes = self.events.credential_changes();
                    }
                    // This account changed, or changes may have been missed.
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {
                        if self.check().await == Some(false) {
                            return;
                        }
                    }
                },
            }
        }
    }
}
