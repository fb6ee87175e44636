//! The audit trail: one append-only event per change, login and token
//! operation. A change's event is written in the change's own transaction
//! (see [`crate::service::write`]); a refused attempt's after the rollback.

use chrono::{NaiveDate, Utc};
use entities::audit_event;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    Select,
};
use serde::Serialize;
use serde_json::Value;

use crate::auth::{RequestInfo, Scope, Viewer};
use crate::error::Result;
use crate::service::page::{self, Cursor, Key, Ordering, Page, PageArgs};

/// Who did it, from where.
#[derive(Clone, Debug, Default)]
pub struct Actor {
    pub account_id: Option<i64>,
    pub username: Option<String>,
    pub token_id: Option<i64>,
    pub request: RequestInfo,
}

impl Actor {
    pub fn of(viewer: Option<&Viewer>, request: &RequestInfo) -> Self {
        Self {
            account_id: viewer.map(|v| v.account_id),
            username: viewer.map(|v| v.username.clone()),
            token_id: viewer.and_then(|v| v.token_id),
            request: request.clone(),
        }
    }

    /// Work done from the command line.
    pub fn cli() -> Self {
        Self {
            username: Some("cli".to_owned()),
            ..Self::default()
        }
    }
}

/// The JSON of a stored row, for `before`/`after`.
pub fn json<T: Serialize>(row: &T) -> Option<Value> {
    serde_json::to_value(row).ok()
}

/// How an attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    Ok,
    Forbidden,
    NotFound,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "OK",
            Outcome::Forbidden => "FORBIDDEN",
            Outcome::NotFound => "NOT_FOUND",
        }
    }
}

/// An event to record.
pub struct Event<'a> {
    pub action: &'a str,
    pub outcome: Outcome,
    pub committee_id: Option<i64>,
    pub object_id: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

pub async fn record(db: &impl ConnectionTrait, actor: &Actor, e: Event<'_>) -> Result<()> {
    audit_event::ActiveModel {
        actor_id: Set(actor.account_id),
        actor_name: Set(actor.username.clone()),
        token_id: Set(actor.token_id),
        committee_id: Set(e.committee_id),
        action: Set(e.action.to_owned()),
        outcome: Set(e.outcome.as_str().to_owned()),
        object_id: Set(e.object_id),
        before: Set(e.before.map(|v| v.to_string())),
        after: Set(e.after.map(|v| v.to_string())),
        request_id: Set(Some(actor.request.request_id.clone()).filter(|s| !s.is_empty())),
        client_address: Set(actor.request.client_address.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Filters of the audit list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct AuditFilter {
    pub committee_id: Option<i64>,
    pub action: Option<String>,
    pub actor_id: Option<i64>,
    pub outcome: Option<Outcome>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl AuditFilter {
    fn apply(
        &self,
        scope: &Scope,
        mut s: Select<audit_event::Entity>,
    ) -> Select<audit_event::Entity> {
        s = s.filter(scope.in_subtree(Expr::col((
            audit_event::Entity,
            audit_event::Column::CommitteeId,
        ))));
        if let Some(c) = self.committee_id {
            s = s.filter(audit_event::Column::CommitteeId.eq(c));
        }
        if let Some(a) = &self.action {
            s = s.filter(audit_event::Column::Action.eq(a.as_str()));
        }
        if let Some(a) = self.actor_id {
            s = s.filter(audit_event::Column::ActorId.eq(a));
        }
        if let Some(o) = self.outcome {
            s = s.filter(audit_event::Column::Outcome.eq(o.as_str()));
        }
        if let Some(d) = self.from.and_then(|d| d.and_hms_opt(0, 0, 0)) {
            s = s.filter(audit_event::Column::CreatedAt.gte(d.and_utc()));
        }
        if let Some(d) = self
            .to
            .and_then(|d| d.succ_opt())
            .and_then(|d| d.and_hms_opt(0, 0, 0))
        {
            s = s.filter(audit_event::Column::CreatedAt.lt(d.and_utc()));
        }
        s
    }
}

fn ordering() -> Ordering {
    Ordering {
        key: Expr::col((audit_event::Entity, audit_event::Column::Id)),
        id: Expr::col((audit_event::Entity, audit_event::Column::Id)),
        desc: true,
    }
}

/// Events of the viewer's subtree, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &AuditFilter,
    args: &PageArgs,
) -> Result<Page<audit_event::Model>> {
    page::fetch(
        db,
        filter.apply(scope, audit_event::Entity::find()),
        &ordering(),
        args,
        |e| Cursor {
            key: Key::Int(e.id),
            id: e.id,
        },
    )
    .await
}

pub async fn count(db: &impl ConnectionTrait, scope: &Scope, filter: &AuditFilter) -> Result<i64> {
    page::count(db, filter.apply(scope, audit_event::Entity::find())).await
}
