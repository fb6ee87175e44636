//! Accounts and tokens: sign-in, the viewer, expired, revoked and bad
//! tokens, throttling, and the audit trail.

use anyhow::{Context, Result, bail};
use hub138::SignInOptions;
use hub138::auth::throttle::ThrottleLimits;
use hub138::auth::token::Signer;
use hub138::config::Limits;
use serde_json::json;

use crate::common::TestApp;
use crate::ensure_eq;

const LOGIN: &str =
    "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) {
  accessToken expiresAt account { username role committee { code level } } userErrors { code } } }";

pub async fn sign_in_and_tokens() -> Result<()> {
    let app = TestApp::new().await?;
    let anon = app.anonymous();
    // Anonymous: the schema and login, nothing else.
    ensure_eq!(
        anon.data("{ __typename }", json!({})).await?["__typename"],
        json!("Query")
    );
    ensure_eq!(
        anon.error_code("{ committees { totalCount } }", json!({}))
            .await?,
        "UNAUTHENTICATED"
    );
    ensure_eq!(
        anon.error_code("{ me { username } }", json!({})).await?,
        "UNAUTHENTICATED"
    );
    let d = anon
        .data("{ __type(name: \"Plan\") { name } }", json!({}))
        .await?;
    ensure_eq!(d["__type"]["name"], json!("Plan"));
    // Sign in with a demo account.
    let d = anon
        .data(LOGIN, json!({"u": "tuyenquang.editor", "p": "hub138-demo"}))
        .await?;
    let token = d["login"]["accessToken"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    ensure_eq!(d["login"]["account"]["role"], json!("EDITOR"));
    ensure_eq!(d["login"]["account"]["committee"]["code"], json!("08"));
    let me = app
        .with_token(&token)
        .data("{ me { username role } }", json!({}))
        .await?;
    ensure_eq!(
        me["me"],
        json!({"username": "tuyenquang.editor", "role": "EDITOR"})
    );
    // Wrong password and unknown user answer alike.
    for (u, p) in [
        ("tuyenquang.editor", "wrong-password"),
        ("nobody.here", "hub138-demo"),
    ] {
        let d = anon.data(LOGIN, json!({"u": u, "p": p})).await?;
        ensure_eq!(d["login"]["accessToken"], json!(null));
        ensure_eq!(
            d["login"]["userErrors"][0]["code"],
            json!("INVALID_CREDENTIALS")
        );
    }
    // Bad, expired and foreign-secret tokens: 401 UNAUTHENTICATED, the token not echoed.
    let expired = {
        let signer = Signer::new(
            b"hub138-test-secret-of-at-least-32-bytes",
            chrono::Duration::minutes(-5),
        );
        let a = hub138::service::account::by_username(&app.db, "tuyenquang.editor")
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        signer.issue(a.id).map_err(|e| anyhow::anyhow!("{e:?}"))?.0
    };
    let foreign = Signer::new(
        b"another-secret-that-is-32-bytes-long!!",
        chrono::Duration::minutes(5),
    )
    .issue(1)
    .map_err(|e| anyhow::anyhow!("{e:?}"))?
    .0;
    for bad in ["garbage", expired.as_str(), foreign.as_str(), "h138_0000"] {
        let resp = app
            .client()
            .post(app.url("/graphql"))
            .header("authorization", format!("Bearer {bad}"))
            .json(&json!({"query": "{ me { username } }"}))
            .send()
            .await?;
        ensure_eq!(resp.status().as_u16(), 401);
        let text = resp.text().await?;
        if !text.contains("UNAUTHENTICATED") || text.contains(bad) {
            bail!("bad token answer: {text}");
        }
    }
    // API tokens: shown once, work like the account, die when revoked.
    let editor = app.with_token(&token);
    let d = editor
        .mutate(
            "mutation { createApiToken(input: {name: \"national export\"}) { token tokenId userErrors { code } } }",
            "createApiToken",
            json!({}),
        )
        .await?;
    let api = d["token"].as_str().unwrap_or_default().to_owned();
    let machine = app.with_token(&api);
    ensure_eq!(
        machine.data("{ me { username } }", json!({})).await?["me"]["username"],
        json!("tuyenquang.editor")
    );
    editor
        .mutate(
            "mutation($id: ID!) { revokeApiToken(input: {tokenId: $id}) { revoked userErrors { code } } }",
            "revokeApiToken",
            json!({"id": d["tokenId"]}),
        )
        .await?;
    ensure_eq!(
        machine.post("{ me { username } }", json!({})).await?["errors"][0]["extensions"]["code"],
        json!("UNAUTHENTICATED")
    );
    // A disabled account's tokens stop working.
    let admin = app.session("tuyenquang.admin").await?;
    admin
        .mutate(
            "mutation { setAccountActive(input: {username: \"tuyenquang.viewer\", active: false}) { account { active } userErrors { code } } }",
            "setAccountActive",
            json!({}),
        )
        .await?;
    let viewer_token = app.session("tuyenquang.viewer").await?;
    ensure_eq!(
        viewer_token
            .error_code("{ me { username } }", json!({}))
            .await?,
        "UNAUTHENTICATED"
    );
    // Failed sign-ins are throttled: after five, even the right password waits.
    for _ in 0..5 {
        anon.data(LOGIN, json!({"u": "central.viewer", "p": "wrong-password"}))
            .await?;
    }
    let d = anon
        .data(LOGIN, json!({"u": "central.viewer", "p": "hub138-demo"}))
        .await?;
    ensure_eq!(
        d["login"]["userErrors"][0]["code"],
        json!("TOO_MANY_ATTEMPTS")
    );
    // Logins, failures, tokens and changes are in the audit trail.
    let d = app
        .data(
            "{ auditEvents(first: 100) { totalCount edges { node { action actorUsername } } } }",
            json!({}),
        )
        .await?;
    let actions: Vec<String> = d["auditEvents"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["node"]["action"].as_str().map(str::to_owned))
        .collect();
    for expected in [
        "login",
        "loginFailed",
        "loginThrottled",
        "createApiToken",
        "revokeApiToken",
        "setAccountActive",
    ] {
        if !actions.iter().any(|a| a == expected) {
            bail!("no {expected} in the audit trail: {actions:?}");
        }
    }
    // Only ADMINs read it.
    ensure_eq!(
        editor
            .error_code("{ auditEvents { totalCount } }", json!({}))
            .await?,
        "FORBIDDEN"
    );
    Ok(())
}

/// The twelve demo accounts (all with the password `hub138-demo`).
const DEMO_USERS: [&str; 12] = [
    "central.viewer",
    "central.editor",
    "central.coordinator",
    "central.admin",
    "tuyenquang.viewer",
    "tuyenquang.editor",
    "tuyenquang.coordinator",
    "tuyenquang.admin",
    "hagiang2.viewer",
    "hagiang2.editor",
    "hagiang2.coordinator",
    "hagiang2.admin",
];

/// A login over HTTP, optionally through a proxy that forwards for a
/// client: `"OK"` when it signed in, else the userError code.
async fn login_as(
    app: &TestApp,
    forwarded_for: Option<&str>,
    username: &str,
    password: &str,
) -> Result<String> {
    let mut req = app
        .client()
        .post(app.url("/graphql"))
        .json(&json!({"query": LOGIN, "variables": {"u": username, "p": password}}));
    if let Some(f) = forwarded_for {
        req = req.header("x-forwarded-for", f);
    }
    let body: serde_json::Value = req.send().await?.json().await?;
    let login = &body["data"]["login"];
    if login["accessToken"].is_string() {
        return Ok("OK".to_owned());
    }
    login["userErrors"][0]["code"]
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("a login answered neither a token nor a code: {body}"))
}

