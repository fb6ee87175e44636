//! Periodic reports: the review flow, expected reports and timeliness,
//! rollups against hand-computed fixtures (the 2025 reform included), task
//! progress rollups, and statement counts that do not grow with children.
//!
//! Fixtures live in 2021, a year the demo data leaves empty.

use anyhow::{Context, Result, bail};
use hub138::auth::Scope;
use hub138::service::enums::{Cadence, Level, PlanKind};
use hub138::service::period::Period;
use hub138::service::report::{self, SaveReport, Step};
use hub138::service::{hierarchy, plan, write};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::ensure_eq;

fn gid(kind: &str, id: i64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

fn err(e: hub138::error::Error) -> anyhow::Error {
    anyhow::anyhow!("{e:?}")
}

async fn unit(app: &TestApp, level: Level, code: &str, on: &str) -> Result<(i64, String)> {
    let c = hierarchy::by_code(&app.db, &Scope::everything(), level, code, on.parse()?)
        .await
        .map_err(err)?
        .with_context(|| format!("no {level} {code} on {on}"))?;
    Ok((c.id, c.code))
}

/// The `n`-th child (by code) of `parent`: (id, code).
async fn child(app: &TestApp, parent: i64, n: usize) -> Result<(i64, String)> {
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT id, code FROM committee WHERE parent_id = {parent} ORDER BY code"),
        ))
        .await?;
    let row = rows.get(n).context("no such child")?;
    Ok((row.try_get_by_index(0)?, row.try_get_by_index(1)?))
}

/// A fixture report with these (tips_received, tips_resolved), moved to `to`.
async fn fixture(
    app: &TestApp,
    committee: i64,
    period: &str,
    (received, resolved): (i64, i64),
    to: &str,
) -> Result<i64> {
    let save = SaveReport {
        committee_id: committee,
        period: period.parse::<Period>().map_err(anyhow::Error::msg)?,
        narrative: Some(Some("Báo cáo thử".into())),
        values: vec![
            ("tips_received".into(), received),
            ("tips_resolved".into(), resolved),
        ],
        expected_version: None,
        on_behalf: false,
    };
    let r = write::as_system(&app.db, async |w| report::save(w, save).await)
        .await
        .map_err(err)?;
    let steps: &[Step] = match to {
        "DRAFT" => &[],
        "SUBMITTED" => &[Step::Submit],
        "APPROVED" => &[Step::Submit, Step::Approve],
        "RETURNED" => &[Step::Submit, Step::Return("Sai số liệu".into())],
        other => bail!("no such status {other}"),
    };
    for s in steps {
        write::as_system(&app.db, async |w| match s {
            Step::Submit => report::submit(w, r.id, None).await,
            other => report::review(w, r.id, other.clone(), None).await,
        })
        .await
        .map_err(err)?;
    }
    Ok(r.id)
}

const SAVE: &str = "mutation($input: SaveReportInput!) { saveReport(input: $input) {
    report { id status version late deadline values { indicator { code } value } }
    userErrors { field code message } } }";
const SUBMIT: &str =
    "mutation($id: ID!, $v: Int) { submitReport(input: {id: $id, expectedVersion: $v}) {
    report { id status version late submittedAt } userErrors { code message } } }";
const APPROVE: &str = "mutation($id: ID!) { approveReport(input: {id: $id}) {
    report { id status reviewedAt } userErrors { code message } } }";
const RETURN: &str =
    "mutation($id: ID!, $reason: String!) { returnReport(input: {id: $id, reason: $reason}) {
    report { id status returnReason } userErrors { field code message } } }";

