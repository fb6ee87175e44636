//! The timed queries: the real server on 127.0.0.1:0, requests over HTTP as
//! the central admin, one at a time, each counted in SQL statements.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use hub138::AppState;
use hub138::auth::token::Signer;
use hub138::config::Limits;
use hub138::service::account;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde_json::{Value, json};
use tokio::sync::oneshot;

use crate::Args;
use crate::generate::plan_number;

/// The province the provincial queries ask about: Tuyên Quang as it stands
/// since the 2025 reform (it absorbed Hà Giang; about 120 communes).
const PROVINCE: &str = "08";
const PROVINCE_ON: &str = "2026-01-01";

/// Counts the SQL statements the server runs and, when asked, keeps them.
#[derive(Default)]
pub struct Recorder {
    statements: AtomicUsize,
    capture: AtomicBool,
    captured: Mutex<Vec<(Duration, String)>>,
}

impl Recorder {
    /// The metric callback of the server's connection.
    pub fn record(&self, info: &sea_orm::metric::Info<'_>) {
        self.statements.fetch_add(1, Ordering::SeqCst);
        if self.capture.load(Ordering::SeqCst)
            && let Ok(mut v) = self.captured.lock()
        {
            // `Statement`'s Display inlines the bound values.
            v.push((info.elapsed, info.statement.to_string()));
        }
    }

    fn reset(&self, capture: bool) {
        self.statements.store(0, Ordering::SeqCst);
        self.capture.store(capture, Ordering::SeqCst);
        if let Ok(mut v) = self.captured.lock() {
            v.clear();
        }
    }

    fn statements(&self) -> usize {
        self.statements.load(Ordering::SeqCst)
    }

    fn take_captured(&self) -> Vec<(Duration, String)> {
        self.capture.store(false, Ordering::SeqCst);
        self.captured
            .lock()
            .map(|mut v| std::mem::take(&mut *v))
            .unwrap_or_default()
    }
}

/// One benchmarked query.
struct Case {
    name: String,
    query: String,
    variables: Value,
    /// A one-line summary of a response, to show the data is really there.
    check: fn(&Value) -> Result<String>,
}

/// Timings of one query.
#[derive(Debug)]
pub struct CaseResult {
    pub name: String,
    pub p50: f64,
    pub p95: f64,
    pub max: f64,
    pub statements: (usize, usize),
    pub check: String,
}

/// The machine while the queries ran: CPUs and the 1-minute load average
/// (Linux) before and after.
#[derive(Debug, Default)]
pub struct Machine {
    pub cpus: usize,
    pub load_before: Option<String>,
    pub load_after: Option<String>,
    pub exports: Vec<ExportResult>,
}

/// The 1-minute load average, where `/proc/loadavg` exists.
fn load_average() -> Option<String> {
    let s = std::fs::read_to_string("/proc/loadavg").ok()?;
    s.split_whitespace().next().map(str::to_owned)
}

/// The running server and a client with the central admin's token.
struct Server {
    base: String,
    client: reqwest::Client,
    token: String,
    stop: Option<oneshot::Sender<()>>,
    handle: tokio::task::JoinHandle<()>,
}

impl Server {
    async fn start(db: DatabaseConnection) -> Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let signer = Signer::new(
            b"hub138-bench-secret-of-at-least-32-bytes",
            chrono::Duration::hours(2),
        );
        let admin = account::by_username(&db, "central.admin")
            .await
            .map_err(|e| anyhow::anyhow!("central.admin: {e:?}"))?;
        let (token, _) = signer
            .issue(admin.id)
            .map_err(|e| anyhow::anyhow!("token: {e:?}"))?;
        let state = AppState::new(db, Limits::default(), signer);
        let (stop, stopped) = oneshot::channel::<()>();
        let handle = tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            if let Err(err) = hub138::serve(listener, state, shutdown).await {
                eprintln!("server: {err}");
            }
        });
        Ok(Self {
            base,
            client: reqwest::Client::new(),
            token,
            stop: Some(stop),
            handle,
        })
    }

    /// POSTs a query; fails on a non-200 answer or any `errors`.
    async fn data(&self, query: &str, variables: &Value) -> Result<Value> {
        let res = self
            .client
            .post(format!("{}/graphql", self.base))
            .header("accept", "application/graphql-response+json")
            .bearer_auth(&self.token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await?;
        let status = res.status();
        let body: Value = res.json().await.context("response is not JSON")?;
        if !status.is_success() || body.get("errors").is_some() {
            bail!("query failed ({status}): {body}\nquery: {query}");
        }
        Ok(body["data"].clone())
    }

    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = self.handle.await;
    }
}

