//! Request limits: depth, complexity, page size, introspection switch.

use anyhow::Result;
use hub138::config::Limits;
use serde_json::json;

use crate::common::TestApp;
use crate::ensure_eq;

pub async fn depth_complexity_and_page_size() -> Result<()> {
    let app = TestApp::new().await?;
    // Too deep: parent chains nested past the depth limit.
    let mut deep = "id".to_owned();
    for _ in 0..14 {
        deep = format!("parent {{ {deep} }}");
    }
    let body = app
        .post(
            &format!("{{ committees(first: 1) {{ edges {{ node {{ {deep} }} }} }} }}"),
            json!({}),
        )
        .await?;
    ensure_eq!(body["data"], json!(null));
    let message = body["errors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    ensure_eq!(message.to_lowercase().contains("nested too deep"), true);

    // Too complex: 100 x 100 x 100 nested rows.
    let body = app
        .post(
            "{ committees(first: 100) { edges { node { children(first: 100) { edges { node {
                agencies(first: 100) { edges { node { name } } } } } } } } } }",
            json!({}),
        )
        .await?;
    ensure_eq!(body["data"], json!(null));
    let message = body["errors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    ensure_eq!(message.to_lowercase().contains("complex"), true);

    // A realistic portal query stays well inside the limits.
    app.data(
        "{ committees(filter: {level: PROVINCE}, first: 34) { edges { node { name
            standingAgency { name } children(first: 20) { totalCount edges { node { name } } } } } } }",
        json!({}),
    )
    .await?;

    // Introspection can be switched off.
    let closed = TestApp::with_limits(Limits {
        introspection: false,
        ..Limits::default()
    })
    .await?;
    let body = closed
        .post("{ __schema { types { name } } }", json!({}))
        .await?;
    ensure_eq!(body["data"]["__schema"], json!(null));
    let d = closed
        .data("{ committees(first: 1) { totalCount } }", json!({}))
        .await?;
    ensure_eq!(d["committees"]["totalCount"].is_i64(), true);
    Ok(())
}
