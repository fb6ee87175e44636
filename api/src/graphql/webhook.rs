//! Webhook endpoints and their delivery log (ADMIN), see
//! [`crate::service::webhooks`].

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use entities::webhook_endpoint;

use crate::error::{Error, UserErrorCode};
use crate::graphql::committee::Committee;
use crate::graphql::connection::{self, Conn, cost};
use crate::graphql::ids::{NodeKind, input_id};
use crate::graphql::loaders::{CommitteeId, CountKey, Loaders};
use crate::graphql::payload::UserError;
use crate::graphql::scalars::DateTime;
use crate::graphql::write::{mutate, payload};
use crate::graphql::{reader, viewer};
use crate::service::enums::Role;
use crate::service::webhooks::{self, Delivery, EventType, NewEndpoint};

/// What an endpoint can be told of.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "EventType")]
pub enum WebhookEventType {
    /// A report was submitted (`report.submitted`).
    ReportSubmitted,
    /// A report was approved (`report.approved`).
    ReportApproved,
    /// A report was returned for correction (`report.returned`).
    ReportReturned,
    /// A plan was issued (`plan.issued`).
    PlanIssued,
    /// A task's progress was reported (`task.progress`).
    TaskProgress,
    /// An export is ready to download (`export.ready`).
    ExportReady,
}

/// Where a delivery stands.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebhookDeliveryStatus {
    /// Not delivered yet: due at `nextAttemptAt`.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Every retry failed; the endpoint was disabled.
    Failed,
}

impl WebhookDeliveryStatus {
    fn stored(self) -> &'static str {
        match self {
            WebhookDeliveryStatus::Pending => webhooks::PENDING,
            WebhookDeliveryStatus::Delivered => webhooks::DELIVERED,
            WebhookDeliveryStatus::Failed => webhooks::FAILED,
        }
    }
}

/// A receiver of events of a committee's subtree.
pub struct WebhookEndpoint(pub webhook_endpoint::Model);

impl From<webhook_endpoint::Model> for WebhookEndpoint {
    fn from(m: webhook_endpoint::Model) -> Self {
        Self(m)
    }
}

#[Object]
impl WebhookEndpoint {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn url(&self) -> &str {
        &self.0.url
    }
    /// Events of this committee and of every committee below it.
    async fn committee(&self, ctx: &Context<'_>) -> Result<Option<Committee>> {
        Ok(ctx
            .data::<Loaders>()?
            .one(CommitteeId(self.0.committee_id))
            .await?
            .map(Committee::new))
    }
    async fn event_types(&self) -> Vec<WebhookEventType> {
        webhooks::types_of(&self.0)
            .into_iter()
            .map(Into::into)
            .collect()
    }
    /// False once disabled, by an ADMIN or after a delivery failed for good.
    async fn active(&self) -> bool {
        self.0.active
    }
    /// Failed attempts since the last delivered one.
    async fn consecutive_failures(&self) -> i32 {
        self.0.consecutive_failures
    }
    async fn disabled_reason(&self) -> Option<&str> {
        self.0.disabled_reason.as_deref()
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// One event for one endpoint, and how its delivery went.
pub struct WebhookDelivery(pub Delivery);

#[Object]
impl WebhookDelivery {
    async fn id(&self) -> ID {
        ID(self.0.delivery.id.to_string())
    }
    /// The `webhook-id` header, the same on every attempt.
    async fn webhook_id(&self) -> &str {
        &self.0.event.message_id
    }
    async fn event_type(&self) -> Option<WebhookEventType> {
        EventType::parse(&self.0.event.event_type).map(Into::into)
    }
    async fn status(&self) -> WebhookDeliveryStatus {
        match self.0.delivery.status.as_str() {
            webhooks::DELIVERED => WebhookDeliveryStatus::Delivered,
            webhooks::FAILED => WebhookDeliveryStatus::Failed,
            _ => WebhookDeliveryStatus::Pending,
        }
    }
    async fn attempts(&self) -> i32 {
        self.0.delivery.attempts
    }
    async fn next_attempt_at(&self) -> Option<DateTime> {
        (self.0.delivery.status == webhooks::PENDING)
            .then_some(DateTime(self.0.delivery.next_attempt_at))
    }
    async fn last_attempt_at(&self) -> Option<DateTime> {
        self.0.delivery.last_attempt_at.map(DateTime)
    }
    /// The receiver's HTTP status at the last attempt, if it answered.
    async fn last_status(&self) -> Option<i32> {
        self.0.delivery.last_status
    }
    /// Why the last attempt failed.
    async fn last_error(&self) -> Option<&str> {
        self.0.delivery.last_error.as_deref()
    }
    async fn delivered_at(&self) -> Option<DateTime> {
        self.0.delivery.delivered_at.map(DateTime)
    }
    /// The JSON body sent.
    async fn payload(&self) -> &str {
        &self.0.event.payload
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.delivery.created_at)
    }
}

fn admin(ctx: &Context<'_>) -> Result<(), Error> {
    if viewer(ctx)?.role < Role::Admin {
        return Err(Error::Forbidden);
    }
    Ok(())
}

/// An endpoint id, or the id of none.
fn endpoint_key(id: &ID) -> i64 {
    id.parse().unwrap_or(0)
}

#[derive(Default)]
pub struct WebhookQuery;

#[Object]
impl WebhookQuery {
    /// The webhook endpoints of the viewer's subtree, newest first (ADMIN).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn webhook_endpoints(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<WebhookEndpoint>> {
        admin(ctx)?;
        let r = reader(ctx)?;
        let args = connection::page_args(first, after, last, before)?;
        let page = webhooks::endpoints(&r.db, &r.scope, &args).await?;
        Ok(connection::connection(
            page,
            CountKey::WebhookEndpoints,
            WebhookEndpoint,
        ))
    }

