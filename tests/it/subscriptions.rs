//! Subscriptions over graphql-ws (`graphql-transport-ws`).

use std::time::Duration;

use anyhow::{Result, bail};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::common::TestApp;
use crate::ensure_eq;

pub(crate) type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub(crate) async fn subscribe(app: &TestApp, committee: &str) -> Result<Socket> {
    subscribe_as(
        app,
        &app.admin_authorization(),
        "subscription($c: ID!) { taskUpdated(committeeId: $c) { id percent status committee { level } } }",
        json!({"c": committee}),
    )
    .await
}

async fn subscribe_as(
    app: &TestApp,
    authorization: &str,
    query: &str,
    variables: Value,
) -> Result<Socket> {
    subscribe_at(&app.base, authorization, query, variables).await
}

/// Opens a graphql-ws socket on the server at `base`, signs in and subscribes.
pub(crate) async fn subscribe_at(
    base: &str,
    authorization: &str,
    query: &str,
    variables: Value,
) -> Result<Socket> {
    let url = format!("{base}/graphql").replacen("http", "ws", 1);
    let mut request = url.into_client_request()?;
    request
        .headers_mut()
        .insert("sec-websocket-protocol", "graphql-transport-ws".parse()?);
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await?;
    ws.send(Message::text(
        json!({"type": "connection_init", "payload": {"Authorization": authorization}}).to_string(),
    ))
    .await?;
    let ack = next_json(&mut ws).await?;
    ensure_eq!(ack["type"], json!("connection_ack"));
    ws.send(Message::text(
        json!({"id": "1", "type": "subscribe", "payload": {
            "query": query,
            "variables": variables}})
        .to_string(),
    ))
    .await?;
    Ok(ws)
}

pub(crate) async fn next_json(ws: &mut Socket) -> Result<Value> {
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(t))) => return Ok(serde_json::from_str(&t)?),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            other => bail!("unexpected websocket message: {other:?}"),
        }
    }
}

pub async fn task_updates_reach_ancestors_only() -> Result<()> {
    let app = TestApp::new().await?;
    let tq = app.committee_id("PROVINCE", "08", "2024-06-01").await?;
    let ls = app.committee_id("PROVINCE", "20", "2024-06-01").await?;
    let mut province = subscribe(&app, &tq).await?;
    let mut other = subscribe(&app, &ls).await?;
    // Give the server a moment to register both subscriptions.
    tokio::time::sleep(Duration::from_millis(200)).await;
    // A commune task of the demo cascade under Tuyên Quang.
    let d = app
        .data(
            "query($c: ID!) { tasks(filter: {committeeId: $c, includeSubtree: true, status: IN_PROGRESS}, first: 1) {
               edges { node { id version committee { level code } } } } }",
            json!({"c": tq}),
        )
        .await?;
    let t = &d["tasks"]["edges"][0]["node"];
    ensure_eq!(t["committee"]["level"], json!("COMMUNE"));
    let code = t["committee"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    // The old commune has ceased: today's province, which took in the old
    // Tuyên Quang, corrects its records through its coordinator.
    let _ = code;
    let editor = app
        .session_at("PROVINCE", "08", "2026-01-01", "COORDINATOR")
        .await?;
    editor.mutate(
        REPORT_PROGRESS,
        "reportTaskProgress",
        json!({"input": {"taskId": t["id"], "expectedVersion": t["version"], "percent": 80, "status": "IN_PROGRESS"}}),
    )
    .await?;
    let msg = tokio::time::timeout(Duration::from_secs(10), next_json(&mut province)).await??;
    ensure_eq!(
        (msg["type"].clone(), msg["payload"]["errors"].clone()),
        (json!("next"), Value::Null)
    );
    ensure_eq!(
        msg["payload"]["data"]["taskUpdated"],
        json!({"id": t["id"], "percent": 80, "status": "IN_PROGRESS", "committee": {"level": "COMMUNE"}})
    );
    // The other province hears nothing.
    let silent = tokio::time::timeout(Duration::from_millis(500), next_json(&mut other)).await;
    if let Ok(m) = silent {
        bail!("a subscriber of another province received {m:?}");
    }
    Ok(())
}