const ROLLUP_ROWS: &str = "
query($level: CommitteeLevel!, $code: String!, $on: Date, $period: Period!) {
  committeeByCode(level: $level, code: $code, activeOn: $on) {
    indicatorRollup(indicators: [\"tips_received\"], period: $period, groupBy: CHILD) {
      rows { committee { code } values { value } }
    }
  }
}";

const DASHBOARD: &str = "
query($code: String!, $on: Date, $plan: ID!, $first: Int!) {
  committeeByCode(level: PROVINCE, code: $code, activeOn: $on) {
    children(first: $first) {
      nodes {
        code
        taskProgress(planId: $plan) { total done overdue completion }
        reportingStatus(period: \"2026-Q1\") { total { expected submitted late missing } }
      }
    }
  }
}";

const STATUS: &str = "
query($code: String!, $on: Date) {
  committeeByCode(level: PROVINCE, code: $code, activeOn: $on) {
    reportingStatus(period: \"2026-Q1\") {
      total { expected submitted onTime late approved returned pending missing }
      children {
        committee { code }
        total { expected submitted onTime late approved returned pending missing }
      }
    }
  }
}";

fn array<'a>(v: &'a Value, what: &str) -> Result<&'a Vec<Value>> {
    v.as_array()
        .with_context(|| format!("{what} is not a list: {v}"))
}

fn check_rows(d: &Value) -> Result<String> {
    let rows = array(&d["committeeByCode"]["indicatorRollup"]["rows"], "rows")?;
    let sum: f64 = rows
        .iter()
        .filter_map(|r| r["values"][0]["value"].as_f64())
        .sum();
    if rows.is_empty() || sum <= 0.0 {
        bail!("empty rollup: {d}");
    }
    Ok(format!("{} rows, sum {sum}", rows.len()))
}

fn check_dashboard(d: &Value) -> Result<String> {
    let nodes = array(&d["committeeByCode"]["children"]["nodes"], "nodes")?;
    let tasks: i64 = nodes
        .iter()
        .filter_map(|n| n["taskProgress"]["total"].as_i64())
        .sum();
    let expected: i64 = nodes
        .iter()
        .filter_map(|n| n["reportingStatus"]["total"]["expected"].as_i64())
        .sum();
    if nodes.is_empty() || tasks == 0 || expected == 0 {
        bail!("empty dashboard: {d}");
    }
    Ok(format!(
        "{} communes, {tasks} tasks, {expected} reports expected",
        nodes.len()
    ))
}

fn check_status(d: &Value) -> Result<String> {
    let s = &d["committeeByCode"]["reportingStatus"];
    let children = array(&s["children"], "children")?;
    let t = &s["total"];
    if children.is_empty() || t["expected"].as_i64().unwrap_or(0) == 0 {
        bail!("empty reporting status: {d}");
    }
    Ok(format!(
        "{} communes; expected {}, submitted {}, late {}, missing {}",
        children.len(),
        t["expected"],
        t["submitted"],
        t["late"],
        t["missing"]
    ))
}

/// The global id of the province's generated 2026 plan.
async fn province_plan(server: &Server) -> Result<String> {
    let d = server
        .data(
            "query($code: String!, $on: Date) {
               committeeByCode(level: PROVINCE, code: $code, activeOn: $on) {
                 plans(first: 50) { nodes { id documentNumber } } } }",
            &json!({ "code": PROVINCE, "on": PROVINCE_ON }),
        )
        .await?;
    let doc = plan_number(2026);
    array(&d["committeeByCode"]["plans"]["nodes"], "plans")?
        .iter()
        .find(|p| p["documentNumber"].as_str() == Some(doc.as_str()))
        .and_then(|p| p["id"].as_str())
        .map(str::to_owned)
        .with_context(|| format!("no plan {doc} of province {PROVINCE}: {d}"))
}

