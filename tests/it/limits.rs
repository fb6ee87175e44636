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

/// The code of the first error of a response.
fn code(body: &serde_json::Value) -> serde_json::Value {
    body["errors"][0]["extensions"]["code"].clone()
}

/// Every error that refuses a whole request carries a stable code, the 413
/// included (as GraphQL JSON).
pub async fn request_errors_carry_codes() -> Result<()> {
    let app = TestApp::with_limits(Limits {
        max_body_bytes: 2048,
        ..Limits::default()
    })
    .await?;
    let mut deep = "id".to_owned();
    for _ in 0..14 {
        deep = format!("parent {{ {deep} }}");
    }
    let deep = format!("{{ committees(first: 1) {{ edges {{ node {{ {deep} }} }} }} }}");
    let mut recursive = "id".to_owned();
    for _ in 0..40 {
        recursive = format!("parent {{ {recursive} }}");
    }
    let recursive = format!("{{ committees(first: 1) {{ edges {{ node {{ {recursive} }} }} }} }}");
    for (query, expected) in [
        ("{ committees(", "GRAPHQL_PARSE_FAILED"),
        ("{ noSuchField }", "GRAPHQL_VALIDATION_FAILED"),
        (
            "{ committees(first: \"x\") { totalCount } }",
            "BAD_USER_INPUT",
        ),
        // A file inline instead of in a multipart request.
        (
            "mutation { importReports(input: {file: \"\"}) { userErrors { code } } }",
            "BAD_USER_INPUT",
        ),
        (
            "query A { __typename } query B { __typename }",
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (deep.as_str(), "TOO_DEEP"),
        (recursive.as_str(), "TOO_DEEP"),
        (
            "{ committees(first: 100) { edges { node { children(first: 100) { edges { node {
                agencies(first: 100) { edges { node { name } } } } } } } } } }",
            "TOO_COMPLEX",
        ),
    ] {
        let body = app.post(query, json!({})).await?;
        ensure_eq!((query, code(&body)), (query, json!(expected)));
    }
    // An unknown operation name.
    let resp = app
        .client()
        .post(app.url("/graphql"))
        .header("authorization", app.admin_authorization())
        .json(&json!({"query": "query A { __typename }", "operationName": "B"}))
        .send()
        .await?;
    let body: serde_json::Value = resp.json().await?;
    ensure_eq!(code(&body), json!("GRAPHQL_VALIDATION_FAILED"));

    // Too large: 413 as GraphQL JSON.
    let huge = format!(
        r#"{{"query":"{{ __typename }}","extensions":{{"pad":"{}"}}}}"#,
        "x".repeat(4096)
    );
    let resp = app
        .client()
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .header("accept", "application/graphql-response+json")
        .body(huge)
        .send()
        .await?;
    ensure_eq!(resp.status().as_u16(), 413);
    let ct = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    ensure_eq!(ct.starts_with("application/graphql-response+json"), true);
    let body: serde_json::Value = resp.json().await?;
    ensure_eq!(code(&body), json!("PAYLOAD_TOO_LARGE"));
    Ok(())
}

/// Rollups carry their cost in the complexity limit and aliases are
/// capped: 500 aliased rollups are refused before any SQL runs.
pub async fn aliases_and_rollup_costs() -> Result<()> {
    let aliased = |n: usize| {
        let fields: String = (0..n)
            .map(|i| {
                format!(
                    "r{i}: indicatorRollup(indicators: [\"tips_received\"], period: \"20{:02}\") {{ total {{ value }} }} ",
                    i % 100
                )
            })
            .collect();
        format!("query($c: ID!) {{ node(id: $c) {{ ... on Committee {{ {fields} }} }} }}")
    };
    for (limits, expected) in [
        (Limits::default(), "TOO_COMPLEX"),
        // Without the alias cap, the complexity limit refuses them.
        (
            Limits {
                max_aliases: 10_000,
                ..Limits::default()
            },
            "TOO_COMPLEX",
        ),
    ] {
        let app = TestApp::with_limits(limits).await?;
        let central = app.committee_id("CENTRAL", "VN", "2024-06-01").await?;
        let before = app.statements();
        let body = app.post(&aliased(500), json!({"c": central})).await?;
        ensure_eq!(code(&body), json!(expected));
        ensure_eq!(
            body.get("data").is_none_or(serde_json::Value::is_null),
            true
        );
        // Refused before any work: only the viewer's token was looked up.
        ensure_eq!(app.statements() - before <= 3, true);
    }
    let app = TestApp::new().await?;
    let central = app.committee_id("CENTRAL", "VN", "2024-06-01").await?;
    let body = app.post(&aliased(101), json!({"c": central})).await?;
    ensure_eq!(code(&body), json!("TOO_COMPLEX"));
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    ensure_eq!(message.contains("aliases"), true);
    // A few are fine.
    app.data(&aliased(5), json!({"c": central})).await?;
    Ok(())
}

