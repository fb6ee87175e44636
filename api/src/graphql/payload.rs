//! Mutation payload pieces.

use async_graphql::SimpleObject;

use crate::error::{Error, UserError as ServiceUserError};
use crate::graphql::enums::UserErrorCode;

/// A problem with the input that the user can fix.
#[derive(SimpleObject, Clone, Debug)]
pub struct UserError {
    /// Path to the input field at fault, e.g. `["input", "name"]`.
    pub field: Vec<String>,
    pub message: String,
    /// Stable machine-readable code.
    pub code: UserErrorCode,
}

impl From<ServiceUserError> for UserError {
    fn from(e: ServiceUserError) -> Self {
        Self {
            field: e.field,
            message: e.message,
            code: e.code.into(),
        }
    }
}

/// Splits a service result into (value, userErrors); other errors propagate.
pub fn split<T>(result: Result<T, Error>) -> Result<(Option<T>, Vec<UserError>), Error> {
    match result {
        Ok(v) => Ok((Some(v), Vec::new())),
        Err(Error::Invalid(errors)) => Ok((None, errors.into_iter().map(Into::into).collect())),
        Err(other) => Err(other),
    }
}
