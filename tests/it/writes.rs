//! The write path and the operator's first start: demo data only on the
//! embedded default, the first administrator, a change and its audit event
//! committed together, refused attempts audited, the reform's read scope,
//! and ceased committees.

use anyhow::{Context, Result, bail};
use clap::Parser;
use hub138::Seed;
use hub138::config::Cli;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};

use crate::common::{TestApp, global_id};
use crate::ensure_eq;

const LOGIN: &str =
    "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) {
    accessToken account { username role } userErrors { code } } }";

async fn ids(app: &TestApp, sql: &str) -> Result<Vec<i64>> {
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            sql.to_owned(),
        ))
        .await?;
    Ok(rows
        .iter()
        .map(|r| r.try_get_by_index::<i64>(0))
        .collect::<Result<_, _>>()?)
}

/// `hub138 serve` loads the demo (and its accounts with the public password)
/// only on the embedded default database; anywhere else it starts with the
/// reference data and no account, and the first administrator comes from
/// the bootstrap variables (once).
pub async fn demo_only_on_the_embedded_default() -> Result<()> {
    let seed = |args: &[&str]| -> Result<Seed> {
        let mut argv = vec!["hub138"];
        argv.extend_from_slice(args);
        Ok(Cli::try_parse_from(argv)?.config.seed())
    };
    ensure_eq!(seed(&[])?, Seed::Demo);
    ensure_eq!(
        seed(&["--database-url", "postgres://postgres@127.0.0.1/hub138"])?,
        Seed::Reference
    );
    ensure_eq!(
        seed(&["--database-url", "sqlite:///srv/hub138.sqlite?mode=rwc"])?,
        Seed::Reference
    );
    ensure_eq!(
        seed(&[
            "--database-url",
            "postgres://postgres@127.0.0.1/hub138",
            "--demo-data",
            "true"
        ])?,
        Seed::Demo
    );
    ensure_eq!(seed(&["--demo-data", "false"])?, Seed::Reference);

    // A production start: the reference data, no account, no demo.
    let app = TestApp::empty(Seed::Reference).await?;
    ensure_eq!(app.rows("account").await?, 0);
    ensure_eq!(app.rows("plan").await?, 0);
    if app.rows("committee").await? < 14_000 {
        bail!("the reference data is missing");
    }
    ensure_eq!(app.rows("indicator").await? > 0, true);
    let anon = app.anonymous();
    let d = anon
        .data(LOGIN, json!({"u": "central.admin", "p": "hub138-demo"}))
        .await?;
    ensure_eq!(
        d["login"]["userErrors"],
        json!([{"code": "INVALID_CREDENTIALS"}])
    );
    ensure_eq!(
        hub138::cli::demo_accounts(&app.db).await?,
        Vec::<String>::new()
    );
    // The first administrator, from the bootstrap variables.
    let cfg = Cli::try_parse_from([
        "hub138",
        "--bootstrap-admin",
        "quantri",
        "--bootstrap-admin-password",
        "mot-mat-khau-dai",
    ])?
    .config;
    let (user, password) = cfg.bootstrap()?.context("bootstrap configured")?;
    // The password never shows in the configuration's debug form.
    if format!("{cfg:?}").contains("mot-mat-khau-dai") {
        bail!("the bootstrap password shows in the configuration's Debug");
    }
    let made = hub138::cli::bootstrap_admin(&app.db, &user, password.expose()).await?;
    ensure_eq!(made.map(|a| a.username), Some("quantri".to_owned()));
    let d = anon
        .data(LOGIN, json!({"u": "quantri", "p": "mot-mat-khau-dai"}))
        .await?;
    ensure_eq!(
        d["login"]["account"],
        json!({"username": "quantri", "role": "ADMIN"})
    );
    // Once only: with an account in place the variables change nothing.
    let again = hub138::cli::bootstrap_admin(&app.db, "other", "another-long-one").await?;
    ensure_eq!(again.is_none(), true);
    ensure_eq!(app.rows("account").await?, 1);

    // The demo start has the twelve demo accounts, which every start warns of.
    let demo = TestApp::new().await?;
    ensure_eq!(hub138::cli::demo_accounts(&demo.db).await?.len(), 12);
    Ok(())
}

/// Makes every insert into the audit trail fail (a trigger), or undoes it.
async fn break_audit(app: &TestApp, broken: bool) -> Result<()> {
    let backend = app.db.get_database_backend();
    let sql: &[&str] = match (backend, broken) {
        (DbBackend::Sqlite, true) => &[
            "CREATE TRIGGER audit_off BEFORE INSERT ON audit_event BEGIN SELECT RAISE(ABORT, 'audit off'); END",
        ],
        (DbBackend::Sqlite, false) => &["DROP TRIGGER audit_off"],
        (_, true) => &[
            "CREATE FUNCTION audit_off() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit off'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER audit_off BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_off()",
        ],
        (_, false) => &[
            "DROP TRIGGER audit_off ON audit_event",
            "DROP FUNCTION audit_off()",
        ],
    };
    for s in sql {
        app.db.execute_unprepared(s).await?;
    }
    Ok(())
}