fn codes(payload: &Value) -> Vec<String> {
    payload["userErrors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["code"].as_str().map(str::to_owned))
        .collect()
}

/// Save, submit, return with a reason, resubmit, approve — and then the
/// report is locked. Bad values change nothing; a stale version is a CONFLICT;
/// only the committee above approves.
pub async fn review_flow_and_lock() -> Result<()> {
    let app = TestApp::new().await?;
    // Today's tree: a commune of today's Tuyên Quang, reviewed by the province.
    let (tq, _) = unit(&app, Level::Province, "08", "2026-06-01").await?;
    let (commune, ccode) = child(&app, tq, 0).await?;
    let editor = app
        .session_at("COMMUNE", &ccode, "2026-06-01", "EDITOR")
        .await?;
    let c = gid("Committee", commune);
    let before = app.rows("report_value").await?;
    // Every bad value is named, and nothing is written.
    let d = editor
        .data(
            SAVE,
            json!({"input": {"committeeId": c, "period": "2027-Q1", "values": [
                {"indicator": "tips_received", "value": 3},
                {"indicator": "no_such_thing", "value": 1},
                {"indicator": "tips_resolved_rate", "value": 50},
                {"indicator": "tips_resolved", "value": -1}]}}),
        )
        .await?;
    ensure_eq!(
        codes(&d["saveReport"]),
        vec!["UNKNOWN_INDICATOR", "COMPUTED_INDICATOR", "OUT_OF_RANGE"]
    );
    ensure_eq!(app.rows("report_value").await?, before);
    ensure_eq!(app.rows("report").await? > 0, true);
    let d = editor
        .mutate(
            SAVE,
            "saveReport",
            json!({"input": {"committeeId": c, "period": "2027-Q1", "narrative": "Quý I",
                "values": [{"indicator": "tips_received", "value": 3}, {"indicator": "tips_resolved", "value": 2}]}}),
        )
        .await?;
    let r = d["report"].clone();
    let id = r["id"].clone();
    ensure_eq!(r["status"], json!("DRAFT"));
    ensure_eq!(r["values"].as_array().map(Vec::len), Some(2));
    // A second save replaces one value and keeps the other.
    let d = editor
        .mutate(
            SAVE,
            "saveReport",
            json!({"input": {"committeeId": c, "period": "2027-Q1", "expectedVersion": r["version"],
                "values": [{"indicator": "tips_resolved", "value": 3}]}}),
        )
        .await?;
    ensure_eq!(
        d["report"]["values"],
        json!([{"indicator": {"code": "tips_received"}, "value": 3.0},
               {"indicator": {"code": "tips_resolved"}, "value": 3.0}])
    );
    // A stale version changes nothing.
    let code = editor
        .error_code(SUBMIT, json!({"id": id, "v": r["version"]}))
        .await?;
    ensure_eq!(code, "CONFLICT");
    let d = editor
        .mutate(SUBMIT, "submitReport", json!({"id": id}))
        .await?;
    // Unsolicited (no plan expects it): never late.
    ensure_eq!(
        (d["report"]["status"].clone(), d["report"]["late"].clone()),
        (json!("SUBMITTED"), json!(false))
    );
    // Submitted: no edits until the reviewer decides.
    let d = editor
        .data(
            SAVE,
            json!({"input": {"committeeId": c, "period": "2027-Q1", "narrative": "x"}}),
        )
        .await?;
    ensure_eq!(codes(&d["saveReport"]), vec!["SUBMITTED"]);
    // The commune cannot review its own report; the province's coordinator can.
    let own_coord = app
        .session_at("COMMUNE", &ccode, "2026-06-01", "COORDINATOR")
        .await?;
    ensure_eq!(
        own_coord.error_code(APPROVE, json!({"id": id})).await?,
        "FORBIDDEN"
    );
    let district_editor = app
        .session_at("PROVINCE", "08", "2026-06-01", "EDITOR")
        .await?;
    ensure_eq!(
        district_editor
            .error_code(APPROVE, json!({"id": id}))
            .await?,
        "FORBIDDEN"
    );
    let reviewer = app
        .session_at("PROVINCE", "08", "2026-06-01", "COORDINATOR")
        .await?;
    let d = reviewer
        .data(RETURN, json!({"id": id, "reason": "  "}))
        .await?;
    ensure_eq!(codes(&d["returnReport"]), vec!["REQUIRED"]);
    let d = reviewer
        .mutate(
            RETURN,
            "returnReport",
            json!({"id": id, "reason": "Số liệu tố giác chưa khớp"}),
        )
        .await?;
    ensure_eq!(
        d["report"]["returnReason"],
        json!("Số liệu tố giác chưa khớp")
    );
    editor
        .mutate(
            SAVE,
            "saveReport",
            json!({"input": {"committeeId": c, "period": "2027-Q1", "values": [{"indicator": "tips_received", "value": 4}]}}),
        )
        .await?;
    editor
        .mutate(SUBMIT, "submitReport", json!({"id": id}))
        .await?;
    let d = reviewer
        .mutate(APPROVE, "approveReport", json!({"id": id}))
        .await?;
    ensure_eq!(d["report"]["status"], json!("APPROVED"));
    // Approved: locked against every change, with the reason given.
    let d = editor
        .data(
            SAVE,
            json!({"input": {"committeeId": c, "period": "2027-Q1", "narrative": "y"}}),
        )
        .await?;
    ensure_eq!(codes(&d["saveReport"]), vec!["LOCKED"]);
    let msg = d["saveReport"]["userErrors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    if !msg.contains("approved") {
        bail!("the LOCKED message does not say why: {msg}");
    }
    let d = editor.data(SUBMIT, json!({"id": id})).await?;
    ensure_eq!(codes(&d["submitReport"]), vec!["LOCKED"]);
    let d = reviewer.data(APPROVE, json!({"id": id})).await?;
    ensure_eq!(codes(&d["approveReport"]), vec!["LOCKED"]);
    let d = reviewer
        .data(RETURN, json!({"id": id, "reason": "z"}))
        .await?;
    ensure_eq!(codes(&d["returnReport"]), vec!["LOCKED"]);
    let d = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Report { status period narrative values { value } committee { code } } } }",
            json!({"id": id}),
        )
        .await?;
    ensure_eq!(
        d["node"],
        json!({"status": "APPROVED", "period": "2027-Q1", "narrative": "Quý I",
               "values": [{"value": 4.0}, {"value": 3.0}], "committee": {"code": ccode}})
    );
    // The audit trail has every step (and, apart, the two refused approvals).
    for (action, n) in [
        ("saveReport", 3),
        ("submitReport", 2),
        ("returnReport", 1),
        ("approveReport", 1),
    ] {
        let d = app
            .data(
                "query($a: String!) { auditEvents(filter: {action: $a, outcome: OK}, first: 1) { totalCount } }",
                json!({"a": action}),
            )
            .await?;
        ensure_eq!(
            (action, d["auditEvents"]["totalCount"].clone()),
            (action, json!(n))
        );
    }
    let d = app
        .data(
            "{ auditEvents(filter: {action: \"approveReport\", outcome: FORBIDDEN}, first: 5) { totalCount nodes { outcome objectId } } }",
            json!({}),
        )
        .await?;
    ensure_eq!(d["auditEvents"]["totalCount"], json!(2));
    ensure_eq!(d["auditEvents"]["nodes"][0]["objectId"], id);
    Ok(())
}

