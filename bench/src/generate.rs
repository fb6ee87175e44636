//! National-scale data for the reporting features, generated in the
//! database with set-based SQL (`INSERT … SELECT`), the same statements on
//! SQLite and PostgreSQL:
//!
//! - for every committee but the central one, legacy (until 2025-06-30) and
//!   current (from 2025-07-01) alike, a quarterly report for each quarter
//!   of 2022–2026 in which the unit existed: deadline 15 days after the
//!   quarter, mostly APPROVED, some SUBMITTED, RETURNED or DRAFT (missing),
//!   some late; with 20 SUM indicator values each (DRAFTs have none);
//! - for every committee, central included, an annual plan for each year of
//!   2022–2026 in which it existed, implementing its parent's plan of the
//!   same year, with 30 tasks of mixed status, completion and due date.
//!
//! The demo reports are deleted first (the generated ones cover the same
//! units and periods); the demo plans stay. Numbers are arithmetic on ids,
//! so every run generates the same data.

use std::fmt::Write as _;
use std::time::Instant;

use anyhow::{Context, Result};
use chrono::{Duration, NaiveDate};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

/// First and last year of the generated reports and plans.
pub const FIRST_YEAR: i32 = 2022;
pub const LAST_YEAR: i32 = 2026;
/// Tasks per generated plan.
pub const TASKS_PER_PLAN: i32 = 30;
/// SUM indicators each report gives a value for.
pub const INDICATORS: i32 = 20;

/// The document number of the generated plan of `year`.
pub fn plan_number(year: i32) -> String {
    format!("KH-BENCH/{year}")
}

/// Categories the generated tasks cycle through.
const CATEGORIES: [&str; 6] = [
    "DIRECTION",
    "COMMUNICATION",
    "SOCIAL_PREVENTION",
    "PROFESSIONAL_PREVENTION",
    "ENFORCEMENT",
    "VICTIM_SUPPORT",
];

/// Rows in the database after generation.
#[derive(Debug, Default)]
pub struct Counts {
    pub committees: i64,
    pub demo_reports_deleted: i64,
    pub reports: i64,
    pub reports_by_status: Vec<(String, i64)>,
    pub late: i64,
    pub report_values: i64,
    pub plans: i64,
    pub plan_links: i64,
    pub tasks: i64,
    /// (step, seconds).
    pub timings: Vec<(&'static str, f64)>,
}

impl Counts {
    pub fn print(&self) {
        println!("## Generated data");
        println!();
        println!("| table | rows |");
        println!("|---|---:|");
        println!("| committee (seeded) | {} |", self.committees);
        println!("| plan (all) | {} |", self.plans);
        println!("| plan_link (all) | {} |", self.plan_links);
        println!("| task (all) | {} |", self.tasks);
        println!("| report | {} |", self.reports);
        for (status, n) in &self.reports_by_status {
            println!("| report: {status} | {n} |");
        }
        println!("| report: late | {} |", self.late);
        println!("| report_value | {} |", self.report_values);
        println!();
        println!("Demo reports deleted first: {}.", self.demo_reports_deleted);
        println!();
        println!("| step | seconds |");
        println!("|---|---:|");
        let mut total = 0.0;
        for (step, s) in &self.timings {
            println!("| {step} | {s:.1} |");
            total += s;
        }
        println!("| **total** | **{total:.1}** |");
    }
}

/// Generates the data (see the module docs); ANALYZE at the end if asked.
pub async fn run(db: &DatabaseConnection, analyze: bool) -> Result<Counts> {
    let backend = db.get_database_backend();
    let mut counts = Counts::default();
    let mut step = |name: &'static str, started: Instant| {
        let s = started.elapsed().as_secs_f64();
        eprintln!("generate: {name}: {s:.1} s");
        counts.timings.push((name, s));
    };

    let t = Instant::now();
    for sql in helper_tables(backend) {
        exec(db, &sql).await?;
    }
    step("lookup tables", t);

    let t = Instant::now();
    let demo = count(db, "SELECT COUNT(*) AS n FROM report").await?;
    exec(db, "DELETE FROM report_value").await?;
    exec(db, "DELETE FROM report").await?;
    step("delete demo reports", t);

    let t = Instant::now();
    exec(db, PLANS).await?;
    step("plans", t);
    let t = Instant::now();
    exec(db, PLAN_LINKS).await?;
    step("plan links", t);
    let t = Instant::now();
    exec(db, TASKS).await?;
    step("tasks", t);
    let t = Instant::now();
    exec(db, REPORTS).await?;
    step("reports", t);
    let t = Instant::now();
    exec(db, &report_values()).await?;
    step("report values", t);
    let t = Instant::now();
    hub138::service::totals::rebuild(db)
        .await
        .map_err(|e| anyhow::anyhow!("rollup totals: {e:?}"))?;
    step("rollup totals", t);

