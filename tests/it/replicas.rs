//! Two server processes on one PostgreSQL database, as replicas behind a
//! load balancer: what one replica changes, the other hears at once.
//!
//! Replica A is the test's own server; replica B is another process (this
//! test binary serving, see `common::Replica`). Both trust what they keep
//! of accounts and tokens for 60 seconds, so anything B refuses within a
//! few seconds of a change made through A it learnt from the relay.

use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use hub138::SignInOptions;
use hub138::auth::cache::AuthCache;
use hub138::config::Limits;
use serde_json::{Value, json};

use crate::common::{self, Replica, Session, TestApp};
use crate::ensure_eq;
use crate::subscriptions::{IN_PROGRESS_TASK, REPORT_PROGRESS, next_json, subscribe};

const LOGIN: &str = "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { accessToken userErrors { code } } }";
const ME: &str = "{ me { username } }";

/// The error code `session` gets for `{ me }` within `within`, once it is
/// no longer a success.
async fn refused_within(session: &Session<'_>, within: Duration) -> Result<(String, Duration)> {
    let started = Instant::now();
    loop {
        let body = session.post(ME, json!({})).await?;
        if let Some(code) = body["errors"][0]["extensions"]["code"].as_str() {
            return Ok((code.to_owned(), started.elapsed()));
        }
        if started.elapsed() > within {
            bail!("still served after {within:?}: {body}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub async fn replicas_share_events_counts_and_revocations() -> Result<()> {
    if !common::on_postgres() {
        // SQLite serves one process: `HUB138_REPLICAS` above 1 is refused.
        return Ok(());
    }
    let options = SignInOptions {
        auth_cache: AuthCache::new(Duration::from_secs(60)),
        ..SignInOptions::default()
    };
    let a = TestApp::with_sign_in(Limits::default(), options).await?;
    let b = Replica::start(&a.url, &[("HUB138_AUTH_CACHE_SECONDS", "60")]).await?;

    // A subscriber on A receives a progress update made through B.
    let tq = a.committee_id("PROVINCE", "08", "2024-06-01").await?;
    let mut socket = subscribe(&a, &tq).await?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let d = a.data(IN_PROGRESS_TASK, json!({"c": tq})).await?;
    let t = d["tasks"]["edges"][0]["node"].clone();
    let editor = a
        .session_at("PROVINCE", "08", "2026-01-01", "COORDINATOR")
        .await?;
    editor
        .on(&b)
        .mutate(
            REPORT_PROGRESS,
            "reportTaskProgress",
            json!({"input": {"taskId": t["id"], "expectedVersion": t["version"], "percent": 70, "status": "IN_PROGRESS"}}),
        )
        .await?;
    let msg = tokio::time::timeout(Duration::from_secs(10), next_json(&mut socket)).await??;
    ensure_eq!(
        (
            msg["type"].clone(),
            msg["payload"]["data"]["taskUpdated"]["id"].clone(),
            msg["payload"]["data"]["taskUpdated"]["percent"].clone()
        ),
        (json!("next"), t["id"].clone(), json!(70))
    );

    // Failed sign-ins on both replicas count together: the pair's limit of
    // five is reached over A, B, A, B, A; the sixth is refused on either.
    let codes = |body: Value| body["data"]["login"]["userErrors"][0]["code"].clone();
    let guesser = a.anonymous();
    for i in 0..5 {
        let s = if i % 2 == 0 {
            guesser.on_self()
        } else {
            guesser.on(&b)
        };
        let body = s
            .post(
                LOGIN,
                json!({"u": "central.admin", "p": format!("wrong guess {i}")}),
            )
            .await?;
        ensure_eq!(codes(body), json!("INVALID_CREDENTIALS"));
    }
    for s in [guesser.on(&b), guesser.on_self()] {
        let body = s
            .post(LOGIN, json!({"u": "central.admin", "p": "another guess"}))
            .await?;
        ensure_eq!(codes(body), json!("TOO_MANY_ATTEMPTS"));
    }

    // An API token revoked through A is refused by B at once, though B has
    // just used (and kept) it.
    let coordinator = a.session("tuyenquang.editor").await?;
    let created = coordinator
        .mutate(
            "mutation { createApiToken(input: {name: \"replicas\"}) { token tokenId userErrors { code } } }",
            "createApiToken",
            json!({}),
        )
        .await?;
    let api = a.with_token(created["token"].as_str().unwrap_or_default());
    ensure_eq!(
        api.on(&b).data(ME, json!({})).await?["me"]["username"],
        json!("tuyenquang.editor")
    );
    coordinator
        .mutate(
            "mutation($id: ID!) { revokeApiToken(input: {tokenId: $id}) { revoked userErrors { code } } }",
            "revokeApiToken",
            json!({"id": created["tokenId"]}),
        )
        .await?;
    let (code, _) = refused_within(&api.on(&b), Duration::from_secs(5)).await?;
    ensure_eq!(code, "UNAUTHENTICATED");

    // An account disabled through A: its access token is refused by B.
    let viewer = a.session("tuyenquang.viewer").await?;
    ensure_eq!(
        viewer.on(&b).data(ME, json!({})).await?["me"]["username"],
        json!("tuyenquang.viewer")
    );
    a.session("tuyenquang.admin")
        .await?
        .mutate(
            "mutation { setAccountActive(input: {username: \"tuyenquang.viewer\", active: false}) { account { active } userErrors { code } } }",
            "setAccountActive",
            json!({}),
        )
        .await?;
    let (code, _) = refused_within(&viewer.on(&b), Duration::from_secs(5)).await?;
    ensure_eq!(code, "UNAUTHENTICATED");
    b.kill().await?;
    Ok(())
}
