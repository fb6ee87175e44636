//! `hub138-soak`: many clients for a long while against one or more
//! replicas, mixing reads, progress reports and report saves; then a check
//! that every accepted write is in the database. Run by `bench/soak.sh`.
//!
//! Each client loops, sending its request to the replicas in turn:
//!
//! - 70 %: a read, as the central viewer — a province's children with
//!   their standing agencies, or the national rollup of one indicator by
//!   province for 2024;
//! - 15 %: `reportTaskProgress` on one of the in-progress tasks of old Tuyên
//!   Quang, as today's Tuyên Quang coordinator, with the version the client
//!   last saw (a stale one is a `CONFLICT`, expected: the client reads the
//!   task again);
//! - 15 %: `saveReport` of today's Tuyên Quang's 2026-Q4 report or of
//!   commune 00691's, as their editors, likewise versioned.
//!
//! Every answer is classified (ok, expected `CONFLICT`, anything else an
//! error) and timed; the replicas' resident memory is read from `/proc`
//! every 10 seconds. At the end: per minute the requests, p50 and p99 and
//! the memory; then the accepted writes against the rows in the database —
//! new `task_progress` rows, and the two reports' versions.

// A benchmark's results are its standard output.
#![allow(clippy::print_stdout)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Parser;
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};
use tokio::sync::Mutex;

#[derive(Parser, Debug)]
struct Args {
    /// The replicas' base URLs, comma-separated.
    #[arg(long, value_delimiter = ',')]
    targets: Vec<String>,
    /// The replicas' process ids, for their memory.
    #[arg(long, value_delimiter = ',')]
    pids: Vec<u32>,
    /// The database the replicas serve, to count what was written.
    #[arg(long)]
    database_url: String,
    #[arg(long, default_value_t = 600)]
    seconds: u64,
    #[arg(long, default_value_t = 50)]
    clients: usize,
    #[arg(long, default_value = "hub138-demo")]
    password: String,
}

const LOGIN: &str = "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { accessToken userErrors { code } } }";
const CHILDREN: &str = "{ committeeByCode(level: PROVINCE, code: \"08\") { name children(first: 20) { edges { node { code name standingAgency { name } } } } } }";
const ROLLUP: &str = "{ committeeByCode(level: CENTRAL, code: \"VN\", activeOn: \"2024-06-30\") { indicatorRollup(indicators: [\"tips_received\"], period: \"2024\", groupBy: CHILD) { rows { committee { code } values { value } } } } }";
const TASKS: &str = "query($c: ID!) { tasks(filter: {committeeId: $c, includeSubtree: true, status: IN_PROGRESS}, first: 40) { edges { node { id version } } } }";
const TASK: &str = "query($t: ID!) { node(id: $t) { ... on Task { version } } }";
const PROGRESS: &str = "mutation($input: ReportTaskProgressInput!) { reportTaskProgress(input: $input) { task { version } userErrors { code } } }";
const REPORT: &str = "query($c: ID!) { node(id: $c) { ... on Committee { reports(period: \"2026-Q4\", first: 1) { edges { node { version } } } } } }";
const SAVE: &str = "mutation($input: SaveReportInput!) { saveReport(input: $input) { report { version } userErrors { code } } }";
const COMMITTEE: &str = "query($l: CommitteeLevel!, $c: String!, $on: Date) { committeeByCode(level: $l, code: $c, activeOn: $on) { id } }";

/// One answer: when (ms since start), how long (µs), and its class.
#[derive(Clone, Copy)]
struct Sample {
    at_ms: u64,
    micros: u64,
    class: Class,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Ok,
    Conflict,
    Error,
}

struct Shared {
    client: reqwest::Client,
    targets: Vec<String>,
    next_target: AtomicUsize,
    viewer: String,
    coordinator: String,
    /// (token, committee id) of the two report editors.
    editors: Vec<(String, String)>,
    /// (task id, last version seen).
    tasks: Vec<(String, AtomicU64)>,
    /// The two reports' last version seen.
    reports: Vec<AtomicU64>,
    accepted_progress: AtomicU64,
    accepted_saves: AtomicU64,
    samples: Mutex<Vec<Sample>>,
    errors: Mutex<Vec<String>>,
    started: Instant,
}

