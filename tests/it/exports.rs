//! Exports: the files' numbers are the API's, cell by cell (XLSX read back
//! with calamine, CSV with its BOM), suppression hides small cells and the
//! totals that would give them away, and downloads need the same rights.

use anyhow::{Context, Result, bail};
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::common::{Session, TestApp};
use crate::ensure_eq;

const CREATE: &str = "mutation($input: CreateExportInput!) { createExport(input: $input) {
    export { url fileName contentType size expiresAt } userErrors { field code message } } }";

async fn create(s: &Session<'_>, input: Value) -> Result<Value> {
    let d = s
        .mutate(CREATE, "createExport", json!({ "input": input }))
        .await?;
    Ok(d["export"].clone())
}

async fn download(app: &TestApp, token: Option<&str>, url: &str) -> Result<(u16, Vec<u8>)> {
    let mut req = app.client().get(app.url(url));
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let resp = req.send().await?;
    let status = resp.status().as_u16();
    Ok((status, resp.bytes().await?.to_vec()))
}

/// The columns of a definition's first section: (key, heading).
async fn columns(s: &Session<'_>, code: &str, section: usize) -> Result<Vec<(String, String)>> {
    let d = s
        .data(
            "{ exportDefinitions { code sections { title columns { key heading } } } }",
            json!({}),
        )
        .await?;
    let def = d["exportDefinitions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|x| x["code"] == json!(code))
        .context("no such definition")?;
    Ok(def["sections"][section]["columns"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["key"].as_str().unwrap_or_default().to_owned(),
                c["heading"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect())
}

/// What a cell must hold: text, a number, or nothing.
#[derive(Debug, PartialEq)]
enum Want {
    Text(String),
    Number(f64),
    Nothing,
}

/// The expected rows of an indicator section, from `indicatorRollup`.
async fn indicator_rows(
    s: &Session<'_>,
    committee: &str,
    period: &str,
    cols: &[(String, String)],
) -> Result<Vec<Vec<Want>>> {
    let codes: Vec<&str> = cols
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| *k != "unit_code" && *k != "unit_name")
        .collect();
    let d = s
        .data(
            "query($c: ID!, $p: Period!, $i: [String!]!) { node(id: $c) { ... on Committee { code name
               indicatorRollup(indicators: $i, period: $p) { total { value } own { value }
                 rows { committee { code name } values { value } } } } } }",
            json!({"c": committee, "p": period, "i": codes}),
        )
        .await?;
    let n = &d["node"];
    let r = &n["indicatorRollup"];
    let line = |code: Want, name: Want, values: &Value| -> Vec<Want> {
        let mut out = vec![code, name];
        for v in values.as_array().into_iter().flatten() {
            out.push(v["value"].as_f64().map_or(Want::Nothing, Want::Number));
        }
        out
    };
    let text = |v: &Value| Want::Text(v.as_str().unwrap_or_default().to_owned());
    let mut rows: Vec<Vec<Want>> = r["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|row| {
            line(
                text(&row["committee"]["code"]),
                text(&row["committee"]["name"]),
                &row["values"],
            )
        })
        .collect();
    rows.push(line(
        text(&n["code"]),
        Want::Text(format!(
            "{} (số liệu của cấp này)",
            n["name"].as_str().unwrap_or_default()
        )),
        &r["own"],
    ));
    rows.push(line(
        Want::Nothing,
        Want::Text("Tổng cộng".into()),
        &r["total"],
    ));
    Ok(rows)
}

fn xlsx_cell(d: &Data) -> Want {
    match d {
        Data::String(s) if s.is_empty() => Want::Nothing,
        Data::String(s) => Want::Text(s.clone()),
        Data::Float(f) => Want::Number(*f),
        #[allow(clippy::cast_precision_loss)]
        Data::Int(i) => Want::Number(*i as f64),
        _ => Want::Nothing,
    }
}

fn same(got: &Want, want: &Want, decimals: Option<i32>) -> bool {
    match (got, want) {
        (Want::Number(a), Want::Number(b)) => match decimals {
            Some(d) => (a - b).abs() <= 0.5 * 10f64.powi(-d) + 1e-9,
            None => (a - b).abs() < 1e-9,
        },
        _ => got == want,
    }
}

fn compare(
    sheet: &str,
    got: &[Vec<Want>],
    want: &[Vec<Want>],
    decimals: Option<i32>,
) -> Result<()> {
    ensure_eq!((sheet, got.len()), (sheet, want.len()));
    for (r, (g, w)) in got.iter().zip(want).enumerate() {
        ensure_eq!((sheet, r, g.len()), (sheet, r, w.len()));
        for (c, (a, b)) in g.iter().zip(w).enumerate() {
            if !same(a, b, decimals) {
                bail!("{sheet} row {r} column {c}: the file has {a:?}, the API {b:?}");
            }
        }
    }
    Ok(())
}