/// (client address, after) of the audit events with this action, in order.
async fn audited(app: &TestApp, action: &str) -> Result<Vec<(Option<String>, String)>> {
    use sea_orm::{ConnectionTrait, Statement};
    let rows = app
        .db
        .query_all_raw(Statement::from_sql_and_values(
            app.db.get_database_backend(),
            match app.db.get_database_backend() {
                sea_orm::DatabaseBackend::Postgres => {
                    "SELECT client_address, after FROM audit_event WHERE action = $1 ORDER BY id"
                }
                _ => "SELECT client_address, after FROM audit_event WHERE action = ? ORDER BY id",
            },
            [action.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| -> Result<(Option<String>, String)> {
            Ok((
                r.try_get::<Option<String>>("", "client_address")?,
                r.try_get::<Option<String>>("", "after")?
                    .unwrap_or_default(),
            ))
        })
        .collect()
}

/// Sign-in options trusting `proxies` (and the throttle's default limits).
fn trusting(proxies: &str) -> Result<SignInOptions> {
    Ok(SignInOptions {
        trusted_proxies: proxies.parse().map_err(anyhow::Error::msg)?,
        ..SignInOptions::default()
    })
}

/// `$argon2id$v=19$m=…,t=…,p=…`: what decides the cost of a verification.
fn argon2_parameters(phc: &str) -> Result<String> {
    let parts: Vec<&str> = phc.split('$').collect();
    if parts.len() != 6 || parts[1] != "argon2id" {
        bail!("not an argon2id PHC string: {phc}");
    }
    Ok(parts[1..4].join("$"))
}

/// An unknown username costs what a known one does: the stand-in hash is
/// computed once per process and has the parameters of every stored hash
/// (so verifying against it is the same argon2 work), and the two answer,
/// audit and throttle alike.
pub async fn unknown_and_known_users_cost_the_same() -> Result<()> {
    use hub138::auth::password;
    let app = TestApp::new().await?;
    // Computed once: the same string every time, not a new hash per attempt.
    let (first, again) = (password::dummy(), password::dummy());
    if !std::ptr::eq(first, again) {
        bail!("the stand-in hash is recomputed");
    }
    let admin = hub138::service::account::by_username(&app.db, "central.admin")
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let fresh = password::hash("a-new-password-1234")
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let stored = argon2_parameters(&admin.password_hash)?;
    ensure_eq!(argon2_parameters(first)?, stored);
    ensure_eq!(argon2_parameters(&fresh)?, stored);
    // It is a real argon2 hash: it verifies what nobody knows, and nothing else.
    if password::verify("hub138-demo", first)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
    {
        bail!("the stand-in hash accepts a known password");
    }
    // Over HTTP: the same answer, the same audit event, the same throttle.
    let anon = app.anonymous();
    let known = anon
        .post(LOGIN, json!({"u": "central.editor", "p": "wrong-password"}))
        .await?;
    let unknown = anon
        .post(LOGIN, json!({"u": "nobody.at.all", "p": "wrong-password"}))
        .await?;
    ensure_eq!(known, unknown);
    ensure_eq!(
        known["data"]["login"]["userErrors"][0]["code"],
        json!("INVALID_CREDENTIALS")
    );
    for u in ["central.editor", "nobody.at.all"] {
        for _ in 0..4 {
            ensure_eq!(
                login_as(&app, None, u, "wrong-password").await?,
                "INVALID_CREDENTIALS"
            );
        }
        ensure_eq!(
            login_as(&app, None, u, "wrong-password").await?,
            "TOO_MANY_ATTEMPTS"
        );
    }
    let failed = audited(&app, "loginFailed").await?;
    let count = |u: &str| {
        failed
            .iter()
            .filter(|(_, after)| after.contains(&format!("\"{u}\"")))
            .count()
    };
    ensure_eq!((count("central.editor"), count("nobody.at.all")), (5, 5));
    Ok(())
}

/// Thirty wrong passwords at once for one user from one address: the
/// throttle reserves each attempt before verifying it, so no more than the
/// limit (5) are evaluated.
pub async fn a_concurrent_burst_meets_the_limit() -> Result<()> {
    let app = TestApp::new().await?;
    let attempts = (0..30).map(|_| login_as(&app, None, "central.viewer", "wrong-password"));
    let answers = futures_util::future::try_join_all(attempts).await?;
    let invalid = answers
        .iter()
        .filter(|a| *a == "INVALID_CREDENTIALS")
        .count();
    let throttled = answers.iter().filter(|a| *a == "TOO_MANY_ATTEMPTS").count();
    ensure_eq!((invalid, throttled), (5, 25));
    ensure_eq!(audited(&app, "loginFailed").await?.len(), 5);
    ensure_eq!(audited(&app, "loginThrottled").await?.len(), 25);
    Ok(())
}

/// Failures lock out the (username, address) pair, not the account: a
/// stranger failing for `central.admin` does not stop the admin signing in
/// from elsewhere, until the username's ceiling over all addresses is
/// reached. One address spraying many usernames meets the address limit.
pub async fn a_stranger_cannot_lock_out_the_real_user() -> Result<()> {
    let mut options = trusting("127.0.0.1")?;
    options.throttle = ThrottleLimits {
        per_pair: 5,
        per_username: 12,
        per_address: 8,
        ..ThrottleLimits::default()
    };
    let app = TestApp::with_sign_in(Limits::default(), options).await?;
    let (stranger, admin) = (Some("203.0.113.7"), Some("198.51.100.2"));
    for _ in 0..5 {
        ensure_eq!(
            login_as(&app, stranger, "central.admin", "guess-1234").await?,
            "INVALID_CREDENTIALS"
        );
    }
    ensure_eq!(
        login_as(&app, stranger, "central.admin", "hub138-demo").await?,
        "TOO_MANY_ATTEMPTS"
    );
    // The admin at their own address is not affected.
    ensure_eq!(
        login_as(&app, admin, "central.admin", "hub138-demo").await?,
        "OK"
    );
    // Strangers from more addresses reach the ceiling (12 failures)...
    for _ in 0..5 {
        login_as(&app, Some("203.0.113.8"), "central.admin", "guess-1234").await?;
    }
    for _ in 0..2 {
        login_as(&app, Some("203.0.113.9"), "central.admin", "guess-1234").await?;
    }
    // ...and only then is everyone refused for that username.
    ensure_eq!(
        login_as(&app, admin, "central.admin", "hub138-demo").await?,
        "TOO_MANY_ATTEMPTS"
    );
    ensure_eq!(
        login_as(&app, admin, "central.editor", "hub138-demo").await?,
        "OK"
    );
    // One address trying one password over many usernames: 8, then refused.
    let sprayer = Some("192.0.2.50");
    for u in &DEMO_USERS[4..12] {
        ensure_eq!(
            login_as(&app, sprayer, u, "summer-2026!").await?,
            "INVALID_CREDENTIALS"
        );
    }
    ensure_eq!(
        login_as(&app, sprayer, "central.viewer", "summer-2026!").await?,
        "TOO_MANY_ATTEMPTS"
    );
    Ok(())
}

/// Behind a trusted proxy, `X-Forwarded-For` names the client (its
/// right-most address that is not a trusted proxy) for the throttle and the
/// audit trail; from any other peer it is ignored.
pub async fn forwarded_for_only_from_trusted_proxies() -> Result<()> {
    let app =
        TestApp::with_sign_in(Limits::default(), trusting("127.0.0.0/8, 10.0.0.0/8")?).await?;
    // The left part is what the client claimed; the proxies appended the rest.
    let client = "6.6.6.6, 198.51.100.20, 10.1.2.3";
    for _ in 0..5 {
        ensure_eq!(
            login_as(&app, Some(client), "central.viewer", "wrong-password").await?,
            "INVALID_CREDENTIALS"
        );
    }
    ensure_eq!(
        login_as(&app, Some(client), "central.viewer", "hub138-demo").await?,
        "TOO_MANY_ATTEMPTS"
    );
    // Another client behind the same proxy has its own count, whatever it claims.
    ensure_eq!(
        login_as(
            &app,
            Some("198.51.100.20, 198.51.100.21"),
            "central.viewer",
            "hub138-demo"
        )
        .await?,
        "OK"
    );
    let failed = audited(&app, "loginFailed").await?;
    ensure_eq!(failed.len(), 5);
    for (address, _) in &failed {
        ensure_eq!(address.as_deref(), Some("198.51.100.20"));
    }
    let throttled = audited(&app, "loginThrottled").await?;
    ensure_eq!(
        throttled.first().and_then(|t| t.0.as_deref()),
        Some("198.51.100.20")
    );
    ensure_eq!(
        audited(&app, "login")
            .await?
            .first()
            .and_then(|t| t.0.clone()),
        Some("198.51.100.21".to_owned())
    );

    // A peer that is not a trusted proxy: the header is ignored.
    let app = TestApp::with_sign_in(Limits::default(), trusting("10.0.0.0/8")?).await?;
    for i in 0..5 {
        let spoofed = format!("198.51.100.{}", 30 + i);
        ensure_eq!(
            login_as(&app, Some(&spoofed), "central.viewer", "wrong-password").await?,
            "INVALID_CREDENTIALS"
        );
    }
    ensure_eq!(
        login_as(&app, Some("198.51.100.99"), "central.viewer", "hub138-demo").await?,
        "TOO_MANY_ATTEMPTS"
    );
    for (address, _) in audited(&app, "loginFailed").await? {
        ensure_eq!(address.as_deref(), Some("127.0.0.1"));
    }
    Ok(())
}

/// argon2 runs on a bounded blocking pool, not on the async workers:
/// `/readyz` answers while 64 sign-ins (each from its own client, so none is
/// throttled) are being verified. It is asked over and over, one request
/// after the other, until the last sign-in is answered; every answer must be
/// 200 and some must come before the burst ends. A behaviour check, not a
/// timing one: the latencies are measured by `bench/login.sh`. The client
/// runs on a runtime of its own, so it observes the server, not its own
/// scheduling.
pub async fn readyz_answers_during_a_login_burst() -> Result<()> {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let app = TestApp::with_sign_in(Limits::default(), trusting("127.0.0.1")?).await?;
    let (graphql, readyz) = (app.url("/graphql"), app.url("/readyz"));
    let client = tokio::task::spawn_blocking(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async move {
            let client = reqwest::Client::new();
            let done = Arc::new(AtomicUsize::new(0));
            let mut logins = Vec::new();
            for i in 0..64 {
                let (client, url, done) = (client.clone(), graphql.clone(), done.clone());
                let body = json!({"query": LOGIN, "variables": {"u": DEMO_USERS[i % 12], "p": "hub138-demo"}});
                let forwarded = format!("198.18.{}.{}", i / 250, i % 250 + 1);
                logins.push(tokio::spawn(async move {
                    let answer: serde_json::Value = client
                        .post(url)
                        .header("x-forwarded-for", forwarded)
                        .json(&body)
                        .send()
                        .await?
                        .json()
                        .await?;
                    done.fetch_add(1, Ordering::SeqCst);
                    anyhow::Ok(answer)
                }));
            }
            // (answered while sign-ins were still in flight, status)
            let mut ready = Vec::new();
            while done.load(Ordering::SeqCst) < 64 {
                let status = client.get(&readyz).send().await?.status().as_u16();
                ready.push((done.load(Ordering::SeqCst) < 64, status));
            }
            let mut answers = Vec::new();
            for login in logins {
                answers.push(login.await??);
            }
            anyhow::Ok((ready, answers))
        })
    });
    let (ready, answers) = client.await??;
    for answer in &answers {
        if !answer["data"]["login"]["accessToken"].is_string() {
            bail!("a sign-in of the burst failed: {answer}");
        }
    }
    if let Some((_, status)) = ready.iter().find(|(_, s)| *s != 200) {
        bail!("/readyz answered {status} during the burst");
    }
    let during = ready.iter().filter(|(in_flight, _)| *in_flight).count();
    if during == 0 {
        bail!("/readyz answered only after all 64 sign-ins");
    }
    Ok(())
}