    let t = Instant::now();
    for table in ["bench_quarter", "bench_year", "bench_task", "bench_due"] {
        exec(db, &format!("DROP TABLE {table}")).await?;
    }
    // Statistics and, on PostgreSQL, the visibility map that index-only
    // scans need: what autovacuum gives a table some time after a bulk load.
    let analyze_sql = match backend {
        DbBackend::Postgres => "VACUUM ANALYZE",
        _ => "ANALYZE",
    };
    if analyze {
        exec(db, analyze_sql).await?;
    }
    step(if analyze { analyze_sql } else { "cleanup" }, t);

    counts.demo_reports_deleted = demo;
    counts.committees = count(db, "SELECT COUNT(*) AS n FROM committee").await?;
    counts.reports = count(db, "SELECT COUNT(*) AS n FROM report").await?;
    counts.late = count(db, "SELECT COUNT(*) AS n FROM report WHERE late").await?;
    counts.report_values = count(db, "SELECT COUNT(*) AS n FROM report_value").await?;
    counts.plans = count(db, "SELECT COUNT(*) AS n FROM plan").await?;
    counts.plan_links = count(db, "SELECT COUNT(*) AS n FROM plan_link").await?;
    counts.tasks = count(db, "SELECT COUNT(*) AS n FROM task").await?;
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT status, COUNT(*) AS n FROM report GROUP BY status ORDER BY status",
        ))
        .await?;
    for row in rows {
        counts
            .reports_by_status
            .push((row.try_get("", "status")?, row.try_get("", "n")?));
    }
    Ok(counts)
}

async fn exec(db: &DatabaseConnection, sql: &str) -> Result<()> {
    db.execute_unprepared(sql)
        .await
        .with_context(|| format!("failed: {}", sql.chars().take(300).collect::<String>()))?;
    Ok(())
}

async fn count(db: &DatabaseConnection, sql: &str) -> Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?
        .context("COUNT returned no row")?;
    Ok(row.try_get("", "n")?)
}

/// A timestamp at 09:00 Vietnam time (02:00 UTC) on `day`, as a literal
/// both backends read as `timestamp with time zone` (RFC 3339).
fn morning(day: NaiveDate) -> String {
    format!("'{day}T02:00:00+00:00'")
}

fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn date(d: NaiveDate) -> String {
    format!("'{d}'")
}

