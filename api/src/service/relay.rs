//! Events across replicas, through PostgreSQL `LISTEN/NOTIFY`.
//!
//! The notices of a change ([`Notice`]: a task's progress, a report
//! submitted, an account's credentials, the scopes) are announced on the
//! channel [`CHANNEL`] with `pg_notify` inside the change's own transaction.
//! PostgreSQL delivers a notification when, and only if, its transaction
//! commits, so every replica hears of exactly the changes that happened. The
//! payload is small — the notice's kind and ids, and the announcing
//! process's origin tag — and each replica that hears one (skipping its own)
//! hands it to its own [`Events`]: subscribers load the rows and filter them
//! by their scope as for a local change, and the authentication cache
//! forgets what the notice names, so a token revoked or an account disabled
//! through one replica is refused by every other as soon as the
//! notification arrives (milliseconds), not after the cache's time to live.
//!
//! The `hub138` commands that change accounts and tokens announce the same
//! way, so a running server hears of them too.
//!
//! While the listening connection is down, notifications are missed. Once
//! it is back, the listener makes [`Events::missed`]: the authentication
//! cache forgets everything and open connections re-check their
//! credentials, so nothing missed stays trusted (subscribers miss the
//! events of that gap, as a subscriber that falls behind does).
//!
//! SQLite serves one process: nothing is announced or heard.

use std::time::Duration;

use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};
use serde::{Deserialize, Serialize};

use crate::service::events::Events;
use crate::service::write::Notice;

/// The notification channel every replica listens on.
pub const CHANNEL: &str = "hub138_events";

/// How long the listener waits before connecting again.
const RETRY: Duration = Duration::from_secs(1);

#[derive(Serialize, Deserialize)]
struct Wire {
    /// The announcing process's [`Events::origin`].
    origin: String,
    notice: Notice,
}

/// Announces `notices` to the other replicas, in the transaction `conn` of
/// the change they describe (delivered when it commits). Nothing on SQLite.
pub async fn announce(
    conn: &impl ConnectionTrait,
    origin: &str,
    notices: &[Notice],
) -> Result<(), DbErr> {
    if conn.get_database_backend() != DbBackend::Postgres || notices.is_empty() {
        return Ok(());
    }
    for notice in notices {
        let payload = serde_json::to_string(&Wire {
            origin: origin.to_owned(),
            notice: notice.clone(),
        })
        .map_err(|e| DbErr::Custom(format!("event payload: {e}")))?;
        conn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), payload.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Connects the listener: `None` on SQLite, or when it cannot connect now.
async fn connect(db: &DatabaseConnection) -> Option<PgListener> {
    let pool = db.get_postgres_connection_pool();
    let mut listener = match PgListener::connect_with(pool).await {
        Ok(l) => l,
        Err(err) => {
            tracing::warn!(error = %err, "event relay: cannot connect");
            return None;
        }
    };
    match listener.listen(CHANNEL).await {
        Ok(()) => Some(listener),
        Err(err) => {
            tracing::warn!(error = %err, "event relay: cannot listen");
            None
        }
    }
}

/// Starts listening for what the other replicas announce, and returns the
/// task that hands it to `events` until the connection pool closes. The
/// first connection is made before this returns (so a server listens
/// before it serves); when it cannot be, and after every lost connection,
/// the task connects again and then calls [`Events::missed`]. Nothing on
/// SQLite.
pub async fn start(db: DatabaseConnection, events: Events) -> Option<tokio::task::JoinHandle<()>> {
    if db.get_database_backend() != DbBackend::Postgres {
        return None;
    }
    let first = tokio::time::timeout(Duration::from_secs(5), connect(&db))
        .await
        .ok()
        .flatten();
    Some(tokio::spawn(listen(db, events, first)))
}

async fn listen(db: DatabaseConnection, events: Events, first: Option<PgListener>) {
    let mut current = first;
    loop {
        let mut listener = match current.take() {
            Some(l) => l,
            None => {
                tokio::time::sleep(RETRY).await;
                if db.get_postgres_connection_pool().is_closed() {
                    return;
                }
                match connect(&db).await {
                    // Anything announced while not listening may be missed.
                    Some(l) => {
                        events.missed();
                        l
                    }
                    None => continue,
                }
            }
        };
        tracing::debug!("event relay listening");
        loop {
            match listener.try_recv().await {
                Ok(Some(n)) => hear(&events, n.payload()),
                Ok(None) => {
                    tracing::warn!("event relay: connection lost");
                    break;
                }
                Err(sea_orm::sqlx::Error::PoolClosed) => return,
                Err(err) => {
                    tracing::warn!(error = %err, "event relay: receive failed");
                    break;
                }
            }
        }
    }
}

/// One notification: handed to `events` unless this process announced it.
fn hear(events: &Events, payload: &str) {
    match serde_json::from_str::<Wire>(payload) {
        Ok(w) if w.origin == events.origin() => {}
        Ok(w) => events.send(w.notice),
        Err(err) => tracing::warn!(error = %err, "event relay: unreadable notification"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::events::TaskUpdated;

    #[test]
    fn a_process_skips_its_own_announcements() {
        let events = Events::default();
        let mut updates = events.task_updates();
        let wire = |origin: &str| {
            serde_json::to_string(&Wire {
                origin: origin.to_owned(),
                notice: Notice::TaskUpdated(TaskUpdated {
                    task_id: 7,
                    committee_id: 2,
                    committees: vec![2, 1],
                }),
            })
            .unwrap_or_default()
        };
        hear(&events, &wire(events.origin()));
        assert!(updates.try_recv().is_err());
        hear(&events, &wire("another"));
        assert_eq!(updates.try_recv().map(|e| e.task_id).ok(), Some(7));
        hear(&events, "not json");
        assert!(updates.try_recv().is_err());
        // Every kind of notice goes over the wire and back.
        for notice in [
            Notice::CredentialsChanged(3),
            Notice::ScopeChanged,
            Notice::ReportSubmitted(crate::service::events::ReportSubmitted {
                report_id: 1,
                committee_id: 2,
                parent_id: None,
            }),
        ] {
            let wire = serde_json::to_string(&Wire {
                origin: "x".into(),
                notice: notice.clone(),
            });
            let back = wire.and_then(|w| serde_json::from_str::<Wire>(&w));
            assert_eq!(
                back.map(|w| format!("{:?}", w.notice)).ok(),
                Some(format!("{notice:?}"))
            );
        }
    }
}