const SET_ACTIVE: &str = "mutation($u: String!, $a: Boolean!) { setAccountActive(input: {username: $u, active: $a}) { account { active } userErrors { code } } }";

/// A signed-in request asks the database nothing to authenticate (the
/// account, its API token and its committee's scope are kept in memory),
/// and a change through the API still takes effect at once: a disabled
/// account's warm token is refused on its next request, an enabled one
/// accepted again, a revoked API token refused.
pub async fn signed_in_requests_cost_no_statement() -> Result<()> {
    let app = TestApp::new().await?;
    let viewer = app.session("tuyenquang.viewer").await?;
    let editor = app.session("tuyenquang.editor").await?;
    let created = editor
        .mutate(
            "mutation { createApiToken(input: {name: \"portal\"}) { token tokenId userErrors { code } } }",
            "createApiToken",
            json!({}),
        )
        .await?;
    let machine = app.with_token(created["token"].as_str().unwrap_or_default());
    for s in [&viewer, &machine] {
        s.data("{ __typename }", json!({})).await?;
        let before = app.statements();
        ensure_eq!(
            s.data("{ __typename }", json!({})).await?,
            json!({"__typename": "Query"})
        );
        ensure_eq!(app.statements() - before, 0);
    }
    // A scoped read uses the kept scope: the viewer still reads only its own.
    let me = viewer
        .data("{ me { committee { code } } }", json!({}))
        .await?;
    ensure_eq!(me["me"]["committee"]["code"], json!("08"));

    let admin = app.session("tuyenquang.admin").await?;
    admin
        .mutate(
            SET_ACTIVE,
            "setAccountActive",
            json!({"u": "tuyenquang.viewer", "a": false}),
        )
        .await?;
    ensure_eq!(
        viewer.error_code("{ __typename }", json!({})).await?,
        "UNAUTHENTICATED"
    );
    admin
        .mutate(
            SET_ACTIVE,
            "setAccountActive",
            json!({"u": "tuyenquang.viewer", "a": true}),
        )
        .await?;
    ensure_eq!(
        viewer.data("{ __typename }", json!({})).await?,
        json!({"__typename": "Query"})
    );
    editor
        .mutate(
            "mutation($id: ID!) { revokeApiToken(input: {tokenId: $id}) { revoked userErrors { code } } }",
            "revokeApiToken",
            json!({"id": created["tokenId"]}),
        )
        .await?;
    ensure_eq!(
        machine.error_code("{ __typename }", json!({})).await?,
        "UNAUTHENTICATED"
    );
    Ok(())
}