/// The small lookup tables the `INSERT … SELECT`s join: quarters, years,
/// task templates and due dates (tens of rows in all).
fn helper_tables(backend: DbBackend) -> Vec<String> {
    let (date_t, ts_t) = match backend {
        DbBackend::Postgres => ("DATE", "TIMESTAMPTZ"),
        _ => ("TEXT", "TEXT"),
    };
    let mut out = vec![
        format!(
            "CREATE TABLE bench_quarter (idx INTEGER NOT NULL, period VARCHAR(8) NOT NULL, \
             doc VARCHAR(32) NOT NULL, period_start {date_t} NOT NULL, period_end {date_t} NOT NULL, \
             deadline {date_t} NOT NULL, created {ts_t} NOT NULL, sub_on_time {ts_t} NOT NULL, \
             sub_late {ts_t} NOT NULL, rev_on_time {ts_t} NOT NULL, rev_late {ts_t} NOT NULL)"
        ),
        format!(
            "CREATE TABLE bench_year (year INTEGER NOT NULL, doc VARCHAR(32) NOT NULL, \
             title VARCHAR(500) NOT NULL, search_key VARCHAR(700) NOT NULL, \
             year_start {date_t} NOT NULL, year_end {date_t} NOT NULL, issued_on {date_t} NOT NULL, \
             stamp {ts_t} NOT NULL)"
        ),
        "CREATE TABLE bench_task (n INTEGER NOT NULL, number VARCHAR(32) NOT NULL, \
         title VARCHAR(500) NOT NULL, category VARCHAR(32) NOT NULL)"
            .to_owned(),
        format!(
            "CREATE TABLE bench_due (doc VARCHAR(32) NOT NULL, slot INTEGER NOT NULL, \
             due_on {date_t} NOT NULL)"
        ),
    ];

    let mut quarters = Vec::new();
    let mut years = Vec::new();
    let mut dues = Vec::new();
    let mut idx = 0;
    for year in FIRST_YEAR..=LAST_YEAR {
        let doc = plan_number(year);
        let ymd = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d).unwrap_or_default();
        for q in 1..=4u32 {
            idx += 1;
            let start = ymd(3 * q - 2, 1);
            let end = if q == 4 {
                ymd(12, 31)
            } else {
                ymd(3 * q + 1, 1) - Duration::days(1)
            };
            let deadline = end + Duration::days(15);
            let (on_time, late) = (deadline - Duration::days(4), deadline + Duration::days(6));
            quarters.push(format!(
                "({idx}, '{year}-Q{q}', {}, {}, {}, {}, {}, {}, {}, {}, {})",
                lit(&doc),
                date(start),
                date(end),
                date(deadline),
                morning(end - Duration::days(10)),
                morning(on_time),
                morning(late),
                morning(on_time + Duration::days(3)),
                morning(late + Duration::days(3)),
            ));
            // Tasks are due at the end of each quarter of their plan's year.
            dues.push(format!("({}, {}, {})", lit(&doc), q - 1, date(end)));
        }
        let title = format!("Kế hoạch phòng, chống mua bán người năm {year}");
        years.push(format!(
            "({year}, {}, {}, {}, {}, {}, {}, {})",
            lit(&doc),
            lit(&title),
            lit(&format!(
                "ke hoach phong, chong mua ban nguoi nam {year} | {}",
                doc.to_lowercase()
            )),
            date(ymd(1, 1)),
            date(ymd(12, 31)),
            date(ymd(1, 15)),
            morning(ymd(1, 15)),
        ));
    }
    let mut tasks = Vec::new();
    for n in 1..=TASKS_PER_PLAN {
        let category = CATEGORIES[usize::try_from(n).unwrap_or(0) % CATEGORIES.len()];
        tasks.push(format!(
            "({n}, '{n}', {}, '{category}')",
            lit(&format!(
                "Nhiệm vụ {n}: triển khai công tác phòng, chống mua bán người"
            ))
        ));
    }
    let mut values = |table: &str, rows: &[String]| {
        let mut sql = format!("INSERT INTO {table} VALUES ");
        for (i, r) in rows.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            let _ = write!(sql, "{r}");
        }
        out.push(sql);
    };
    values("bench_quarter", &quarters);
    values("bench_year", &years);
    values("bench_task", &tasks);
    values("bench_due", &dues);
    out
}

/// One annual plan per committee and year it existed in; the period is the
/// part of the year the unit existed.
const PLANS: &str = "
INSERT INTO plan (committee_id, document_number, title, search_key, kind, issued_on,
                  period_from, period_to, orientation_year, signatory_name, signatory_title,
                  funding_note, status, created_at, updated_at)
SELECT c.id, y.doc, y.title, y.search_key, 'ANNUAL',
       CASE WHEN c.valid_from IS NOT NULL AND c.valid_from > y.issued_on
            THEN c.valid_from ELSE y.issued_on END,
       CASE WHEN c.valid_from IS NOT NULL AND c.valid_from > y.year_start
            THEN c.valid_from ELSE y.year_start END,
       CASE WHEN c.valid_to IS NOT NULL AND c.valid_to < y.year_end
            THEN c.valid_to ELSE y.year_end END,
       NULL, NULL, NULL, NULL, 'ISSUED', y.stamp, y.stamp
FROM committee c
CROSS JOIN bench_year y
WHERE (c.valid_from IS NULL OR c.valid_from <= y.year_end)
  AND (c.valid_to IS NULL OR c.valid_to >= y.year_start)
ORDER BY y.year, c.id";

/// Each generated plan implements its parent committee's plan of the same year.
const PLAN_LINKS: &str = "
INSERT INTO plan_link (plan_id, implements_plan_id)
SELECT p.id, pp.id
FROM plan p
JOIN committee c ON c.id = p.committee_id
JOIN plan pp ON pp.committee_id = c.parent_id AND pp.document_number = p.document_number
WHERE p.document_number LIKE 'KH-BENCH/%'";

/// 30 tasks per generated plan: about 35 % DONE, 30 % IN_PROGRESS, 25 %
/// NOT_STARTED, 5 % BLOCKED, 5 % CANCELLED, due at the end of one of the
/// year's quarters.
const TASKS: &str = "
INSERT INTO task (plan_id, committee_id, section_id, position, number, title, description,
                  category, all_relevant_agencies, window_from, window_to, due_on, status,
                  percent, version, implements_task_id, created_at, updated_at)