/// A submitted report reaches the coordinators of the committee above it,
/// not those of another province; a viewer may not subscribe.
pub async fn report_submissions_reach_reviewers() -> Result<()> {
    let app = TestApp::new().await?;
    let d = app
        .data(
            "{ tq: committeeByCode(level: PROVINCE, code: \"08\") { id children(first: 1) { nodes { id code } } }
               ls: committeeByCode(level: PROVINCE, code: \"20\") { id } }",
            json!({}),
        )
        .await?;
    let (tq, ls) = (&d["tq"]["id"], &d["ls"]["id"]);
    let code = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let commune = &d["tq"]["children"]["nodes"][0];
    let auth = |token: Option<String>| format!("Bearer {}", token.unwrap_or_default());
    let query = "subscription($c: ID!) { reportSubmitted(committeeId: $c) { status period committee { code } } }";
    let reviewer = app
        .session_at("PROVINCE", "08", "2026-06-01", "COORDINATOR")
        .await?;
    let mut heard =
        subscribe_as(&app, &auth(reviewer.token.clone()), query, json!({"c": tq})).await?;
    let other = app
        .session_at("PROVINCE", "20", "2026-06-01", "COORDINATOR")
        .await?;
    let mut silent =
        subscribe_as(&app, &auth(other.token.clone()), query, json!({"c": ls})).await?;
    let viewer = app
        .session_at("PROVINCE", "08", "2026-06-01", "VIEWER")
        .await?;
    let mut refused =
        subscribe_as(&app, &auth(viewer.token.clone()), query, json!({"c": tq})).await?;
    let msg = tokio::time::timeout(Duration::from_secs(10), next_json(&mut refused)).await??;
    // Refused: the error comes as the subscription's only result.
    let refusal = match msg["type"].as_str() {
        Some("error") => msg["payload"][0]["extensions"]["code"].clone(),
        _ => msg["payload"]["errors"][0]["extensions"]["code"].clone(),
    };
    ensure_eq!(refusal, json!("FORBIDDEN"));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let editor = app
        .session_at("COMMUNE", &code(&commune["code"]), "2026-06-01", "EDITOR")
        .await?;
    let saved = editor
        .mutate(
            "mutation($c: ID!) { saveReport(input: {committeeId: $c, period: \"2027-Q1\", values: [{indicator: \"tips_received\", value: 2}]}) { report { id } userErrors { code } } }",
            "saveReport",
            json!({"c": commune["id"]}),
        )
        .await?;
    editor
        .mutate(
            "mutation($id: ID!) { submitReport(input: {id: $id}) { report { id } userErrors { code } } }",
            "submitReport",
            json!({"id": saved["report"]["id"]}),
        )
        .await?;
    let msg = tokio::time::timeout(Duration::from_secs(10), next_json(&mut heard)).await??;
    ensure_eq!(
        msg["payload"]["data"]["reportSubmitted"],
        json!({"status": "SUBMITTED", "period": "2027-Q1", "committee": {"code": commune["code"]}})
    );
    if let Ok(m) = tokio::time::timeout(Duration::from_millis(500), next_json(&mut silent)).await {
        bail!("another province's coordinator received {m:?}");
    }
    Ok(())
}

/// Opens a graphql-ws socket and sends `connection_init` with this
/// `Authorization`; the first answer (or the close) is left to read.
async fn connect(app: &TestApp, authorization: &str) -> Result<Socket> {
    let url = app.url("/graphql").replacen("http", "ws", 1);
    let mut request = url.into_client_request()?;
    request
        .headers_mut()
        .insert("sec-websocket-protocol", "graphql-transport-ws".parse()?);
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await?;
    ws.send(Message::text(
        json!({"type": "connection_init", "payload": {"Authorization": authorization}}).to_string(),
    ))
    .await?;
    Ok(ws)
}

/// Reads until the server closes the socket: the close code and the
/// messages that came before it.
async fn close_code(ws: &mut Socket) -> Result<(u16, Vec<Value>)> {
    let mut before = Vec::new();
    let read = async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Close(frame))) => {
                    return anyhow::Ok(frame.map_or(1005, |f| u16::from(f.code)));
                }
                Some(Ok(Message::Text(t))) => before.push(serde_json::from_str(&t)?),
                Some(Ok(_)) => {}
                other => bail!("the socket ended without a close frame: {other:?}"),
            }
        }
    };
    let code = tokio::time::timeout(Duration::from_secs(15), read).await??;
    Ok((code, before))
}

/// Reports progress on a commune task of the demo cascade under the old
/// Tuyên Quang `province` (a `taskUpdated` event for its subscribers).
pub(crate) const IN_PROGRESS_TASK: &str = "query($c: ID!) { tasks(filter: {committeeId: $c, includeSubtree: true, status: IN_PROGRESS}, first: 1) {
   edges { node { id version committee { level code } } } } }";
pub(crate) const REPORT_PROGRESS: &str = "mutation($input: ReportTaskProgressInput!) { reportTaskProgress(input: $input) { task { id } userErrors { code } } }";

