//! The kept rollup totals: over random report histories (saves, submissions,
//! returns, approvals, corrections of returned reports, in units of both
//! sides of the 2025 reform), they always equal the sums of the raw reports;
//! rollups read them; `hub138 rollup rebuild` repairs them.

use anyhow::{Context, Result, bail};
use hub138::config::RollupCommand;
use hub138::service::period::Period;
use hub138::service::report::{self, SaveReport, Step};
use hub138::service::{totals, write};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::common::TestApp;
use crate::ensure_eq;

async fn ids(app: &TestApp, sql: &str) -> Result<Vec<i64>> {
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            sql.to_owned(),
        ))
        .await?;
    rows.iter()
        .map(|r| Ok(r.try_get_by_index::<i64>(0)?))
        .collect()
}

async fn assert_kept(app: &TestApp, when: &str) -> Result<()> {
    let c = totals::check(&app.db)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    if !c.equal() {
        bail!(
            "{when}: of {} total rows, {} differ from the reports and {} are in excess",
            c.expected,
            c.unmatched,
            c.excess
        );
    }
    Ok(())
}

/// One step of a random history.
#[derive(Clone, Copy, Debug)]
enum Op {
    Save {
        unit: usize,
        period: usize,
        received: i64,
        resolved: i64,
    },
    /// A step of one of the demo's reports of the units (`recent` false) or
    /// of a report a save of the history made.
    Move {
        report: usize,
        step: u8,
        recent: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    proptest::prop_oneof![
        (0usize..64, 0usize..8, 0i64..500, 0i64..500).prop_map(
            |(unit, period, received, resolved)| Op::Save {
                unit,
                period,
                received,
                resolved,
            }
        ),
        (0usize..256, 0u8..3).prop_map(|(report, step)| Op::Move {
            report,
            step,
            recent: false
        }),
        (0usize..256, 0u8..3).prop_map(|(report, step)| Op::Move {
            report,
            step,
            recent: true
        }),
        (0usize..256, 0u8..3).prop_map(|(report, step)| Op::Move {
            report,
            step,
            recent: true
        }),
    ]
}

/// Random histories over units of old Hà Giang (ceased at the reform) and of
/// today's Tuyên Quang (which took it in), and the demo's own reports of
/// them: after each, the kept totals equal the raw sums exactly.
pub async fn kept_totals_equal_raw_sums() -> Result<()> {
    let app = TestApp::new().await?;
    assert_kept(&app, "after the demo seed").await?;
    // Old Hà Giang's province and district committees and some of its
    // communes; today's Tuyên Quang and some of its communes.
    let mut units = ids(
        &app,
        "SELECT c.id FROM committee c JOIN committee_closure cc ON cc.descendant_id = c.id \
         JOIN committee p ON p.id = cc.ancestor_id \
         WHERE p.level = 'PROVINCE' AND p.code IN ('02', '08') \
         ORDER BY c.depth, c.id",
    )
    .await?;
    units.truncate(64);
    if units.len() < 20 {
        bail!("too few units: {}", units.len());
    }
    let list = units
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let mut made: Vec<i64> = Vec::new();
    let reports = ids(
        &app,
        &format!("SELECT id FROM report WHERE committee_id IN ({list}) ORDER BY id"),
    )
    .await?;
    let periods = [
        "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2024", "2026-H1",
    ];
    let mut runner = TestRunner::deterministic();
    let history = proptest::collection::vec(op(), 30);
    let (mut saved, mut moved, mut refused) = (0, 0, 0);
    for case in 0..6 {
        let ops = history
            .new_tree(&mut runner)
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .current();
        for op in ops {
            let outcome = match op {
                Op::Save {
                    unit,
                    period,
                    received,
                    resolved,
                } => {
                    let save = SaveReport {
                        committee_id: units[unit % units.len()],
                        period: periods[period % periods.len()]
                            .parse::<Period>()
                            .map_err(anyhow::Error::msg)?,
                        narrative: None,
                        values: vec![
                            ("tips_received".into(), received),
                            ("tips_resolved".into(), resolved.min(received)),
                        ],
                        expected_version: None,
                        on_behalf: false,
                    };
                    let r = write::as_system(&app.db, async |w| report::save(w, save).await).await;
                    if let Ok(r) = &r {
                        saved += 1;
                        if !made.contains(&r.id) {
                            made.push(r.id);
                        }
                    }
                    r.is_ok()
                }
                Op::Move {
                    report,
                    step,
                    recent,
                } => {
                    let pool = if recent { &made } else { &reports };
                    let Some(&id) = pool.get(report % pool.len().max(1)) else {
                        continue;
                    };
                    let step = match step {
                        0 => Step::Submit,
                        1 => Step::Approve,
                        _ => Step::Return("Số liệu chưa khớp".into()),
                    };
                    let r = write::as_system(&app.db, async |w| match &step {
                        Step::Submit => report::submit(w, id, None).await,
                        other => report::review(w, id, other.clone(), None).await,
                    })
                    .await;
                    if r.is_ok() {
                        moved += 1;
                    }
                    r.is_ok()
                }
            };
            if !outcome {
                refused += 1;
            }
        }
        assert_kept(&app, &format!("after history {case}")).await?;
    }
    // The histories did move reports both ways, and some steps were refused
    // (an approved report is locked), which changed nothing either.
    if saved < 20 || moved < 20 || refused == 0 {
        bail!("a history too tame: {saved} saves, {moved} steps, {refused} refused");
    }
    Ok(())
}

const ROLLUP: &str = "query($c: ID!) { node(id: $c) { ... on Committee {
    indicatorRollup(period: \"2024\", indicators: [\"tips_received\"], groupBy: CHILD, include: APPROVED, units: AS_OF) {
      total { value reports } } } } }";

/// A central rollup is answered from the kept totals (a total changed behind
/// the server's back shows), and `hub138 rollup check|rebuild` find and
/// repair such a difference.
pub async fn rollups_read_kept_totals_and_rebuild_repairs() -> Result<()> {
    let app = TestApp::new().await?;
    let central = app.committee_id("CENTRAL", "VN", "2024-06-01").await?;
    let total = async || -> Result<f64> {
        let d = app.data(ROLLUP, json!({"c": central})).await?;
        d["node"]["indicatorRollup"]["total"][0]["value"]
            .as_f64()
            .context("no total")
    };
    let honest = total().await?;
    if honest <= 0.0 {
        bail!("the demo has no approved 2024 tips");
    }
    let root = ids(&app, "SELECT id FROM committee WHERE level = 'CENTRAL'").await?;
    let list = root
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let changed = app
        .db
        .execute_raw(Statement::from_string(
            app.db.get_database_backend(),
            format!(
                "UPDATE rollup_total SET total = total + 1000 \
                 WHERE units = 'AS_OF' AND inclusion = 'APPROVED' AND period = '2024-Q1' \
                   AND indicator_code = 'tips_received' AND committee_id IN ({list})"
            ),
        ))
        .await?
        .rows_affected();
    if changed == 0 {
        bail!("no kept 2024-Q1 total of the central committee");
    }
    #[allow(clippy::cast_precision_loss)]
    let expected = honest + 1000.0 * changed as f64;
    ensure_eq!(total().await?, expected);
    ensure_eq!(
        hub138::cli::rollup(&app.db, RollupCommand::Check).await?,
        false
    );
    ensure_eq!(
        hub138::cli::rollup(&app.db, RollupCommand::Rebuild).await?,
        false
    );
    ensure_eq!(
        hub138::cli::rollup(&app.db, RollupCommand::Check).await?,
        true
    );
    ensure_eq!(total().await?, honest);
    Ok(())
}
