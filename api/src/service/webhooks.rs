//! Webhooks: other systems told when something happens, never losing an
//! event.
//!
//! An ADMIN registers an endpoint (a URL) for some [`EventType`]s of a
//! committee of its subtree; the endpoint hears of the events of that
//! committee and of every committee below it (by the pre-order ranges of
//! the tree as stored). The signing secret is made here and shown once.
//!
//! **The outbox.** [`enqueue`] is called in the transaction of the change
//! itself (a report's step, a plan issued, a progress update, an export
//! made): when some active endpoint is registered for the event, it writes
//! the event (`webhook_event`) and one pending delivery per such endpoint
//! (`webhook_delivery`). So an event exists exactly when its change does,
//! and a change nobody listens to costs one statement.
//!
//! **Delivery.** Every replica runs [`run`]: it takes due deliveries with
//! `FOR UPDATE SKIP LOCKED` (on PostgreSQL, so two replicas never take the
//! same one; SQLite serves one process), POSTs each with the Standard
//! Webhooks headers — `webhook-id` (the event's, the same on every retry),
//! `webhook-timestamp` and `webhook-signature` (`v1,` and the base64
//! HMAC-SHA256 of `id.timestamp.body` under the secret) — and records the
//! outcome. A 2xx answer delivers it; anything else, a timeout or no answer
//! is retried after [`RETRY_AFTER`] (5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
//! 10 h: about 28 hours); once the retries are spent the delivery is
//! `FAILED` and the endpoint is disabled until an ADMIN enables it again.
//! A server killed mid-delivery has committed nothing: the delivery is
//! still pending and is sent again (at least once, with the same id).
//!
//! **Payloads** carry the event type, when it happened, and ids: the
//! committee's, the object's (global ids, as the API hands out) and, for a
//! report, its period and status — nothing the endpoint's committee could
//! not read through the API, and no personal data.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use entities::{committee, webhook_delivery, webhook_endpoint, webhook_event};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::auth::Scope;
use crate::error::{Error, Result, UserErrorCode};
use crate::service::page::{self, Cursor, Key, Ordering, Page, PageArgs};
use crate::service::validate::Check;
use crate::service::write::Write;

/// What an endpoint may be told of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventType {
    ReportSubmitted,
    ReportApproved,
    ReportReturned,
    PlanIssued,
    TaskProgress,
    ExportReady,
}

impl EventType {
    pub const ALL: [EventType; 6] = [
        EventType::ReportSubmitted,
        EventType::ReportApproved,
        EventType::ReportReturned,
        EventType::PlanIssued,
        EventType::TaskProgress,
        EventType::ExportReady,
    ];

