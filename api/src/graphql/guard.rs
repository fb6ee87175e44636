//! The authorize step of write resolvers: find the object through the
//! viewer's scope (out of scope reads as "not found"), check the write rule,
//! and record the change in the audit trail once it is made.

use async_graphql::{Context, ID};
use entities::{agency, committee, cooperation_record, plan, report, task};

use crate::auth::{RequestInfo, Viewer};
use crate::error::{Error, Result};
use crate::graphql::ids::{self, NodeKind};
use crate::graphql::loaders::Loaders;
use crate::graphql::{reader, viewer};
use crate::service::audit::{self, Actor, Event};
use crate::service::{
    agency as agencies, cooperation, hierarchy, plan as plans, report as reports, task as tasks,
};

pub struct Writer<'a> {
    pub viewer: &'a Viewer,
    pub loaders: &'a Loaders,
    pub actor: Actor,
}

fn not_found(field: &str, what: &str) -> Error {
    Error::invalid(
        &["input", field],
        "NOT_FOUND",
        format!("no {what} with this id"),
    )
}

/// The signed-in writer of a mutation.
pub fn writer<'a>(ctx: &Context<'a>) -> Result<Writer<'a>> {
    let viewer = viewer(ctx)?;
    let loaders = reader(ctx)?;
    let info = ctx.data_opt::<RequestInfo>().cloned().unwrap_or_default();
    Ok(Writer {
        viewer,
        loaders,
        actor: Actor::of(Some(viewer), &info),
    })
}

impl Writer<'_> {
    pub async fn committee(&self, id: i64, field: &str) -> Result<committee::Model> {
        hierarchy::by_ids(&self.loaders.db, &self.loaders.scope, &[id])
            .await?
            .pop()
            .ok_or_else(|| not_found(field, "committee"))
    }

    pub async fn agency(&self, id: i64, field: &str) -> Result<agency::Model> {
        agencies::by_ids(&self.loaders.db, &self.loaders.scope, &[id])
            .await?
            .pop()
            .ok_or_else(|| not_found(field, "agency"))
    }

    pub async fn plan(&self, id: i64, field: &str) -> Result<plan::Model> {
        plans::by_ids(&self.loaders.db, &self.loaders.scope, &[id])
            .await?
            .pop()
            .ok_or_else(|| not_found(field, "plan"))
    }

    pub async fn task(&self, id: i64, field: &str) -> Result<task::Model> {
        tasks::by_ids(&self.loaders.db, &self.loaders.scope, &[id])
            .await?
            .pop()
            .ok_or_else(|| not_found(field, "task"))
    }

    pub async fn report(&self, id: i64, field: &str) -> Result<report::Model> {
        reports::by_ids(&self.loaders.db, &self.loaders.scope, &[id])
            .await?
            .pop()
            .ok_or_else(|| not_found(field, "report"))
    }

    pub async fn record(&self, id: i64, field: &str) -> Result<cooperation_record::Model> {
        cooperation::by_ids(&self.loaders.db, &self.loaders.scope, &[id])
            .await?
            .pop()
            .ok_or_else(|| not_found(field, "cooperation record"))
    }

    /// ADMIN of a committee in the viewer's subtree.
    pub async fn administer(&self, committee_id: i64) -> Result<()> {
        let inside = self
            .loaders
            .scope
            .contains(&self.loaders.db, committee_id)
            .await?;
        self.viewer.may_administer(inside)
    }

    /// Records a change made by this mutation.
    pub async fn audit(
        &self,
        action: &str,
        committee_id: Option<i64>,
        object: Option<(NodeKind, i64)>,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Result<()> {
        let object_id = object.map(|(kind, id)| {
            let ID(s) = ids::encode(kind, id);
            s
        });
        audit::record(
            &self.loaders.db,
            &self.actor,
            Event {
                action,
                committee_id,
                object_id,
                before,
                after,
            },
        )
        .await
    }
}