fn cases(plan: &str) -> Vec<Case> {
    let dashboard = |first: i64| Case {
        name: format!("(c) province {PROVINCE} dashboard, children(first: {first})"),
        query: DASHBOARD.to_owned(),
        variables: json!({ "code": PROVINCE, "on": PROVINCE_ON, "plan": plan, "first": first }),
        check: check_dashboard,
    };
    vec![
        Case {
            name: "(a) national rollup by province, 2024".to_owned(),
            query: ROLLUP_ROWS.to_owned(),
            variables: json!({ "level": "CENTRAL", "code": "VN", "on": null, "period": "2024" }),
            check: check_rows,
        },
        Case {
            name: format!("(b) province {PROVINCE} rollup by commune, 2026"),
            query: ROLLUP_ROWS.to_owned(),
            variables: json!({
                "level": "PROVINCE", "code": PROVINCE, "on": PROVINCE_ON, "period": "2026"
            }),
            check: check_rows,
        },
        dashboard(100),
        dashboard(10),
        Case {
            name: format!("(d) province {PROVINCE} reporting status by commune, 2026-Q1"),
            query: STATUS.to_owned(),
            variables: json!({ "code": PROVINCE, "on": PROVINCE_ON }),
            check: check_status,
        },
    ]
}

/// Nearest-rank percentile of sorted milliseconds.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Starts the server and times every case.
pub async fn run(
    args: &Args,
    db: DatabaseConnection,
    recorder: std::sync::Arc<Recorder>,
) -> Result<(Vec<CaseResult>, Machine)> {
    let server = Server::start(db.clone()).await?;
    let mut machine = Machine {
        cpus: std::thread::available_parallelism().map_or(0, usize::from),
        load_before: load_average(),
        load_after: None,
        exports: Vec::new(),
    };
    let result = measure_all(args, &db, &recorder, &server).await;
    let exports = match &result {
        Ok(_) => measure_exports(&server, &recorder).await,
        Err(_) => Ok(Vec::new()),
    };
    machine.load_after = load_average();
    server.stop().await;
    machine.exports = exports?;
    Ok((result?, machine))
}

/// One national export: format, p50 and max ms (create + download), size,
/// statements, and the process's peak resident memory above its level
/// before the export.
#[derive(Debug)]
pub struct ExportResult {
    pub format: &'static str,
    pub p50: f64,
    pub max: f64,
    pub bytes: usize,
    pub statements: usize,
    pub peak_mib: f64,
}

/// `VmHWM` (peak resident set) and `VmRSS` of this process, in KiB.
fn memory() -> Option<(u64, u64)> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        s.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}

/// Resets the peak resident set to the current one (Linux `clear_refs`).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

const EXPORT: &str = "mutation($c: ID!, $f: ExportFormat!) { createExport(input: {definition: \"period_report\",
    period: \"2024\", scopeCommitteeId: $c, format: $f}) { export { url size } userErrors { code message } } }";

/// The national `period_report` export for 2024, created and downloaded,
/// 5 times per format.
async fn measure_exports(server: &Server, recorder: &Recorder) -> Result<Vec<ExportResult>> {
    let d = server
        .data(
            "{ committeeByCode(level: CENTRAL, code: \"VN\") { id } }",
            &json!({}),
        )
        .await?;
    let central = d["committeeByCode"]["id"].clone();
    let mut out = Vec::new();
    for format in ["XLSX", "CSV", "JSON"] {
        eprintln!("measure: national export {format}");
        let mut ms = Vec::new();
        let mut peak: f64 = 0.0;
        let (mut bytes, mut statements) = (0, 0);
        for _ in 0..5 {
            reset_peak();
            let before = memory().map_or(0, |m| m.1);
            recorder.reset(false);
            let t = Instant::now();
            let d = server
                .data(EXPORT, &json!({ "c": central, "f": format }))
                .await?;
            let e = &d["createExport"];
            if e["userErrors"] != json!([]) {
                bail!("createExport: {}", e["userErrors"]);
            }
            let url = e["export"]["url"].as_str().context("no url")?;
            let body = server
                .client
                .get(format!("{}{url}", server.base))
                .bearer_auth(&server.token)
                .send()
                .await?
                .error_for_status()?
                .bytes()
                .await?;
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
            statements = recorder.statements();
            bytes = body.len();
            if let Some((hwm, _)) = memory() {
                #[allow(clippy::cast_precision_loss)]
                let above = hwm.saturating_sub(before) as f64 / 1024.0;
                peak = peak.max(above);
            }
        }
        ms.sort_by(f64::total_cmp);
        out.push(ExportResult {
            format,
            p50: percentile(&ms, 0.5),
            max: ms.last().copied().unwrap_or(0.0),
            bytes,
            statements,
            peak_mib: peak,
        });
    }
    Ok(out)
}

