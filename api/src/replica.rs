//! Queries on a read replica (`DATABASE_READ_URL`, a PostgreSQL streaming
//! standby), everything else on the primary.
//!
//! - A GraphQL `query` runs on the replica; a mutation, and the reads its
//!   payload makes, run on the primary; so do subscriptions (an event is
//!   announced once its change committed on the primary, and its row is
//!   loaded there), authentication (an account disabled a moment ago must
//!   not be read as active from a replica that lags) and downloads. A
//!   request whose operation is not known before it runs (a persisted
//!   query sent by hash only) runs on the primary.
//! - **Reading one's own writes.** After a signed-in caller's mutation, the
//!   primary's WAL position is noted for that account ([`ReadReplica::wrote`]).
//!   Until the replica has replayed past it, that account's queries run on
//!   the primary; other callers keep reading the replica. The note is kept
//!   at most [`PENDING_TTL`] and for at most [`PENDING_CAPACITY`] accounts,
//!   so memory stays bounded; an account forgotten early reads the primary
//!   only until its note expires, never a stale replica.
//! - SQLite has no replica: `DATABASE_READ_URL` is refused on it.

use std::time::Duration;

use moka::sync::Cache;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

/// How long a writer's position is kept: a replica further behind than
/// this has the account reading the primary for as long.
pub const PENDING_TTL: Duration = Duration::from_secs(60);
/// Accounts whose position is kept at most.
pub const PENDING_CAPACITY: u64 = 10_000;

/// The read replica and the writers it has not caught up with.
#[derive(Clone)]
pub struct ReadReplica {
    db: DatabaseConnection,
    /// Account → the primary's WAL position after its last mutation.
    pending: Cache<i64, String>,
}

impl std::fmt::Debug for ReadReplica {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadReplica")
            .field("pending", &self.pending.entry_count())
            .finish_non_exhaustive()
    }
}

impl ReadReplica {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            db,
            pending: Cache::builder()
                .max_capacity(PENDING_CAPACITY)
                .time_to_live(PENDING_TTL)
                .build(),
        }
    }

    /// The connection a query of `account` (none: anonymous) runs on: the
    /// replica, unless it has not yet replayed the account's last write.
    pub async fn for_query(
        &self,
        primary: &DatabaseConnection,
        account: Option<i64>,
    ) -> DatabaseConnection {
        let Some(lsn) = account.and_then(|a| self.pending.get(&a)) else {
            return self.db.clone();
        };
        let caught_up = self
            .db
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT COALESCE(pg_last_wal_replay_lsn() >= $1::pg_lsn, true) AS caught_up",
                [lsn.into()],
            ))
            .await
            .ok()
            .flatten()
            .and_then(|r| r.try_get::<bool>("", "caught_up").ok())
            .unwrap_or(false);
        if caught_up {
            if let Some(a) = account {
                self.pending.invalidate(&a);
            }
            self.db.clone()
        } else {
            primary.clone()
        }
    }

    /// `account` has just written through the primary: note where the
    /// primary's WAL is, so its next queries wait for the replica to get
    /// there (reading the primary meanwhile).
    pub async fn wrote(&self, primary: &DatabaseConnection, account: i64) {
        let lsn = primary
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT pg_current_wal_insert_lsn()::text AS lsn",
            ))
            .await
            .ok()
            .flatten()
            .and_then(|r| r.try_get::<String>("", "lsn").ok());
        match lsn {
            Some(lsn) => self.pending.insert(account, lsn),
            // Position unknown: read the primary until the note expires.
            None => self.pending.insert(account, "FFFFFFFF/FFFFFFFF".to_owned()),
        }
    }
}