/// A plan's reporting rules expect reports from every unit below it, with
/// deadlines; a first submission after the deadline is late; the reporting
/// status of the plan's committee counts expected, late and missing per child.
pub async fn expected_reports_and_timeliness() -> Result<()> {
    let app = TestApp::new().await?;
    // Today's Lạng Sơn, which no demo plan or report touches: its plan
    // expects reports from each of its communes.
    let (district, dcode) = unit(&app, Level::Province, "20", "2026-06-01").await?;
    let communes = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT COUNT(*) FROM committee WHERE parent_id = {district}"),
        ))
        .await?
        .context("no count")?
        .try_get_by_index::<i64>(0)?;
    let coordinator = app
        .session_at("PROVINCE", &dcode, "2026-06-01", "COORDINATOR")
        .await?;
    let p = coordinator
        .mutate(
            "mutation($c: ID!) { createPlan(input: {committeeId: $c, title: \"Kế hoạch 2026\", kind: ANNUAL,
               periodFrom: \"2026-01-01\", periodTo: \"2026-12-31\",
               reportingRules: [{cadence: QUARTERLY, deadlineMonthDay: \"03-20\"}, {cadence: ANNUAL, deadlineMonthDay: \"12-10\"}]}) {
               plan { id } userErrors { code } } }",
            "createPlan",
            json!({"c": gid("Committee", district)}),
        )
        .await?;
    let plan_id = p["plan"]["id"].clone();
    coordinator
        .mutate(
            "mutation($id: ID!) { issuePlan(input: {id: $id}) { plan { status } userErrors { code } } }",
            "issuePlan",
            json!({"id": plan_id}),
        )
        .await?;
    // Four quarters and the year, for every commune; the district itself
    // reports to the province's plan, not to its own.
    let expected = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT COUNT(*) FROM report WHERE plan_id IS NOT NULL AND period LIKE '2026%' AND committee_id IN (SELECT id FROM committee WHERE parent_id = {district})"),
        ))
        .await?
        .context("no count")?
        .try_get_by_index::<i64>(0)?;
    ensure_eq!(expected, communes * 5);
    let (commune, ccode) = child(&app, district, 0).await?;
    let editor = app
        .session_at("COMMUNE", &ccode, "2026-06-01", "EDITOR")
        .await?;
    // The district's plan is the district's: the commune sees the deadline,
    // the coordinator also the plan.
    let d = coordinator
        .data(
            "query($c: ID!) { node(id: $c) { ... on Committee { reports(period: \"2026-Q2\") { totalCount nodes { id deadline status plan { title } } } } } }",
            json!({"c": gid("Committee", commune)}),
        )
        .await?;
    let r = &d["node"]["reports"]["nodes"][0];
    ensure_eq!(
        (
            r["deadline"].clone(),
            r["status"].clone(),
            r["plan"]["title"].clone()
        ),
        (json!("2026-06-20"), json!("DRAFT"), json!("Kế hoạch 2026"))
    );
    editor
        .mutate(
            SAVE,
            "saveReport",
            json!({"input": {"committeeId": gid("Committee", commune), "period": "2026-Q2",
                "values": [{"indicator": "tips_received", "value": 1}]}}),
        )
        .await?;
    let d = editor
        .mutate(SUBMIT, "submitReport", json!({"id": r["id"]}))
        .await?;
    ensure_eq!(d["report"]["late"], json!(true));
    let d = coordinator
        .data(
            "query($c: ID!) { node(id: $c) { ... on Committee { reportingStatus(period: \"2026-Q2\") {
                total { expected submitted onTime late approved returned pending missing }
                own { expected }
                children { committee { code } total { expected submitted late missing } } } } } }",
            json!({"c": gid("Committee", district)}),
        )
        .await?;
    let s = &d["node"]["reportingStatus"];
    ensure_eq!(
        s["total"],
        json!({"expected": communes, "submitted": 1, "onTime": 0, "late": 1, "approved": 0,
               "returned": 0, "pending": 0, "missing": communes - 1})
    );
    ensure_eq!(s["own"]["expected"], json!(0));
    let children = s["children"].as_array().context("children")?;
    ensure_eq!(children.len() as i64, communes);
    ensure_eq!(
        children[0],
        json!({"committee": {"code": ccode}, "total": {"expected": 1, "submitted": 1, "late": 1, "missing": 0}})
    );
    ensure_eq!(
        children[1]["total"],
        json!({"expected": 1, "submitted": 0, "late": 0, "missing": 1})
    );
    Ok(())
}

