//! In-process events for subscriptions. A progress update is published once
//! its transaction has committed, tagged with the task's committee and every
//! committee above it, so a subscriber to any ancestor receives it.
//!
//! Events fan out to the subscribers of this process; several replicas would
//! relay them through PostgreSQL LISTEN/NOTIFY (not built yet).

use tokio::sync::broadcast;

use crate::service::write::Notice;

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
    /// Sends a notice of a committed change (see [`crate::service::write`]).
    pub fn send(&self, notice: Notice) {
        // No subscribers is not an error.
        match notice {
            Notice::TaskUpdated(e) => {
                let _ = self.task_updated.send(e);
            }
            Notice::ReportSubmitted(e) => {
                let _ = self.report_submitted.send(e);
            }
        }
    }

    pub fn task_updates(&self) -> broadcast::Receiver<TaskUpdated> {
        self.task_updated.subscribe()
    }

    pub fn report_submissions(&self) -> broadcast::Receiver<ReportSubmitted> {
        self.report_submitted.subscribe()
    }
}
