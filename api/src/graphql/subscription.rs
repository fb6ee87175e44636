//! Subscriptions, served over graphql-ws (`graphql-transport-ws`).

use async_graphql::{Context, ID, Result, Subscription};
use std::future::ready;
use std::sync::Arc;

use futures_util::{Stream, StreamExt};
use tokio_stream::wrappers::BroadcastStream;

use crate::graphql::ids::{NodeKind, filter_id};
use crate::graphql::loaders::{Loaders, ReportId, TaskId};
use crate::graphql::report::Report;
use crate::graphql::task::Task;
use crate::graphql::{reader, viewer};
use crate::service::events::Events;

#[derive(Default)]
pub struct Subscription;

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
        let committee = filter_id(&committee_id, NodeKind::Committee)?;
        let events = ctx.data::<Events>()?.task_updates();
        let reader = reader(ctx)?;
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
        let committee = filter_id(&committee_id, NodeKind::Committee)?;
        let reader = reader(ctx)?;
        let inside = reader.scope.contains(&reader.db, committee).await?;
        viewer(ctx)?.may_review(inside)?;
        let events = ctx.data::<Events>()?.report_submissions();
        let loaders = Arc::new(Loaders::new(reader.db.clone(), reader.scope.clone()));
        let stream = BroadcastStream::new(events)
            .filter_map(|e| ready(e.ok()))
            .filter(move |e| ready(e.parent_id == Some(committee)))
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