/// A client that dribbles its headers is disconnected after the header
/// timeout; one that dribbles its body is answered 408 after the body
/// timeout and disconnected.
pub async fn slow_clients_are_cut_off() -> Result<()> {
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::with_limits(Limits {
        header_timeout_secs: 1,
        body_timeout_secs: 1,
        ..Limits::default()
    })
    .await?;
    let address = app.base.trim_start_matches("http://").to_owned();

    // Headers, one line every 300 ms.
    let mut s = tokio::net::TcpStream::connect(&address).await?;
    let started = Instant::now();
    s.write_all(b"POST /graphql HTTP/1.1\r\nhost: x\r\n")
        .await?;
    let mut closed_after = None;
    for i in 0..20 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        if s.write_all(format!("x-slow-{i}: 1\r\n").as_bytes())
            .await
            .is_err()
        {
            closed_after = Some(started.elapsed());
            break;
        }
        let mut buf = [0u8; 512];
        match tokio::time::timeout(Duration::from_millis(1), s.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => {
                closed_after = Some(started.elapsed());
                break;
            }
            Ok(Ok(_)) => {
                // hyper may answer 408 before closing.
                closed_after = Some(started.elapsed());
                break;
            }
            Err(_) => {}
        }
    }
    // Closed while the client was still dribbling (without the timeout it
    // stays open for the whole 6 s of headers).
    closed_after.ok_or_else(|| anyhow::anyhow!("still open after 6 s"))?;

    // A body of 100 bytes, one byte every 300 ms.
    let mut s = tokio::net::TcpStream::connect(&address).await?;
    s.write_all(
        format!(
            "POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n\
             authorization: {}\r\ncontent-length: 100\r\n\r\n",
            app.admin_authorization()
        )
        .as_bytes(),
    )
    .await?;
    let (mut r, mut w) = s.into_split();
    let writer = tokio::spawn(async move {
        for _ in 0..100 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if w.write_all(b" ").await.is_err() {
                break;
            }
        }
    });
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(6), r.read_to_end(&mut answer)).await;
    ensure_eq!(read.is_ok(), true);
    let text = String::from_utf8_lossy(&answer).to_string();
    ensure_eq!(text.starts_with("HTTP/1.1 408"), true);
    ensure_eq!(text.contains("\"TIMEOUT\""), true);
    writer.abort();
    Ok(())
}

/// A query seen before runs on the schema without the checks' extensions,
/// from its kept parse: it answers exactly as the first time — its data for
/// each viewer's own scope, its cost, its coded errors — and a query the
/// checks refused is refused every time.
pub async fn kept_queries_answer_as_checked() -> Result<()> {
    let app = TestApp::new().await?;
    let central = app.session("central.viewer").await?;
    let province = app.session("tuyenquang.viewer").await?;
    let list = "query($n: Int) { committees(first: $n, orderBy: {field: CODE, direction: ASC}) { totalCount nodes { code name } } }";
    for (query, variables) in [
        (list, json!({"n": 5})),
        // An error from a resolver, with its path and code.
        (list, json!({"n": 500})),
        // A variable with a control character: refused before it runs.
        (
            "query($c: String!) { committeeByCode(level: PROVINCE, code: $c) { name } }",
            json!({"c": "0\u{1}8"}),
        ),
        // Fails validation.
        ("{ committees { nope } }", json!({})),
    ] {
        let first_central = central.post(query, variables.clone()).await?;
        let first_province = province.post(query, variables.clone()).await?;
        for _ in 0..2 {
            let again = central.post(query, variables.clone()).await?;
            ensure_eq!((query, &again), (query, &first_central));
            let again = province.post(query, variables.clone()).await?;
            ensure_eq!((query, &again), (query, &first_province));
        }
    }
    // What those answers were.
    let body = central.post(list, json!({"n": 5})).await?;
    ensure_eq!(body["extensions"]["cost"]["limit"], json!(50_000));
    ensure_eq!(
        body["extensions"]["cost"]["complexity"].as_u64().is_some(),
        true
    );
    let all = body["data"]["committees"]["totalCount"]
        .as_i64()
        .unwrap_or(0);
    let body = province.post(list, json!({"n": 5})).await?;
    let scoped = body["data"]["committees"]["totalCount"]
        .as_i64()
        .unwrap_or(0);
    ensure_eq!(scoped > 0 && scoped < all, true);
    let body = central.post(list, json!({"n": 500})).await?;
    ensure_eq!(
        body["errors"][0]["extensions"]["code"],
        json!("BAD_USER_INPUT")
    );
    ensure_eq!(body["errors"][0]["path"], json!(["committees"]));
    let body = central
        .post(
            "query($c: String!) { committeeByCode(level: PROVINCE, code: $c) { name } }",
            json!({"c": "0\u{1}8"}),
        )
        .await?;
    ensure_eq!(
        body["errors"][0]["extensions"]["code"],
        json!("BAD_USER_INPUT")
    );
    ensure_eq!(
        body.get("data").is_none_or(serde_json::Value::is_null),
        true
    );
    let body = central.post("{ committees { nope } }", json!({})).await?;
    ensure_eq!(
        body["errors"][0]["extensions"]["code"],
        json!("GRAPHQL_VALIDATION_FAILED")
    );
    Ok(())
}
