//! Faults survived: a pool with no free connection, the database restarted
//! under load, a server asked to stop with work in flight, and a writer
//! killed in the middle of a write.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures_util::StreamExt;
use hub138::db::Pool;
use sea_orm::TransactionTrait;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Message;

use crate::common::{self, Cluster, Replica, TestApp};
use crate::ensure_eq;
use crate::subscriptions::subscribe_at;

const ME: &str = "{ me { username } }";

/// (status, `extensions.code` of the first error) of `{ me }` as the
/// central admin, bounded: a request that hangs fails the test.
async fn ask(app: &TestApp) -> Result<(u16, Option<String>, Option<String>)> {
    let send = app
        .client()
        .post(app.url("/graphql"))
        .header("accept", "application/graphql-response+json")
        .header("authorization", app.admin_authorization())
        .json(&json!({ "query": ME }))
        .send();
    let resp = tokio::time::timeout(Duration::from_secs(20), send)
        .await
        .context("a request hung")??;
    let status = resp.status().as_u16();
    let retry = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    let code = body["errors"][0]["extensions"]["code"]
        .as_str()
        .map(str::to_owned);
    Ok((status, code, retry))
}

async fn readyz(app: &TestApp) -> Result<u16> {
    let send = app.client().get(app.url("/readyz")).send();
    Ok(tokio::time::timeout(Duration::from_secs(20), send)
        .await
        .context("/readyz hung")??
        .status()
        .as_u16())
}

/// Every connection taken by slow work: a request waits the pool's patience
/// (one second here), then is answered 503 `UNAVAILABLE` with `Retry-After`;
/// once a connection is free, requests are served again.
pub async fn an_exhausted_pool_answers_503() -> Result<()> {
    let app = TestApp::with_pool(Pool {
        max_connections: 3,
        acquire_timeout: Duration::from_secs(1),
    })
    .await?;
    ensure_eq!(ask(&app).await?.0, 200);
    // Hold every connection the pool will give (on PostgreSQL one is the
    // event relay's).
    let mut held = Vec::new();
    while let Ok(tx) = app.db.begin().await {
        held.push(tx);
        if held.len() > 3 {
            bail!("the pool gave more connections than its size");
        }
    }
    ensure_eq!(
        ask(&app).await?,
        (503, Some("UNAVAILABLE".to_owned()), Some("1".to_owned()))
    );
    drop(held);
    ensure_eq!(ask(&app).await?.0, 200);
    Ok(())
}