    /// The delivery log of an endpoint of the viewer's subtree, newest
    /// first (ADMIN); empty for an endpoint out of scope, as for none.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn webhook_deliveries(
        &self,
        ctx: &Context<'_>,
        endpoint_id: ID,
        status: Option<WebhookDeliveryStatus>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<WebhookDelivery>> {
        admin(ctx)?;
        let r = reader(ctx)?;
        let args = connection::page_args(first, after, last, before)?;
        let endpoint = endpoint_key(&endpoint_id);
        let status = status.map(WebhookDeliveryStatus::stored);
        let page = webhooks::deliveries(&r.db, &r.scope, endpoint, status, &args).await?;
        Ok(connection::connection(
            page,
            CountKey::WebhookDeliveries { endpoint, status },
            WebhookDelivery,
        ))
    }
}

#[derive(InputObject)]
pub struct CreateWebhookEndpointInput {
    /// The committee whose subtree's events the endpoint hears.
    pub committee_id: ID,
    /// An http:// or https:// URL that accepts POSTs.
    pub url: String,
    pub event_types: Vec<WebhookEventType>,
}

/// The endpoint and its signing secret, shown only this once.
#[derive(SimpleObject)]
pub struct CreateWebhookEndpointPayload {
    pub endpoint: Option<WebhookEndpoint>,
    /// `whsec_…`: verifies the `webhook-signature` header (Standard Webhooks).
    pub secret: Option<String>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct SetWebhookEndpointActiveInput {
    pub endpoint_id: ID,
    pub active: bool,
}

payload!(WebhookEndpointPayload {
    endpoint: WebhookEndpoint
});

#[derive(Default)]
pub struct WebhookMutation;

#[Object]
impl WebhookMutation {
    /// Registers a webhook endpoint for events of a committee of the
    /// viewer's subtree (ADMIN of that committee or above).
    async fn create_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        input: CreateWebhookEndpointInput,
    ) -> Result<CreateWebhookEndpointPayload> {
        let types: Vec<EventType> = input.event_types.iter().map(|t| (*t).into()).collect();
        let (created, user_errors) = mutate(ctx, "createWebhookEndpoint", async |w| {
            let committee_id = input_id(&input.committee_id, NodeKind::Committee, "committeeId")?;
            webhooks::create_endpoint(
                w,
                NewEndpoint {
                    committee_id,
                    url: &input.url,
                    types: &types,
                },
            )
            .await
        })
        .await?;
        let (endpoint, secret) = match created {
            Some((e, s)) => (Some(WebhookEndpoint(e)), Some(s)),
            None => (None, None),
        };
        Ok(CreateWebhookEndpointPayload {
            endpoint,
            secret,
            user_errors,
        })
    }

    /// Enables or disables an endpoint of the viewer's subtree (ADMIN).
    /// Enabling one gives its failed deliveries a new round of attempts.
    async fn set_webhook_endpoint_active(
        &self,
        ctx: &Context<'_>,
        input: SetWebhookEndpointActiveInput,
    ) -> Result<WebhookEndpointPayload> {
        let id = endpoint_key(&input.endpoint_id);
        Ok(mutate(ctx, "setWebhookEndpointActive", async |w| {
            if id <= 0 {
                return Err(Error::invalid(
                    &["input", "endpointId"],
                    UserErrorCode::NotFound,
                    "no webhook endpoint with this id",
                ));
            }
            webhooks::set_active(w, id, input.active).await
        })
        .await?
        .into())
    }
}
