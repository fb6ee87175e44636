//! In-process events for subscriptions. A progress update is published once
//! its transaction has committed, tagged with the task's committee and every
//! committee above it, so a subscriber to any ancestor receives it.
//!
//! Events fan out to the subscribers of this process; several replicas would
//! relay them through PostgreSQL LISTEN/NOTIFY (not built yet).

use entities::committee_closure;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use tokio::sync::broadcast;

use crate::error::Result;

/// A task's progress changed.
#[derive(Clone, Debug)]
pub struct TaskUpdated {
    pub task_id: i64,
    pub committee_id: i64,
    /// The task's committee and all committees above it.
    pub committees: Vec<i64>,
}

/// A report was submitted (first time or again after a return).
#[derive(Clone, Debug)]
pub struct ReportSubmitted {
    pub report_id: i64,
    pub committee_id: i64,
    /// The committee that reviews it.
    pub parent_id: Option<i64>,
}

#[derive(Clone)]
pub struct Events {
    task_updated: broadcast::Sender<TaskUpdated>,
    report_submitted: broadcast::Sender<ReportSubmitted>,
}

impl Default for Events {
    fn default() -> Self {
        Self {
            task_updated: broadcast::channel(1024).0,
            report_submitted: broadcast::channel(1024).0,
        }
    }
}

impl Events {
    pub async fn publish_task_updated(
        &self,
        db: &impl ConnectionTrait,
        task_id: i64,
        committee_id: i64,
    ) -> Result<()> {
        let committees = committee_closure::Entity::find()
            .filter(committee_closure::Column::DescendantId.eq(committee_id))
            .all(db)
            .await?
            .into_iter()
            .map(|r| r.ancestor_id)
            .collect();
        // No subscribers is not an error.
        let _ = self.task_updated.send(TaskUpdated {
            task_id,
            committee_id,
            committees,
        });
        Ok(())
    }

    pub fn task_updates(&self) -> broadcast::Receiver<TaskUpdated> {
        self.task_updated.subscribe()
    }

    /// Publishes a submission (after its transaction committed).
    pub fn publish_report_submitted(&self, e: ReportSubmitted) {
        // No subscribers is not an error.
        let _ = self.report_submitted.send(e);
    }

    pub fn report_submissions(&self) -> broadcast::Receiver<ReportSubmitted> {
        self.report_submitted.subscribe()
    }
}
