//! Webhooks: signed with the Standard Webhooks scheme, retried until the
//! receiver is back, disabled when it never is, and delivered after a
//! server was killed in the middle of a delivery.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use hub138::SignInOptions;
use hub138::config::Limits;
use hub138::service::webhooks::DeliveryOptions;
use serde_json::{Value, json};
use sha2::Sha256;
use tokio::sync::mpsc;

use crate::common::{self, Replica, Session, TestApp};
use crate::ensure_eq;
use crate::subscriptions::{IN_PROGRESS_TASK, REPORT_PROGRESS};

/// What a receiver got: the three Standard Webhooks headers and the body.
#[derive(Debug)]
struct Received {
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

#[derive(Clone)]
struct Receiver {
    got: mpsc::UnboundedSender<Received>,
    /// Accept the request but never answer.
    hang: Arc<AtomicBool>,
}

async fn hook(State(r): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    let h = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let _ = r.got.send(Received {
        id: h("webhook-id"),
        timestamp: h("webhook-timestamp"),
        signature: h("webhook-signature"),
        body,
    });
    if r.hang.load(Ordering::SeqCst) {
        std::future::pending::<()>().await;
    }
    StatusCode::NO_CONTENT
}

/// A receiver on `listener`; what it gets comes out of the channel.
fn receive(
    listener: tokio::net::TcpListener,
    hang: Arc<AtomicBool>,
) -> mpsc::UnboundedReceiver<Received> {
    let (got, rx) = mpsc::unbounded_channel();
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(hook))
        .with_state(Receiver { got, hang });
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    rx
}

/// Verifies a Standard Webhooks signature, independently of the server.
fn verify(secret: &str, r: &Received) -> Result<()> {
    let key = STANDARD.decode(secret.strip_prefix("whsec_").context("whsec_ prefix")?)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key)?;
    mac.update(format!("{}.{}.{}", r.id, r.timestamp, r.body).as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    if !r.signature.split(' ').any(|s| s == expected) {
        bail!("bad signature {:?}, expected {expected}", r.signature);
    }
    let age = chrono::Utc::now().timestamp() - r.timestamp.parse::<i64>()?;
    if !(0..60).contains(&age) {
        bail!("timestamp {} is {age} s old", r.timestamp);
    }
    Ok(())
}

const CREATE: &str =
    "mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
  endpoint { id url active eventTypes committee { code } } secret userErrors { field code } } }";
const DELIVERIES: &str =
    "query($e: ID!) { webhookDeliveries(endpointId: $e, first: 10) { totalCount
  edges { node { webhookId eventType status attempts lastStatus lastError payload } } } }";
const ENDPOINTS: &str = "{ webhookEndpoints(first: 10) { totalCount edges { node { id active disabledReason consecutiveFailures } } } }";

/// Registers an endpoint at the central committee (its subtree is every
/// committee, of the old tree and of today's) for task progress and report
/// submissions; returns (endpoint id, secret).
async fn register(admin: &Session<'_>, app: &TestApp, url: &str) -> Result<(Value, String)> {
    let tq = app.committee_id("CENTRAL", "VN", "2026-01-01").await?;
    let d = admin
        .mutate(
            CREATE,
            "createWebhookEndpoint",
            json!({"input": {"committeeId": tq, "url": url, "eventTypes": ["TASK_PROGRESS", "REPORT_SUBMITTED"]}}),
        )
        .await?;
    ensure_eq!(d["endpoint"]["active"], json!(true));
    let secret = d["secret"].as_str().unwrap_or_default().to_owned();
    Ok((d["endpoint"]["id"].clone(), secret))
}

/// Reports progress on a task under Tuyên Quang; returns the task's id.
async fn progress(app: &TestApp, percent: i32) -> Result<Value> {
    let tq = app.committee_id("PROVINCE", "08", "2024-06-01").await?;
    let d = app.data(IN_PROGRESS_TASK, json!({"c": tq})).await?;
    let t = d["tasks"]["edges"][0]["node"].clone();
    let editor = app
        .session_at("PROVINCE", "08", "2026-01-01", "COORDINATOR")
        .await?;
    editor
        .mutate(
            REPORT_PROGRESS,
            "reportTaskProgress",
            json!({"input": {"taskId": t["id"], "expectedVersion": t["version"], "percent": percent, "status": "IN_PROGRESS"}}),
        )
        .await?;
    Ok(t["id"].clone())
}

