//! The one error type of the service layer, with stable codes.
//!
//! Services return [`Error`]; the GraphQL layer turns [`Error::Invalid`] into
//! `userErrors` of a mutation payload and every other variant into a GraphQL
//! error whose `extensions.code` is [`Error::code`]. Internal details are
//! logged, never sent to the client.

use std::sync::Arc;

/// The stable codes of [`UserError`]s. The schema's `UserErrorCode` enum
/// mirrors it one to one and says what each means (`api/src/graphql/enums.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UserErrorCode {
    Required,
    TooLong,
    TooShort,
    TooMany,
    InvalidCharacters,
    Duplicate,
    NotFound,
    InvalidId,
    Inactive,
    InvalidRange,
    InvalidDate,
    InvalidCode,
    OutOfRange,
    Frozen,
    Closed,
    Locked,
    Submitted,
    InvalidTransition,
    NotIssued,
    NotSubordinate,
    NotUpperPlan,
    NotUpperTask,
    ForeignAgency,
    NotOwnPlan,
    Mismatch,
    DoneNeeds100,
    InvalidCountry,
    InvalidUsername,
    InThePast,
    InvalidCredentials,
    TooManyAttempts,
    InvalidUrl,
    UnknownIndicator,
    ComputedIndicator,
    UnknownDefinition,
    Forbidden,
    Conflict,
    NotANumber,
    Formula,
    InvalidFile,
    NotATemplate,
    /// A document in which no plan tasks were found.
    NoTasks,
}

impl UserErrorCode {
    /// Every code, in the order above.
    pub const ALL: &'static [UserErrorCode] = &[
        UserErrorCode::Required,
        UserErrorCode::TooLong,
        UserErrorCode::TooShort,
        UserErrorCode::TooMany,
        UserErrorCode::InvalidCharacters,
        UserErrorCode::Duplicate,
        UserErrorCode::NotFound,
        UserErrorCode::InvalidId,
        UserErrorCode::Inactive,
        UserErrorCode::InvalidRange,
        UserErrorCode::InvalidDate,
        UserErrorCode::InvalidCode,
        UserErrorCode::OutOfRange,
        UserErrorCode::Frozen,
        UserErrorCode::Closed,
        UserErrorCode::Locked,
        UserErrorCode::Submitted,
        UserErrorCode::InvalidTransition,
        UserErrorCode::NotIssued,
        UserErrorCode::NotSubordinate,
        UserErrorCode::NotUpperPlan,
        UserErrorCode::NotUpperTask,
        UserErrorCode::ForeignAgency,
        UserErrorCode::NotOwnPlan,
        UserErrorCode::Mismatch,
        UserErrorCode::DoneNeeds100,
        UserErrorCode::InvalidCountry,
        UserErrorCode::InvalidUsername,
        UserErrorCode::InThePast,
        UserErrorCode::InvalidCredentials,
        UserErrorCode::TooManyAttempts,
        UserErrorCode::InvalidUrl,
        UserErrorCode::UnknownIndicator,
        UserErrorCode::ComputedIndicator,
        UserErrorCode::UnknownDefinition,
        UserErrorCode::Forbidden,
        UserErrorCode::Conflict,
        UserErrorCode::NotANumber,
        UserErrorCode::Formula,
        UserErrorCode::InvalidFile,
        UserErrorCode::NotATemplate,
        UserErrorCode::NoTasks,
    ];

    /// The code as the schema spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            UserErrorCode::Required => "REQUIRED",
            UserErrorCode::TooLong => "TOO_LONG",
            UserErrorCode::TooShort => "TOO_SHORT",
            UserErrorCode::TooMany => "TOO_MANY",
            UserErrorCode::InvalidCharacters => "INVALID_CHARACTERS",
            UserErrorCode::Duplicate => "DUPLICATE",
            UserErrorCode::NotFound => "NOT_FOUND",
            UserErrorCode::InvalidId => "INVALID_ID",
            UserErrorCode::Inactive => "INACTIVE",
            UserErrorCode::InvalidRange => "INVALID_RANGE",
            UserErrorCode::InvalidDate => "INVALID_DATE",
            UserErrorCode::InvalidCode => "INVALID_CODE",
            UserErrorCode::OutOfRange => "OUT_OF_RANGE",
            UserErrorCode::Frozen => "FROZEN",
            UserErrorCode::Closed => "CLOSED",
            UserErrorCode::Locked => "LOCKED",
            UserErrorCode::Submitted => "SUBMITTED",
            UserErrorCode::InvalidTransition => "INVALID_TRANSITION",
            UserErrorCode::NotIssued => "NOT_ISSUED",
            UserErrorCode::NotSubordinate => "NOT_SUBORDINATE",
            UserErrorCode::NotUpperPlan => "NOT_UPPER_PLAN",
            UserErrorCode::NotUpperTask => "NOT_UPPER_TASK",
            UserErrorCode::ForeignAgency => "FOREIGN_AGENCY",
            UserErrorCode::NotOwnPlan => "NOT_OWN_PLAN",
            UserErrorCode::Mismatch => "MISMATCH",
            UserErrorCode::DoneNeeds100 => "DONE_NEEDS_100",
            UserErrorCode::InvalidCountry => "INVALID_COUNTRY",
            UserErrorCode::InvalidUsername => "INVALID_USERNAME",
            UserErrorCode::InThePast => "IN_THE_PAST",
            UserErrorCode::InvalidCredentials => "INVALID_CREDENTIALS",
            UserErrorCode::TooManyAttempts => "TOO_MANY_ATTEMPTS",
            UserErrorCode::InvalidUrl => "INVALID_URL",
            UserErrorCode::UnknownIndicator => "UNKNOWN_INDICATOR",
            UserErrorCode::ComputedIndicator => "COMPUTED_INDICATOR",
            UserErrorCode::UnknownDefinition => "UNKNOWN_DEFINITION",
            UserErrorCode::Forbidden => "FORBIDDEN",
            UserErrorCode::Conflict => "CONFLICT",
            UserErrorCode::NotANumber => "NOT_A_NUMBER",
            UserErrorCode::Formula => "FORMULA",
            UserErrorCode::InvalidFile => "INVALID_FILE",
            UserErrorCode::NotATemplate => "NOT_A_TEMPLATE",
            UserErrorCode::NoTasks => "NO_TASKS",
        }
    }
}

