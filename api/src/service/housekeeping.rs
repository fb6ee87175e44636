//! What keeps a long-running server healthy: rows that have outlived their
//! use are deleted on a schedule.
//!
//! - exports, one day after they expired (until then their link answers
//!   410 "expired; create it again" rather than 404);
//! - the sign-in throttle's shared counts whose window has ended
//!   (PostgreSQL);
//! - webhook events older than [`WEBHOOK_EVENTS_KEPT`] whose deliveries
//!   are all done (delivered, or failed for good), with their delivery log.
//!
//! Every replica runs the schedule ([`run`], every [`EVERY`]); on
//! PostgreSQL one sweep at a time does the work: a sweep takes a
//! transaction-scoped advisory lock and a replica that cannot get it skips
//! its turn. On SQLite there is one process.

use std::time::Duration;

use entities::export;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    Statement, TransactionTrait,
};

use crate::auth::throttle;
use crate::error::Result;

/// How often each replica offers to sweep.
pub const EVERY: Duration = Duration::from_secs(10 * 60);

/// How long an expired export stays to answer 410.
pub const EXPIRED_EXPORTS_KEPT: chrono::Duration = chrono::Duration::days(1);

/// How long a webhook event and its delivery log are kept once done.
pub const WEBHOOK_EVENTS_KEPT: chrono::Duration = chrono::Duration::days(30);

/// The advisory lock a sweep holds on PostgreSQL (any fixed number).
const LOCK: i64 = 138_000_001;

/// What one sweep deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub exports: u64,
    pub sign_in_counts: u64,
    pub webhook_events: u64,
}

/// One sweep, in one transaction. `None`: another replica was sweeping.
/// `throttle_window` is the sign-in throttle's window.
pub async fn sweep(db: &DatabaseConnection, throttle_window: Duration) -> Result<Option<Swept>> {
    let tx = db.begin().await?;
    if tx.get_database_backend() == DbBackend::Postgres {
        let locked = tx
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_try_advisory_xact_lock($1) AS locked",
                [LOCK.into()],
            ))
            .await?
            .map(|r| r.try_get::<bool>("", "locked"))
            .transpose()?
            .unwrap_or(false);
        if !locked {
            tx.rollback().await?;
            return Ok(None);
        }
    }
    let exports = export::Entity::delete_many()
        .filter(export::Column::ExpiresAt.lt(chrono::Utc::now() - EXPIRED_EXPORTS_KEPT))
        .exec(&tx)
        .await?
        .rows_affected;
    let sign_in_counts = throttle::purge(&tx, throttle_window).await?;
    let webhook_events = crate::service::webhooks::purge(&tx, WEBHOOK_EVENTS_KEPT).await?;
    tx.commit().await?;
    Ok(Some(Swept {
        exports,
        sign_in_counts,
        webhook_events,
    }))
}

/// Sweeps every [`EVERY`], the first time one interval after start, until
/// dropped.
pub async fn run(db: DatabaseConnection, throttle_window: Duration) {
    let mut every = tokio::time::interval_at(tokio::time::Instant::now() + EVERY, EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match sweep(&db, throttle_window).await {
            Ok(Some(s)) => tracing::info!(
                exports = s.exports,
                sign_in_counts = s.sign_in_counts,
                webhook_events = s.webhook_events,
                "housekeeping"
            ),
            Ok(None) => tracing::debug!("housekeeping: another replica is sweeping"),
            Err(err) => tracing::warn!(error = ?err, "housekeeping failed"),
        }
    }
}