/// The endpoint's first delivery once `done` holds of it (within 20 s).
async fn delivery_when(
    admin: &Session<'_>,
    endpoint: &Value,
    done: impl Fn(&Value) -> bool,
) -> Result<Value> {
    let started = Instant::now();
    loop {
        let d = admin.data(DELIVERIES, json!({"e": endpoint})).await?;
        let node = d["webhookDeliveries"]["edges"][0]["node"].clone();
        if done(&node) {
            return Ok(node);
        }
        if started.elapsed() > Duration::from_secs(20) {
            bail!("delivery still {node}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn next(rx: &mut mpsc::UnboundedReceiver<Received>) -> Result<Received> {
    tokio::time::timeout(Duration::from_secs(20), rx.recv())
        .await
        .context("nothing received in 20 s")?
        .context("the receiver stopped")
}

pub async fn deliveries_are_signed_retried_and_disabled() -> Result<()> {
    let options = SignInOptions {
        webhooks: DeliveryOptions {
            poll: Some(Duration::from_millis(100)),
            retry_after: vec![Duration::from_secs(1); 3],
            timeout: Duration::from_secs(2),
            ..DeliveryOptions::default()
        },
        ..SignInOptions::default()
    };
    let app = TestApp::with_sign_in(Limits::default(), options).await?;
    let admin = app.session("central.admin").await?;
    let provincial = app.session("tuyenquang.admin").await?;
    // The receiver is down: nothing listens on its port yet.
    let port = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await?
        .local_addr()?
        .port();
    let (endpoint, secret) =
        register(&admin, &app, &format!("http://127.0.0.1:{port}/hook")).await?;
    // A bad URL is refused; another province's committee answers as one
    // that does not exist.
    let tq = app.committee_id("PROVINCE", "08", "2026-01-01").await?;
    let hanoi = app.committee_id("PROVINCE", "01", "2026-01-01").await?;
    for (committee, url, field, code) in [
        (&tq, "ftp://example.org/x", "url", "INVALID_URL"),
        (&tq, "http://user:pw@example.org/x", "url", "INVALID_URL"),
        (&hanoi, "http://127.0.0.1/hook", "committeeId", "NOT_FOUND"),
    ] {
        let d = provincial
            .data(
                CREATE,
                json!({"input": {"committeeId": committee, "url": url, "eventTypes": ["PLAN_ISSUED"]}}),
            )
            .await?;
        ensure_eq!(
            d["createWebhookEndpoint"]["userErrors"][0],
            json!({"field": ["input", field], "code": code})
        );
    }
    let task = progress(&app, 71).await?;
    let first = delivery_when(&admin, &endpoint, |n| n["attempts"].as_i64() >= Some(1)).await?;
    ensure_eq!(
        (
            first["status"].clone(),
            first["lastError"].clone(),
            first["eventType"].clone()
        ),
        (
            json!("PENDING"),
            json!("cannot connect"),
            json!("TASK_PROGRESS")
        )
    );
    // The receiver comes back: the retry reaches it, signed.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let mut rx = receive(listener, Arc::default());
    let got = next(&mut rx).await?;
    verify(&secret, &got)?;
    let body: Value = serde_json::from_str(&got.body)?;
    ensure_eq!(
        (body["type"].clone(), body["data"]["taskId"].clone()),
        (json!("task.progress"), task)
    );
    let done = delivery_when(&admin, &endpoint, |n| n["status"] == json!("DELIVERED")).await?;
    ensure_eq!(
        (
            done["webhookId"].clone(),
            done["lastStatus"].clone(),
            done["attempts"].as_i64().map(|a| a >= 2)
        ),
        (json!(got.id), json!(204), Some(true))
    );
    // A tampered body does not verify.
    let forged = Received {
        body: got.body.replace("task.progress", "plan.issued"),
        ..got
    };
    if verify(&secret, &forged).is_ok() {
        bail!("a changed body verified");
    }

    // An endpoint that never answers: every retry fails, then it is
    // disabled, and the log says so.
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await?
        .local_addr()?
        .port();
    let (gone, _) = register(&admin, &app, &format!("http://127.0.0.1:{dead}/hook")).await?;
    progress(&app, 72).await?;
    let failed = delivery_when(&admin, &gone, |n| n["status"] == json!("FAILED")).await?;
    ensure_eq!(failed["attempts"], json!(4));
    let list = admin.data(ENDPOINTS, json!({})).await?;
    let node = list["webhookEndpoints"]["edges"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["node"]["id"] == gone))
        .map(|e| e["node"].clone())
        .unwrap_or_default();
    ensure_eq!(
        (node["active"].clone(), node["disabledReason"].is_string()),
        (json!(false), true)
    );
    // A month on, the housekeeping deletes the events whose deliveries are
    // done, with their log; one still pending stays.
    {
        use entities::{webhook_delivery, webhook_event};
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        let month_ago = chrono::Utc::now() - chrono::Duration::days(31);
        webhook_event::Entity::update_many()
            .col_expr(webhook_event::Column::CreatedAt, Expr::value(month_ago))
            .exec(&app.db)
            .await?;
        webhook_delivery::Entity::update_many()
            .col_expr(webhook_delivery::Column::Status, Expr::value("PENDING"))
            .col_expr(
                webhook_delivery::Column::NextAttemptAt,
                Expr::value(chrono::Utc::now() + chrono::Duration::days(1)),
            )
            .filter(webhook_delivery::Column::Status.eq("FAILED"))
            .exec(&app.db)
            .await?;
        let window = hub138::auth::throttle::ThrottleLimits::default().window;
        let swept = hub138::service::housekeeping::sweep(&app.db, window)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        ensure_eq!(swept.map(|s| s.webhook_events), Some(1));
        // The first event went: its delivery to the first endpoint with it.
        // The second (delivered there, pending for the other) stays whole.
        let log = admin.data(DELIVERIES, json!({"e": endpoint})).await?;
        ensure_eq!(
            (
                log["webhookDeliveries"]["totalCount"].clone(),
                log["webhookDeliveries"]["edges"][0]["node"]["webhookId"] == done["webhookId"]
            ),
            (json!(1), false)
        );
        let kept = admin.data(DELIVERIES, json!({"e": gone})).await?;
        ensure_eq!(kept["webhookDeliveries"]["totalCount"], json!(1));
    }
    // A viewer may not read the log.
    let viewer = app.session("tuyenquang.viewer").await?;
    ensure_eq!(viewer.error_code(ENDPOINTS, json!({})).await?, "FORBIDDEN");
    Ok(())
}

/// A server killed in the middle of a delivery has recorded nothing; the
/// next one delivers the same event again, with the same `webhook-id`.
pub async fn a_killed_server_delivers_after_restart() -> Result<()> {
    let app = TestApp::new().await?;
    let admin = app.session("central.admin").await?;
    let hang = Arc::new(AtomicBool::new(true));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let mut rx = receive(listener, hang.clone());
    let (endpoint, secret) =
        register(&admin, &app, &format!("http://127.0.0.1:{port}/hook")).await?;
    progress(&app, 73).await?;
    let replicas = if common::on_postgres() { "2" } else { "1" };
    let env = [("HUB138_REPLICAS", replicas)];
    let first = Replica::start(&app.url, &env).await?;
    let got = next(&mut rx).await?;
    verify(&secret, &got)?;
    // Killed while the receiver holds the request.
    first.kill().await?;
    let pending = delivery_when(&admin, &endpoint, |_| true).await?;
    ensure_eq!(
        (pending["status"].clone(), pending["attempts"].clone()),
        (json!("PENDING"), json!(0))
    );
    hang.store(false, Ordering::SeqCst);
    let second = Replica::start(&app.url, &env).await?;
    let again = next(&mut rx).await?;
    verify(&secret, &again)?;
    ensure_eq!((again.id.clone(), again.body.clone()), (got.id, got.body));
    let done = delivery_when(&admin, &endpoint, |n| n["status"] == json!("DELIVERED")).await?;
    ensure_eq!(done["attempts"], json!(1));
    second.kill().await?;
    Ok(())
}