/// A Tuyên Quang coordinator (of today's province) exports the old
/// province's 2024 year as XLSX, with an API token; the workbook opens and
/// every cell is the API's.
pub async fn tuyen_quang_year_as_xlsx() -> Result<()> {
    let app = TestApp::new().await?;
    let coordinator = app.session("tuyenquang.coordinator").await?;
    let token = coordinator
        .mutate(
            "mutation { createApiToken(input: {name: \"báo cáo năm\"}) { token userErrors { code } } }",
            "createApiToken",
            json!({}),
        )
        .await?["token"]
        .as_str()
        .context("no token")?
        .to_owned();
    let api = app.with_token(&token);
    let tq = app.committee_id("PROVINCE", "08", "2024-06-01").await?;
    let export = create(
        &api,
        json!({"definition": "indicators_by_unit", "period": "2024", "scopeCommitteeId": tq, "format": "XLSX"}),
    )
    .await?;
    ensure_eq!(
        export["fileName"],
        json!("hub138-indicators_by_unit-08-2024.xlsx")
    );
    let url = export["url"].as_str().context("no url")?;
    let (status, bytes) = download(&app, Some(&token), url).await?;
    ensure_eq!(status, 200);
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes))?;
    ensure_eq!(
        wb.sheet_names(),
        vec![
            "Thông tin chung".to_owned(),
            "Chỉ tiêu theo đơn vị".to_owned()
        ]
    );
    let cover = wb.worksheet_range("Thông tin chung")?;
    let cover_text: Vec<String> = cover
        .rows()
        .flat_map(|r| r.iter().map(ToString::to_string))
        .collect();
    for needle in [
        "Ban Chỉ đạo 138 tỉnh Tuyên Quang (mã 08)",
        "2024",
        "tuyenquang.coordinator",
        "Chỉ số liệu của báo cáo đã được phê duyệt",
    ] {
        if !cover_text.iter().any(|t| t.contains(needle)) {
            bail!("the cover sheet does not say {needle:?}: {cover_text:?}");
        }
    }
    let cols = columns(&coordinator, "indicators_by_unit", 0).await?;
    let sheet = wb.worksheet_range("Chỉ tiêu theo đơn vị")?;
    let mut rows = sheet.rows();
    let header: Vec<Want> = rows
        .next()
        .context("no header")?
        .iter()
        .map(xlsx_cell)
        .collect();
    ensure_eq!(
        header,
        cols.iter()
            .map(|(_, h)| Want::Text(h.clone()))
            .collect::<Vec<_>>()
    );
    let got: Vec<Vec<Want>> = rows.map(|r| r.iter().map(xlsx_cell).collect()).collect();
    let want = indicator_rows(&coordinator, &tq, "2024", &cols).await?;
    compare("xlsx", &got, &want, None)?;
    // Some numbers are there at all.
    if !got
        .iter()
        .flatten()
        .any(|c| matches!(c, Want::Number(v) if *v > 0.0))
    {
        bail!("the export holds no numbers");
    }
    // Without a token, 401; another commune's viewer, 404; the audit has both steps.
    ensure_eq!(download(&app, None, url).await?.0, 401);
    let stranger = app.session("hagiang2.viewer").await?;
    ensure_eq!(download(&app, stranger.token.as_deref(), url).await?.0, 404);
    for action in ["createExport", "downloadExport"] {
        let d = app
            .data(
                "query($a: String!) { auditEvents(filter: {action: $a}, first: 5) { totalCount edges { node { actorUsername } } } }",
                json!({"a": action}),
            )
            .await?;
        ensure_eq!(
            (
                action,
                d["auditEvents"]["edges"][0]["node"]["actorUsername"].clone()
            ),
            (action, json!("tuyenquang.coordinator"))
        );
    }
    // Expired: 410.
    app.db
        .execute_raw(Statement::from_string(
            app.db.get_database_backend(),
            "UPDATE export SET expires_at = created_at".to_owned(),
        ))
        .await?;
    ensure_eq!(download(&app, Some(&token), url).await?.0, 410);
    // The housekeeping keeps an expired export a day to answer 410, then
    // deletes it.
    let window = hub138::auth::throttle::ThrottleLimits::default().window;
    let swept = hub138::service::housekeeping::sweep(&app.db, window)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    ensure_eq!(swept.map(|s| s.exports), Some(0));
    ensure_eq!(download(&app, Some(&token), url).await?.0, 410);
    use sea_orm::{EntityTrait, sea_query::Expr};
    entities::export::Entity::update_many()
        .col_expr(
            entities::export::Column::ExpiresAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::hours(25)),
        )
        .exec(&app.db)
        .await?;
    let swept = hub138::service::housekeeping::sweep(&app.db, window)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    ensure_eq!(swept.map(|s| s.exports), Some(1));
    ensure_eq!(download(&app, Some(&token), url).await?.0, 404);
    // While the database cannot be reached, a download is a 503 (not a 404:
    // the export may well exist).
    app.db.clone().close().await?;
    let (status, body) = download(&app, Some(&token), url).await?;
    ensure_eq!(
        (
            status,
            String::from_utf8_lossy(&body).contains("UNAVAILABLE")
        ),
        (503, true)
    );
    Ok(())
}