async fn report_progress(app: &TestApp, province: &str, percent: i32) -> Result<()> {
    let d = app.data(IN_PROGRESS_TASK, json!({"c": province})).await?;
    let t = &d["tasks"]["edges"][0]["node"];
    // The old commune has ceased: today's province corrects its records
    // through its coordinator.
    let editor = app
        .session_at("PROVINCE", "08", "2026-01-01", "COORDINATOR")
        .await?;
    editor.mutate(
        REPORT_PROGRESS,
        "reportTaskProgress",
        json!({"input": {"taskId": t["id"], "expectedVersion": t["version"], "percent": percent, "status": "IN_PROGRESS"}}),
    )
    .await?;
    Ok(())
}

const TASK_UPDATED: &str = "subscription($c: ID!) { taskUpdated(committeeId: $c) { id percent } }";

/// A subscription ends with its credentials: disabling the account behind
/// the server's back (as `hub138 user disable` does, from another process),
/// disabling it with `setAccountActive`, or revoking its API token stops
/// the events and closes the socket with 4403.
pub async fn subscriptions_end_with_their_credentials() -> Result<()> {
    let app = TestApp::new().await?;
    let tq = app.committee_id("PROVINCE", "08", "2024-06-01").await?;
    let bearer =
        |s: &crate::common::Session<'_>| format!("Bearer {}", s.token.clone().unwrap_or_default());
    let viewer = app.session("tuyenquang.viewer").await?;
    let mut socket = subscribe_as(&app, &bearer(&viewer), TASK_UPDATED, json!({"c": tq})).await?;
    // An API token's subscription, and one whose account is disabled directly in the database.
    let editor = app.session("tuyenquang.editor").await?;
    let created = editor
        .mutate(
            "mutation { createApiToken(input: {name: \"dashboard\"}) { token tokenId userErrors { code } } }",
            "createApiToken",
            json!({}),
        )
        .await?;
    let api_token = format!("Bearer {}", created["token"].as_str().unwrap_or_default());
    let mut machine = subscribe_as(&app, &api_token, TASK_UPDATED, json!({"c": tq})).await?;
    let coordinator = app.session("tuyenquang.coordinator").await?;
    let mut behind =
        subscribe_as(&app, &bearer(&coordinator), TASK_UPDATED, json!({"c": tq})).await?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    // While the credentials hold, events arrive.
    report_progress(&app, &tq, 81).await?;
    for ws in [&mut socket, &mut machine, &mut behind] {
        let msg = tokio::time::timeout(Duration::from_secs(10), next_json(ws)).await??;
        ensure_eq!(msg["payload"]["data"]["taskUpdated"]["percent"], json!(81));
    }
    // Disabled in the database only, as by `hub138 user disable` from
    // another process: seen at the first event more than a second after the
    // connection's last check.
    let a = hub138::service::account::by_username(&app.db, "tuyenquang.coordinator")
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    hub138::service::account::set_active(&app.db, a, false)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    tokio::time::sleep(hub138::auth::credentials::RECHECK + Duration::from_millis(200)).await;
    report_progress(&app, &tq, 82).await?;
    let (code, before) = close_code(&mut behind).await?;
    ensure_eq!((code, before), (4403, Vec::<Value>::new()));
    for ws in [&mut socket, &mut machine] {
        let msg = tokio::time::timeout(Duration::from_secs(10), next_json(ws)).await??;
        ensure_eq!(msg["payload"]["data"]["taskUpdated"]["percent"], json!(82));
    }
    // Through the API: the admin disables the viewer, the editor revokes
    // its token. The next event is not delivered; the sockets close.
    let admin = app.session("tuyenquang.admin").await?;
    admin
        .mutate(
            "mutation { setAccountActive(input: {username: \"tuyenquang.viewer\", active: false}) { account { active } userErrors { code } } }",
            "setAccountActive",
            json!({}),
        )
        .await?;
    editor
        .mutate(
            "mutation($id: ID!) { revokeApiToken(input: {tokenId: $id}) { revoked userErrors { code } } }",
            "revokeApiToken",
            json!({"id": created["tokenId"]}),
        )
        .await?;
    report_progress(&app, &tq, 83).await?;
    for (name, ws) in [("disabled", &mut socket), ("revoked", &mut machine)] {
        let (code, before) = close_code(ws).await?;
        ensure_eq!((name, code, before), (name, 4403, Vec::<Value>::new()));
    }
    Ok(())
}