/// A change and its audit event commit together or not at all, so a retry
/// after a failure does not duplicate; refused attempts are audited with the
/// id asked for.
pub async fn change_and_audit_commit_together() -> Result<()> {
    let app = TestApp::new().await?;
    let tq = app.committee_id("PROVINCE", "08", "2026-01-01").await?;
    let admin = app.session("tuyenquang.admin").await?;
    let create = "mutation($c: ID!) { createAgency(input: {committeeId: $c, name: \"Sở Du lịch\", kind: OTHER}) {
        agency { id } userErrors { code } } }";
    let agencies = app.rows("agency").await?;
    break_audit(&app, true).await?;
    let code = admin.error_code(create, json!({"c": tq})).await?;
    ensure_eq!(code, "INTERNAL");
    // Nothing of the change stayed.
    ensure_eq!(app.rows("agency").await?, agencies);
    break_audit(&app, false).await?;
    // The retry makes it exactly once, with its event.
    admin
        .mutate(create, "createAgency", json!({"c": tq}))
        .await?;
    ensure_eq!(app.rows("agency").await?, agencies + 1);
    let d = admin
        .data(
            "{ auditEvents(filter: {action: \"createAgency\"}) { totalCount nodes { outcome actorUsername } } }",
            json!({}),
        )
        .await?;
    ensure_eq!(
        d["auditEvents"],
        json!({"totalCount": 1, "nodes": [{"outcome": "OK", "actorUsername": "tuyenquang.admin"}]})
    );

    // Refused attempts are audited too: FORBIDDEN with the committee asked
    // for, NOT_FOUND with the out-of-scope id asked for.
    let editor = app.session("tuyenquang.editor").await?;
    ensure_eq!(
        editor.error_code(create, json!({"c": tq})).await?,
        "FORBIDDEN"
    );
    let ls = app.committee_id("PROVINCE", "20", "2022-07-01").await?;
    let ls_plan = app.plan_of(&ls).await?;
    let d = editor
        .data(
            "mutation($p: ID!) { createTask(input: {planId: $p, number: \"1\", title: \"T\", category: OTHER}) { task { id } userErrors { code } } }",
            json!({"p": ls_plan}),
        )
        .await?;
    ensure_eq!(
        d["createTask"]["userErrors"],
        json!([{"code": "NOT_FOUND"}])
    );
    let d = admin
        .data(
            "{ f: auditEvents(filter: {outcome: FORBIDDEN}) { nodes { action objectId actorUsername } }
               n: auditEvents(filter: {outcome: NOT_FOUND}) { nodes { action objectId after } } }",
            json!({}),
        )
        .await?;
    ensure_eq!(
        d["f"]["nodes"],
        json!([{"action": "createAgency", "objectId": tq, "actorUsername": "tuyenquang.editor"}])
    );
    ensure_eq!(d["n"]["nodes"][0]["action"], json!("createTask"));
    ensure_eq!(d["n"]["nodes"][0]["objectId"], json!(ls_plan));
    let after: Value = serde_json::from_str(d["n"]["nodes"][0]["after"].as_str().unwrap_or("{}"))?;
    ensure_eq!(after["asked"], json!([ls_plan]));
    Ok(())
}

/// Today's phường Hà Giang 2 reads the old communes it took in and nothing
/// else of the old districts they were in; today's province still reads the
/// old provinces it succeeded, whole.
pub async fn reform_scope_is_what_was_taken_in() -> Result<()> {
    let app = TestApp::new().await?;
    let viewer = app.session("hagiang2.viewer").await?;
    let hg2 = ids(
        &app,
        "SELECT id FROM committee WHERE level = 'COMMUNE' AND code = '00691' AND valid_to IS NULL",
    )
    .await?;
    let hg2 = *hg2.first().context("no Hà Giang 2")?;
    let preds = ids(
        &app,
        &format!(
            "SELECT s.predecessor_id FROM committee_succession s JOIN committee a ON a.id = s.predecessor_id \
             WHERE s.successor_id = {hg2} AND a.level = 'COMMUNE' ORDER BY 1"
        ),
    )
    .await?;
    if preds.is_empty() {
        bail!("Hà Giang 2 took in no old commune");
    }
    let list = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let districts = ids(
        &app,
        &format!(
            "SELECT DISTINCT parent_id FROM committee WHERE id IN ({}) ORDER BY 1",
            list(&preds)
        ),
    )
    .await?;
    let others = ids(
        &app,
        &format!(
            "SELECT id FROM committee WHERE parent_id IN ({}) AND id NOT IN ({}) ORDER BY 1",
            list(&districts),
            list(&preds)
        ),
    )
    .await?;
    if others.is_empty() {
        bail!("the old districts have no other communes");
    }
    let node = "query($id: ID!) { node(id: $id) { id } }";
    let seen = |d: &Value| !d["node"].is_null();
    for p in &preds {
        let d = viewer
            .data(node, json!({"id": global_id("Committee", *p)}))
            .await?;
        ensure_eq!((p, seen(&d)), (p, true));
    }
    for o in &others {
        let d = viewer
            .data(node, json!({"id": global_id("Committee", *o)}))
            .await?;
        ensure_eq!((o, seen(&d)), (o, false));
    }
    // An old district is above what it took in (visible, as the chain is),
    // but lists only the communes Hà Giang 2 took in.
    for d in &districts {
        let r = viewer
            .data(
                "query($id: ID!) { node(id: $id) { ... on Committee { children(first: 100) { totalCount } } } }",
                json!({"id": global_id("Committee", *d)}),
            )
            .await?;
        let inside = preds.len() as i64;
        let listed = r["node"]["children"]["totalCount"].as_i64().unwrap_or(-1);
        if listed < 1 || listed > inside {
            bail!("old district {d} lists {listed} communes to Hà Giang 2 (took in {inside})");
        }
    }
    // Today's Tuyên Quang reads every old commune of the old Hà Giang.
    let province = app.session("tuyenquang.viewer").await?;
    for o in others.iter().take(5) {
        let d = province
            .data(node, json!({"id": global_id("Committee", *o)}))
            .await?;
        ensure_eq!((o, seen(&d)), (o, true));
    }
    Ok(())
}

