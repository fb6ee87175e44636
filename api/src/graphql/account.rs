//! Sign-in, the viewer, accounts, API tokens and the audit trail.

use std::sync::Arc;

use crate::error::UserErrorCode;
use crate::graphql::scalars::DateTime;
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use entities::{account, audit_event};

use crate::auth::throttle::Throttle;
use crate::auth::token::Signer;
use crate::auth::{RequestInfo, Scope};
use crate::error::Error;
use crate::graphql::committee::Committee;
use crate::graphql::connection::{self, Conn, cost};
use crate::graphql::ids::{self, NodeKind, input_id};
use crate::graphql::loaders::{CommitteeId, CountKey, Loaders};
use crate::graphql::payload::{UserError, split};
use crate::graphql::scalars::Date;
use crate::graphql::write::{mutate, payload};
use crate::graphql::{reader, viewer};
use crate::service::account::{self as accounts, NewAccount};
use crate::service::audit::{self as audit, Actor, AuditFilter};
use crate::service::enums::{self as svc, Role as SvcRole};
use crate::service::hierarchy;

/// What an account may do; each role includes the ones before it.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "svc::Role")]
pub enum Role {
    Viewer,
    Editor,
    Coordinator,
    Admin,
}

/// A user account (never its password).
pub struct Account(pub account::Model);

impl From<account::Model> for Account {
    fn from(m: account::Model) -> Self {
        Self(m)
    }
}

#[Object]
impl Account {
    /// The account's number (accounts are not Relay nodes).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn username(&self) -> &str {
        &self.0.username
    }

    async fn display_name(&self) -> &str {
        &self.0.display_name
    }

    async fn role(&self) -> Role {
        self.0.role.into()
    }

    async fn active(&self) -> bool {
        self.0.active
    }

    /// The home committee: what the account may see is this committee's
    /// subtree. (An account is only ever shown to itself or to an ADMIN
    /// above it, so its home committee is in the reader's reach.)
    async fn committee(&self, ctx: &Context<'_>) -> Result<Option<Committee>> {
        let db = &ctx.data::<Loaders>()?.db;
        Ok(
            hierarchy::by_ids(db, &Scope::everything(), &[self.0.committee_id])
                .await?
                .pop()
                .map(Committee::new),
        )
    }
}

/// How an audited attempt ended.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "audit::Outcome")]
pub enum AuditOutcome {
    /// The change was made.
    Ok,
    /// Refused by the write rules.
    Forbidden,
    /// Refused: an id named nothing the actor may read.
    NotFound,
}

/// One entry of the audit trail.
pub struct AuditEvent(pub audit_event::Model);

#[Object]
impl AuditEvent {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The mutation or event (`createPlan`, `login`, `loginFailed`...).
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// A refused attempt is recorded too, with the ids it asked for in `after`.
    async fn outcome(&self) -> Result<AuditOutcome> {
        Ok(match self.0.outcome.as_str() {
            "OK" => AuditOutcome::Ok,
            "FORBIDDEN" => AuditOutcome::Forbidden,
            "NOT_FOUND" => AuditOutcome::NotFound,
            other => {
                return Err(Error::internal_msg(format!("unknown audit outcome {other:?}")).into());
            }
        })
    }
    async fn actor_username(&self) -> Option<&str> {
        self.0.actor_name.as_deref()
    }
    /// Set when the actor used an API token.
    async fn token_id(&self) -> Option<ID> {
        self.0.token_id.map(|t| ID(t.to_string()))
    }
    async fn committee(&self, ctx: &Context<'_>) -> Result<Option<Committee>> {
        let Some(id) = self.0.committee_id else {
            return Ok(None);
        };
        Ok(ctx
            .data::<Loaders>()?
            .one(CommitteeId(id))
            .await?
            .map(Committee::new))
    }
    /// The global id of the object changed.
    async fn object_id(&self) -> Option<&str> {
        self.0.object_id.as_deref()
    }
    /// The object before the change, as JSON text.
    async fn before(&self) -> Option<&str> {
        self.0.before.as_deref()
    }
    /// The object after the change, as JSON text.
    async fn after(&self) -> Option<&str> {
        self.0.after.as_deref()
    }
    async fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// Filters of the audit trail.
#[derive(InputObject, Default)]
pub struct AuditEventFilter {
    pub committee_id: Option<ID>,
    pub action: Option<String>,
    pub outcome: Option<AuditOutcome>,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The signed-in account.
    async fn me(&self, ctx: &Context<'_>) -> Result<Account> {
        let v = viewer(ctx)?;
        let loaders = reader(ctx)?;
        Ok(accounts::by_id(&loaders.db, v.account_id)
            .await?
            .map(Account)
            .ok_or(Error::Unauthenticated)?)
    }

