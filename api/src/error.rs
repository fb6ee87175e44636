//! The one error type of the service layer, with stable codes.
//!
//! Services return [`Error`]; the GraphQL layer turns [`Error::Invalid`] into
//! `userErrors` of a mutation payload and every other variant into a GraphQL
//! error whose `extensions.code` is [`Error::code`]. Internal details are
//! logged, never sent to the client.

use std::sync::Arc;

/// A problem the user can fix, reported in a payload's `userErrors`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserError {
    /// Path to the offending input field, e.g. `["input", "name"]`.
    pub field: Vec<String>,
    pub message: String,
    /// A stable, machine-readable code (`REQUIRED`, `TOO_LONG`, `NOT_FOUND`, ...).
    pub code: &'static str,
}

impl UserError {
    pub fn new(field: &[&str], code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: field.iter().map(|s| (*s).to_owned()).collect(),
            message: message.into(),
            code,
        }
    }
}

/// Deliberately not `Display`: the GraphQL layer must map it through
/// [`From<Error> for async_graphql::Error`] so the code is never lost.
#[derive(Clone, Debug)]
pub enum Error {
    Unauthenticated,
    Forbidden,
    /// The named thing does not exist (or is out of the viewer's reach).
    NotFound(String),
    BadUserInput(String),
    Conflict(String),
    /// Input the user can correct; mutations report these as `userErrors`.
    Invalid(Vec<UserError>),
    Internal(Arc<anyhow::Error>),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The stable code sent as `extensions.code`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Unauthenticated => "UNAUTHENTICATED",
            Error::Forbidden => "FORBIDDEN",
            Error::NotFound(_) => "NOT_FOUND",
            Error::BadUserInput(_) | Error::Invalid(_) => "BAD_USER_INPUT",
            Error::Conflict(_) => "CONFLICT",
            Error::Internal(_) => "INTERNAL",
        }
    }

    pub fn invalid(field: &[&str], code: &'static str, message: impl Into<String>) -> Self {
        Error::Invalid(vec![UserError::new(field, code, message)])
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        Error::Internal(Arc::new(err.into()))
    }

    /// An internal error from a message (a stored value that cannot be read back).
    pub fn internal_msg(message: impl std::fmt::Display) -> Self {
        Error::Internal(Arc::new(anyhow::anyhow!("{message}")))
    }

    /// The message shown to the client; internal details are never included.
    pub fn message(&self) -> String {
        match self {
            Error::Unauthenticated => "authentication required".to_owned(),
            Error::Forbidden => "forbidden".to_owned(),
            Error::NotFound(what) => format!("{what} not found"),
            Error::BadUserInput(m) | Error::Conflict(m) => m.clone(),
            Error::Invalid(errors) => errors
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join("; "),
            Error::Internal(_) => "internal error".to_owned(),
        }
    }
}

impl From<sea_orm::DbErr> for Error {
    fn from(err: sea_orm::DbErr) -> Self {
        Error::internal(err)
    }
}

impl From<Error> for async_graphql::Error {
    fn from(err: Error) -> Self {
        use async_graphql::ErrorExtensions;
        if let Error::Internal(inner) = &err {
            tracing::error!(error = ?inner, "internal error");
        }
        let message = err.message();
        let code = err.code();
        async_graphql::Error::new(message).extend_with(|_, ext| ext.set("code", code))
    }
}
