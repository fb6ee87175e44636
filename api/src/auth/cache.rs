//! What authenticating a request needs, kept in memory so that a signed-in
//! request costs no database round trip: the accounts (active, role,
//! committee), the API tokens by hash, and the read scope of each committee.
//!
//! Every entry is bounded in number and lives at most [`AuthCache::ttl`];
//! it is dropped at once when this process publishes a change that affects
//! it, in the same step that tells open connections
//! ([`crate::service::events::Events::send`], after the change committed):
//!
//! - an account disabled or enabled, or one of its API tokens revoked
//!   (`CredentialsChanged`): that account and every cached API token;
//! - a plan's links to the plans it implements changed (`ScopeChanged`):
//!   every scope (a scope lists the upper plans its committee's plans
//!   implement). The committee tree changes only when the reference data is
//!   loaded, before the server serves.
//!
//! A change made by another replica or by a `hub138` command is announced
//! through PostgreSQL ([`crate::service::relay`]) and forgotten here as soon
//! as it is heard; on SQLite (one process) a command's change takes effect
//! within the time to live.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use moka::sync::Cache;

use crate::auth::Scope;
use crate::service::enums::Role;

/// How long an entry is trusted without a change announced.
pub const DEFAULT_TTL: Duration = Duration::from_secs(10);
/// At most this many accounts, tokens and scopes each.
const CAPACITY: u64 = 20_000;

/// An account as authorization needs it.
#[derive(Clone, Debug)]
pub struct AccountAuth {
    pub username: String,
    pub committee_id: i64,
    pub role: Role,
    pub active: bool,
}

/// An API token as authentication needs it.
#[derive(Clone, Debug)]
pub struct TokenAuth {
    pub id: i64,
    pub account_id: i64,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked: bool,
}

fn bounded<K, V>(ttl: Duration) -> Cache<K, V>
where
    K: std::hash::Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    Cache::builder()
        .max_capacity(CAPACITY)
        .time_to_live(ttl.max(Duration::from_millis(1)))
        .build()
}

#[derive(Clone)]
pub struct AuthCache {
    accounts: Cache<i64, Arc<AccountAuth>>,
    tokens: Cache<String, Arc<TokenAuth>>,
    scopes: Cache<i64, Arc<Scope>>,
    ttl: Duration,
    /// Counts what was forgotten: an entry read from the database before a
    /// change was announced is not kept after it.
    generation: Arc<AtomicU64>,
}

impl std::fmt::Debug for AuthCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthCache")
            .field("accounts", &self.accounts.entry_count())
            .field("tokens", &self.tokens.entry_count())
            .field("scopes", &self.scopes.entry_count())
            .field("ttl", &self.ttl)
            .finish()
    }
}

impl Default for AuthCache {
    fn default() -> Self {
        Self::new(DEFAULT_TTL)
    }
}

impl AuthCache {
    /// A cache whose entries live at most `ttl` (zero: nothing is kept).
    pub fn new(ttl: Duration) -> Self {
        Self {
            accounts: bounded(ttl),
            tokens: bounded(ttl),
            scopes: bounded(ttl),
            ttl,
            generation: Arc::default(),
        }
    }

    /// Read before loading an entry from the database; pass it to `keep_*`.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Whether an entry loaded at generation `seen` may be kept.
    fn may_keep(&self, seen: u64) -> bool {
        !self.ttl.is_zero() && self.generation() == seen
    }

    pub fn account(&self, id: i64) -> Option<Arc<AccountAuth>> {
        self.accounts.get(&id)
    }

    pub fn keep_account(&self, id: i64, a: AccountAuth, seen: u64) -> Arc<AccountAuth> {
        self.keep(&self.accounts, id, a, seen)
    }

    pub fn token(&self, hash: &str) -> Option<Arc<TokenAuth>> {
        self.tokens.get(hash)
    }

    pub fn keep_token(&self, hash: String, t: TokenAuth, seen: u64) -> Arc<TokenAuth> {
        self.keep(&self.tokens, hash, t, seen)
    }

    pub fn scope(&self, committee_id: i64) -> Option<Arc<Scope>> {
        self.scopes.get(&committee_id)
    }

    pub fn keep_scope(&self, committee_id: i64, s: Scope, seen: u64) -> Arc<Scope> {
        self.keep(&self.scopes, committee_id, s, seen)
    }

    /// `value`, kept under `key` unless something was forgotten since `seen`.
    fn keep<K, V>(&self, cache: &Cache<K, Arc<V>>, key: K, value: V, seen: u64) -> Arc<V>
    where
        K: std::hash::Hash + Eq + Send + Sync + 'static,
        V: Send + Sync + 'static,
    {
        let value = Arc::new(value);
        if self.may_keep(seen) {
            cache.insert(key, value.clone());
        }
        value
    }

    /// The account's credentials changed: forget it and the API tokens.
    pub fn forget_account(&self, id: i64) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.accounts.invalidate(&id);
        self.tokens.invalidate_all();
    }

    /// Changes may have been missed: forget everything.
    pub fn forget_all(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.accounts.invalidate_all();
        self.tokens.invalidate_all();
        self.scopes.invalidate_all();
    }

    /// Some plan's links changed: forget every scope.
    pub fn forget_scopes(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.scopes.invalidate_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> AccountAuth {
        AccountAuth {
            username: "u".into(),
            committee_id: 1,
            role: Role::Viewer,
            active: true,
        }
    }

    #[test]
    fn kept_until_forgotten() {
        let c = AuthCache::default();
        c.keep_account(7, account(), c.generation());
        c.keep_scope(1, Scope::everything(), c.generation());
        assert!(c.account(7).is_some());
        c.forget_account(7);
        assert!(c.account(7).is_none());
        assert!(c.scope(1).is_some());
        c.forget_scopes();
        assert!(c.scope(1).is_none());
    }

    #[test]
    fn a_zero_ttl_keeps_nothing() {
        let c = AuthCache::new(Duration::ZERO);
        c.keep_account(7, account(), c.generation());
        assert!(c.account(7).is_none());
    }

    #[test]
    fn what_was_read_before_a_change_is_not_kept() {
        let c = AuthCache::default();
        let seen = c.generation();
        c.forget_account(7);
        c.keep_account(7, account(), seen);
        assert!(c.account(7).is_none());
    }
}