/// Hand-computed fixtures in 2021, across two provinces merged in 2025
/// (Hà Giang and Tuyên Quang into today's Tuyên Quang).
struct Units {
    tq: i64,
    hg: i64,
    tq_district: i64,
    tq_commune: i64,
    hg_commune: i64,
    current_tq: i64,
}

async fn rollup_fixtures(app: &TestApp) -> Result<Units> {
    let (tq, _) = unit(app, Level::Province, "08", "2021-06-01").await?;
    let (hg, _) = unit(app, Level::Province, "02", "2021-06-01").await?;
    let (current_tq, _) = unit(app, Level::Province, "08", "2026-01-01").await?;
    let (tq_district, _) = child(app, tq, 0).await?;
    let (tq_commune, _) = child(app, tq_district, 0).await?;
    let (tq_commune2, _) = child(app, tq_district, 1).await?;
    let (hg_district, _) = child(app, hg, 0).await?;
    let (hg_commune, _) = child(app, hg_district, 0).await?;
    fixture(app, tq, "2021-Q1", (10, 9), "APPROVED").await?;
    fixture(app, tq, "2021-Q2", (20, 10), "APPROVED").await?;
    fixture(app, tq_district, "2021-Q1", (4, 4), "APPROVED").await?;
    fixture(app, tq_commune, "2021-Q1", (2, 1), "APPROVED").await?;
    fixture(app, tq_commune, "2021-Q3", (6, 0), "SUBMITTED").await?;
    fixture(app, tq_commune2, "2021-Q1", (100, 100), "DRAFT").await?;
    fixture(app, hg, "2021-Q1", (30, 3), "APPROVED").await?;
    fixture(app, hg_commune, "2021-Q2", (5, 5), "APPROVED").await?;
    fixture(app, hg_commune, "2021-Q4", (1, 1), "RETURNED").await?;
    Ok(Units {
        tq,
        hg,
        tq_district,
        tq_commune,
        hg_commune,
        current_tq,
    })
}

const ROLLUP: &str = "query($c: ID!, $p: Period!, $g: RollupGroup, $i: ReportInclusion, $u: Units) {
  node(id: $c) { ... on Committee { indicatorRollup(indicators: [\"tips_received\", \"tips_resolved_rate\"],
      period: $p, groupBy: $g, include: $i, units: $u) {
    basis
    total { value numerator denominator reports }
    own { value }
    rows { committee { id } level values { value numerator denominator } } } } } }";

fn close(a: &Value, b: f64) -> bool {
    a.as_f64().is_some_and(|a| (a - b).abs() < 1e-9)
}

