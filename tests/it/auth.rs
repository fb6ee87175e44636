//! Accounts and tokens: sign-in, the viewer, expired, revoked and bad
//! tokens, throttling, and the audit trail.

use anyhow::{Result, bail};
use hub138::auth::token::Signer;
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
