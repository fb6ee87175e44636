//! GraphQL over HTTP: media types, status codes, GET, health probes.

use anyhow::{Result, bail};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::ensure_eq;

const GQL: &str = "application/graphql-response+json";

async fn post_raw(
    app: &TestApp,
    accept: &str,
    content_type: &str,
    body: &str,
) -> Result<(StatusCode, String, Value)> {
    let resp = app
        .client()
        .post(app.url("/graphql"))
        .header("accept", accept)
        .header("authorization", app.admin_authorization())
        .header("content-type", content_type)
        .body(body.to_owned())
        .send()
        .await?;
    let status = resp.status();
    let ct = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = resp.text().await?;
    Ok((
        status,
        ct,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    ))
}

pub async fn status_codes_and_media_types() -> Result<()> {
    let app = TestApp::new().await?;
    let ok = r#"{"query":"{ committees(first: 1) { totalCount } }"}"#;

    let (s, ct, body) = post_raw(&app, GQL, "application/json", ok).await?;
    ensure_eq!(s, StatusCode::OK);
    ensure_eq!(ct.starts_with(GQL), true);
    ensure_eq!(body["data"]["committees"]["totalCount"].is_i64(), true);

    // A charset parameter is fine; so is a legacy client accepting application/json.
    let (s, ct, _) = post_raw(
        &app,
        "application/json",
        "application/json; charset=utf-8",
        ok,
    )
    .await?;
    ensure_eq!(s, StatusCode::OK);
    ensure_eq!(ct.starts_with("application/json"), true);

    // Not a well-formed GraphQL-over-HTTP request: 400 whatever the Accept.
    for (accept, body) in [
        (GQL, "{not json"),
        (GQL, "[]"),
        (GQL, r#"[{"query":"{ __typename }"}]"#),
        (GQL, r#"{"query": 1}"#),
        (GQL, r#"{"notquery": "{ __typename }"}"#),
        (GQL, r#"{"query":"{ __typename }","variables":"x"}"#),
        (GQL, r#"{"query":"{ __typename }","operationName":7}"#),
        (GQL, r#"{"query":"{ __typename }","extensions":[]}"#),
        ("application/json", r#"{"query": null}"#),
    ] {
        let (s, _, resp) = post_raw(&app, accept, "application/json", body).await?;
        ensure_eq!((body, s), (body, StatusCode::BAD_REQUEST));
        ensure_eq!(resp["errors"].is_array(), true);
    }

    // A document that does not parse or validate, or bad variables: 400
    // with the GraphQL response type, 200 for legacy application/json.
    for body in [
        r#"{"query":"{ committees("}"#,
        r#"{"query":"{ noSuchField }"}"#,
        r#"{"query":"query($n: Int) { committees(first: $n) { totalCount } }","variables":{"n":"ten"}}"#,
        r#"{"query":"query($d: Date) { committees(filter: {activeOn: $d}) { totalCount } }","variables":{"d":"31/12/2025"}}"#,
        r#"{"query":"query A { __typename } query B { __typename }"}"#,
    ] {
        let (s, _, resp) = post_raw(&app, GQL, "application/json", body).await?;
        ensure_eq!((body, s), (body, StatusCode::BAD_REQUEST));
        ensure_eq!(resp.get("data").is_none_or(Value::is_null), true);
        ensure_eq!(resp["errors"][0]["message"].is_string(), true);
        let (s, _, _) = post_raw(&app, "application/json", "application/json", body).await?;
        ensure_eq!((body, s), (body, StatusCode::OK));
    }

    // An execution error is 200 with data and errors.
    let (s, _, resp) = post_raw(
        &app,
        GQL,
        "application/json",
        r#"{"query":"{ committees(first: 500) { totalCount } }"}"#,
    )
    .await?;
    ensure_eq!(s, StatusCode::OK);
    ensure_eq!(
        resp["errors"][0]["extensions"]["code"],
        json!("BAD_USER_INPUT")
    );
    ensure_eq!(resp["errors"][0]["path"], json!(["committees"]));

    // Wrong media types.
    let (s, _, _) = post_raw(&app, GQL, "text/plain", ok).await?;
    ensure_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (s, _, _) = post_raw(&app, "text/csv", "application/json", ok).await?;
    ensure_eq!(s, StatusCode::NOT_ACCEPTABLE);

    // An oversized body.
    let huge = format!(
        r#"{{"query":"{{ __typename }}","extensions":{{"pad":"{}"}}}}"#,
        "x".repeat(300 * 1024)
    );
    let (s, _, _) = post_raw(&app, GQL, "application/json", &huge).await?;
    ensure_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    Ok(())
}

pub async fn get_requests() -> Result<()> {
    let app = TestApp::new().await?;
    let get = |params: Vec<(&'static str, String)>, accept: &'static str| {
        app.client()
            .get(app.url("/graphql"))
            .header("accept", accept)
            .header("authorization", app.admin_authorization())
            .query(&params)
            .send()
    };
    let resp = get(
        vec![
            (
                "query",
                "query($l: CommitteeLevel) { committees(filter: {level: $l}) { totalCount } }"
                    .into(),
            ),
            ("variables", r#"{"l":"PROVINCE"}"#.into()),
        ],
        GQL,
    )
    .await?;
    ensure_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await?;
    ensure_eq!(body["data"]["committees"]["totalCount"], json!(34));

    // Mutations only over POST.
    let resp = get(
        vec![(
            "query",
            "mutation { deactivateAgency(input: {id: \"x\"}) { userErrors { code } } }".into(),
        )],
        GQL,
    )
    .await?;
    ensure_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    ensure_eq!(
        resp.headers().get("allow").and_then(|v| v.to_str().ok()),
        Some("POST")
    );

    // Variables that are not a JSON object.
    let resp = get(
        vec![
            ("query", "{ __typename }".into()),
            ("variables", "[1]".into()),
        ],
        GQL,
    )
    .await?;
    ensure_eq!(resp.status(), StatusCode::BAD_REQUEST);

    // A browser gets GraphiQL.
    let resp = get(vec![], "text/html,application/xhtml+xml").await?;
    ensure_eq!(resp.status(), StatusCode::OK);
    let html = resp.text().await?;
    ensure_eq!(html.contains("graphiql"), true);
    Ok(())
}

pub async fn health_probes() -> Result<()> {
    let app = TestApp::new().await?;
    for path in ["/healthz", "/readyz"] {
        let resp = app.client().get(app.url(path)).send().await?;
        ensure_eq!((path, resp.status()), (path, StatusCode::OK));
    }
    Ok(())
}

/// Every response carries the request id (the client's, or a new one), the
/// audit trail records the same id, and a response says what its query cost
/// against the complexity limit.
pub async fn request_ids_and_costs() -> Result<()> {
    let app = TestApp::new().await?;
    let resp = app
        .client()
        .get(app.url("/healthz"))
        .header("x-request-id", "portal-1234")
        .send()
        .await?;
    ensure_eq!(
        resp.headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        Some("portal-1234")
    );
    let resp = app.client().get(app.url("/readyz")).send().await?;
    let made = resp
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if made.is_empty() {
        bail!("no request id was made");
    }
    // A mutation's audit event records the id the client sent.
    let resp = app
        .client()
        .post(app.url("/graphql"))
        .header("x-request-id", "portal-5678")
        .header("authorization", app.admin_authorization())
        .json(&json!({"query": "mutation { createCounterpart(input: {country: \"LA\", bodyName: \"Sở Ngoại vụ Savannakhet\"}) { counterpart { id } } }"}))
        .send()
        .await?;
    ensure_eq!(
        resp.headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        Some("portal-5678")
    );
    let d = app
        .data(
            "{ auditEvents(filter: {action: \"createCounterpart\"}, first: 1) { nodes { requestId } } }",
            json!({}),
        )
        .await?;
    ensure_eq!(
        d["auditEvents"]["nodes"][0]["requestId"],
        json!("portal-5678")
    );
    // The cost of a query, and the limit.
    let body = app
        .post(
            "{ committees(first: 10) { edges { node { id name } } } }",
            json!({}),
        )
        .await?;
    let cost = &body["extensions"]["cost"];
    ensure_eq!(cost["limit"], json!(50_000));
    match cost["complexity"].as_u64() {
        Some(n) if n >= 10 => {}
        other => bail!("no cost in the response: {other:?} ({body})"),
    }
    Ok(())
}

/// GraphiQL is served by Hub138 itself: the page and its assets come from
/// this server, nothing from a CDN; with introspection off, the page knows.
pub async fn graphiql_is_served_offline() -> Result<()> {
    let app = TestApp::new().await?;
    let page = app
        .client()
        .get(app.url("/graphql"))
        .header("accept", "text/html")
        .send()
        .await?
        .text()
        .await?;
    for needle in [
        "/graphiql/graphiql.js",
        "/graphiql/graphiql.css",
        "data-introspection=\"true\"",
    ] {
        if !page.contains(needle) {
            bail!("the GraphiQL page lacks {needle}: {page}");
        }
    }
    for outside in ["http://", "https://", "//unpkg", "//cdn", "jsdelivr"] {
        if page.contains(outside) {
            bail!("the GraphiQL page loads {outside}: {page}");
        }
    }
    for (file, kind) in [
        ("graphiql.js", "text/javascript"),
        ("graphiql.css", "text/css"),
    ] {
        let resp = app
            .client()
            .get(app.url(&format!("/graphiql/{file}")))
            .send()
            .await?;
        ensure_eq!((file, resp.status()), (file, StatusCode::OK));
        let ct = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        if !ct.starts_with(kind) {
            bail!("{file} is served as {ct}");
        }
        if resp.bytes().await?.len() < 100_000 {
            bail!("{file} is not the GraphiQL bundle");
        }
    }
    let resp = app
        .client()
        .get(app.url("/graphiql/other.js"))
        .send()
        .await?;
    ensure_eq!(resp.status(), StatusCode::NOT_FOUND);
    // The versions and licences of what the bundle holds are recorded.
    let versions = include_str!("../../api/assets/graphiql/VERSIONS.md");
    for p in ["| graphiql |", "| react |", "| graphql-ws |", "MIT"] {
        if !versions.contains(p) {
            bail!("VERSIONS.md lacks {p}");
        }
    }
    // Introspection off: the page says so instead of an empty docs pane.
    let limits = hub138::config::Limits {
        introspection: false,
        ..hub138::config::Limits::default()
    };
    let closed = TestApp::with_limits(limits).await?;
    let page = closed
        .client()
        .get(closed.url("/graphql"))
        .header("accept", "text/html")
        .send()
        .await?
        .text()
        .await?;
    if !page.contains("data-introspection=\"false\"") {
        bail!("the page does not know introspection is off");
    }
    Ok(())
}

/// Apollo's automatic persisted queries: an unknown hash is
/// `PERSISTED_QUERY_NOT_FOUND`, the query sent once with its hash is kept,
/// then the hash alone runs it, over POST and over GET (cacheable); a wrong
/// hash is refused; a persisted mutation over GET is refused.
pub async fn persisted_queries_round_trip() -> Result<()> {
    use sha2::{Digest, Sha256};
    let app = TestApp::new().await?;
    let query = "{ committeeByCode(level: CENTRAL, code: \"VN\") { code } }";
    let hash = hex::encode(Sha256::digest(query.as_bytes()));
    let ext = json!({"persistedQuery": {"version": 1, "sha256Hash": hash}});
    let post = |body: Value| {
        app.client()
            .post(app.url("/graphql"))
            .header("authorization", app.admin_authorization())
            .json(&body)
            .send()
    };
    let first: Value = post(json!({"extensions": ext})).await?.json().await?;
    ensure_eq!(
        (
            first["errors"][0]["message"].clone(),
            first["errors"][0]["extensions"]["code"].clone()
        ),
        (
            json!("PersistedQueryNotFound"),
            json!("PERSISTED_QUERY_NOT_FOUND")
        )
    );
    let sent: Value = post(json!({"query": query, "extensions": ext}))
        .await?
        .json()
        .await?;
    ensure_eq!(sent["data"]["committeeByCode"]["code"], json!("VN"));
    let again: Value = post(json!({"extensions": ext})).await?.json().await?;
    ensure_eq!(again["data"], sent["data"]);
    let got: Value = app
        .client()
        .get(app.url("/graphql"))
        .query(&[("extensions", ext.to_string())])
        .header("authorization", app.admin_authorization())
        .send()
        .await?
        .json()
        .await?;
    ensure_eq!(got["data"], sent["data"]);
    // A hash that is not the query's.
    let wrong = json!({"persistedQuery": {"version": 1, "sha256Hash": "00".repeat(32)}});
    let bad: Value = post(json!({"query": query, "extensions": wrong}))
        .await?
        .json()
        .await?;
    ensure_eq!(
        bad["errors"][0]["extensions"]["code"],
        json!("BAD_USER_INPUT")
    );
    // A mutation persisted over POST does not run over GET.
    let mutation = "mutation { createCounterpart(input: {country: \"LA\", bodyName: \"Đối tác\"}) { counterpart { id } } }";
    let mhash = hex::encode(Sha256::digest(mutation.as_bytes()));
    let mext = json!({"persistedQuery": {"version": 1, "sha256Hash": mhash}});
    post(json!({"query": mutation, "extensions": mext})).await?;
    let before = app.rows("counterpart").await?;
    let refused: Value = app
        .client()
        .get(app.url("/graphql"))
        .query(&[("extensions", mext.to_string())])
        .header("authorization", app.admin_authorization())
        .send()
        .await?
        .json()
        .await?;
    ensure_eq!(
        refused["errors"][0]["extensions"]["code"],
        json!("BAD_REQUEST")
    );
    ensure_eq!(app.rows("counterpart").await?, before);
    Ok(())
}

/// Trusted documents: with a manifest (id → document, as relay-compiler's
/// `persistConfig` writes it) and `persistedOnly`, a client names documents
/// by id — over POST or GET — and nothing else runs.
pub async fn trusted_documents_only() -> Result<()> {
    use sha2::{Digest, Sha256};
    let doc = "query Central { committeeByCode(level: CENTRAL, code: \"VN\") { code } }";
    let dir = std::env::temp_dir().join(format!("hub138-manifest-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("persisted-queries.json");
    std::fs::write(&path, json!({"a1b2c3": doc}).to_string())?;
    let app = TestApp::with_limits(hub138::config::Limits {
        persisted_manifest: Some(path.clone()),
        persisted_only: true,
        ..hub138::config::Limits::default()
    })
    .await?;
    let post = |body: Value| {
        app.client()
            .post(app.url("/graphql"))
            .header("authorization", app.admin_authorization())
            .json(&body)
            .send()
    };
    let expected = json!({"committeeByCode": {"code": "VN"}});
    for body in [
        json!({"documentId": "a1b2c3"}),
        json!({"doc_id": "a1b2c3"}),
        json!({"id": "a1b2c3"}),
        json!({"extensions": {"persistedQuery": {"version": 1, "sha256Hash": hex::encode(Sha256::digest(doc.as_bytes()))}}}),
        json!({"query": doc}),
    ] {
        let d: Value = post(body.clone()).await?.json().await?;
        ensure_eq!((&body, d["data"].clone()), (&body, expected.clone()));
    }
    let got: Value = app
        .client()
        .get(app.url("/graphql"))
        .query(&[("documentId", "a1b2c3")])
        .header("authorization", app.admin_authorization())
        .send()
        .await?
        .json()
        .await?;
    ensure_eq!(got["data"], expected);
    // Anything else is refused, with a code.
    let resp = post(json!({"query": "{ committees(first: 1) { totalCount } }"})).await?;
    ensure_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body: Value = resp.json().await?;
    ensure_eq!(
        body["errors"][0]["extensions"]["code"],
        json!("PERSISTED_QUERY_REQUIRED")
    );
    let body: Value = post(json!({"documentId": "nope"})).await?.json().await?;
    ensure_eq!(
        body["errors"][0]["extensions"]["code"],
        json!("PERSISTED_QUERY_NOT_FOUND")
    );
    // Without persistedOnly the manifest's ids work beside ordinary queries.
    let open = TestApp::with_limits(hub138::config::Limits {
        persisted_manifest: Some(path),
        ..hub138::config::Limits::default()
    })
    .await?;
    let d: Value = open
        .client()
        .post(open.url("/graphql"))
        .header("authorization", open.admin_authorization())
        .json(&json!({"documentId": "a1b2c3"}))
        .send()
        .await?
        .json()
        .await?;
    ensure_eq!(d["data"], expected);
    open.data("{ committees(first: 1) { totalCount } }", json!({}))
        .await?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The reference portal's documents — relay-compiler's `persistConfig`
/// output, checked in and embedded — are trusted by every server: on a
/// persisted-only server with no manifest of its own, the ids relay-compiler
/// emitted (the SHA-256 of each text) run, and nothing else does.
pub async fn portal_documents_are_trusted() -> Result<()> {
    use sha2::{Digest, Sha256};
    let manifest: serde_json::Map<String, Value> =
        serde_json::from_str(include_str!("../../portal/persisted-documents.json"))?;
    if manifest.len() < 5 {
        bail!("the portal's manifest holds {} documents", manifest.len());
    }
    let app = TestApp::with_limits(hub138::config::Limits {
        persisted_only: true,
        ..hub138::config::Limits::default()
    })
    .await?;
    let post = |body: Value, token: Option<String>| {
        let mut req = app.client().post(app.url("/graphql")).json(&body);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        req.send()
    };
    let id_of = |name: &str| -> Result<String> {
        manifest
            .iter()
            .find(|(_, text)| text.as_str().is_some_and(|t| t.contains(name)))
            .map(|(id, _)| id.clone())
            .ok_or_else(|| anyhow::anyhow!("no portal document {name}"))
    };
    for (id, text) in &manifest {
        let text = text.as_str().unwrap_or_default();
        ensure_eq!(id, &hex::encode(Sha256::digest(text.as_bytes())));
        // Each id is known and its document valid: any error is about the
        // missing variables or the sign-in, never the document.
        let body: Value = post(json!({"documentId": id}), None).await?.json().await?;
        for e in body["errors"].as_array().into_iter().flatten() {
            let code = e["extensions"]["code"].as_str().unwrap_or_default();
            if code.starts_with("PERSISTED_QUERY") || code == "GRAPHQL_PARSE_FAILED" {
                bail!("{id}: {e}");
            }
        }
    }
    let signed: Value = post(
        json!({"documentId": id_of("signInLoginMutation")?,
               "variables": {"username": "tuyenquang.coordinator", "password": "hub138-demo"}}),
        None,
    )
    .await?
    .json()
    .await?;
    let token = signed["data"]["login"]["accessToken"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("no token: {signed}"))?
        .to_owned();
    let found: Value = post(
        json!({"documentId": id_of("searchCommitteesQuery")?,
               "variables": {"name": "tuyen quang", "first": 5}}),
        Some(token.clone()),
    )
    .await?
    .json()
    .await?;
    ensure_eq!(found["errors"], Value::Null);
    if !found.to_string().contains("Tuyên Quang") {
        bail!("the search found no Tuyên Quang: {found}");
    }
    let resp = post(json!({"query": "{ me { username } }"}), Some(token)).await?;
    ensure_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body: Value = resp.json().await?;
    ensure_eq!(
        body["errors"][0]["extensions"]["code"],
        json!("PERSISTED_QUERY_REQUIRED")
    );
    Ok(())
}

/// `/portal` serves the embedded portal: its page, script and style sheet
/// (that they load nothing from elsewhere, the browser test checks).
pub async fn portal_is_served() -> Result<()> {
    let app = TestApp::new().await?;
    for (path, media) in [
        ("/portal", "text/html"),
        ("/portal/", "text/html"),
        ("/portal/portal.js", "text/javascript"),
        ("/portal/portal.css", "text/css"),
    ] {
        let resp = app.client().get(app.url(path)).send().await?;
        ensure_eq!((path, resp.status()), (path, StatusCode::OK));
        let ct = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        if !ct.starts_with(media) {
            bail!("{path}: {ct}");
        }
        if resp.bytes().await?.is_empty() {
            bail!("{path} is empty");
        }
    }
    let resp = app.client().get(app.url("/portal/other.js")).send().await?;
    ensure_eq!(resp.status(), StatusCode::NOT_FOUND);
    Ok(())
}
