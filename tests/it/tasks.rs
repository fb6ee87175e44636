//! Tasks: cascading a plan, implementations, progress with versions (50
//! concurrent clients), filters over a subtree.

use anyhow::{Result, bail};
use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::ensure_eq;

pub(crate) const CASCADE: &str = "mutation($p: ID!, $c: [ID!]!) { cascadePlan(input: {planId: $p, committeeIds: $c}) {
  plans { id status committee { code level } implements { id } tasks(first: 100) { totalCount edges { node {
    number category leadAgencies { id } implements { id number } } } } }
  userErrors { field code } } }";

const REPORT: &str =
    "mutation($input: ReportTaskProgressInput!) { reportTaskProgress(input: $input) {
  task { id percent status version } progressUpdate { id version percent status note }
  userErrors { field code } } }";

pub(crate) async fn tq_plan(app: &TestApp) -> Result<(String, String)> {
    let tq = app.committee_id("PROVINCE", "08", "2024-06-01").await?;
    let plan = app.plan_of(&tq).await?;
    Ok((tq, plan))
}

/// The last `n` committees of `level` below `parent`, by code.
pub(crate) async fn below(
    app: &TestApp,
    parent: &str,
    level: &str,
    n: usize,
) -> Result<Vec<String>> {
    let d = app
        .data(
            "query($id: ID!, $n: Int, $l: CommitteeLevel) { node(id: $id) { ... on Committee {
               descendants(level: $l, first: $n, orderBy: {field: CODE, direction: DESC}) { edges { node { id } } } } } }",
            json!({"id": parent, "n": n, "l": level}),
        )
        .await?;
    Ok(d["node"]["descendants"]["edges"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["node"]["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

pub async fn cascade_is_idempotent() -> Result<()> {
    let app = TestApp::new().await?;
    let (tq, plan) = tq_plan(&app).await?;
    // The province of 2024 hands its plan to two of its districts: the old
    // province has ceased, so its successor's coordinator does it.
    let coordinator = app
        .session_at("PROVINCE", "08", "2026-01-01", "COORDINATOR")
        .await?;
    let targets = below(&app, &tq, "DISTRICT", 2).await?;
    let plans_before = app.rows("plan").await?;
    let p = coordinator
        .mutate(CASCADE, "cascadePlan", json!({"p": plan, "c": targets}))
        .await?;
    let created = p["plans"].as_array().cloned().unwrap_or_default();
    ensure_eq!(created.len(), 2);
    for lower in &created {
        ensure_eq!(lower["status"], json!("DRAFT"));
        ensure_eq!(lower["implements"], json!([{"id": plan}]));
        ensure_eq!(lower["tasks"]["totalCount"], json!(24));
        for e in lower["tasks"]["edges"].as_array().into_iter().flatten() {
            let t = &e["node"];
            // Numbering and category kept, lead left to the commune, linked up.
            ensure_eq!(t["leadAgencies"], json!([]));
            ensure_eq!(t["implements"]["number"], t["number"]);
        }
    }
    ensure_eq!(app.rows("plan").await?, plans_before + 2);
    let tasks_after = app.rows("task").await?;
    // Again: the same plans come back and nothing is created.
    let again = coordinator
        .mutate(CASCADE, "cascadePlan", json!({"p": plan, "c": targets}))
        .await?;
    let ids = |v: &Value| -> Vec<Value> {
        v["plans"]
            .as_array()
            .map(|a| a.iter().map(|p| p["id"].clone()).collect())
            .unwrap_or_default()
    };
    ensure_eq!(ids(&again), ids(&p));
    ensure_eq!(app.rows("plan").await?, plans_before + 2);
    ensure_eq!(app.rows("task").await?, tasks_after);

    // The province sees how each subordinate carries out each of its tasks.
    let first_task = p["plans"][0]["tasks"]["edges"][0]["node"]["implements"]["id"].clone();
    let d = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Task { number implementationSummary { total done }
               implementations(first: 10) { totalCount edges { node { committee { level } status percent } } } } } }",
            json!({"id": first_task}),
        )
        .await?;
    // Three communes of the demo cascade plus the two new ones.
    ensure_eq!(d["node"]["implementations"]["totalCount"], json!(5));
    ensure_eq!(d["node"]["implementationSummary"]["total"], json!(5));
    ensure_eq!(d["node"]["implementationSummary"]["done"], json!(2));

    // Another province is out of reach, a commune is not a direct
    // subordinate, only an issued plan cascades.
    let other = app.committee_id("PROVINCE", "20", "2024-06-01").await?;
    let d = coordinator
        .data(CASCADE, json!({"p": plan, "c": [other]}))
        .await?;
    ensure_eq!(
        d["cascadePlan"]["userErrors"],
        json!([{"field": ["input", "committeeIds", "0"], "code": "NOT_FOUND"}])
    );
    let commune = below(&app, &tq, "COMMUNE", 1).await?;
    let code = coordinator
        .error_code(CASCADE, json!({"p": plan, "c": commune}))
        .await?;
    ensure_eq!(code, "FORBIDDEN");
    let district_code = p["plans"][0]["committee"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let district = app
        .committee_id("DISTRICT", &district_code, "2024-06-01")
        .await?;
    let draft = p["plans"][0]["id"].clone();
    let its_commune = below(&app, &district, "COMMUNE", 1).await?;
    let d = coordinator
        .data(CASCADE, json!({"p": draft, "c": its_commune}))
        .await?;
    ensure_eq!(
        d["cascadePlan"]["userErrors"][0]["code"],
        json!("NOT_ISSUED")
    );
    Ok(())
}

async fn a_task(app: &TestApp) -> Result<(String, i64)> {
    let (_, plan) = tq_plan(app).await?;
    let d = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Plan { tasks(first: 1) { edges { node { id version } } } } } }",
            json!({"id": plan}),
        )
        .await?;
    let t = &d["node"]["tasks"]["edges"][0]["node"];
    match (t["id"].as_str(), t["version"].as_i64()) {
        (Some(id), Some(v)) => Ok((id.to_owned(), v)),
        _ => bail!("no task in {d}"),
    }
}