impl Shared {
    fn target(&self) -> &str {
        let i = self.next_target.fetch_add(1, Ordering::Relaxed);
        &self.targets[i % self.targets.len()]
    }

    async fn post(&self, token: &str, query: &str, variables: Value) -> Result<Value> {
        let resp = self
            .client
            .post(format!("{}/graphql", self.target()))
            .header("authorization", format!("Bearer {token}"))
            .json(&json!({"query": query, "variables": variables}))
            .send()
            .await?;
        let status = resp.status();
        let body: Value = resp.json().await?;
        if !status.is_success() {
            bail!("HTTP {status}: {body}");
        }
        Ok(body)
    }
}

async fn login(client: &reqwest::Client, base: &str, user: &str, password: &str) -> Result<String> {
    let body: Value = client
        .post(format!("{base}/graphql"))
        .json(&json!({"query": LOGIN, "variables": {"u": user, "p": password}}))
        .send()
        .await?
        .json()
        .await?;
    body["data"]["login"]["accessToken"]
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("login {user}: {body}"))
}

fn code_of(body: &Value, field: &str) -> Option<String> {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .or_else(|| body["data"][field]["userErrors"][0]["code"].as_str())
        .map(str::to_owned)
}

/// One request of a client; its class.
async fn step(s: &Shared, n: u64) -> Result<Class> {
    let pick = n % 20;
    if pick < 14 {
        let q = if pick.is_multiple_of(2) {
            CHILDREN
        } else {
            ROLLUP
        };
        let body = s.post(&s.viewer, q, json!({})).await?;
        return Ok(match code_of(&body, "") {
            None => Class::Ok,
            Some(c) => bail!("read: {c}"),
        });
    }
    if pick < 17 {
        let i = usize::try_from(n).unwrap_or(0) % s.tasks.len();
        let (task, seen) = &s.tasks[i];
        let v = seen.load(Ordering::SeqCst);
        let body = s
            .post(
                &s.coordinator,
                PROGRESS,
                json!({"input": {"taskId": task, "expectedVersion": v, "percent": 1 + n % 98, "status": "IN_PROGRESS"}}),
            )
            .await?;
        return match code_of(&body, "reportTaskProgress") {
            None => {
                s.accepted_progress.fetch_add(1, Ordering::SeqCst);
                let after = body["data"]["reportTaskProgress"]["task"]["version"]
                    .as_u64()
                    .context("no version")?;
                seen.fetch_max(after, Ordering::SeqCst);
                Ok(Class::Ok)
            }
            Some(c) if c == "CONFLICT" => {
                let now = s.post(&s.coordinator, TASK, json!({"t": task})).await?;
                if let Some(v) = now["data"]["node"]["version"].as_u64() {
                    seen.fetch_max(v, Ordering::SeqCst);
                }
                Ok(Class::Conflict)
            }
            Some(c) => bail!("reportTaskProgress: {c}: {body}"),
        };
    }
    let i = usize::try_from(n).unwrap_or(0) % s.editors.len();
    let (token, committee) = &s.editors[i];
    let v = s.reports[i].load(Ordering::SeqCst);
    let body = s
        .post(
            token,
            SAVE,
            json!({"input": {"committeeId": committee, "period": "2026-Q4", "expectedVersion": v,
                   "values": [{"indicator": "tips_received", "value": n % 50}]}}),
        )
        .await?;
    match code_of(&body, "saveReport") {
        None => {
            s.accepted_saves.fetch_add(1, Ordering::SeqCst);
            let after = body["data"]["saveReport"]["report"]["version"]
                .as_u64()
                .context("no version")?;
            s.reports[i].fetch_max(after, Ordering::SeqCst);
            Ok(Class::Ok)
        }
        Some(c) if c == "CONFLICT" => {
            let now = s.post(token, REPORT, json!({"c": committee})).await?;
            if let Some(v) = now["data"]["node"]["reports"]["edges"][0]["node"]["version"].as_u64()
            {
                s.reports[i].fetch_max(v, Ordering::SeqCst);
            }
            Ok(Class::Conflict)
        }
        Some(c) => bail!("saveReport: {c}: {body}"),
    }
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)] as f64 / 1000.0
}