    /// The name in payloads and in the `type` field.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::ReportSubmitted => "report.submitted",
            EventType::ReportApproved => "report.approved",
            EventType::ReportReturned => "report.returned",
            EventType::PlanIssued => "plan.issued",
            EventType::TaskProgress => "task.progress",
            EventType::ExportReady => "export.ready",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// The delivery's state.
pub const PENDING: &str = "PENDING";
pub const DELIVERED: &str = "DELIVERED";
pub const FAILED: &str = "FAILED";

/// How long after each failed attempt the next one is made; after the last
/// the delivery has failed.
pub const RETRY_AFTER: [Duration; 7] = [
    Duration::from_secs(5),
    Duration::from_secs(5 * 60),
    Duration::from_secs(30 * 60),
    Duration::from_secs(2 * 3600),
    Duration::from_secs(5 * 3600),
    Duration::from_secs(10 * 3600),
    Duration::from_secs(10 * 3600),
];

/// How deliveries are made.
#[derive(Clone, Debug)]
pub struct DeliveryOptions {
    /// How often due deliveries are looked for; `None`: this process does
    /// not deliver.
    pub poll: Option<Duration>,
    /// The waits between attempts ([`RETRY_AFTER`]).
    pub retry_after: Vec<Duration>,
    /// How long a receiver has to answer.
    pub timeout: Duration,
    /// Deliveries taken at once.
    pub batch: u64,
}

/// Nothing delivered (`hub138 serve` delivers every second unless
/// `HUB138_WEBHOOK_DELIVERY=false`); the rest as in production.
impl Default for DeliveryOptions {
    fn default() -> Self {
        Self {
            poll: None,
            retry_after: RETRY_AFTER.to_vec(),
            timeout: Duration::from_secs(10),
            batch: 16,
        }
    }
}

/// The stored form of a set of event types.
fn types_column(types: &[EventType]) -> String {
    let mut s = String::from(",");
    for t in EventType::ALL.iter().filter(|t| types.contains(t)) {
        s.push_str(t.as_str());
        s.push(',');
    }
    s
}

/// The event types of an endpoint.
pub fn types_of(e: &webhook_endpoint::Model) -> Vec<EventType> {
    e.event_types
        .split(',')
        .filter_map(EventType::parse)
        .collect()
}

/// Writes `event` about `committee_id` into the outbox, with a pending
/// delivery for each active endpoint registered for it there — in the
/// caller's transaction `tx`. `data` holds the ids the payload carries.
pub async fn enqueue(
    tx: &impl ConnectionTrait,
    event: EventType,
    committee_id: i64,
    data: Value,
) -> Result<()> {
    let any = webhook_endpoint::Entity::find()
        .select_only()
        .column(webhook_endpoint::Column::Id)
        .filter(listening(event, committee_id))
        .into_tuple::<i64>()
        .all(tx)
        .await?;
    if any.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let message_id = format!("msg_{}", random_token(16));
    let payload = json!({
        "type": event.as_str(),
        "timestamp": now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "data": data,
    });
    let e = webhook_event::ActiveModel {
        message_id: Set(message_id),
        event_type: Set(event.as_str().to_owned()),
        committee_id: Set(committee_id),
        payload: Set(payload.to_string()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    let rows = any
        .into_iter()
        .map(|endpoint_id| webhook_delivery::ActiveModel {
            event_id: Set(e.id),
            endpoint_id: Set(endpoint_id),
            status: Set(PENDING.to_owned()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            created_at: Set(now),
            ..Default::default()
        });
    webhook_delivery::Entity::insert_many(rows).exec(tx).await?;
    Ok(())
}

/// The active endpoints registered for `event` whose committee's subtree
/// holds `committee_id`.
fn listening(event: EventType, committee_id: i64) -> sea_orm::Condition {
    use sea_orm::sea_query::Query;
    let holds = Query::select()
        .expr(Expr::val(1))
        .from_as(committee::Entity, "wh_event_committee")
        .from_as(committee::Entity, "wh_endpoint_committee")
        .and_where(Expr::col(("wh_event_committee", committee::Column::Id)).eq(committee_id))
        .and_where(
            Expr::col(("wh_endpoint_committee", committee::Column::Id)).equals((
                webhook_endpoint::Entity,
                webhook_endpoint::Column::CommitteeId,
            )),
        )
        .and_where(
            Expr::col(("wh_event_committee", committee::Column::Lft))
                .gte(Expr::col(("wh_endpoint_committee", committee::Column::Lft))),
        )
        .and_where(
            Expr::col(("wh_event_committee", committee::Column::Lft))
                .lte(Expr::col(("wh_endpoint_committee", committee::Column::Rgt))),
        )
        .to_owned();
    sea_orm::Condition::all()
        .add(webhook_endpoint::Column::Active.eq(true))
        .add(webhook_endpoint::Column::EventTypes.like(format!("%,{},%", event.as_str())))
        .add(Expr::exists(holds))
}

fn random_token(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// A new endpoint's secret: `whsec_` and 24 random bytes in base64.
fn new_secret() -> String {
    let mut b = [0u8; 24];
    rand::rng().fill_bytes(&mut b);
    format!("whsec_{}", STANDARD.encode(b))
}

/// The Standard Webhooks signature of a message: `v1,` and the base64
/// HMAC-SHA256 of `id.timestamp.body` under the secret's bytes.
pub fn sign(secret: &str, message_id: &str, timestamp: i64, body: &str) -> Result<String> {
    let key = STANDARD
        .decode(secret.trim_start_matches("whsec_"))
        .map_err(|e| Error::internal_msg(format!("webhook secret: {e}")))?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key)
        .map_err(|e| Error::internal_msg(format!("webhook secret: {e}")))?;
    mac.update(format!("{message_id}.{timestamp}.{body}").as_bytes());
    Ok(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// What registering an endpoint needs.
pub struct NewEndpoint<'a> {
    pub committee_id: i64,
    pub url: &'a str,
    pub types: &'a [EventType],
}

/// Registers an endpoint (an ADMIN of the committee or above); returns it
/// with its secret, which is not shown again.
pub async fn create_endpoint(
    w: &Write<'_>,
    new: NewEndpoint<'_>,
) -> Result<(webhook_endpoint::Model, String)> {
    let committee = w
        .committee(new.committee_id, &["input", "committeeId"])
        .await?;
    w.may_administer(&committee).await?;
    let mut c = Check::new();
    c.plain(&["input", "url"], new.url);
    c.finish()?;
    let url = new.url.trim();
    let parsed = reqwest::Url::parse(url).ok().filter(|u| {
        matches!(u.scheme(), "http" | "https")
            && u.host_str().is_some()
            && u.username().is_empty()
            && u.password().is_none()
    });
    if parsed.is_none() || url.len() > 2000 {
        return Err(Error::invalid(
            &["input", "url"],
            UserErrorCode::InvalidUrl,
            "an http:// or https:// URL with a host and no credentials, at most 2000 characters",
        ));
    }
    if new.types.is_empty() {
        return Err(Error::invalid(
            &["input", "eventTypes"],
            UserErrorCode::Required,
            "at least one event type",
        ));
    }
    let secret = new_secret();
    let now = Utc::now();
    let creator = w.caller().map_or(0, |v| v.account_id);
    let e = webhook_endpoint::ActiveModel {
        committee_id: Set(committee.id),
        url: Set(url.to_owned()),
        secret: Set(secret.clone()),
        event_types: Set(types_column(new.types)),
        active: Set(true),
        consecutive_failures: Set(0),
        disabled_reason: Set(None),
        created_by: Set(creator),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(w.tx())
    .await?;
    w.audit(Some(e.committee_id), None, None, Some(audit_json(&e)))
        .await?;
    Ok((e, secret))
}

fn audit_json(e: &webhook_endpoint::Model) -> Value {
    json!({"id": e.id, "url": e.url, "eventTypes": e.event_types.trim_matches(','), "active": e.active})
}

/// An endpoint the caller administers, or `NOT_FOUND` (whether it exists
/// or not).
async fn administered(w: &Write<'_>, id: i64) -> Result<webhook_endpoint::Model> {
    let not_found = || {
        Error::invalid(
            &["input", "endpointId"],
            UserErrorCode::NotFound,
            "no webhook endpoint with this id",
        )
    };
    let e = webhook_endpoint::Entity::find_by_id(id)
        .one(w.tx())
        .await?
        .ok_or_else(not_found)?;
    if !w.in_subtree(e.committee_id).await? {
        return Err(not_found());
    }
    let committee = w
        .committee(e.committee_id, &["input", "endpointId"])
        .await?;
    w.may_administer(&committee).await?;
    Ok(e)
}

/// Enables or disables an endpoint. Enabling one the delivery disabled
/// gives its failed deliveries a new round of attempts.
pub async fn set_active(w: &Write<'_>, id: i64, active: bool) -> Result<webhook_endpoint::Model> {
    if w.caller()
        .is_some_and(|v| v.role < crate::service::enums::Role::Admin)
    {
        return Err(Error::Forbidden);
    }
    let e = administered(w, id).await?;
    let before = audit_json(&e);
    let mut m: webhook_endpoint::ActiveModel = e.into();
    m.active = Set(active);
    if active {
        m.consecutive_failures = Set(0);
        m.disabled_reason = Set(None);
    }
    m.updated_at = Set(Utc::now());
    let e = m.update(w.tx()).await?;
    if active {
        webhook_delivery::Entity::update_many()
            .col_expr(webhook_delivery::Column::Status, Expr::value(PENDING))
            .col_expr(webhook_delivery::Column::Attempts, Expr::value(0))
            .col_expr(
                webhook_delivery::Column::NextAttemptAt,
                Expr::value(Utc::now()),
            )
            .filter(webhook_delivery::Column::EndpointId.eq(e.id))
            .filter(webhook_delivery::Column::Status.eq(FAILED))
            .exec(w.tx())
            .await?;
    }
    w.audit(
        Some(e.committee_id),
        None,
        Some(before),
        Some(audit_json(&e)),
    )
    .await?;
    Ok(e)
}

/// The endpoints of committees in the viewer's subtrees, newest first.
fn endpoints_in(scope: &Scope) -> sea_orm::Select<webhook_endpoint::Entity> {
    webhook_endpoint::Entity::find().filter(scope.in_subtree(Expr::col((
        webhook_endpoint::Entity,
        webhook_endpoint::Column::CommitteeId,
    ))))
}

fn newest_first<C: ColumnTrait>(id: C) -> Ordering {
    Ordering {
        key: Expr::col(id),
        id: Expr::col(id),
        desc: true,
    }
}

pub async fn endpoints(
    db: &impl ConnectionTrait,
    scope: &Scope,
    args: &PageArgs,
) -> Result<Page<webhook_endpoint::Model>> {
    page::fetch(
        db,
        endpoints_in(scope),
        &newest_first(webhook_endpoint::Column::Id),
        args,
        |e| Cursor {
            key: Key::Int(e.id),
            id: e.id,
        },
    )
    .await
}

pub async fn count_endpoints(db: &impl ConnectionTrait, scope: &Scope) -> Result<i64> {
    page::count(db, endpoints_in(scope)).await
}

/// A delivery as the log shows it: with its event.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub delivery: webhook_delivery::Model,
    pub event: webhook_event::Model,
}

fn deliveries_of(
    scope: &Scope,
    endpoint_id: i64,
    status: Option<&'static str>,
) -> sea_orm::Select<webhook_delivery::Entity> {
    use sea_orm::sea_query::Query;
    let visible = Query::select()
        .column(webhook_endpoint::Column::Id)
        .from(webhook_endpoint::Entity)
        .and_where(Expr::col(webhook_endpoint::Column::Id).eq(endpoint_id))
        .cond_where(scope.in_subtree(Expr::col((
            webhook_endpoint::Entity,
            webhook_endpoint::Column::CommitteeId,
        ))))
        .to_owned();
    let mut q = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::EndpointId.in_subquery(visible));
    if let Some(s) = status {
        q = q.filter(webhook_delivery::Column::Status.eq(s));
    }
    q
}

/// The delivery log of an endpoint of the viewer's subtrees, newest first
/// (empty for one out of scope, as for one that does not exist).
pub async fn deliveries(
    db: &impl ConnectionTrait,
    scope: &Scope,
    endpoint_id: i64,
    status: Option<&'static str>,
    args: &PageArgs,
) -> Result<Page<Delivery>> {
    let page = page::fetch(
        db,
        deliveries_of(scope, endpoint_id, status),
        &newest_first(webhook_delivery::Column::Id),
        args,
        |d| Cursor {
            key: Key::Int(d.id),
            id: d.id,
        },
    )
    .await?;
    let event_ids: Vec<i64> = page.items.iter().map(|(_, d)| d.event_id).collect();
    let events = webhook_event::Entity::find()
        .filter(webhook_event::Column::Id.is_in(event_ids))
        .all(db)
        .await?;
    Ok(Page {
        items: page
            .items
            .into_iter()
            .filter_map(|(c, d)| {
                let event = events.iter().find(|e| e.id == d.event_id)?.clone();
                Some((c, Delivery { delivery: d, event }))
            })
            .collect(),
        has_next: page.has_next,
        has_previous: page.has_previous,
    })
}

pub async fn count_deliveries(
    db: &impl ConnectionTrait,
    scope: &Scope,
    endpoint_id: i64,
    status: Option<&'static str>,
) -> Result<i64> {
    page::count(db, deliveries_of(scope, endpoint_id, status)).await
}

// --- delivery ---------------------------------------------------------------

/// One attempt's outcome.
struct Outcome {
    status: Option<u16>,
    error: Option<String>,
}

impl Outcome {
    fn delivered(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

async fn post(
    client: &reqwest::Client,
    endpoint: &webhook_endpoint::Model,
    event: &webhook_event::Model,
) -> Outcome {
    let timestamp = Utc::now().timestamp();
    let signature = match sign(
        &endpoint.secret,
        &event.message_id,
        timestamp,
        &event.payload,
    ) {
        Ok(s) => s,
        Err(_) => {
            return Outcome {
                status: None,
                error: Some("the endpoint's secret cannot sign".into()),
            };
        }
    };
    let sent = client
        .post(&endpoint.url)
        .header("content-type", "application/json")
        .header("webhook-id", &event.message_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(event.payload.clone())
        .send()
        .await;
    match sent {
        Ok(resp) => {
            let status = resp.status().as_u16();
            Outcome {
                status: Some(status),
                error: (!(200..300).contains(&status))
                    .then(|| format!("the receiver answered {status}")),
            }
        }
        Err(err) => Outcome {
            status: None,
            error: Some(if err.is_timeout() {
                "no answer in time".to_owned()
            } else if err.is_connect() {
                "cannot connect".to_owned()
            } else {
                "the request failed".to_owned()
            }),
        },
    }
}

/// The due deliveries, locked for this replica on PostgreSQL.
async fn due(
    db: &impl ConnectionTrait,
    batch: u64,
) -> Result<
    Vec<(
        webhook_delivery::Model,
        webhook_event::Model,
        webhook_endpoint::Model,
    )>,
> {
    let mut q = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::Status.eq(PENDING))
        .filter(webhook_delivery::Column::NextAttemptAt.lte(Utc::now()))
        .order_by_asc(webhook_delivery::Column::NextAttemptAt)
        .order_by_asc(webhook_delivery::Column::Id)
        .limit(batch);
    if db.get_database_backend() == DbBackend::Postgres {
        q = q.lock_with_behavior(
            sea_orm::sea_query::LockType::Update,
            sea_orm::sea_query::LockBehavior::SkipLocked,
        );
    }
    let deliveries = q.all(db).await?;
    if deliveries.is_empty() {
        return Ok(Vec::new());
    }
    let events = webhook_event::Entity::find()
        .filter(webhook_event::Column::Id.is_in(deliveries.iter().map(|d| d.event_id)))
        .all(db)
        .await?;
    let endpoints = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::Id.is_in(deliveries.iter().map(|d| d.endpoint_id)))
        .all(db)
        .await?;
    Ok(deliveries
        .into_iter()
        .filter_map(|d| {
            let e = events.iter().find(|e| e.id == d.event_id)?.clone();
            let p = endpoints.iter().find(|p| p.id == d.endpoint_id)?.clone();
            Some((d, e, p))
        })
        .collect())
}

/// Records an attempt: delivered, to be retried, or failed for good (and
/// then the endpoint disabled).
async fn record(
    db: &impl ConnectionTrait,
    options: &DeliveryOptions,
    d: webhook_delivery::Model,
    endpoint: &webhook_endpoint::Model,
    outcome: Outcome,
    at: DateTime<Utc>,
) -> Result<()> {
    let attempts = d.attempts + 1;
    let delivered = outcome.delivered();
    let retry = options
        .retry_after
        .get(usize::try_from(d.attempts).unwrap_or(usize::MAX));
    let mut m: webhook_delivery::ActiveModel = d.into();
    m.attempts = Set(attempts);
    m.last_attempt_at = Set(Some(at));
    m.last_status = Set(outcome.status.map(i32::from));
    m.last_error = Set(outcome.error.clone());
    let failed_for_good = !delivered && retry.is_none();
    if delivered {
        m.status = Set(DELIVERED.to_owned());
        m.delivered_at = Set(Some(at));
    } else if let Some(wait) = retry {
        m.next_attempt_at = Set(at + chrono::Duration::from_std(*wait).unwrap_or_default());
    } else {
        m.status = Set(FAILED.to_owned());
    }
    m.update(db).await?;
    let failures = if delivered {
        Expr::value(0)
    } else {
        Expr::col(webhook_endpoint::Column::ConsecutiveFailures).add(1)
    };
    let mut u = webhook_endpoint::Entity::update_many()
        .col_expr(webhook_endpoint::Column::ConsecutiveFailures, failures)
        .filter(webhook_endpoint::Column::Id.eq(endpoint.id));
    if failed_for_good {
        u = u
            .col_expr(webhook_endpoint::Column::Active, Expr::value(false))
            .col_expr(
                webhook_endpoint::Column::DisabledReason,
                Expr::value(format!(
                    "disabled: a delivery failed {attempts} times over its retries"
                )),
            )
            .col_expr(webhook_endpoint::Column::UpdatedAt, Expr::value(at));
    }
    u.exec(db).await?;
    Ok(())
}

/// One round: takes the due deliveries, sends them (at once), records the
/// outcomes. Returns how many were attempted.
pub async fn deliver_due(
    db: &DatabaseConnection,
    client: &reqwest::Client,
    options: &DeliveryOptions,
) -> Result<usize> {
    // On PostgreSQL the rows stay locked (and other replicas skip them)
    // until the outcomes are recorded; killed before, nothing is recorded
    // and the deliveries are due again. SQLite has one process: no lock is
    // held while the receivers answer.
    if db.get_database_backend() == DbBackend::Postgres {
        let tx = db.begin().await?;
        let n = round(&tx, client, options).await?;
        tx.commit().await?;
        Ok(n)
    } else {
        round(db, client, options).await
    }
}

/// Takes, sends and records one batch on `conn`.
async fn round(
    conn: &impl ConnectionTrait,
    client: &reqwest::Client,
    options: &DeliveryOptions,
) -> Result<usize> {
    let taken = due(conn, options.batch).await?;
    let n = taken.len();
    let outcomes = futures_util::future::join_all(
        taken
            .iter()
            .map(|(_, event, endpoint)| post(client, endpoint, event)),
    )
    .await;
    let at = Utc::now();
    for ((d, _, endpoint), outcome) in taken.into_iter().zip(outcomes) {
        record(conn, options, d, &endpoint, outcome, at).await?;
    }
    Ok(n)
}

/// The HTTP client deliveries use: a timeout, no redirects followed, TLS
/// with the system's roots.
pub fn client(options: &DeliveryOptions) -> Result<reqwest::Client> {
    crate::install_tls();
    reqwest::Client::builder()
        .timeout(options.timeout)
        .connect_timeout(options.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Hub138-Webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(Error::internal)
}

/// Delivers until dropped, every `options.poll` (nothing when `None`).
pub async fn run(db: DatabaseConnection, options: DeliveryOptions) {
    let Some(poll) = options.poll else {
        return;
    };
    let client = match client(&options) {
        Ok(c) => c,
        Err(err) => {
            tracing::error!(error = ?err, "webhooks: no HTTP client, nothing is delivered");
            return;
        }
    };
    loop {
        match deliver_due(&db, &client, &options).await {
            // A full batch: there may be more due at once.
            Ok(n) if n as u64 >= options.batch => continue,
            Ok(_) => {}
            Err(err) => tracing::warn!(error = ?err, "webhooks: delivery round failed"),
        }
        tokio::time::sleep(poll).await;
    }
}

/// The outbox rows to delete: events older than `kept` whose deliveries
/// are all done (delivered or failed), with their deliveries. Returns how
/// many events were deleted.
pub async fn purge(db: &impl ConnectionTrait, kept: chrono::Duration) -> Result<u64> {
    use sea_orm::sea_query::Query;
    let done = || {
        let pending = Query::select()
            .expr(Expr::val(1))
            .from_as(webhook_delivery::Entity, "pending")
            .and_where(
                Expr::col(("pending", webhook_delivery::Column::EventId))
                    .equals((webhook_event::Entity, webhook_event::Column::Id)),
            )
            .and_where(Expr::col(("pending", webhook_delivery::Column::Status)).eq(PENDING))
            .to_owned();
        sea_orm::Condition::all()
            .add(webhook_event::Column::CreatedAt.lt(Utc::now() - kept))
            .add(Expr::exists(pending).not())
    };
    // The deliveries first (SQLite may not enforce the cascade).
    let events = Query::select()
        .column((webhook_event::Entity, webhook_event::Column::Id))
        .from(webhook_event::Entity)
        .cond_where(done())
        .to_owned();
    webhook_delivery::Entity::delete_many()
        .filter(webhook_delivery::Column::EventId.in_subquery(events))
        .exec(db)
        .await?;
    let deleted = webhook_event::Entity::delete_many()
        .filter(done())
        .exec(db)
        .await?;
    Ok(deleted.rows_affected)
}
