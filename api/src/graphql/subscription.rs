//! Subscriptions, served over graphql-ws (`graphql-transport-ws`, see
//! [`crate::ws`]).
//!
//! A subscription naming a committee the viewer cannot see, or none at
//! all, is refused with `NOT_FOUND` (the same error for both). Before each
//! event is delivered the connection's credentials are re-checked
//! ([`Credentials::hold`]); once they fail, no event goes out and the socket
//! is closed with 4403.

use async_graphql::{Context, ID, Result, Subscription};
use std::future::ready;
use std::sync::Arc;

use futures_util::{Stream, StreamExt};
use tokio_stream::wrappers::BroadcastStream;

use crate::auth::credentials::Credentials;
use crate::error::Error;
use crate::graphql::ids::{NodeKind, filter_id};
use crate::graphql::loaders::{CommitteeId, Loaders, ReportId, TaskId};
use crate::graphql::report::Report;
use crate::graphql::task::Task;
use crate::graphql::{reader, viewer};
use crate::service::events::Events;

#[derive(Default)]
pub struct Subscription;

/// The committee a subscription names, if the viewer may see it; else
/// `NOT_FOUND`, whether it exists or not.
async fn visible_committee(reader: &Loaders, id: &ID) -> Result<i64, Error> {
    let committee = filter_id(id, NodeKind::Committee)?;
    match reader.one(CommitteeId(committee)).await? {
        Some(_) => Ok(committee),
        None => Err(Error::NotFound("committee".into())),
    }
}

/// The credentials of the connection; a viewer without them is refused.
fn credentials(ctx: &Context<'_>) -> Result<Arc<Credentials>, Error> {
    ctx.data_opt::<Arc<Credentials>>()
        .cloned()
        .ok_or(Error::Unauthenticated)
}

#[Subscription]
impl Subscription {
    /// Each progress update of a task of this committee — and, with
    /// `includeSubtree` (the default), of any committee below it.
    async fn task_updated(
        &self,
        ctx: &Context<'_>,
        committee_id: ID,
        #[graphql(default = true)] include_subtree: bool,
    ) -> Result<impl Stream<Item = Task> + use<>> {
        let reader = reader(ctx)?;
        let committee = visible_committee(reader, &committee_id).await?;
        let credentials = credentials(ctx)?;
        let events = ctx.data::<Events>()?.task_updates();
        let loaders = Arc::new(Loaders::new(reader.db.clone(), reader.scope.clone()));
        let stream = BroadcastStream::new(events)
            // A subscriber that falls behind skips the updates it missed.
            .filter_map(|e| ready(e.ok()))
            .filter(move |e| {
                ready(if include_subtree {
                    e.committees.contains(&committee)
                } else {
                    e.committee_id == committee
                })
            })
            .filter(move |_| {
                let c = credentials.clone();
                async move { c.hold().await }
            })
            .then(move |e| {
                let loaders = loaders.clone();
                async move {
                    loaders
                        .one(TaskId(e.task_id))
                        .await
                        .ok()
                        .flatten()
                        .map(Task)
                }
            })
            .filter_map(ready);
        Ok(stream)
    }

    /// Each report submitted by a committee directly below `committeeId`,
    /// for the coordinators who review them (COORDINATOR or ADMIN, with the
    /// committee in their subtree).
    async fn report_submitted(
        &self,
        ctx: &Context<'_>,
        committee_id: ID,
    ) -> Result<impl Stream<Item = Report> + use<>> {
        let reader = reader(ctx)?;
        let committee = visible_committee(reader, &committee_id).await?;
        let inside = reader.scope.contains(&reader.db, committee).await?;
        viewer(ctx)?.may_review(inside)?;
        let credentials = credentials(ctx)?;
        let events = ctx.data::<Events>()?.report_submissions();
        let loaders = Arc::new(Loaders::new(reader.db.clone(), reader.scope.clone()));
        let stream = BroadcastStream::new(events)
            .filter_map(|e| ready(e.ok()))
            .filter(move |e| ready(e.parent_id == Some(committee)))
            .filter(move |_| {
                let c = credentials.clone();
                async move { c.hold().await }
            })
            .then(move |e| {
                let loaders = loaders.clone();
                async move {
                    loaders
                        .one(ReportId(e.report_id))
                        .await
                        .ok()
                        .flatten()
                        .map(Report)
                }
            })
            .filter_map(ready);
        Ok(stream)
    }
}