fn csv_sections(bytes: &[u8]) -> Result<Vec<Vec<Vec<String>>>> {
    let Some(body) = bytes.strip_prefix(b"\xEF\xBB\xBF") else {
        bail!("the CSV has no byte-order mark");
    };
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let mut sections: Vec<Vec<Vec<String>>> = vec![Vec::new()];
    for rec in r.records() {
        let rec: Vec<String> = rec?.iter().map(str::to_owned).collect();
        if rec.len() == 1 && rec[0].is_empty() {
            sections.push(Vec::new());
        } else if let Some(last) = sections.last_mut() {
            last.push(rec);
        }
    }
    Ok(sections)
}

fn csv_cell(s: &str) -> Want {
    if s.is_empty() {
        Want::Nothing
    } else {
        s.parse::<f64>()
            .map_or_else(|_| Want::Text(s.to_owned()), Want::Number)
    }
}

/// The national administrator exports every province for a year as CSV:
/// the indicator and reporting sections are the API's numbers.
pub async fn national_year_as_csv() -> Result<()> {
    let app = TestApp::new().await?;
    let admin = app.session("central.admin").await?;
    let central = app.committee_id("CENTRAL", "VN", "2024-06-01").await?;
    let export = create(
        &admin,
        json!({"definition": "period_report", "period": "2024", "scopeCommitteeId": central, "format": "CSV"}),
    )
    .await?;
    let (status, bytes) = download(
        &app,
        admin.token.as_deref(),
        export["url"].as_str().unwrap_or_default(),
    )
    .await?;
    ensure_eq!(status, 200);
    let sections = csv_sections(&bytes)?;
    // The cover, then the four sections.
    ensure_eq!(sections.len(), 5);
    let cols = columns(&admin, "indicators_by_unit", 0).await?;
    let ind = &sections[1];
    ensure_eq!(ind[0], vec!["Chỉ tiêu theo đơn vị".to_owned()]);
    ensure_eq!(
        ind[1],
        cols.iter().map(|(_, h)| h.clone()).collect::<Vec<_>>()
    );
    let got: Vec<Vec<Want>> = ind[2..]
        .iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(i, c)| {
                    if i < 2 {
                        if c.is_empty() {
                            Want::Nothing
                        } else {
                            Want::Text(c.clone())
                        }
                    } else {
                        csv_cell(c)
                    }
                })
                .collect()
        })
        .collect();
    let want = indicator_rows(&admin, &central, "2024", &cols).await?;
    ensure_eq!(want.len(), 63 + 2);
    compare("csv indicators", &got, &want, Some(2))?;
    // Reporting: every report of the year (quarters, halves, the year) per province.
    let rep = &sections[4];
    let periods = [
        "2024", "2024-H1", "2024-H2", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4",
    ];
    let mut totals: std::collections::HashMap<String, [i64; 3]> = std::collections::HashMap::new();
    for p in periods {
        let d = admin
            .data(
                "query($c: ID!, $p: Period!) { node(id: $c) { ... on Committee { reportingStatus(period: $p) {
                   total { expected submitted missing } children { committee { code } total { expected submitted missing } } } } } }",
                json!({"c": central, "p": p}),
            )
            .await?;
        let s = &d["node"]["reportingStatus"];
        let mut add = |code: &str, t: &Value| {
            let e = totals.entry(code.to_owned()).or_default();
            e[0] += t["expected"].as_i64().unwrap_or(0);
            e[1] += t["submitted"].as_i64().unwrap_or(0);
            e[2] += t["missing"].as_i64().unwrap_or(0);
        };
        add("", &s["total"]);
        for c in s["children"].as_array().into_iter().flatten() {
            add(
                c["committee"]["code"].as_str().unwrap_or_default(),
                &c["total"],
            );
        }
    }
    // Columns: code, name, expected, submitted, on time, late, approved, returned, missing.
    let mut checked = 0;
    for row in &rep[2..] {
        let code = row[0].clone();
        if row[1].ends_with("(số liệu của cấp này)") {
            continue;
        }
        let t = totals.get(&code).copied().unwrap_or_default();
        ensure_eq!(
            (code.clone(), row[2].clone(), row[3].clone(), row[8].clone()),
            (
                code.clone(),
                t[0].to_string(),
                t[1].to_string(),
                t[2].to_string()
            )
        );
        checked += 1;
    }
    ensure_eq!(checked, 63 + 1);
    if totals.get("").map_or(0, |t| t[0]) == 0 {
        bail!("no expected reports in 2024");
    }
    Ok(())
}