impl std::fmt::Display for UserErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A problem the user can fix, reported in a payload's `userErrors`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserError {
    /// Path to the offending input field, e.g. `["input", "name"]`.
    pub field: Vec<String>,
    pub message: String,
    /// A stable, machine-readable code.
    pub code: UserErrorCode,
}

impl UserError {
    pub fn new(field: &[&str], code: UserErrorCode, message: impl Into<String>) -> Self {
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
    /// The database cannot be reached, or no connection came free in time:
    /// nothing was done; try again shortly.
    Unavailable,
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
            Error::Unavailable => "UNAVAILABLE",
            Error::Internal(_) => "INTERNAL",
        }
    }

    pub fn invalid(field: &[&str], code: UserErrorCode, message: impl Into<String>) -> Self {
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
            Error::Unavailable => "the database is unavailable; try again shortly".to_owned(),
            Error::Internal(_) => "internal error".to_owned(),
        }
    }
}

/// Whether a database error means the database could not be reached (down,
/// restarting, the connection lost, the pool exhausted) rather than that the
/// statement was wrong.
pub fn is_unavailable(err: &sea_orm::DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    use sea_orm::{DbErr, RuntimeErr};
    match err {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            matches!(
                e.as_ref(),
                Sqlx::Io(_) | Sqlx::PoolTimedOut | Sqlx::PoolClosed | Sqlx::WorkerCrashed
            ) || e
                .as_database_error()
                .and_then(|d| d.code())
                // PostgreSQL's class 08 (connection exception) and 57P01–57P03
                // (the server shutting down or starting up).
                .is_some_and(|c| c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03"))
        }
        DbErr::Conn(_) => true,
        _ => false,
    }
}

/// A unique constraint that fires (two writers racing past a service's own
/// check) is the `DUPLICATE` userError; a database that cannot be reached is
/// `UNAVAILABLE`; every other database error is internal.
impl From<sea_orm::DbErr> for Error {
    fn from(err: sea_orm::DbErr) -> Self {
        if is_unavailable(&err) {
            tracing::warn!(error = %err, "database unavailable");
            return Error::Unavailable;
        }
        match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                Error::invalid(&["input"], UserErrorCode::Duplicate, "this already exists")
            }
            _ => Error::internal(err),
        }
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