pub async fn progress_history_and_validation() -> Result<()> {
    let admin = TestApp::new().await?;
    let (task, v) = a_task(&admin).await?;
    // The 2024 province has ceased: its successor's coordinator writes its records.
    let editor = admin
        .session_at("PROVINCE", "08", "2026-01-01", "COORDINATOR")
        .await?;
    let app = &editor;
    let r = app
        .mutate(
            REPORT,
            "reportTaskProgress",
            json!({"input": {"taskId": task, "expectedVersion": v, "percent": 40, "status": "IN_PROGRESS", "note": "Đã tổ chức 3 buổi"}}),
        )
        .await?;
    ensure_eq!(r["task"]["version"], json!(v + 1));
    ensure_eq!(r["progressUpdate"]["version"], json!(v + 1));
    // Stale version: CONFLICT, nothing changes.
    let history_before = admin.rows("task_progress").await?;
    let code = app
        .error_code(
            REPORT,
            json!({"input": {"taskId": task, "expectedVersion": v, "percent": 90, "status": "IN_PROGRESS"}}),
        )
        .await?;
    ensure_eq!(code, "CONFLICT");
    ensure_eq!(admin.rows("task_progress").await?, history_before);
    // Bad input.
    for (percent, status, field, code) in [
        (
            101,
            "IN_PROGRESS",
            json!(["input", "percent"]),
            "OUT_OF_RANGE",
        ),
        (
            -1,
            "IN_PROGRESS",
            json!(["input", "percent"]),
            "OUT_OF_RANGE",
        ),
        (90, "DONE", json!(["input", "percent"]), "DONE_NEEDS_100"),
    ] {
        let d = app
            .data(REPORT, json!({"input": {"taskId": task, "expectedVersion": v + 1, "percent": percent, "status": status}}))
            .await?;
        ensure_eq!(
            d["reportTaskProgress"]["userErrors"],
            json!([{"field": field, "code": code}])
        );
    }
    ensure_eq!(admin.rows("task_progress").await?, history_before);
    app.mutate(
        REPORT,
        "reportTaskProgress",
        json!({"input": {"taskId": task, "expectedVersion": v + 1, "percent": 100, "status": "DONE"}}),
    )
    .await?;
    // The history, newest first.
    let d = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Task { status percent
               progressUpdates(first: 10) { totalCount edges { node { version percent status note } } } } } }",
            json!({"id": task}),
        )
        .await?;
    ensure_eq!(d["node"]["status"], json!("DONE"));
    ensure_eq!(d["node"]["progressUpdates"]["totalCount"], json!(2));
    ensure_eq!(
        d["node"]["progressUpdates"]["edges"][1]["node"],
        json!({"version": v + 1, "percent": 40, "status": "IN_PROGRESS", "note": "Đã tổ chức 3 buổi"})
    );
    ensure_eq!(
        d["node"]["progressUpdates"]["edges"][0]["node"]["status"],
        json!("DONE")
    );
    Ok(())
}

