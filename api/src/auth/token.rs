//! Access tokens (HS256 JWTs with an expiry) and API tokens (random,
//! prefixed `h138_`, stored as SHA-256 hashes).

use chrono::{Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The prefix that tells an API token from an access token.
pub const API_TOKEN_PREFIX: &str = "h138_";

#[derive(Serialize, Deserialize)]
struct Claims {
    /// The account id.
    sub: String,
    exp: i64,
    iat: i64,
}

/// How many verified access tokens a signer remembers, and for how long.
const VERIFIED_TOKENS: u64 = 10_000;
const VERIFIED_FOR: std::time::Duration = std::time::Duration::from_secs(60);

/// Signs and checks access tokens with one secret.
///
/// A token it has verified is remembered (by its SHA-256, at most
/// [`VERIFIED_TOKENS`], for a minute), so a client's next requests skip the
/// signature check and the JSON of the claims; the expiry is checked on
/// every use. What a token may do is not remembered here: the account
/// behind it is looked up (or kept, see [`crate::auth::cache`]) each time.
#[derive(Clone)]
pub struct Signer {
    encoding: EncodingKey,
    decoding: DecodingKey,
    ttl: Duration,
    verified: moka::sync::Cache<[u8; 32], (i64, chrono::DateTime<Utc>)>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(..)")
    }
}

impl Signer {
    pub fn new(secret: &[u8], ttl: Duration) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            ttl,
            verified: moka::sync::Cache::builder()
                .max_capacity(VERIFIED_TOKENS)
                .time_to_live(VERIFIED_FOR)
                .build(),
        }
    }

    /// A signer with a random secret (tokens die with the process).
    pub fn random(ttl: Duration) -> Self {
        let mut secret = [0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        Self::new(&secret, ttl)
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// An access token for `account_id`, and when it expires.
    pub fn issue(&self, account_id: i64) -> Result<(String, chrono::DateTime<Utc>)> {
        let now = Utc::now();
        let exp = now + self.ttl;
        let claims = Claims {
            sub: account_id.to_string(),
            exp: exp.timestamp(),
            iat: now.timestamp(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| Error::internal(anyhow::anyhow!("token signing failed: {e}")))?;
        Ok((token, exp))
    }

    /// The account id of a valid, unexpired access token.
    pub fn verify(&self, token: &str) -> Option<i64> {
        self.verify_until(token).map(|(id, _)| id)
    }

    /// The account id of a valid, unexpired access token, and its expiry.
    pub fn verify_until(&self, token: &str) -> Option<(i64, chrono::DateTime<Utc>)> {
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        let (id, exp) = match self.verified.get(&digest) {
            Some(verified) => verified,
            None => {
                let mut validation = Validation::new(Algorithm::HS256);
                validation.leeway = 0;
                let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
                    .ok()?
                    .claims;
                let verified = (
                    claims.sub.parse().ok()?,
                    chrono::DateTime::from_timestamp(claims.exp, 0)?,
                );
                self.verified.insert(digest, verified);
                verified
            }
        };
        (exp > Utc::now()).then_some((id, exp))
    }
}

/// A new API token: what to show once, and what to store.
pub fn new_api_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("{API_TOKEN_PREFIX}{}", hex::encode(bytes));
    let hash = hash_api_token(&token);
    (token, hash)
}

pub fn hash_api_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