/// No account at a committee that has ceased; a ceased committee's records
/// are corrected only by the coordinators of the committee that took it in,
/// and the audit says who.
pub async fn ceased_committees_are_corrected_by_successors() -> Result<()> {
    let app = TestApp::new().await?;
    // An old district of the old Hà Giang, dissolved on 2025-06-30.
    let district = ids(
        &app,
        "SELECT c.id FROM committee c JOIN committee p ON p.id = c.parent_id \
         WHERE c.level = 'DISTRICT' AND p.code = '02' ORDER BY c.code",
    )
    .await?;
    let district = global_id("Committee", *district.first().context("no old district")?);
    let create_account = "mutation($c: ID!, $u: String!, $r: Role!) { createAccount(input: {username: $u, displayName: \"B\",
        committeeId: $c, role: $r, password: \"a-long-password\"}) { account { id } userErrors { field code } } }";
    // A commune's admin sees the old district above the old communes it
    // took in, and administers nothing there.
    let commune_admin = app.session("hagiang2.admin").await?;
    ensure_eq!(
        commune_admin
            .error_code(
                create_account,
                json!({"c": district, "u": "d.editor", "r": "EDITOR"})
            )
            .await?,
        "FORBIDDEN"
    );
    // The province's admin reaches it, and still makes no account there.
    let province_admin = app.session("tuyenquang.admin").await?;
    let d = province_admin
        .data(
            create_account,
            json!({"c": district, "u": "d.editor", "r": "EDITOR"}),
        )
        .await?;
    ensure_eq!(
        d["createAccount"]["userErrors"],
        json!([{"field": ["input", "committeeId"], "code": "INACTIVE"}])
    );
    ensure_eq!(
        app.rows("account").await?,
        12 // the demo accounts only
    );
    // An account left at the ceased district writes nothing there.
    let legacy = app
        .session_at(
            "DISTRICT",
            &district_code(&app, &district).await?,
            "2024-06-01",
            "EDITOR",
        )
        .await?;
    let plan = "mutation($c: ID!) { createPlan(input: {committeeId: $c, title: \"K\", kind: ANNUAL,
        periodFrom: \"2025-01-01\", periodTo: \"2025-12-31\"}) { plan { id } userErrors { code } } }";
    ensure_eq!(
        legacy.error_code(plan, json!({"c": district})).await?,
        "FORBIDDEN"
    );
    let save = "mutation($c: ID!) { saveReport(input: {committeeId: $c, period: \"2025-06\",
        values: [{indicator: \"tips_received\", value: 3}]}) { report { id committee { id } } userErrors { code } } }";
    ensure_eq!(
        legacy.error_code(save, json!({"c": district})).await?,
        "FORBIDDEN"
    );
    // The successor's editor may not; its coordinator corrects, audited as such.
    let editor = app.session("tuyenquang.editor").await?;
    ensure_eq!(
        editor.error_code(save, json!({"c": district})).await?,
        "FORBIDDEN"
    );
    let coordinator = app.session("tuyenquang.coordinator").await?;
    let r = coordinator
        .mutate(save, "saveReport", json!({"c": district}))
        .await?;
    ensure_eq!(r["report"]["committee"]["id"], json!(district));
    let d = province_admin
        .data(
            "{ auditEvents(filter: {action: \"saveReport\", outcome: OK}) { nodes { actorUsername committee { id } } } }",
            json!({}),
        )
        .await?;
    ensure_eq!(
        d["auditEvents"]["nodes"],
        json!([{"actorUsername": "tuyenquang.coordinator", "committee": {"id": district}}])
    );
    Ok(())
}

async fn district_code(app: &TestApp, id: &str) -> Result<String> {
    let d = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Committee { code } } }",
            json!({"id": id}),
        )
        .await?;
    d["node"]["code"]
        .as_str()
        .map(str::to_owned)
        .context("no code")
}
