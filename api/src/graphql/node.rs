//! The `Node` interface and its lookup by global id.

use async_graphql::{ID, Interface};

use crate::error::Error;
use crate::graphql::agency::{Agency, Membership};
use crate::graphql::committee::Committee;
use crate::graphql::cooperation::{CooperationRecord, Counterpart};
use crate::graphql::ids::{self, NodeKind};
use crate::graphql::loaders::{
    AgencyId, CommitteeId, CounterpartId, Loaders, MembershipId, PlanId, ProgressId, RecordId,
    ReportId, TaskId,
};
use crate::graphql::plan::Plan;
use crate::graphql::report::Report;
use crate::graphql::task::{ProgressUpdate, Task};

/// An object with a global id (Relay Global Object Identification).
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "The opaque global id."))]
pub enum Node {
    Committee(Committee),
    Agency(Agency),
    Membership(Membership),
    Plan(Plan),
    Task(Task),
    ProgressUpdate(ProgressUpdate),
    Counterpart(Counterpart),
    CooperationRecord(CooperationRecord),
    Report(Report),
}

/// The object a global id names, or `None` when there is none.
pub async fn load(loaders: &Loaders, id: &str) -> Result<Option<Node>, Error> {
    let (kind, key) = ids::decode(id)?;
    Ok(match kind {
        NodeKind::Committee => loaders
            .one(CommitteeId(key))
            .await?
            .map(|m| Node::Committee(Committee::new(m))),
        NodeKind::Agency => loaders
            .one(AgencyId(key))
            .await?
            .map(|m| Node::Agency(Agency::new(m))),
        NodeKind::Membership => loaders
            .one(MembershipId(key))
            .await?
            .map(|m| Node::Membership(Membership(m))),
        NodeKind::Plan => loaders.one(PlanId(key)).await?.map(|m| Node::Plan(Plan(m))),
        NodeKind::Task => loaders.one(TaskId(key)).await?.map(|m| Node::Task(Task(m))),
        NodeKind::ProgressUpdate => loaders
            .one(ProgressId(key))
            .await?
            .map(|m| Node::ProgressUpdate(ProgressUpdate(m))),
        NodeKind::Counterpart => loaders
            .one(CounterpartId(key))
            .await?
            .map(|m| Node::Counterpart(Counterpart(m))),
        NodeKind::CooperationRecord => loaders
            .one(RecordId(key))
            .await?
            .map(|m| Node::CooperationRecord(CooperationRecord(m))),
        NodeKind::Report => loaders
            .one(ReportId(key))
            .await?
            .map(|m| Node::Report(Report(m))),
    })
}
