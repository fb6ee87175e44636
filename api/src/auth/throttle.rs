//! Throttling of failed sign-ins. On PostgreSQL the counts live in the
//! database (table `sign_in_count`), so every replica sees every other's;
//! on SQLite (one process) they live in memory.
//!
//! Three counters, each over a fixed window that starts at the first
//! failure it counts ([`ThrottleLimits::default`]: 15 minutes):
//!
//! - per (username, client address) pair: 5 failures. This is the limit a
//!   guesser meets; it locks that guesser out, not the account: the same
//!   username from another address has its own count.
//! - per username, whatever the address: 100 failures, a ceiling against
//!   guessing one password from many addresses. Only past it is the real
//!   user locked out too.
//! - per client address, whatever the username: 20 failures, against one
//!   address spraying passwords over many usernames.
//!
//! An attempt is *reserved* before its password is verified: the check and
//! the count are one step under one lock ([`Throttle::reserve`]), so a
//! concurrent burst cannot get more attempts evaluated than the limits
//! allow. A successful sign-in gives its reservation back and clears its
//! pair's count; a failed one keeps it. Unknown usernames count like known
//! ones (anything else would tell them apart).
//!
//! In memory, the counters live in bounded caches (`moka`): each holds at
//! most [`ThrottleLimits::capacity`] keys and drops a key when its window
//! ends, so memory stays bounded whatever an attacker sends. In PostgreSQL,
//! the three counts of an attempt are upserted in one transaction, in a
//! fixed order (pair, username, address), so concurrent attempts on any
//! replica queue on the same rows and none deadlock; windows are measured by
//! the database's clock, and rows whose window has ended are deleted by the
//! housekeeping ([`crate::service::housekeeping`]). The client address is
//! the one `http` resolves, honouring `X-Forwarded-For` only from trusted
//! proxies (see [`super::proxy`]).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use moka::policy::Expiry;
use moka::sync::Cache;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement, TransactionTrait};

/// The limits of the throttle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottleLimits {
    /// How long a counter lasts from its first failure.
    pub window: Duration,
    /// Failures per (username, address) pair.
    pub per_pair: u32,
    /// Failures per username, over all addresses.
    pub per_username: u32,
    /// Failures per client address, over all usernames.
    pub per_address: u32,
    /// Keys each of the three counters keeps at most.
    pub capacity: u64,
}

impl Default for ThrottleLimits {
    fn default() -> Self {
        Self {
            window: Duration::from_secs(15 * 60),
            per_pair: 5,
            per_username: 100,
            per_address: 20,
            capacity: 100_000,
        }
    }
}

/// A count of failures (and attempts in flight) in one window.
#[derive(Clone, Copy, Debug)]
struct Count {
    started: Instant,
    n: u32,
}

/// Entries expire one window after they were created; counting does not
/// extend them.
struct FixedWindow(Duration);

impl<K> Expiry<K, Count> for FixedWindow {
    fn expire_after_create(&self, _: &K, _: &Count, _: Instant) -> Option<Duration> {
        Some(self.0)
    }
}

pub struct Throttle {
    limits: ThrottleLimits,
    pairs: Cache<(String, String), Count>,
    usernames: Cache<String, Count>,
    addresses: Cache<String, Count>,
    /// Makes check-and-count one step over the three caches.
    lock: Mutex<()>,
    /// Where the counts live instead, on PostgreSQL.
    shared: Option<DatabaseConnection>,
}

impl std::fmt::Debug for Throttle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Throttle(..)")
    }
}

impl Default for Throttle {
    fn default() -> Self {
        Self::new(ThrottleLimits::default())
    }
}

/// An attempt the throttle has let through and counted. Tell it how the
/// attempt went with [`Attempt::succeeded`]; dropping it leaves it counted
/// as a failure.
#[must_use]
pub struct Attempt<'a> {
    throttle: &'a Throttle,
    username: String,
    address: String,
}

impl Attempt<'_> {
    /// The password was wrong (or the account disabled): the attempt stays
    /// counted until its windows end.
    pub fn failed(self) {}

    /// The password was right: the reservation is given back and the
    /// pair's failures are forgotten. The username's and the address's
    /// other failures stay counted.
    pub async fn succeeded(self) -> Result<(), DbErr> {
        let t = self.throttle;
        if let Some(db) = &t.shared {
            let [pair, user, addr] = keys(&self.username, &self.address);
            db.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "DELETE FROM sign_in_count WHERE key = $1",
                [pair.into()],
            ))
            .await?;
            db.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "UPDATE sign_in_count SET n = n - 1 \
                 WHERE key IN ($1, $2) AND n > 0 AND started > now() - make_interval(secs => $3)",
                [
                    user.into(),
                    addr.into(),
                    t.limits.window.as_secs_f64().into(),
                ],
            ))
            .await?;
            return Ok(());
        }
        let Ok(_guard) = t.lock.lock() else {
            return Ok(());
        };
        t.pairs
            .invalidate(&(self.username.clone(), self.address.clone()));
        release(&t.usernames, &self.username, t.limits.window);
        release(&t.addresses, &self.address, t.limits.window);
        Ok(())
    }
}

/// The rows of an attempt's three counts, in the order they are taken.
fn keys(username: &str, address: &str) -> [String; 3] {
    [
        format!("pair\n{username}\n{address}"),
        format!("user\n{username}"),
        format!("addr\n{address}"),
    ]
}

