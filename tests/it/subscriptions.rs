//! Subscriptions over graphql-ws (`graphql-transport-ws`).

use std::time::Duration;

use anyhow::{Result, bail};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::common::TestApp;
use crate::ensure_eq;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn subscribe(app: &TestApp, committee: &str) -> Result<Socket> {
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

async fn next_json(ws: &mut Socket) -> Result<Value> {
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
        "mutation($input: ReportTaskProgressInput!) { reportTaskProgress(input: $input) { task { id } userErrors { code } } }",
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