/// 50 clients report on one task at once, each naming the version it read.
/// Every report is applied exactly once or refused with CONFLICT; the history
/// holds exactly the applied ones.
pub async fn fifty_concurrent_reporters() -> Result<()> {
    let admin = TestApp::new().await?;
    let (task, _) = a_task(&admin).await?;
    // The 2024 province has ceased: its successor's coordinator writes its records.
    let editor = admin
        .session_at("PROVINCE", "08", "2026-01-01", "COORDINATOR")
        .await?;
    let app = &editor;
    let read = "query($id: ID!) { node(id: $id) { ... on Task { version } } }";
    let history_before = admin.rows("task_progress").await?;
    let clients = (0..50).map(|i| {
        let task = task.clone();
        async move {
            let d = app.data(read, json!({"id": task})).await?;
            let version = d["node"]["version"].as_i64().unwrap_or(0);
            let body = app
                .post(
                    REPORT,
                    json!({"input": {"taskId": task, "expectedVersion": version, "percent": i % 100,
                                     "status": "IN_PROGRESS", "note": format!("client {i}")}}),
                )
                .await?;
            anyhow::Ok((i, body))
        }
    });
    let mut applied = Vec::new();
    let mut conflicts = 0;
    for result in join_all(clients).await {
        let (i, body) = result?;
        if let Some(v) = body["data"]["reportTaskProgress"]["progressUpdate"]["version"].as_i64() {
            applied.push((v, format!("client {i}")));
        } else if body["errors"][0]["extensions"]["code"] == json!("CONFLICT") {
            conflicts += 1;
        } else {
            bail!("client {i}: neither applied nor CONFLICT: {body}");
        }
    }
    ensure_eq!(applied.len() + conflicts, 50);
    if applied.is_empty() {
        bail!("no report was applied");
    }
    // Versions of applied reports are distinct and consecutive.
    applied.sort();
    for w in applied.windows(2) {
        ensure_eq!(w[1].0, w[0].0 + 1);
    }
    let d = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Task { version
               progressUpdates(first: 100) { totalCount edges { node { version note } } } } } }",
            json!({"id": task}),
        )
        .await?;
    let n = i64::try_from(applied.len())?;
    ensure_eq!(admin.rows("task_progress").await?, history_before + n);
    ensure_eq!(d["node"]["progressUpdates"]["totalCount"], json!(n));
    ensure_eq!(d["node"]["version"].as_i64(), applied.last().map(|a| a.0));
    let mut history: Vec<(i64, String)> = d["node"]["progressUpdates"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["node"]["version"].as_i64().unwrap_or(0),
                e["node"]["note"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    history.sort();
    ensure_eq!(history, applied);
    Ok(())
}

const TASKS: &str =
    "query($f: TaskFilter, $after: String) { tasks(filter: $f, first: 100, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id status overdue dueOn committee { level } leadAgencies { id } } } } }";

pub async fn filters_over_a_subtree() -> Result<()> {
    let app = TestApp::new().await?;
    let (tq, plan) = tq_plan(&app).await?;
    // Overdue in the province's subtree: its own 24 tasks and the three
    // communes' 72, less those done (3 in the demo progress).
    let d = app
        .data(
            TASKS,
            json!({"f": {"committeeId": tq, "includeSubtree": true, "overdue": true}}),
        )
        .await?;
    ensure_eq!(d["tasks"]["totalCount"], json!(24 + 72 - 3));
    for e in d["tasks"]["edges"].as_array().into_iter().flatten() {
        ensure_eq!(e["node"]["overdue"], json!(true));
    }
    let d = app
        .data(
            TASKS,
            json!({"f": {"committeeId": tq, "includeSubtree": true, "overdue": false}}),
        )
        .await?;
    ensure_eq!(d["tasks"]["totalCount"], json!(3));
    // Without the subtree: only the province's own.
    let d = app.data(TASKS, json!({"f": {"committeeId": tq}})).await?;
    ensure_eq!(d["tasks"]["totalCount"], json!(24));
    // What the provincial police leads.
    let police = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Committee { standingAgency { id } } } }",
            json!({"id": tq}),
        )
        .await?["node"]["standingAgency"]["id"]
        .clone();
    let d = app
        .data(TASKS, json!({"f": {"leadAgencyId": police, "dueAfter": "2024-01-01", "dueBefore": "2025-01-01"}}))
        .await?;
    ensure_eq!(d["tasks"]["totalCount"], json!(18));
    for e in d["tasks"]["edges"].as_array().into_iter().flatten() {
        let leads = e["node"]["leadAgencies"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        ensure_eq!(leads.contains(&json!({"id": police})), true);
    }
    // By plan, status and category.
    let d = app
        .data(
            TASKS,
            json!({"f": {"planId": plan, "category": "PROSECUTION_AND_TRIAL"}}),
        )
        .await?;
    ensure_eq!(d["tasks"]["totalCount"].as_i64().map(|n| n > 0), Some(true));
    let d = app
        .data(
            TASKS,
            json!({"f": {"committeeId": tq, "includeSubtree": true, "status": "BLOCKED"}}),
        )
        .await?;
    ensure_eq!(d["tasks"]["totalCount"], json!(1));
    // Another province's subtree shares nothing with this one.
    let ls = app.committee_id("PROVINCE", "20", "2024-06-01").await?;
    let d = app
        .data(
            TASKS,
            json!({"f": {"committeeId": ls, "includeSubtree": true}}),
        )
        .await?;
    ensure_eq!(d["tasks"]["totalCount"], json!(15));
    Ok(())
}
