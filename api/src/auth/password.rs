//! Password hashing with argon2id (the crate's defaults: argon2id, v19,
//! m=19 MiB, t=2, p=1, random salt), stored as a PHC string.
//!
//! Hashing and verifying are CPU-bound (tens of milliseconds each), so they
//! never run on the async workers: [`hash`] and [`verify`] wait for one of
//! as many permits as the machine has cores and then run on tokio's blocking
//! pool. A burst of sign-ins therefore queues here while the async workers
//! keep answering other requests (`/readyz` among them).

use std::sync::{Arc, LazyLock};

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use tokio::sync::Semaphore;

use crate::error::{Error, Result};

pub const MIN_LENGTH: usize = 10;

/// At most this many argon2 computations run at once: one per core.
static PERMITS: LazyLock<Arc<Semaphore>> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    Arc::new(Semaphore::new(cores))
});

/// The hash that unknown usernames are checked against: a random password
/// hashed once per process with the same parameters as every stored hash,
/// so verifying against it costs exactly what verifying a real one does.
static DUMMY: LazyLock<String> = LazyLock::new(|| {
    let mut secret = [0u8; 24];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut secret);
    hash_now(&hex::encode(secret)).unwrap_or_default()
});

/// Runs `work` on the blocking pool once a permit is free. The permit moves
/// into the blocking task, so a caller that gives up (a request timeout)
/// cannot let more computations run than there are permits.
async fn on_pool<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    let permit = PERMITS
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| Error::internal(anyhow::anyhow!("password pool closed: {e}")))?;
    tokio::task::spawn_blocking(move || {
        let out = work();
        drop(permit);
        out
    })
    .await
    .map_err(|e| Error::internal(anyhow::anyhow!("password task failed: {e}")))
}

fn hash_now(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::internal(anyhow::anyhow!("password hashing failed: {e}")))
}

fn verify_now(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// The PHC string of `password` with a fresh salt, computed on the pool.
pub async fn hash(password: &str) -> Result<String> {
    let password = password.to_owned();
    on_pool(move || hash_now(&password)).await?
}

/// Whether `password` matches the stored hash, computed on the pool. A
/// malformed hash never matches.
pub async fn verify(password: &str, stored: &str) -> Result<bool> {
    let (password, stored) = (password.to_owned(), stored.to_owned());
    on_pool(move || verify_now(&password, &stored)).await
}

/// The stand-in hash for sign-ins with an unknown username (computed on
/// first use, then the same for the life of the process). Sign-in verifies
/// the password against it through [`verify`], the same call and the same
/// argon2 parameters as for a real account, so the answer's timing does not
/// tell whether the username exists.
pub fn dummy() -> &'static str {
    &DUMMY
}