/// A socket whose access token expires is closed with 4403 at the expiry.
pub async fn expired_token_closes_the_socket() -> Result<()> {
    let app = TestApp::new().await?;
    let tq = app.committee_id("PROVINCE", "08", "2024-06-01").await?;
    let short = hub138::auth::token::Signer::new(
        b"hub138-test-secret-of-at-least-32-bytes",
        chrono::Duration::seconds(2),
    );
    let a = hub138::service::account::by_username(&app.db, "tuyenquang.viewer")
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let (token, _) = short.issue(a.id).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mut ws = subscribe_as(
        &app,
        &format!("Bearer {token}"),
        TASK_UPDATED,
        json!({"c": tq}),
    )
    .await?;
    let (code, before) = close_code(&mut ws).await?;
    ensure_eq!((code, before), (4403, Vec::<Value>::new()));
    Ok(())
}

/// A bad token at `connection_init` closes with 4403; a subscription to a
/// committee out of the viewer's scope is `NOT_FOUND`, the same error as for
/// a committee that does not exist.
pub async fn refusals_on_connect_and_subscribe() -> Result<()> {
    use base64::Engine;
    let app = TestApp::new().await?;
    for bad in ["Bearer garbage", "Basic dXNlcjpwYXNz", "Bearer h138_0000"] {
        let mut ws = connect(&app, bad).await?;
        let (code, before) = close_code(&mut ws).await?;
        ensure_eq!((bad, code, before), (bad, 4403, Vec::<Value>::new()));
    }
    let ls = app.committee_id("PROVINCE", "20", "2024-06-01").await?;
    let nowhere = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("Committee:987654321");
    let refusal = |msg: &Value| match msg["type"].as_str() {
        Some("error") => msg["payload"][0].clone(),
        _ => msg["payload"]["errors"][0].clone(),
    };
    let province = app
        .session_at("PROVINCE", "08", "2026-01-01", "COORDINATOR")
        .await?;
    let auth = format!("Bearer {}", province.token.clone().unwrap_or_default());
    for query in [
        TASK_UPDATED,
        "subscription($c: ID!) { reportSubmitted(committeeId: $c) { id } }",
    ] {
        let mut errors = Vec::new();
        for c in [&ls, &nowhere] {
            let mut ws = subscribe_as(&app, &auth, query, json!({"c": c})).await?;
            let msg = tokio::time::timeout(Duration::from_secs(10), next_json(&mut ws)).await??;
            let e = refusal(&msg);
            ensure_eq!(e["extensions"]["code"], json!("NOT_FOUND"));
            errors.push(e["message"].clone());
        }
        ensure_eq!(errors[0], errors[1]);
    }
    Ok(())
}

/// In persisted-only mode a graphql-ws `subscribe` runs only a document of
/// the manifest, sent as its text; anything else is answered with
/// `PERSISTED_QUERY_REQUIRED` and ends, and the socket stays open.
pub async fn persisted_only_applies_to_subscriptions() -> Result<()> {
    let trusted = "subscription Live($c: ID!) { taskUpdated(committeeId: $c) { id percent } }";
    let dir = std::env::temp_dir().join(format!("hub138-ws-manifest-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("persisted-documents.json");
    // The documents the test's own queries send are trusted too.
    std::fs::write(
        &path,
        json!({"live1": trusted, "id": crate::common::COMMITTEE_ID,
               "task": IN_PROGRESS_TASK, "progress": REPORT_PROGRESS})
        .to_string(),
    )?;
    let app = TestApp::with_limits(hub138::config::Limits {
        persisted_manifest: Some(path),
        persisted_only: true,
        ..hub138::config::Limits::default()
    })
    .await?;
    // Hà Giang before the reform: its tasks are in progress in the demo.
    let province = app.committee_id("PROVINCE", "08", "2024-06-01").await?;
    let other = "subscription { taskUpdated(committeeId: \"x\") { id } }";
    let mut ws = subscribe_as(&app, &app.admin_authorization(), other, json!({})).await?;
    let refused = next_json(&mut ws).await?;
    // async-graphql answers a refused subscribe with one `next` carrying the
    // errors, then `complete`.
    ensure_eq!(
        (refused["type"].clone(), refused["payload"].clone()),
        (
            json!("next"),
            json!({"data": null, "errors": [{"message": "this server runs only its trusted documents: name one by documentId", "extensions": {"code": "PERSISTED_QUERY_REQUIRED"}}]})
        )
    );
    ensure_eq!(next_json(&mut ws).await?["type"], json!("complete"));
    // The same socket then runs the trusted document.
    ws.send(Message::text(
        json!({"id": "2", "type": "subscribe", "payload": {
            "query": trusted, "variables": {"c": province}}})
        .to_string(),
    ))
    .await?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    report_progress(&app, &province, 55).await?;
    let event = next_json(&mut ws).await?;
    ensure_eq!(event["type"], json!("next"));
    ensure_eq!(event["id"], json!("2"));
    ensure_eq!(
        event["payload"]["data"]["taskUpdated"]["percent"],
        json!(55)
    );
    Ok(())
}