    /// The audit trail of the viewer's subtree, newest first (ADMIN only).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditEventFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<AuditEvent>> {
        let v = viewer(ctx)?;
        if v.role < SvcRole::Admin {
            return Err(Error::Forbidden.into());
        }
        let loaders = reader(ctx)?;
        let args = connection::page_args(first, after, last, before)?;
        let f = filter.unwrap_or_default();
        let filter = AuditFilter {
            committee_id: f
                .committee_id
                .as_ref()
                .map(|id| ids::filter_id(id, NodeKind::Committee))
                .transpose()?,
            action: f.action,
            actor_id: None,
            outcome: f.outcome.map(Into::into),
            from: f.from.map(|d| d.0),
            to: f.to.map(|d| d.0),
        };
        let page = audit::list(&loaders.db, &loaders.scope, &filter, &args).await?;
        Ok(connection::connection(
            page,
            CountKey::Audit(filter),
            AuditEvent,
        ))
    }
}

#[derive(InputObject)]
pub struct LoginInput {
    pub username: String,
    pub password: String,
}

#[derive(SimpleObject)]
pub struct LoginPayload {
    /// Send as `Authorization: Bearer …`.
    pub access_token: Option<String>,
    pub expires_at: Option<DateTime>,
    pub account: Option<Account>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct CreateAccountInput {
    pub username: String,
    pub display_name: String,
    pub committee_id: ID,
    pub role: Role,
    pub password: String,
}

payload!(AccountPayload { account: Account });

#[derive(InputObject)]
pub struct SetAccountActiveInput {
    pub username: String,
    pub active: bool,
}

#[derive(InputObject)]
pub struct CreateApiTokenInput {
    pub name: String,
    pub expires_at: Option<DateTime>,
}

#[derive(SimpleObject)]
pub struct CreateApiTokenPayload {
    /// The token, shown this once; only its hash is kept.
    pub token: Option<String>,
    pub token_id: Option<ID>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct RevokeApiTokenInput {
    pub token_id: ID,
}

#[derive(SimpleObject)]
pub struct RevokeApiTokenPayload {
    pub revoked: bool,
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Signs in; open to anonymous requests. Failed attempts are throttled.
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> Result<LoginPayload> {
        let loaders = ctx.data::<Loaders>()?;
        let signer = ctx.data::<Arc<Signer>>()?;
        let throttle = ctx.data::<Arc<Throttle>>()?;
        let info = ctx.data_opt::<RequestInfo>().cloned().unwrap_or_default();
        let actor = Actor::of(None, &info);
        let result = accounts::login(
            &loaders.db,
            signer,
            throttle,
            &actor,
            &input.username,
            &input.password,
        )
        .await;
        let (session, user_errors) = split(result)?;
        Ok(match session {
            Some(s) => LoginPayload {
                access_token: Some(s.access_token),
                expires_at: Some(DateTime(s.expires_at)),
                account: Some(Account(s.account)),
                user_errors,
            },
            None => LoginPayload {
                access_token: None,
                expires_at: None,
                account: None,
                user_errors,
            },
        })
    }

    /// Creates an account at a committee of the viewer's subtree (ADMIN),
    /// with a role no higher than the viewer's own.
    async fn create_account(
        &self,
        ctx: &Context<'_>,
        input: CreateAccountInput,
    ) -> Result<AccountPayload> {
        Ok(mutate(ctx, "createAccount", async |w| {
            let new = NewAccount {
                username: &input.username,
                display_name: &input.display_name,
                committee_id: input_id(&input.committee_id, NodeKind::Committee, "committeeId")?,
                role: input.role.into(),
                password: &input.password,
            };
            accounts::create_account(w, new).await
        })
        .await?
        .into())
    }

    /// Enables or disables an account of the viewer's subtree (ADMIN).
    async fn set_account_active(
        &self,
        ctx: &Context<'_>,
        input: SetAccountActiveInput,
    ) -> Result<AccountPayload> {
        Ok(mutate(ctx, "setAccountActive", async |w| {
            accounts::set_account_active(w, &input.username, input.active).await
        })
        .await?
        .into())
    }

    /// A long-lived token for the viewer's own account, for machines (the
    /// national export). Same scope as the account.
    async fn create_api_token(
        &self,
        ctx: &Context<'_>,
        input: CreateApiTokenInput,
    ) -> Result<CreateApiTokenPayload> {
        let (created, user_errors) = mutate(ctx, "createApiToken", async |w| {
            accounts::create_own_token(w, &input.name, input.expires_at.map(|d| d.0)).await
        })
        .await?;
        Ok(CreateApiTokenPayload {
            token: created.as_ref().map(|c| c.0.clone()),
            token_id: created.map(|c| ID(c.1.id.to_string())),
            user_errors,
        })
    }

    /// Revokes one of the viewer's own API tokens (an ADMIN: any token of its subtree).
    async fn revoke_api_token(
        &self,
        ctx: &Context<'_>,
        input: RevokeApiTokenInput,
    ) -> Result<RevokeApiTokenPayload> {
        let (revoked, user_errors) = mutate(ctx, "revokeApiToken", async |w| {
            let id: i64 = input.token_id.parse().map_err(|_| {
                Error::invalid(
                    &["input", "tokenId"],
                    UserErrorCode::NotFound,
                    "no token with this id",
                )
            })?;
            accounts::revoke(w, id).await
        })
        .await?;
        Ok(RevokeApiTokenPayload {
            revoked: revoked.is_some(),
            user_errors,
        })
    }
}
