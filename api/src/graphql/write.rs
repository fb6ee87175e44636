//! The GraphQL end of the write path: a mutation resolver maps its input,
//! hands the change to a service through [`mutate`] (one transaction with
//! its audit event, see [`crate::service::write`]) and maps the outcome into
//! its payload with `userErrors`.

use async_graphql::Context;

use crate::auth::RequestInfo;
use crate::error::Error;
use crate::graphql::payload::{UserError, split};
use crate::graphql::{reader, viewer};
use crate::service::audit::Actor;
use crate::service::events::Events;
use crate::service::write::{self, Write};

/// What a mutation produced: the value, or the userErrors that stopped it.
pub type Outcome<T> = (Option<T>, Vec<UserError>);

/// Runs `change` as the mutation `action` of the signed-in viewer.
/// Authentication, authorization and internal failures become GraphQL
/// errors; problems the user can fix become `userErrors`.
pub async fn mutate<T>(
    ctx: &Context<'_>,
    action: &str,
    change: impl AsyncFnOnce(&Write<'_>) -> Result<T, Error>,
) -> async_graphql::Result<Outcome<T>> {
    let viewer = viewer(ctx)?;
    let db = &reader(ctx)?.db;
    let info = ctx.data_opt::<RequestInfo>().cloned().unwrap_or_default();
    let actor = Actor::of(Some(viewer), &info);
    let events = ctx.data::<Events>()?;
    Ok(split(
        write::run(db, events, viewer, &actor, action, change).await,
    )?)
}

/// A mutation payload: the changed object (null when the change was refused)
/// and the `userErrors`.
macro_rules! payload {
    ($(#[$meta:meta])* $name:ident { $(#[$fmeta:meta])* $field:ident: $ty:ident }) => {
        $(#[$meta])*
        #[derive(async_graphql::SimpleObject)]
        pub struct $name {
            $(#[$fmeta])*
            pub $field: Option<$ty>,
            pub user_errors: Vec<$crate::graphql::payload::UserError>,
        }

        impl<T> From<$crate::graphql::write::Outcome<T>> for $name
        where
            $ty: From<T>,
        {
            fn from((value, user_errors): $crate::graphql::write::Outcome<T>) -> Self {
                Self { $field: value.map(<$ty>::from), user_errors }
            }
        }
    };
}

pub(crate) use payload;

/// `MaybeUndefined` as a patch: `None` keeps the field, `Some(None)` clears it.
pub fn patch<T>(v: async_graphql::MaybeUndefined<T>) -> Option<Option<T>> {
    match v {
        async_graphql::MaybeUndefined::Undefined => None,
        async_graphql::MaybeUndefined::Null => Some(None),
        async_graphql::MaybeUndefined::Value(v) => Some(Some(v)),
    }
}