/// `(received, resolved rate)` of a values list.
fn pair(values: &Value) -> (Option<f64>, Option<f64>) {
    (values[0]["value"].as_f64(), values[1]["value"].as_f64())
}

fn row(rows: &Value, committee: i64) -> Option<&Value> {
    rows.as_array()?
        .iter()
        .find(|r| r["committee"]["id"] == json!(gid("Committee", committee)))
}

pub async fn rollups_match_hand_computed_sums() -> Result<()> {
    let app = TestApp::new().await?;
    let u = rollup_fixtures(&app).await?;
    let central = app.committee_id("CENTRAL", "VN", "2021-06-01").await?;
    let ask = |c: &str, p: &str, g: &str, i: &str, units: &str| json!({"c": c, "p": p, "g": g, "i": i, "u": units});
    // As the tree stood in 2021, approved only: TQ 10+20+4+2, HG 30+5.
    let d = app
        .data(ROLLUP, ask(&central, "2021", "CHILD", "APPROVED", "AS_OF"))
        .await?;
    let r = &d["node"]["indicatorRollup"];
    ensure_eq!(r["basis"], json!("QUARTER"));
    ensure_eq!(r["total"][0]["value"], json!(71.0));
    ensure_eq!(r["total"][0]["reports"], json!(6));
    // The rate of the rolled-up counts (32 / 71), not the mean of the rows' rates.
    ensure_eq!(close(&r["total"][1]["value"], 100.0 * 32.0 / 71.0), true);
    ensure_eq!(
        (
            r["total"][1]["numerator"].clone(),
            r["total"][1]["denominator"].clone()
        ),
        (json!(32.0), json!(71.0))
    );
    let tq_row = row(&r["rows"], u.tq).context("no TQ row")?;
    let hg_row = row(&r["rows"], u.hg).context("no HG row")?;
    ensure_eq!(tq_row["values"][0]["value"], json!(36.0));
    ensure_eq!(
        close(&tq_row["values"][1]["value"], 100.0 * 24.0 / 36.0),
        true
    );
    ensure_eq!(hg_row["values"][0]["value"], json!(35.0));
    ensure_eq!(
        close(&hg_row["values"][1]["value"], 100.0 * 8.0 / 35.0),
        true
    );
    // Every 2021 province has a row, the others at zero; rows add up to the total.
    ensure_eq!(r["rows"].as_array().map(Vec::len), Some(63));
    let sum: f64 = r["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x["values"][0]["value"].as_f64())
        .sum();
    ensure_eq!(sum + r["own"][0]["value"].as_f64().unwrap_or(-1.0), 71.0);
    // A rate with nothing under it is null, not 0.
    let empty = r["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|x| x["values"][0]["value"] == json!(0.0))
        .context("a province without reports")?;
    ensure_eq!(empty["values"][1]["value"], Value::Null);

    // Submitted too: the commune's unreviewed Q3 report (6, 0) counts; drafts and returned never.
    let d = app
        .data(ROLLUP, ask(&central, "2021", "CHILD", "SUBMITTED", "AS_OF"))
        .await?;
    let r = &d["node"]["indicatorRollup"];
    ensure_eq!(r["total"][0]["value"], json!(77.0));
    ensure_eq!(close(&r["total"][1]["value"], 100.0 * 32.0 / 77.0), true);

    // One province: its own values, and its children's subtrees.
    let d = app
        .data(
            ROLLUP,
            ask(
                &gid("Committee", u.tq),
                "2021",
                "CHILD",
                "APPROVED",
                "AS_OF",
            ),
        )
        .await?;
    let r = &d["node"]["indicatorRollup"];
    ensure_eq!(pair(&r["total"]).0, Some(36.0));
    ensure_eq!(r["own"][0]["value"], json!(30.0));
    let d_row = row(&r["rows"], u.tq_district).context("no district row")?;
    ensure_eq!(d_row["values"][0]["value"], json!(6.0));
    // A quarter, a half-year.
    for (p, tq, hg) in [
        ("2021-Q1", 16.0, 30.0),
        ("2021-H1", 36.0, 35.0),
        ("2021-Q4", 0.0, 0.0),
    ] {
        let d = app
            .data(ROLLUP, ask(&central, p, "CHILD", "APPROVED", "AS_OF"))
            .await?;
        let rows = &d["node"]["indicatorRollup"]["rows"];
        ensure_eq!(
            (
                p,
                row(rows, u.tq).map(|x| x["values"][0]["value"].clone()),
                row(rows, u.hg).map(|x| x["values"][0]["value"].clone())
            ),
            (p, Some(json!(tq)), Some(json!(hg)))
        );
    }
    // By level: provinces 10+20+30, districts 4, communes 2+5.
    let d = app
        .data(ROLLUP, ask(&central, "2021", "LEVEL", "APPROVED", "AS_OF"))
        .await?;
    let levels: Vec<(Value, Value)> = d["node"]["indicatorRollup"]["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|x| (x["level"].clone(), x["values"][0]["value"].clone()))
        .collect();
    ensure_eq!(
        levels,
        vec![
            (json!("PROVINCE"), json!(60.0)),
            (json!("DISTRICT"), json!(4.0)),
            (json!("COMMUNE"), json!(7.0))
        ]
    );

    // In today's units: Hà Giang's and Tuyên Quang's history, once, under today's Tuyên Quang.
    let d = app
        .data(
            ROLLUP,
            ask(&central, "2021", "CHILD", "APPROVED", "CURRENT"),
        )
        .await?;
    let r = &d["node"]["indicatorRollup"];
    ensure_eq!(r["total"][0]["value"], json!(71.0));
    ensure_eq!(r["rows"].as_array().map(Vec::len), Some(34));
    let now = row(&r["rows"], u.current_tq).context("no current TQ row")?;
    ensure_eq!(now["values"][0]["value"], json!(71.0));
    ensure_eq!(close(&now["values"][1]["value"], 100.0 * 32.0 / 71.0), true);
    if row(&r["rows"], u.tq).is_some() || row(&r["rows"], u.hg).is_some() {
        bail!("old provinces listed in today's units");
    }
    // Today's province: the old provinces' and districts' own values are its
    // own; each old commune's go to the commune that absorbed it.
    let d = app
        .data(
            ROLLUP,
            ask(
                &gid("Committee", u.current_tq),
                "2021",
                "CHILD",
                "APPROVED",
                "CURRENT",
            ),
        )
        .await?;
    let r = &d["node"]["indicatorRollup"];
    ensure_eq!(r["total"][0]["value"], json!(71.0));
    ensure_eq!(r["own"][0]["value"], json!(64.0));
    let nonzero: Vec<f64> = r["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x["values"][0]["value"].as_f64())
        .filter(|v| *v > 0.0)
        .collect();
    let mut nonzero = nonzero;
    nonzero.sort_by(f64::total_cmp);
    ensure_eq!(nonzero, vec![2.0, 5.0]);
    let _ = (u.tq_commune, u.hg_commune);
    // As the tree stood, today's province has no 2021 values of its own.
    let d = app
        .data(
            ROLLUP,
            ask(
                &gid("Committee", u.current_tq),
                "2021",
                "CHILD",
                "APPROVED",
                "AS_OF",
            ),
        )
        .await?;
    ensure_eq!(
        d["node"]["indicatorRollup"]["total"][0]["value"],
        json!(0.0)
    );

    // A viewer of the old Tuyên Quang sees only its part of the national rollup.
    let viewer = app
        .session_at("PROVINCE", "08", "2021-06-01", "VIEWER")
        .await?;
    let d = viewer
        .data(ROLLUP, ask(&central, "2021", "CHILD", "APPROVED", "AS_OF"))
        .await?;
    let r = &d["node"]["indicatorRollup"];
    ensure_eq!(r["total"][0]["value"], json!(36.0));
    ensure_eq!(r["rows"].as_array().map(Vec::len), Some(1));

    // Plan targets against the actuals, at any level.
    let tx = sea_orm::TransactionTrait::begin(&app.db).await?;
    let w = write::Write::system(&tx);
    let p = plan::create_in(
        &w,
        u.tq,
        plan::PlanFields {
            document_number: None,
            title: "Kế hoạch 2021".into(),
            kind: PlanKind::Annual,
            issued_on: None,
            period_from: "2021-01-01".parse()?,
            period_to: "2021-12-31".parse()?,
            orientation_year: None,
            signatory_name: None,
            signatory_title: None,
            funding_note: None,
            implements_plan_ids: vec![],
            references: vec![],
            targets: vec![
                plan::TargetInput {
                    indicator_code: "tips_resolved_rate".into(),
                    comparator: hub138::service::enums::Comparator::Gte,
                    value: 90.0,
                    unit: hub138::service::enums::TargetUnit::Percent,
                    source_text: None,
                },
                plan::TargetInput {
                    indicator_code: "tips_received".into(),
                    comparator: hub138::service::enums::Comparator::Gte,
                    value: 30.0,
                    unit: hub138::service::enums::TargetUnit::Count,
                    source_text: None,
                },
            ],
            reporting_rules: vec![plan::RuleInput {
                cadence: Cadence::Annual,
                deadline_month_day: None,
                deadline_date: None,
                addressee_agency_id: None,
                source_text: None,
            }],
        },
    )
    .await
    .map_err(err)?;
    drop(w);
    tx.commit().await?;
    let status = "query($p: ID!, $c: ID) { node(id: $p) { ... on Plan { targetStatus(period: \"2021\", committeeId: $c) {
        target { indicatorCode value } actual met numerator denominator } } } }";
    let d = app
        .data(status, json!({"p": gid("Plan", p.id), "c": null}))
        .await?;
    let t = &d["node"]["targetStatus"];
    ensure_eq!(close(&t[0]["actual"], 100.0 * 24.0 / 36.0), true);
    ensure_eq!(
        (
            t[0]["met"].clone(),
            t[1]["actual"].clone(),
            t[1]["met"].clone()
        ),
        (json!(false), json!(36.0), json!(true))
    );
    // At the district: 6 received, 5 resolved.
    let d = app
        .data(
            status,
            json!({"p": gid("Plan", p.id), "c": gid("Committee", u.tq_district)}),
        )
        .await?;
    let t = &d["node"]["targetStatus"];
    ensure_eq!(
        (
            t[0]["numerator"].clone(),
            t[0]["denominator"].clone(),
            t[1]["met"].clone()
        ),
        (json!(5.0), json!(6.0), json!(false))
    );
    Ok(())
}