SELECT x.plan_id, x.committee_id, NULL, x.n, x.number, x.title, NULL, x.category, FALSE,
       NULL, NULL, d.due_on,
       CASE WHEN x.h < 35 THEN 'DONE' WHEN x.h < 65 THEN 'IN_PROGRESS'
            WHEN x.h < 90 THEN 'NOT_STARTED' WHEN x.h < 95 THEN 'BLOCKED'
            ELSE 'CANCELLED' END,
       CASE WHEN x.h < 35 THEN 100 WHEN x.h < 65 THEN 10 + (x.h * 7) % 80
            WHEN x.h < 90 THEN 0 WHEN x.h < 95 THEN 20 + x.h % 30
            ELSE 0 END,
       CASE WHEN x.h < 35 THEN 3 WHEN x.h < 65 THEN 2 WHEN x.h < 90 THEN 1 ELSE 2 END,
       NULL, x.stamp, x.stamp
FROM (SELECT p.id AS plan_id, p.committee_id, p.document_number AS doc, p.created_at AS stamp,
             t.n, t.number, t.title, t.category, (p.id * 37 + t.n * 11) % 100 AS h
      FROM plan p
      CROSS JOIN bench_task t
      WHERE p.document_number LIKE 'KH-BENCH/%') x
JOIN bench_due d ON d.doc = x.doc AND d.slot = x.n % 4
ORDER BY x.plan_id, x.n";

/// A report per unit (not the central committee) and quarter it existed in:
/// h = (id, quarter) mod 100 decides its fate — 0–2 DRAFT (never sent),
/// 3–5 RETURNED, 6–13 APPROVED late, 14–19 SUBMITTED, 20–23 SUBMITTED late,
/// the rest APPROVED on time. Linked to the unit's generated plan of the year.
const REPORTS: &str = "
INSERT INTO report (committee_id, period, period_kind, period_start, period_end, plan_id,
                    deadline, status, narrative, submitted_at, late, reviewed_at,
                    return_reason, version, created_at, updated_at)
SELECT x.cid, x.period, 'QUARTER', x.period_start, x.period_end,
       (SELECT MIN(p.id) FROM plan p WHERE p.committee_id = x.cid AND p.document_number = x.doc),
       x.deadline,
       CASE WHEN x.h < 3 THEN 'DRAFT' WHEN x.h < 6 THEN 'RETURNED' WHEN x.h < 14 THEN 'APPROVED'
            WHEN x.h < 24 THEN 'SUBMITTED' ELSE 'APPROVED' END,
       CASE WHEN x.h < 3 THEN NULL
            ELSE 'Báo cáo kết quả công tác phòng, chống mua bán người ' || x.period END,
       CASE WHEN x.h < 3 THEN NULL
            WHEN (x.h >= 6 AND x.h < 14) OR (x.h >= 20 AND x.h < 24) THEN x.sub_late
            ELSE x.sub_on_time END,
       (x.h >= 6 AND x.h < 14) OR (x.h >= 20 AND x.h < 24),
       CASE WHEN x.h < 3 OR (x.h >= 14 AND x.h < 24) THEN NULL
            WHEN x.h >= 6 AND x.h < 14 THEN x.rev_late
            ELSE x.rev_on_time END,
       CASE WHEN x.h >= 3 AND x.h < 6
            THEN 'Số liệu chưa khớp với số liệu của Công an; đề nghị rà soát, báo cáo lại.'
            ELSE NULL END,
       CASE WHEN x.h < 3 THEN 1 WHEN x.h >= 14 AND x.h < 24 THEN 2 ELSE 3 END,
       x.created, x.created
FROM (SELECT c.id AS cid, q.period, q.doc, q.period_start, q.period_end, q.deadline, q.created,
             q.sub_on_time, q.sub_late, q.rev_on_time, q.rev_late,
             (c.id * 7919 + q.idx * 104729) % 100 AS h
      FROM committee c
      CROSS JOIN bench_quarter q
      WHERE c.parent_id IS NOT NULL
        AND (c.valid_from IS NULL OR c.valid_from <= q.period_start)
        AND (c.valid_to IS NULL OR c.valid_to >= q.period_end)) x
ORDER BY x.period, x.cid";

/// 20 SUM indicator values per sent report: small non-negative integers.
fn report_values() -> String {
    format!(
        "
INSERT INTO report_value (report_id, indicator_code, value)
SELECT r.id, i.code, (r.id * 31 + r.committee_id * 7 + i.position * 13) % 10
FROM report r
CROSS JOIN (SELECT code, position FROM indicator WHERE aggregation = 'SUM'
            ORDER BY position LIMIT {INDICATORS}) i
WHERE r.status <> 'DRAFT'
ORDER BY r.id, i.code"
    )
}