async fn scalar(db: &sea_orm::DatabaseConnection, sql: &str) -> Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?
        .context("no row")?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    // reqwest is built without a TLS provider of its own.
    hub138::install_tls();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let base = args.targets.first().context("no target")?.clone();
    let viewer = login(&client, &base, "central.viewer", &args.password).await?;
    let coordinator = login(&client, &base, "tuyenquang.coordinator", &args.password).await?;
    let id_of = async |level: &str, code: &str, on: &str| -> Result<String> {
        let body: Value = client
            .post(format!("{base}/graphql"))
            .header("authorization", format!("Bearer {viewer}"))
            .json(&json!({"query": COMMITTEE, "variables": {"l": level, "c": code, "on": on}}))
            .send()
            .await?
            .json()
            .await?;
        body["data"]["committeeByCode"]["id"]
            .as_str()
            .map(str::to_owned)
            .with_context(|| format!("{level} {code}: {body}"))
    };
    let old_tq = id_of("PROVINCE", "08", "2024-06-01").await?;
    let tq = id_of("PROVINCE", "08", "2026-06-01").await?;
    let commune = id_of("COMMUNE", "00691", "2026-06-01").await?;
    let tasks_body: Value = client
        .post(format!("{base}/graphql"))
        .header("authorization", format!("Bearer {coordinator}"))
        .json(&json!({"query": TASKS, "variables": {"c": old_tq}}))
        .send()
        .await?
        .json()
        .await?;
    let tasks: Vec<(String, AtomicU64)> = tasks_body["data"]["tasks"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| {
            Some((
                e["node"]["id"].as_str()?.to_owned(),
                AtomicU64::new(e["node"]["version"].as_u64()?),
            ))
        })
        .collect();
    if tasks.is_empty() {
        bail!("no task in progress: {tasks_body}");
    }
    let editors = vec![
        (
            login(&client, &base, "tuyenquang.editor", &args.password).await?,
            tq,
        ),
        (
            login(&client, &base, "hagiang2.editor", &args.password).await?,
            commune,
        ),
    ];
    let db = Database::connect(&args.database_url).await?;
    let progress_before = scalar(&db, "SELECT COUNT(*) FROM task_progress").await?;
    let keys: Vec<String> = editors
        .iter()
        .filter_map(|(_, c)| hub138::ids::decode(c).map(|(_, k)| k.to_string()))
        .collect();
    let versions_sql = format!(
        "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM report \
         WHERE period = '2026-Q4' AND committee_id IN ({})",
        keys.join(", ")
    );
    let versions_sql = versions_sql.as_str();
    let versions_before = scalar(&db, versions_sql).await?;
    let mut report_versions = Vec::new();
    for (token, committee) in &editors {
        let body: Value = client
            .post(format!("{base}/graphql"))
            .header("authorization", format!("Bearer {token}"))
            .json(&json!({"query": REPORT, "variables": {"c": committee}}))
            .send()
            .await?
            .json()
            .await?;
        report_versions.push(AtomicU64::new(
            body["data"]["node"]["reports"]["edges"][0]["node"]["version"]
                .as_u64()
                .unwrap_or(0),
        ));
    }
    println!(
        "soak: {} clients for {} s over {} replica(s); {} tasks, {} reports written",
        args.clients,
        args.seconds,
        args.targets.len(),
        tasks.len(),
        editors.len()
    );
    let shared = Arc::new(Shared {
        client,
        targets: args.targets.clone(),
        next_target: AtomicUsize::new(0),
        viewer,
        coordinator,
        editors,
        tasks,
        reports: report_versions,
        accepted_progress: AtomicU64::new(0),
        accepted_saves: AtomicU64::new(0),
        samples: Mutex::new(Vec::new()),
        errors: Mutex::new(Vec::new()),
        started: Instant::now(),
    });
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let memory = {
        let pids = args.pids.clone();
        tokio::spawn(async move {
            let mut out: Vec<(u64, Vec<u64>)> = Vec::new();
            let started = Instant::now();
            while Instant::now() < deadline {
                out.push((
                    started.elapsed().as_secs(),
                    pids.iter().map(|p| rss_kib(*p).unwrap_or(0)).collect(),
                ));
                tokio::time::sleep(Duration::from_secs(10)).await;
            }
            out
        })
    };
    let mut clients = Vec::new();
    for c in 0..args.clients {
        let s = shared.clone();
        clients.push(tokio::spawn(async move {
            let mut n = c as u64 * 7919;
            while Instant::now() < deadline {
                n += 1;
                let t = Instant::now();
                let class = match step(&s, n).await {
                    Ok(class) => class,
                    Err(err) => {
                        s.errors.lock().await.push(format!("{err:#}"));
                        Class::Error
                    }
                };
                let sample = Sample {
                    at_ms: s.started.elapsed().as_millis() as u64,
                    micros: t.elapsed().as_micros() as u64,
                    class,
                };
                s.samples.lock().await.push(sample);
            }
        }));
    }
    for c in clients {
        c.await?;
    }
    let memory = memory.await?;
    let samples = shared.samples.lock().await.clone();
    let errors = shared.errors.lock().await.clone();

    println!();
    println!(
        "| minute | requests | req/s | p50 ms | p99 ms | conflicts | errors | RSS MiB per replica |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    let minutes = args.seconds.div_ceil(60);
    for m in 0..minutes {
        let (from, to) = (m * 60_000, (m + 1) * 60_000);
        let window: Vec<&Sample> = samples
            .iter()
            .filter(|s| s.at_ms >= from && s.at_ms < to)
            .collect();
        let mut lat: Vec<u64> = window.iter().map(|s| s.micros).collect();
        lat.sort_unstable();
        let conflicts = window.iter().filter(|s| s.class == Class::Conflict).count();
        let errs = window.iter().filter(|s| s.class == Class::Error).count();
        let rss = memory
            .iter()
            .filter(|(t, _)| *t * 1000 >= from && *t * 1000 < to)
            .map(|(_, r)| r.iter().copied().max().unwrap_or(0))
            .max()
            .unwrap_or(0);
        let secs = ((to.min(args.seconds * 1000) - from) as f64 / 1000.0).max(1.0);
        println!(
            "| {} | {} | {:.0} | {:.1} | {:.1} | {} | {} | {:.0} |",
            m + 1,
            window.len(),
            window.len() as f64 / secs,
            percentile(&lat, 0.50),
            percentile(&lat, 0.99),
            conflicts,
            errs,
            rss as f64 / 1024.0
        );
    }
    let progress_after = scalar(&db, "SELECT COUNT(*) FROM task_progress").await?;
    let versions_after = scalar(&db, versions_sql).await?;
    let accepted_progress = shared.accepted_progress.load(Ordering::SeqCst);
    let accepted_saves = shared.accepted_saves.load(Ordering::SeqCst);
    let first_rss: Vec<u64> = memory.first().map(|(_, r)| r.clone()).unwrap_or_default();
    let last_rss: Vec<u64> = memory.last().map(|(_, r)| r.clone()).unwrap_or_default();
    println!();
    println!(
        "requests {}, errors {}, expected conflicts {}",
        samples.len(),
        errors.len(),
        samples
            .iter()
            .filter(|s| s.class == Class::Conflict)
            .count()
    );
    println!(
        "progress updates accepted {accepted_progress}, new task_progress rows {}",
        progress_after - progress_before
    );
    println!(
        "report saves accepted {accepted_saves}, report versions gained {}",
        versions_after - versions_before
    );
    println!("RSS KiB per replica, first sample {first_rss:?}, last {last_rss:?}");
    for e in errors.iter().take(10) {
        println!("error: {e}");
    }
    let written_ok = i64::try_from(accepted_progress).ok()
        == Some(progress_after - progress_before)
        && i64::try_from(accepted_saves).ok() == Some(versions_after - versions_before);
    if !errors.is_empty() || !written_ok {
        bail!("the soak found errors or lost writes");
    }
    println!("soak: no errors, every accepted write present");
    Ok(())
}