async fn measure_all(
    args: &Args,
    db: &DatabaseConnection,
    recorder: &Recorder,
    server: &Server,
) -> Result<Vec<CaseResult>> {
    let plan = province_plan(server).await?;
    let mut results = Vec::new();
    for case in cases(&plan) {
        eprintln!("measure: {}", case.name);
        for _ in 0..args.warmup {
            server.data(&case.query, &case.variables).await?;
        }
        let mut ms = Vec::with_capacity(args.iterations);
        let mut statements = (usize::MAX, 0);
        let mut check = String::new();
        let mut captured = Vec::new();
        for i in 0..args.iterations.max(1) {
            let last = i + 1 == args.iterations.max(1);
            recorder.reset(last && (args.print_sql || args.explain));
            let t = Instant::now();
            let data = server.data(&case.query, &case.variables).await?;
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
            let n = recorder.statements();
            statements = (statements.0.min(n), statements.1.max(n));
            if i == 0 {
                check = (case.check)(&data).with_context(|| case.name.clone())?;
            }
            if last {
                captured = recorder.take_captured();
            }
        }
        ms.sort_by(f64::total_cmp);
        let r = CaseResult {
            name: case.name.clone(),
            p50: percentile(&ms, 0.50),
            p95: percentile(&ms, 0.95),
            max: ms.last().copied().unwrap_or(0.0),
            statements,
            check,
        };
        eprintln!(
            "measure: p50 {:.1} ms, p95 {:.1} ms, {} statements",
            r.p50, r.p95, r.statements.1
        );
        if args.print_sql {
            print_sql(&case.name, &captured);
        }
        if args.explain
            && let Some((elapsed, sql)) = captured.iter().max_by_key(|(e, _)| *e)
        {
            explain(db, &case.name, *elapsed, sql).await?;
        }
        results.push(r);
    }
    Ok(results)
}

fn print_sql(name: &str, captured: &[(Duration, String)]) {
    println!();
    println!("### SQL of one request: {name}");
    println!();
    for (elapsed, sql) in captured {
        println!("- {:.2} ms: `{sql}`", elapsed.as_secs_f64() * 1000.0);
    }
}

/// Prints the plan of `sql` (the slowest statement of a request).
async fn explain(db: &DatabaseConnection, name: &str, elapsed: Duration, sql: &str) -> Result<()> {
    let backend = db.get_database_backend();
    let (prefix, column) = match backend {
        DbBackend::Postgres => ("EXPLAIN (ANALYZE, BUFFERS)", "QUERY PLAN"),
        _ => ("EXPLAIN QUERY PLAN", "detail"),
    };
    let rows = db
        .query_all_raw(Statement::from_string(backend, format!("{prefix} {sql}")))
        .await
        .with_context(|| format!("explain {sql}"))?;
    println!();
    println!(
        "### Slowest statement of {name} ({:.2} ms)",
        elapsed.as_secs_f64() * 1000.0
    );
    println!();
    println!("```sql\n{sql}\n```");
    println!();
    println!("```");
    for row in rows {
        let line: String = row.try_get("", column)?;
        println!("{line}");
    }
    println!("```");
    Ok(())
}

pub fn print_table(args: &Args, results: &[CaseResult], machine: &Machine) {
    println!(
        "## Latency ({} timed requests per query after {} warm-up, sequential, over HTTP)",
        args.iterations.max(1),
        args.warmup
    );
    println!();
    if let (Some(before), Some(after)) = (&machine.load_before, &machine.load_after) {
        println!(
            "{} CPUs; load average (1 min) {before} before the queries, {after} after.",
            machine.cpus
        );
        println!();
    }
    println!("| query | p50 ms | p95 ms | max ms | statements |");
    println!("|---|---:|---:|---:|---:|");
    for r in results {
        let statements = if r.statements.0 == r.statements.1 {
            r.statements.0.to_string()
        } else {
            format!("{}–{}", r.statements.0, r.statements.1)
        };
        println!(
            "| {} | {:.1} | {:.1} | {:.1} | {statements} |",
            r.name, r.p50, r.p95, r.max
        );
    }
    println!();
    println!("Responses (first timed request):");
    println!();
    for r in results {
        println!("- {}: {}", r.name, r.check);
    }
    if !machine.exports.is_empty() {
        println!();
        println!(
            "## National export: `period_report`, 2024, all provinces (createExport + download, 5 runs)"
        );
        println!();
        println!(
            "| format | p50 ms | max ms | file bytes | statements | peak memory above baseline, MiB |"
        );
        println!("|---|---:|---:|---:|---:|---:|");
        for e in &machine.exports {
            println!(
                "| {} | {:.0} | {:.0} | {} | {} | {:.1} |",
                e.format, e.p50, e.max, e.bytes, e.statements, e.peak_mib
            );
        }
    }
}