/// The demo plans' task progress, against the task lists themselves; and the
/// state of an earlier day from the progress history.
pub async fn task_progress_rollup() -> Result<()> {
    let app = TestApp::new().await?;
    let tq = app.committee_id("PROVINCE", "08", "2024-06-01").await?;
    let plan_id = app.plan_of(&tq).await?;
    let q = "query($c: ID!, $p: ID!, $on: Date) { node(id: $c) { ... on Committee { taskProgress(planId: $p, asOf: $on) {
        total notStarted inProgress done blocked cancelled overdue completion
        children { committee { code } total done } } } } }";
    let d = app
        .data(q, json!({"c": tq, "p": plan_id, "on": null}))
        .await?;
    let t = &d["node"]["taskProgress"];
    // The oracle: the tasks of the plan and of the plans implementing it.
    let lists = app
        .data(
            "query($p: ID!) { node(id: $p) { ... on Plan { tasks(first: 100) { totalCount nodes { status percent dueOn } } } }
               plans(filter: {implementsPlanId: $p}, first: 5) { nodes { tasks(first: 100) { totalCount nodes { status percent dueOn } } } } }",
            json!({"p": plan_id}),
        )
        .await?;
    let own_list = &lists["node"]["tasks"];
    let mut conns = vec![own_list.clone()];
    conns.extend(
        lists["plans"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| p["tasks"].clone()),
    );
    if conns
        .iter()
        .any(|c| c["totalCount"].as_i64().unwrap_or(0) > 100)
    {
        bail!("a plan has more than one page of tasks");
    }
    ensure_eq!(conns.len(), 4);
    let tasks: Vec<&Value> = conns
        .iter()
        .flat_map(|c| c["nodes"].as_array().into_iter().flatten())
        .collect();
    let count = |s: &str| tasks.iter().filter(|n| n["status"] == json!(s)).count() as i64;
    let today = hub138::service::today().to_string();
    let overdue = tasks
        .iter()
        .filter(|n| {
            n["dueOn"].as_str().is_some_and(|d| d < today.as_str())
                && n["status"] != json!("DONE")
                && n["status"] != json!("CANCELLED")
        })
        .count() as i64;
    let pct: i64 = tasks
        .iter()
        .map(|n| {
            if n["status"] == json!("DONE") {
                100
            } else {
                n["percent"].as_i64().unwrap_or(0)
            }
        })
        .sum();
    ensure_eq!(t["total"], json!(tasks.len()));
    ensure_eq!(
        (
            t["done"].clone(),
            t["inProgress"].clone(),
            t["blocked"].clone(),
            t["notStarted"].clone(),
            t["overdue"].clone()
        ),
        (
            json!(count("DONE")),
            json!(count("IN_PROGRESS")),
            json!(count("BLOCKED")),
            json!(count("NOT_STARTED")),
            json!(overdue)
        )
    );
    ensure_eq!(
        (t["done"].as_i64(), t["blocked"].as_i64()),
        (Some(3), Some(1))
    );
    ensure_eq!(
        close(&t["completion"], pct as f64 / tasks.len() as f64),
        true
    );
    // Children's subtrees plus the province's own tasks make the total.
    let own = own_list["totalCount"].as_i64().unwrap_or(0);
    let children: i64 = t["children"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["total"].as_i64())
        .sum();
    ensure_eq!(children + own, tasks.len() as i64);
    // Before any progress was reported, everything was not started.
    let d = app
        .data(q, json!({"c": tq, "p": plan_id, "on": "2024-01-01"}))
        .await?;
    let t = &d["node"]["taskProgress"];
    ensure_eq!(
        (
            t["total"].clone(),
            t["notStarted"].clone(),
            t["done"].clone(),
            t["completion"].clone()
        ),
        (json!(tasks.len()), json!(tasks.len()), json!(0), json!(0.0))
    );
    Ok(())
}