/// Counts one more attempt under `key` (a new window once the last one
/// ended) and returns the count with it.
async fn upsert(db: &impl ConnectionTrait, key: String, window: Duration) -> Result<i64, DbErr> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO sign_in_count (key, started, n) VALUES ($1, now(), 1) \
             ON CONFLICT (key) DO UPDATE SET \
               started = CASE WHEN sign_in_count.started <= now() - make_interval(secs => $2) \
                         THEN now() ELSE sign_in_count.started END, \
               n = CASE WHEN sign_in_count.started <= now() - make_interval(secs => $2) \
                   THEN 1 ELSE sign_in_count.n + 1 END \
             RETURNING n",
            [key.into(), window.as_secs_f64().into()],
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("sign-in count: no row returned".into()))?;
    row.try_get::<i64>("", "n")
}

/// Deletes the shared counts whose window has ended (PostgreSQL).
pub async fn purge(db: &impl ConnectionTrait, window: Duration) -> Result<u64, DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(0);
    }
    let done = db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "DELETE FROM sign_in_count WHERE started <= now() - make_interval(secs => $1)",
            [window.as_secs_f64().into()],
        ))
        .await?;
    Ok(done.rows_affected())
}

/// The current count of `key`, zero once its window has passed.
fn current<K>(cache: &Cache<K, Count>, key: &K, window: Duration) -> Count
where
    K: std::hash::Hash + Eq + Send + Sync + Clone + 'static,
{
    cache
        .get(key)
        .filter(|c| c.started.elapsed() < window)
        .unwrap_or(Count {
            started: Instant::now(),
            n: 0,
        })
}

fn count<K>(cache: &Cache<K, Count>, key: K, c: Count)
where
    K: std::hash::Hash + Eq + Send + Sync + Clone + 'static,
{
    if c.n == 0 {
        // A fresh window: replace any stale entry so its expiry restarts.
        cache.invalidate(&key);
    }
    cache.insert(
        key,
        Count {
            started: c.started,
            n: c.n + 1,
        },
    );
}

fn release<K>(cache: &Cache<K, Count>, key: &K, window: Duration)
where
    K: std::hash::Hash + Eq + Send + Sync + Clone + 'static,
{
    let c = current(cache, key, window);
    if c.n > 0 {
        cache.insert(
            key.clone(),
            Count {
                started: c.started,
                n: c.n - 1,
            },
        );
    }
}

impl Throttle {
    pub fn new(limits: ThrottleLimits) -> Self {
        fn build<K>(limits: &ThrottleLimits) -> Cache<K, Count>
        where
            K: std::hash::Hash + Eq + Send + Sync + 'static,
        {
            Cache::builder()
                .max_capacity(limits.capacity)
                .expire_after(FixedWindow(limits.window))
                .build()
        }
        Self {
            limits,
            pairs: build(&limits),
            usernames: build(&limits),
            addresses: build(&limits),
            lock: Mutex::new(()),
            shared: None,
        }
    }

    /// The throttle for a server on `db`: counts shared through the
    /// database on PostgreSQL, in memory on SQLite.
    pub fn for_database(limits: ThrottleLimits, db: &DatabaseConnection) -> Self {
        let mut t = Self::new(limits);
        if db.get_database_backend() == DbBackend::Postgres {
            t.shared = Some(db.clone());
        }
        t
    }

    pub fn limits(&self) -> ThrottleLimits {
        self.limits
    }

    /// Lets an attempt for `username` from `address` through and counts it,
    /// or refuses it (`None`) when any of the three limits is reached. A
    /// request without a known address counts under the empty address.
    pub async fn reserve(
        &self,
        username: &str,
        address: Option<&str>,
    ) -> Result<Option<Attempt<'_>>, DbErr> {
        let address = address.unwrap_or_default().to_owned();
        let username = username.to_owned();
        if let Some(db) = &self.shared {
            let tx = db.begin().await?;
            let [pair, user, addr] = keys(&username, &address);
            let w = self.limits.window;
            let over = upsert(&tx, pair, w).await? > i64::from(self.limits.per_pair)
                || upsert(&tx, user, w).await? > i64::from(self.limits.per_username)
                || upsert(&tx, addr, w).await? > i64::from(self.limits.per_address);
            if over {
                // A refused attempt is not counted.
                tx.rollback().await?;
                return Ok(None);
            }
            tx.commit().await?;
            return Ok(Some(Attempt {
                throttle: self,
                username,
                address,
            }));
        }
        Ok(self.reserve_in_memory(username, address))
    }

    fn reserve_in_memory(&self, username: String, address: String) -> Option<Attempt<'_>> {
        let pair_key = (username.clone(), address.clone());
        let w = self.limits.window;
        let _guard = self.lock.lock().ok()?;
        let pair = current(&self.pairs, &pair_key, w);
        let user = current(&self.usernames, &username, w);
        let addr = current(&self.addresses, &address, w);
        if pair.n >= self.limits.per_pair
            || user.n >= self.limits.per_username
            || addr.n >= self.limits.per_address
        {
            return None;
        }
        count(&self.pairs, pair_key, pair);
        count(&self.usernames, username.clone(), user);
        count(&self.addresses, address.clone(), addr);
        Some(Attempt {
            throttle: self,
            username,
            address,
        })
    }
}
