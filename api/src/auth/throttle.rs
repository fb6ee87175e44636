//! Throttling of failed sign-ins, kept in memory (each replica counts its
//! own).
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
//! The counters live in bounded caches (`moka`): each holds at most
//! [`ThrottleLimits::capacity`] keys and drops a key when its window ends,
//! so memory stays bounded whatever an attacker sends. The client address
//! is the one `http` resolves, honouring `X-Forwarded-For` only from
//! trusted proxies (see [`super::proxy`]).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use moka::policy::Expiry;
use moka::sync::Cache;

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
    pub fn succeeded(self) {
        let t = self.throttle;
        let Ok(_guard) = t.lock.lock() else {
            return;
        };
        t.pairs
            .invalidate(&(self.username.clone(), self.address.clone()));
        release(&t.usernames, &self.username, t.limits.window);
        release(&t.addresses, &self.address, t.limits.window);
    }
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
        }
    }

    pub fn limits(&self) -> ThrottleLimits {
        self.limits
    }

    /// Lets an attempt for `username` from `address` through and counts it,
    /// or refuses it (`None`) when any of the three limits is reached. A
    /// request without a known address counts under the empty address.
    pub fn reserve(&self, username: &str, address: Option<&str>) -> Option<Attempt<'_>> {
        let address = address.unwrap_or_default().to_owned();
        let username = username.to_owned();
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