/// A provincial dashboard — children → task progress, reporting status and
/// indicator rollup — costs the same number of SQL statements for a province
/// with few children and for the national committee with 63.
pub async fn dashboard_statements_do_not_grow() -> Result<()> {
    let app = TestApp::new().await?;
    let central = app.committee_id("CENTRAL", "VN", "2024-06-01").await?;
    let plan_id = app.plan_of(&central).await?;
    let q = "query($c: ID!, $p: ID!) { node(id: $c) { ... on Committee {
        indicatorRollup(indicators: [\"tips_received\", \"cases_prosecuted_rate\"], period: \"2024\") { total { value } rows { committee { code } values { value } } }
        reportingStatus(period: \"2024-Q1\") { total { expected missing } children { committee { code } total { submitted late } own { expected } } }
        children(first: 100, activeOn: \"2024-06-01\") { nodes { code
          taskProgress(planId: $p) { total done overdue completion }
          reportingStatus(period: \"2024-Q1\") { total { expected submitted late missing } }
          indicatorRollup(indicators: [\"tips_received\"], period: \"2024\") { total { value } } } } } } }";
    let mut counts = Vec::new();
    for (level, code) in [("PROVINCE", "08"), ("PROVINCE", "02"), ("CENTRAL", "VN")] {
        let c = app.committee_id(level, code, "2024-06-01").await?;
        let before = app.statements();
        let d = app.data(q, json!({"c": c, "p": plan_id})).await?;
        counts.push((
            d["node"]["children"]["nodes"]
                .as_array()
                .map_or(0, Vec::len),
            app.statements() - before,
        ));
    }
    let (few, many) = (counts[0], counts[2]);
    if few.0 >= many.0 {
        bail!("the fixtures do not differ in children: {counts:?}");
    }
    ensure_eq!(
        counts.iter().map(|c| c.1).collect::<Vec<_>>(),
        vec![few.1; 3]
    );
    Ok(())
}

/// The demo database shows every state: late, returned, missing, pending.
pub async fn demo_reports_show_every_state() -> Result<()> {
    let app = TestApp::new().await?;
    let tq = app.committee_id("PROVINCE", "08", "2024-06-01").await?;
    let d = app
        .data(
            "query($c: ID!) { node(id: $c) { ... on Committee { reportingStatus(period: \"2024-Q1\") { total { expected submitted onTime late approved returned missing } } } } }",
            json!({"c": tq}),
        )
        .await?;
    let t = &d["node"]["reportingStatus"]["total"];
    for k in [
        "expected",
        "submitted",
        "onTime",
        "late",
        "approved",
        "returned",
        "missing",
    ] {
        if t[k].as_i64().unwrap_or(0) == 0 {
            bail!("no {k} report in the demo: {t}");
        }
    }
    ensure_eq!(
        t["expected"].as_i64(),
        Some(t["submitted"].as_i64().unwrap_or(0) + t["missing"].as_i64().unwrap_or(0))
    );
    // Ninh Bình's 2026–2030 plan expects half-year reports that are not yet due.
    let nb = app.committee_id("PROVINCE", "37", "2026-06-01").await?;
    let d = app
        .data(
            "query($c: ID!) { node(id: $c) { ... on Committee { reportingStatus(period: \"2030-H2\") { total { expected pending missing } } } } }",
            json!({"c": nb}),
        )
        .await?;
    let t = &d["node"]["reportingStatus"]["total"];
    ensure_eq!(t["expected"].as_i64().map(|n| n > 50), Some(true));
    ensure_eq!(t["pending"], t["expected"]);
    Ok(())
}