/// With `suppressBelow: 3`, counts of 1 and 2 read "<3", and a total with a
/// hidden cell under it is hidden too; zeros and larger counts are exact.
pub async fn small_cells_are_suppressed() -> Result<()> {
    let app = TestApp::new().await?;
    let admin = app.session("central.admin").await?;
    // A district of old Tuyên Quang: its communes report small numbers.
    let d = admin
        .data(
            "{ committeeByCode(level: PROVINCE, code: \"08\", activeOn: \"2024-06-01\") { children(first: 1, activeOn: \"2024-06-01\") { nodes { id } } } }",
            json!({}),
        )
        .await?;
    let district = d["committeeByCode"]["children"]["nodes"][0]["id"]
        .as_str()
        .context("no district")?
        .to_owned();
    let bad = admin
        .data(CREATE, json!({"input": {"definition": "indicators_by_unit", "period": "2024-Q1", "scopeCommitteeId": district, "format": "JSON", "suppressBelow": 1}}))
        .await?;
    ensure_eq!(
        bad["createExport"]["userErrors"][0]["code"],
        json!("OUT_OF_RANGE")
    );
    let export = create(
        &admin,
        json!({"definition": "indicators_by_unit", "period": "2024-Q1", "scopeCommitteeId": district, "format": "JSON", "suppressBelow": 3}),
    )
    .await?;
    let (_, bytes) = download(
        &app,
        admin.token.as_deref(),
        export["url"].as_str().unwrap_or_default(),
    )
    .await?;
    let doc: Value = serde_json::from_slice(&bytes)?;
    ensure_eq!(doc["suppressBelow"], json!(3));
    let section = &doc["sections"][0];
    let cols = columns(&admin, "indicators_by_unit", 0).await?;
    let want = indicator_rows(&admin, &district, "2024-Q1", &cols).await?;
    let rows: Vec<&Value> = section["rows"].as_array().into_iter().flatten().collect();
    ensure_eq!(rows.len() + 1, want.len());
    let mut hidden_somewhere = false;
    let rate_parts = [
        ("tips_resolved_rate", ("tips_resolved", "tips_received")),
        (
            "cases_prosecuted_rate",
            ("cases_prosecuted", "cases_investigated_solved"),
        ),
    ];
    let value_of = |row: &[Want], key: &str| -> f64 {
        cols.iter()
            .position(|(k, _)| k == key)
            .and_then(|i| match row.get(i) {
                Some(Want::Number(v)) => Some(*v),
                _ => None,
            })
            .unwrap_or(0.0)
    };
    for (c, (key, _)) in cols.iter().enumerate().skip(2) {
        let mut column_hidden = false;
        for (r, row) in rows.iter().enumerate() {
            let cell = &row[key.as_str()];
            let api = &want[r][c];
            let small = |v: f64| (1.0..3.0).contains(&v);
            let should_hide = match rate_parts.iter().find(|(k, _)| k == key) {
                Some((_, (n, d))) => small(value_of(&want[r], n)) || small(value_of(&want[r], d)),
                None => matches!(api, Want::Number(v) if small(*v)),
            };
            if should_hide {
                ensure_eq!((key, r, cell.clone()), (key, r, json!("<3")));
                column_hidden = true;
                hidden_somewhere = true;
            } else {
                let shown = cell.as_f64().map_or(Want::Nothing, Want::Number);
                if !same(&shown, api, None) {
                    bail!("{key} row {r}: {cell} in the file, {api:?} in the API");
                }
            }
        }
        let total = &section["total"][key.as_str()];
        if column_hidden {
            ensure_eq!((key, total.clone()), (key, json!("<3")));
        }
    }
    if !hidden_somewhere {
        bail!("nothing small enough to hide in the fixture");
    }
    Ok(())
}