/// PostgreSQL stopped while clients keep asking: every answer is a quick
/// 503 `UNAVAILABLE` (never a 500, never a hang), `/readyz` turns 503, and
/// once the database is back the same process serves again.
pub async fn a_database_restart_under_load() -> Result<()> {
    if !common::on_postgres() {
        // The embedded SQLite database cannot be stopped apart from the server.
        return Ok(());
    }
    let port = 20_000 + u16::try_from(std::process::id() % 20_000).unwrap_or(0);
    let cluster = Cluster::start(port).await?;
    let admin = sea_orm::Database::connect(cluster.url("postgres")).await?;
    sea_orm::ConnectionTrait::execute_unprepared(&admin, "CREATE DATABASE faults").await?;
    admin.close().await?;
    let app = TestApp::at(
        &cluster.url("faults"),
        hub138::Seed::Demo,
        Pool {
            max_connections: 4,
            acquire_timeout: Duration::from_secs(2),
        },
    )
    .await?;
    ensure_eq!(ask(&app).await?.0, 200);
    let app = Arc::new(app);
    let stop = Arc::new(AtomicBool::new(false));
    let mut clients = Vec::new();
    for _ in 0..4 {
        let (app, stop) = (app.clone(), stop.clone());
        clients.push(tokio::spawn(async move {
            let mut seen = Vec::new();
            while !stop.load(Ordering::SeqCst) {
                seen.push(ask(&app).await?);
            }
            anyhow::Ok(seen)
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    cluster.stop().await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    ensure_eq!(readyz(&app).await?, 503);
    ensure_eq!(
        ask(&app).await?,
        (503, Some("UNAVAILABLE".to_owned()), Some("1".to_owned()))
    );
    cluster.start_again().await?;
    let back = Instant::now();
    while ask(&app).await?.0 != 200 {
        if back.elapsed() > Duration::from_secs(30) {
            bail!("not serving 30 s after the database came back");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    ensure_eq!(readyz(&app).await?, 200);
    stop.store(true, Ordering::SeqCst);
    let mut unavailable = 0;
    for c in clients {
        for answer in c.await?? {
            match answer {
                (200, None, _) => {}
                (503, Some(code), Some(_)) if code == "UNAVAILABLE" => unavailable += 1,
                other => bail!("an answer neither 200 nor 503 UNAVAILABLE: {other:?}"),
            }
        }
    }
    if unavailable == 0 {
        bail!("no request met the stopped database");
    }
    Ok(())
}

/// SIGTERM with a request in flight and a subscription open: the request
/// is answered, new connections are refused, the subscription is closed
/// with 1001, and the process exits cleanly.
pub async fn sigterm_finishes_what_is_in_flight() -> Result<()> {
    let app = TestApp::new().await?;
    let replicas = if common::on_postgres() { "2" } else { "1" };
    let replica = Replica::start(&app.url, &[("HUB138_REPLICAS", replicas)]).await?;
    let address = replica.base.trim_start_matches("http://").to_owned();
    let tq = app.committee_id("PROVINCE", "08", "2024-06-01").await?;
    let mut socket = subscribe_at(
        &replica.base,
        &app.admin_authorization(),
        "subscription($c: ID!) { taskUpdated(committeeId: $c) { id } }",
        json!({"c": tq}),
    )
    .await?;
    // A request whose body is still arriving.
    let body =
        json!({"query": "{ committeeByCode(level: PROVINCE, code: \"08\") { name } }"}).to_string();
    let (head, tail) = body.split_at(body.len() / 2);
    let mut inflight = tokio::net::TcpStream::connect(&address).await?;
    inflight
        .write_all(
            format!(
                "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nAuthorization: {}\r\nContent-Length: {}\r\n\r\n{head}",
                app.admin_authorization(),
                body.len()
            )
            .as_bytes(),
        )
        .await?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    replica.terminate().await?;
    // New connections are refused once the signal is taken.
    let since = Instant::now();
    while tokio::net::TcpStream::connect(&address).await.is_ok() {
        if since.elapsed() > Duration::from_secs(10) {
            bail!("still accepting connections 10 s after SIGTERM");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The subscription is closed cleanly.
    let closed = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match socket.next().await {
                Some(Ok(Message::Close(frame))) => return Ok(frame.map(|f| u16::from(f.code))),
                Some(Ok(_)) => continue,
                other => bail!("the socket ended without a close frame: {other:?}"),
            }
        }
    })
    .await
    .context("no close frame")??;
    ensure_eq!(closed, Some(1001));
    // The request in flight is answered.
    inflight.write_all(tail.as_bytes()).await?;
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), inflight.read_to_end(&mut answer))
        .await
        .context("the request in flight was not answered")??;
    let answer = String::from_utf8_lossy(&answer);
    if !answer.starts_with("HTTP/1.1 200") || !answer.contains("Tuyên Quang") {
        bail!("the request in flight got {answer}");
    }
    let status = replica.wait(Duration::from_secs(20)).await?;
    if !status.success() {
        bail!("the replica exited with {status}");
    }
    Ok(())
}

/// The tables the writes below touch.
const TABLES: [&str; 9] = [
    "plan",
    "plan_section",
    "task",
    "task_agency",
    "plan_document",
    "report",
    "report_value",
    "audit_event",
    "rollup_total",
];

async fn counts(app: &TestApp) -> Result<Vec<i64>> {
    let mut out = Vec::new();
    for t in TABLES {
        out.push(app.rows(t).await?);
    }
    Ok(out)
}

/// The three large writes: a plan cascaded to every district of old Tuyên
/// Quang, a plan document imported, and a report spreadsheet filling every
/// commune of today's Tuyên Quang, submitted.
#[derive(Clone, Copy, Debug)]
enum Big {
    Cascade,
    PlanImport,
    ReportImport,
}

/// One of them, ready to send with `token`.
struct Upload {
    token: String,
    query: &'static str,
    input: Value,
    /// A multipart request's file; none: a JSON request of `input`.
    file: Option<(&'static str, Vec<u8>)>,
}

async fn upload_of(app: &TestApp, big: Big) -> Result<Upload> {
    let token = |s: common::Session<'_>| s.token.unwrap_or_default();
    Ok(match big {
        Big::Cascade => {
            let (tq, plan) = crate::tasks::tq_plan(app).await?;
            let districts = crate::tasks::below(app, &tq, "DISTRICT", 20).await?;
            let coordinator = app
                .session_at("PROVINCE", "08", "2026-01-01", "COORDINATOR")
                .await?;
            Upload {
                token: token(coordinator),
                query: crate::tasks::CASCADE,
                input: json!({"p": plan, "c": districts}),
                file: None,
            }
        }
        Big::PlanImport => {
            let tq = app.committee_id("PROVINCE", "08", "2024-01-01").await?;
            Upload {
                token: token(app.session("tuyenquang.coordinator").await?),
                query: "mutation($input: ImportPlanDocumentInput!) { importPlanDocument(input: $input) { plan { id } userErrors { code } } }",
                input: json!({"committeeId": tq, "dryRun": false}),
                file: Some(("ke-hoach-2024.txt", crate::plan_import::SEED_000.to_vec())),
            }
        }
        Big::ReportImport => {
            let coordinator = app.session("tuyenquang.coordinator").await?;
            let tq = app.committee_id("PROVINCE", "08", "2026-01-01").await?;
            let file =
                crate::sheets::template_of(&coordinator, &tq, "2026-Q4", "CHILDREN", "CSV").await?;
            let text = String::from_utf8(file)?;
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
            let mut lines: Vec<Vec<String>> = rdr
                .records()
                .map(|r| r.map(|r| r.iter().map(str::to_owned).collect()))
                .collect::<Result<_, _>>()?;
            let at = lines[0]
                .iter()
                .position(|h| h == "tips_received")
                .context("tips_received")?;
            for l in lines.iter_mut().skip(1) {
                l[at] = "7".into();
            }
            let mut out = csv::Writer::from_writer(Vec::new());
            for l in &lines {
                out.write_record(l)?;
            }
            Upload {
                token: token(coordinator),
                query: "mutation($input: ImportReportsInput!) { importReports(input: $input) { summary { created refused } userErrors { code } } }",
                input: json!({"submit": true}),
                file: Some(("filled.csv", out.into_inner()?)),
            }
        }
    })
}

/// Sends `u` to the server at `base`.
async fn send(app: &TestApp, base: &str, u: Upload) -> Result<Value> {
    let s = app.with_token(&u.token).at(base);
    match u.file {
        Some((name, file)) => Ok(s.upload(u.query, u.input, name, file).await?.1),
        None => s.post(u.query, u.input).await,
    }
}

/// What the rows of `TABLES` other than the audit trail (which also holds
/// the template's download) gained from `before` to `now`.
fn made(now: &[i64], before: &[i64]) -> Vec<i64> {
    now.iter()
        .zip(before)
        .zip(TABLES)
        .filter(|(_, t)| *t != "audit_event")
        .map(|((a, b), _)| a - b)
        .collect()
}

/// A writer killed (SIGKILL) at some moment of a cascade, a plan import
/// and a spreadsheet import: afterwards each is wholly there or wholly absent,
/// and the kept rollup totals still equal the reports' sums. The kills fall
/// at shares of the time the same write took on a database of its own
/// (where one lands — before, in or after the transaction — varies; every
/// outcome must be whole), and one well after it (the write is there).
pub async fn sigkill_mid_write_leaves_all_or_nothing() -> Result<()> {
    for big in [Big::Cascade, Big::PlanImport, Big::ReportImport] {
        // What the whole write adds, measured on a database of its own.
        let control = TestApp::new().await?;
        let u = upload_of(&control, big).await?;
        let before = counts(&control).await?;
        let started = Instant::now();
        let body = send(&control, &control.base, u).await?;
        let took = started.elapsed();
        if body.get("errors").is_some() {
            bail!("{big:?}: {body}");
        }
        let whole = made(&counts(&control).await?, &before);
        if whole.iter().all(|d| *d == 0) {
            bail!("{big:?} wrote nothing: {body}");
        }
        // Kills spread over the time the whole write took, and one after.
        for share in [0.4, 0.8, 0.95, 2.5] {
            let delay = took.mul_f64(share);
            let app = Arc::new(TestApp::new().await?);
            let replicas = if common::on_postgres() { "2" } else { "1" };
            let replica = Replica::start(&app.url, &[("HUB138_REPLICAS", replicas)]).await?;
            let u = upload_of(&app, big).await?;
            let before = counts(&app).await?;
            // The request keeps going until the process dies under it.
            let request = {
                let (app, base) = (app.clone(), replica.base.clone());
                tokio::spawn(async move { send(&app, &base, u).await })
            };
            tokio::time::sleep(delay).await;
            replica.kill().await?;
            let _ = request.await;
            let delta = made(&counts(&app).await?, &before);
            let outcome = if delta.iter().all(|d| *d == 0) {
                "absent"
            } else if delta == whole {
                "whole"
            } else {
                bail!("{big:?} killed after {delay:?} left {delta:?} of {whole:?}");
            };
            eprintln!("{big:?} killed after {delay:?} of {took:?}: {outcome}");
            let c = hub138::service::totals::check(&app.db)
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            ensure_eq!((share, c.equal()), (share, true));
        }
    }
    Ok(())
}
