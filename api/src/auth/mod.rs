//! Who is asking, and what they may see and do.
//!
//! A request's [`Viewer`] is resolved once from its bearer token (a signed
//! access token from `login`, or a long-lived API token). Its [`Scope`] is the
//! one place read access is decided; services apply it as SQL conditions in
//! every query, so an object out of scope is indistinguishable from one that
//! does not exist. Write rules are in [`policy`].

pub mod cache;
pub mod credentials;
pub mod password;
pub mod policy;
pub mod proxy;
pub mod scope;
pub mod throttle;
pub mod token;

pub use scope::Scope;

use crate::service::enums::Role;

/// The authenticated account behind a request.
#[derive(Clone, Debug)]
pub struct Viewer {
    pub account_id: i64,
    pub username: String,
    pub committee_id: i64,
    pub role: Role,
    /// Set when the request authenticated with an API token.
    pub token_id: Option<i64>,
    pub scope: std::sync::Arc<Scope>,
}

/// Where a request comes from, for the audit trail and the sign-in
/// throttle. `client_address` is the peer, or the client a trusted proxy
/// forwarded for (see [`proxy`]).
#[derive(Clone, Debug, Default)]
pub struct RequestInfo {
    pub request_id: String,
    pub client_address: Option<String>,
}
