//! Reports from spreadsheets: a template made by `reportTemplate`, filled
//! by the test (the workbook rewritten cell by cell with rust_xlsxwriter, the
//! CSV edited as text), sent back by `importReports` as a real multipart
//! request, and read back through `indicatorRollup`.

use std::collections::HashMap;
use std::io::Cursor;

use anyhow::{Context as _, Result, bail, ensure};
use calamine::{Data, Reader, Xlsx};
use serde_json::{Value, json};

use crate::common::{Session, TestApp};
use crate::ensure_eq;

const TEMPLATE: &str = "mutation($input: ReportTemplateInput!) { reportTemplate(input: $input) {
    export { url fileName contentType } userErrors { field code message } } }";

const IMPORT: &str = "mutation($input: ImportReportsInput!) { importReports(input: $input) {
    summary { format dryRun written created updated unchanged refused
      rows { sheet row code period outcome enteredOnBehalf changedValues
             committee { id code } report { id status version enteredBy { code } }
             problems { sheet cell code message } } }
    userErrors { field code message } } }";

const PERIOD: &str = "2026-Q3";

/// A workbook's cells: sheet name → (row, column) → value, 0-based.
type Cells = Vec<(String, bool, HashMap<(u32, u16), Data>)>;

fn cells(bytes: &[u8]) -> Result<Cells> {
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec()))?;
    let hidden: Vec<(String, bool)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible != calamine::SheetVisible::Visible))
        .collect();
    let mut out = Vec::new();
    for (name, is_hidden) in hidden {
        let range = wb.worksheet_range(&name)?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut map = HashMap::new();
        for (r, c, v) in range.used_cells() {
            map.insert(
                (r0 + u32::try_from(r)?, u16::try_from(c0 as usize + c)?),
                v.clone(),
            );
        }
        out.push((name, is_hidden, map));
    }
    Ok(out)
}

/// How a rewritten cell is written.
#[derive(Clone)]
enum Put {
    Number(f64),
    Text(&'static str),
    Formula(&'static str),
}

/// Writes the workbook again with rust_xlsxwriter — every sheet, every
/// cell — with `edits` applied on the data sheet, as a user's spreadsheet
/// program would save it.
fn rewrite(
    source: &Cells,
    edits: &[(u32, u16, Put)],
    also: impl Fn(&mut rust_xlsxwriter::Worksheet) -> Result<(), rust_xlsxwriter::XlsxError>,
) -> Result<Vec<u8>> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, hidden, map) in source {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        for ((r, c), v) in map {
            match v {
                Data::String(s) => ws.write_string(*r, *c, s)?,
                Data::Float(f) => ws.write_number(*r, *c, *f)?,
                Data::Int(i) => {
                    #[allow(clippy::cast_precision_loss)]
                    let f = *i as f64;
                    ws.write_number(*r, *c, f)?
                }
                _ => ws,
            };
        }
        if name == "Báo cáo" {
            for (r, c, put) in edits {
                match put {
                    Put::Number(f) => ws.write_number(*r, *c, *f)?,
                    Put::Text(t) => ws.write_string(*r, *c, *t)?,
                    Put::Formula(f) => ws.write_formula(*r, *c, *f)?,
                };
            }
            also(ws)?;
        }
        if *hidden {
            ws.set_hidden(true);
        }
    }
    Ok(wb.save_to_buffer()?)
}

async fn download(s: &Session<'_>, url: &str) -> Result<Vec<u8>> {
    let (status, body) = s.download(url).await?;
    ensure_eq!(status, 200);
    Ok(body)
}

async fn template(s: &Session<'_>, committee: &str, scope: &str, format: &str) -> Result<Vec<u8>> {
    template_of(s, committee, PERIOD, scope, format).await
}

pub(crate) async fn template_of(
    s: &Session<'_>,
    committee: &str,
    period: &str,
    scope: &str,
    format: &str,
) -> Result<Vec<u8>> {
    let p = s
        .mutate(
            TEMPLATE,
            "reportTemplate",
            json!({"input": {"committeeId": committee, "period": period, "scope": scope, "format": format}}),
        )
        .await?;
    download(s, p["export"]["url"].as_str().unwrap_or_default()).await
}

async fn import(s: &Session<'_>, name: &str, file: Vec<u8>, options: Value) -> Result<Value> {
    let (status, body) = s.upload(IMPORT, options, name, file).await?;
    ensure_eq!(status, 200);
    if body.get("errors").is_some() {
        bail!("import failed: {body}");
    }
    Ok(body["data"]["importReports"].clone())
}

/// The values of `indicators` for each child of `committee` in the period,
/// submitted reports included.
async fn rollup(
    s: &Session<'_>,
    committee: &str,
    indicators: &[&str],
) -> Result<HashMap<(String, String), f64>> {
    rollup_of(s, committee, PERIOD, indicators).await
}

async fn rollup_of(
    s: &Session<'_>,
    committee: &str,
    period: &str,
    indicators: &[&str],
) -> Result<HashMap<(String, String), f64>> {
    let d = s
        .data(
            "query($id: ID!, $ind: [String!]!, $p: Period!) { node(id: $id) { ... on Committee {
               indicatorRollup(indicators: $ind, period: $p, groupBy: CHILD, include: SUBMITTED) {
                 rows { committee { code } values { indicator { code } value } } } } } }",
            json!({"id": committee, "ind": indicators, "p": period}),
        )
        .await?;
    let mut out = HashMap::new();
    for g in d["node"]["indicatorRollup"]["rows"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let code = g["committee"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        for v in g["values"].as_array().into_iter().flatten() {
            out.insert(
                (
                    code.clone(),
                    v["indicator"]["code"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                ),
                v["value"].as_f64().unwrap_or(f64::NAN),
            );
        }
    }
    Ok(out)
}

/// The data sheet's rows whose report may still change: (0-based row, code).
fn open_rows(c: &Cells) -> Vec<(u32, String)> {
    let data = &c[0].2;
    let mut rows: Vec<(u32, String)> = data
        .iter()
        .filter(|((r, col), v)| {
            *r >= 3
                && *col == 2
                && matches!(v, Data::String(s) if s == "Chưa có báo cáo" || s == "Bản nháp" || s.starts_with("Bị trả lại"))
        })
        .filter_map(|((r, _), _)| match data.get(&(*r, 0)) {
            Some(Data::String(code)) => Some((*r, code.clone())),
            _ => None,
        })
        .collect();
    rows.sort();
    rows
}

fn locked_row(c: &Cells) -> Option<u32> {
    let data = &c[0].2;
    let mut rows: Vec<u32> = data
        .iter()
        .filter(|((r, col), v)| {
            *r >= 3 && *col == 2 && matches!(v, Data::String(s) if s == "Đã duyệt (khóa)")
        })
        .map(|((r, _), _)| *r)
        .collect();
    rows.sort_unstable();
    rows.first().copied()
}

/// The value column of an indicator in the data sheet (from the header's
/// "unit · code" row).
fn column_of(c: &Cells, code: &str) -> Result<u16> {
    c[0].2
        .iter()
        .find(|((r, _), v)| {
            *r == 2 && matches!(v, Data::String(s) if s.ends_with(&format!("· {code}")))
        })
        .map(|((_, col), _)| *col)
        .with_context(|| format!("no column for {code}"))
}

fn problems(summary: &Value) -> Vec<(String, String)> {
    summary["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["problems"].as_array().cloned().unwrap_or_default())
        .map(|p| {
            (
                p["cell"].as_str().unwrap_or_default().to_owned(),
                p["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// The whole round trip in XLSX, by the province's coordinator entering its
/// communes' reports on their behalf: dry run, import, read back, import
/// again (nothing changes), a stale template (CONFLICT).
pub async fn xlsx_round_trip() -> Result<()> {
    let app = TestApp::new().await?;
    let tq = app.committee_id("PROVINCE", "08", "2026-01-01").await?;
    let coordinator = app.session("tuyenquang.coordinator").await?;
    let file = template(&coordinator, &tq, "CHILDREN", "XLSX").await?;
    let source = cells(&file)?;
    ensure_eq!(
        source
            .iter()
            .map(|(n, h, _)| (n.clone(), *h))
            .collect::<Vec<_>>(),
        vec![("Báo cáo".to_owned(), false), ("hub138".to_owned(), true)]
    );
    let open = open_rows(&source);
    if open.len() < 2 {
        bail!("the template has {} rows open for entry", open.len());
    }
    let (a, b) = (&open[0], &open[1]);
    let (received, resolved) = (
        column_of(&source, "tips_received")?,
        column_of(&source, "tips_resolved")?,
    );
    let filled = rewrite(
        &source,
        &[
            (a.0, received, Put::Number(41.0)),
            (a.0, resolved, Put::Number(17.0)),
            (b.0, received, Put::Text("9")),
            (b.0, resolved, Put::Number(0.0)),
        ],
        |_| Ok(()),
    )?;
    let values_before = app.rows("report_value").await?;

    let dry = import(
        &coordinator,
        "filled.xlsx",
        filled.clone(),
        json!({"dryRun": true, "submit": true}),
    )
    .await?;
    ensure_eq!(dry["userErrors"], json!([]));
    let s = &dry["summary"];
    ensure_eq!(
        (
            s["format"].clone(),
            s["dryRun"].clone(),
            s["written"].clone(),
            s["refused"].clone()
        ),
        (json!("XLSX"), json!(true), json!(false), json!(0))
    );
    ensure_eq!(
        s["created"].as_u64().unwrap_or(0) + s["updated"].as_u64().unwrap_or(0),
        2
    );
    ensure_eq!(app.rows("report_value").await?, values_before);

    let done = import(
        &coordinator,
        "filled.xlsx",
        filled.clone(),
        json!({"submit": true}),
    )
    .await?;
    let s = &done["summary"];
    ensure_eq!(
        (s["written"].clone(), s["refused"].clone()),
        (json!(true), json!(0))
    );
    let written: Vec<&Value> = s["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["outcome"] == "CREATED" || r["outcome"] == "UPDATED")
        .collect();
    ensure_eq!(written.len(), 2);
    for r in &written {
        ensure_eq!(
            (
                r["enteredOnBehalf"].clone(),
                r["report"]["status"].clone(),
                r["report"]["enteredBy"]["code"].clone()
            ),
            (json!(true), json!("SUBMITTED"), json!("08"))
        );
    }
    let got = rollup(&coordinator, &tq, &["tips_received", "tips_resolved"]).await?;
    for (code, ind, want) in [
        (&a.1, "tips_received", 41.0),
        (&a.1, "tips_resolved", 17.0),
        (&b.1, "tips_received", 9.0),
        (&b.1, "tips_resolved", 0.0),
    ] {
        ensure_eq!(
            (code, ind, got.get(&(code.clone(), ind.to_owned())).copied()),
            (code, ind, Some(want))
        );
    }
    // One audit event for the import, listing the reports.
    let admin = app.session("tuyenquang.admin").await?;
    let events = admin
        .data(
            "{ auditEvents(first: 5, filter: {action: \"importReports\"}) { edges { node { action after } } } }",
            json!({}),
        )
        .await?;
    // (Each submission is audited too, as submitReport's are.)
    let imports: Vec<Value> = events["auditEvents"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| serde_json::from_str::<Value>(e["node"]["after"].as_str()?).ok())
        .filter(|after| !after["created"].is_null())
        .collect();
    ensure_eq!(imports.len(), 1);
    let touched = |k: &str| imports[0][k].as_array().map_or(0, Vec::len);
    ensure_eq!(touched("created") + touched("updated"), 2);

    // The same file again changes nothing, though the reports are now submitted.
    let again = import(&coordinator, "filled.xlsx", filled, json!({"submit": true})).await?;
    let s = &again["summary"];
    ensure_eq!(
        (
            s["created"].clone(),
            s["updated"].clone(),
            s["refused"].clone(),
            s["written"].clone()
        ),
        (json!(0), json!(0), json!(0), json!(false))
    );

    // A template made before someone changed a report: that row is CONFLICT.
    let stale_source = cells(&template(&coordinator, &tq, "CHILDREN", "XLSX").await?)?;
    let c = open_rows(&stale_source)
        .into_iter()
        .find(|(_, code)| code != &a.1 && code != &b.1)
        .context("a third open row")?;
    let target = app.committee_id("COMMUNE", &c.1, "2026-01-01").await?;
    let editor = app
        .session_at("COMMUNE", &c.1, "2026-01-01", "EDITOR")
        .await?;
    editor
        .mutate(
            "mutation($i: SaveReportInput!) { saveReport(input: $i) { userErrors { code } } }",
            "saveReport",
            json!({"i": {"committeeId": target, "period": PERIOD, "values": [{"indicator": "tips_received", "value": 3}]}}),
        )
        .await?;
    let stale = rewrite(&stale_source, &[(c.0, received, Put::Number(5.0))], |_| {
        Ok(())
    })?;
    let r = import(&coordinator, "stale.xlsx", stale, json!({})).await?;
    ensure_eq!(
        (r["summary"]["written"].clone(), problems(&r["summary"])),
        (
            json!(false),
            vec![(format!("A{}", c.0 + 1), "CONFLICT".to_owned())]
        )
    );
    Ok(())
}

/// Every refusal at its cell, with nothing written; `partial` writes
/// exactly the rows without problems.
pub async fn refusals_name_their_cells() -> Result<()> {
    let app = TestApp::new().await?;
    let tq = app.committee_id("PROVINCE", "08", "2026-01-01").await?;
    let coordinator = app.session("tuyenquang.coordinator").await?;
    let source = cells(&template(&coordinator, &tq, "CHILDREN", "XLSX").await?)?;
    let open = open_rows(&source);
    let locked = locked_row(&source).context("an approved report in the template")?;
    let col = column_of(&source, "tips_received")?;
    let other = column_of(&source, "tips_resolved")?;
    if open.len() < 5 {
        bail!("the template has {} rows open for entry", open.len());
    }
    let (r1, r2, r3) = (open[0].0, open[1].0, open[2].0);
    let file = rewrite(
        &source,
        &[
            (r1, col, Put::Text("mười")),
            (r1, other, Put::Number(-1.0)),
            (r2, col, Put::Number(2.5)),
            (r2, other, Put::Formula("=1+1")),
            (r3, col, Put::Number(2_000_000_000.0)),
            (locked, col, Put::Number(12_345.0)),
            (open[3].0, col, Put::Number(8.0)),
        ],
        |_| Ok(()),
    )?;
    let values_before = app.rows("report_value").await?;
    let r = import(&coordinator, "bad.xlsx", file.clone(), json!({})).await?;
    let cell = |row: u32, col: u16| format!("{}{}", column_letter(col), row + 1);
    let mut got = problems(&r["summary"]);
    got.sort();
    let mut want = vec![
        (cell(r1, col), "NOT_A_NUMBER".to_owned()),
        (cell(r1, other), "OUT_OF_RANGE".to_owned()),
        (cell(r2, col), "NOT_A_NUMBER".to_owned()),
        (cell(r2, other), "FORMULA".to_owned()),
        (cell(r3, col), "OUT_OF_RANGE".to_owned()),
        (format!("C{}", locked + 1), "LOCKED".to_owned()),
    ];
    want.sort();
    ensure_eq!(got, want);
    ensure_eq!(
        (
            r["summary"]["written"].clone(),
            r["summary"]["refused"].clone()
        ),
        (json!(false), json!(4))
    );
    ensure_eq!(app.rows("report_value").await?, values_before);
    // partial: the one good row, and only it.
    let r = import(&coordinator, "bad.xlsx", file, json!({"partial": true})).await?;
    ensure_eq!(
        (
            r["summary"]["written"].clone(),
            r["summary"]["refused"].clone()
        ),
        (json!(true), json!(4))
    );
    let written: Vec<String> = r["summary"]["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["outcome"] == "CREATED" || r["outcome"] == "UPDATED")
        .map(|r| r["code"].as_str().unwrap_or_default().to_owned())
        .collect();
    ensure_eq!(written, vec![open[3].1.clone()]);

    // An editor of the province may not enter its communes' reports; a
    // commune's editor enters only its own row.
    let editor = app.session("tuyenquang.editor").await?;
    let source = cells(&template(&coordinator, &tq, "CHILDREN", "XLSX").await?)?;
    let one = rewrite(&source, &[(open[4].0, col, Put::Number(4.0))], |_| Ok(()))?;
    let r = import(&editor, "one.xlsx", one.clone(), json!({})).await?;
    ensure_eq!(
        problems(&r["summary"]),
        vec![(format!("A{}", open[4].0 + 1), "FORBIDDEN".to_owned())]
    );
    // Another province's coordinator does not see these committees at all.
    let other = app
        .session_at("PROVINCE", "01", "2026-01-01", "COORDINATOR")
        .await?;
    let r = import(&other, "one.xlsx", one, json!({})).await?;
    let refused = r["summary"]["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|row| row["problems"][0]["code"] == "NOT_FOUND" && row["committee"].is_null())
        .count();
    ensure_eq!(
        refused as u64,
        r["summary"]["rows"]
            .as_array()
            .map_or(0, |a| a.len() as u64)
    );
    Ok(())
}

fn column_letter(col: u16) -> String {
    let cell = hub138::service::report_sheet::cell_ref(0, col);
    cell.trim_end_matches('1').to_owned()
}

/// The CSV form: the same round trip, and refusals of unknown and computed
/// indicators and of committees out of scope.
pub async fn csv_round_trip() -> Result<()> {
    let app = TestApp::new().await?;
    let tq = app.committee_id("PROVINCE", "08", "2026-01-01").await?;
    let coordinator = app.session("tuyenquang.coordinator").await?;
    // A quarter without reports yet.
    let quarter = "2026-Q4";
    let file = template_of(&coordinator, &tq, quarter, "CHILDREN", "CSV").await?;
    let text = String::from_utf8(file)?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut lines: Vec<Vec<String>> = rdr
        .records()
        .map(|r| r.map(|r| r.iter().map(str::to_owned).collect()))
        .collect::<Result<_, _>>()?;
    let header = lines[0].clone();
    ensure_eq!(
        header[..5].to_vec(),
        vec!["committee_id", "period", "version", "code", "name"]
    );
    let received = header
        .iter()
        .position(|h| h == "tips_received")
        .context("tips_received")?;
    // The first two rows without a report yet (version 0).
    let fresh: Vec<usize> = (1..lines.len())
        .filter(|&i| lines[i][2] == "0")
        .take(2)
        .collect();
    if fresh.len() < 2 {
        bail!("fewer than two communes without a report");
    }
    lines[fresh[0]][received] = "23".into();
    lines[fresh[1]][received] = "5".into();
    let codes: Vec<String> = fresh.iter().map(|&i| lines[i][3].clone()).collect();
    let mut out = csv::Writer::from_writer(Vec::new());
    for l in &lines {
        out.write_record(l)?;
    }
    let body = String::from_utf8(out.into_inner()?)?;
    let r = import(
        &coordinator,
        "filled.csv",
        body.clone().into_bytes(),
        json!({"submit": true}),
    )
    .await?;
    ensure_eq!(
        (
            r["summary"]["format"].clone(),
            r["summary"]["created"].clone(),
            r["summary"]["refused"].clone()
        ),
        (json!("CSV"), json!(2), json!(0))
    );
    let got = rollup_of(&coordinator, &tq, quarter, &["tips_received"]).await?;
    ensure_eq!(
        got.get(&(codes[0].clone(), "tips_received".into()))
            .copied(),
        Some(23.0)
    );
    ensure_eq!(
        got.get(&(codes[1].clone(), "tips_received".into()))
            .copied(),
        Some(5.0)
    );
    let again = import(&coordinator, "filled.csv", body.into_bytes(), json!({})).await?;
    ensure_eq!(
        (
            again["summary"]["created"].clone(),
            again["summary"]["updated"].clone()
        ),
        (json!(0), json!(0))
    );

    // Unknown and computed indicators, a committee of another province.
    let rate = "tips_resolved_rate";
    let other = app.committee_id("PROVINCE", "01", "2026-01-01").await?;
    let bad = format!(
        "committee_id,period,version,code,name,nope,{rate}\n{},{quarter},0,x,x,1,2\n{other},{quarter},0,01,x,,\n",
        lines[fresh[0]][0]
    );
    let values_before = app.rows("report_value").await?;
    let r = import(&coordinator, "bad.csv", bad.into_bytes(), json!({})).await?;
    let mut got = problems(&r["summary"]);
    got.sort();
    ensure_eq!(
        got,
        vec![
            ("A3".to_owned(), "NOT_FOUND".to_owned()),
            ("F2".to_owned(), "UNKNOWN_INDICATOR".to_owned()),
            ("G2".to_owned(), "COMPUTED_INDICATOR".to_owned()),
        ]
    );
    ensure_eq!(app.rows("report_value").await?, values_before);
    Ok(())
}

/// Files that are not templates get clear errors, and the server stays
/// responsive.
pub async fn bad_files_are_refused() -> Result<()> {
    let app = TestApp::new().await?;
    let tq = app.committee_id("PROVINCE", "08", "2026-01-01").await?;
    let coordinator = app.session("tuyenquang.coordinator").await?;
    let source = cells(&template(&coordinator, &tq, "CHILDREN", "XLSX").await?)?;
    let code_of = |v: &Value| {
        v["userErrors"][0]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let without_meta: Cells = source
        .iter()
        .filter(|(n, _, _)| n != "hub138")
        .cloned()
        .collect();
    let mut edited = source.clone();
    if let Some(v) = edited[1].2.get_mut(&(5, 3)) {
        *v = Data::Float(99.0);
    }
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "binary",
            vec![0xff, 0xd8, 0xff, 0xe0, 0, 1, 2, 3],
            "INVALID_FILE",
        ),
        ("text", b"hello, world\n".to_vec(), "NOT_A_TEMPLATE"),
        (
            "zip",
            b"PK\x03\x04not really a zip".to_vec(),
            "INVALID_FILE",
        ),
        (
            "no hidden sheet",
            rewrite(&without_meta, &[], |_| Ok(()))?,
            "NOT_A_TEMPLATE",
        ),
        (
            "edited hidden sheet",
            rewrite(&edited, &[], |_| Ok(()))?,
            "NOT_A_TEMPLATE",
        ),
        (
            "merged cells",
            rewrite(&source, &[], |ws| {
                ws.merge_range(3, 3, 4, 4, "", &rust_xlsxwriter::Format::new())?;
                Ok(())
            })?,
            "INVALID_FILE",
        ),
        (
            "a value far below the rows",
            rewrite(&source, &[(1_048_575, 3, Put::Number(1.0))], |_| Ok(()))?,
            "INVALID_FILE",
        ),
    ];
    let values_before = app.rows("report_value").await?;
    for (name, bytes, want) in cases {
        let r = import(&coordinator, "f.xlsx", bytes, json!({})).await?;
        ensure_eq!((name, code_of(&r)), (name, want.to_owned()));
    }
    // 1,048,576 formatted but empty rows: read as the template's own rows.
    let tall = rewrite(&source, &[], |ws| {
        let f = rust_xlsxwriter::Format::new().set_bold();
        ws.write_blank(1_048_575, 5, &f)?;
        ws.set_row_format(1_048_575, &f)?;
        Ok(())
    })?;
    let r = import(&coordinator, "tall.xlsx", tall, json!({"dryRun": true})).await?;
    ensure_eq!(
        (r["userErrors"].clone(), r["summary"]["refused"].clone()),
        (json!([]), json!(0))
    );
    // A 10 MB file is refused before it is read: a report file is at most 5 MiB.
    let mut big = b"PK\x03\x04".to_vec();
    big.resize(10_000_000, b'x');
    let r = import(&coordinator, "big.xlsx", big, json!({})).await?;
    ensure_eq!(r["userErrors"][0]["code"], json!("INVALID_FILE"));
    // A request above the upload limit is refused by its declared size.
    let answer = declared_upload(&app, &coordinator, 11 * 1024 * 1024).await?;
    if !(answer.starts_with("HTTP/1.1 413") && answer.contains("PAYLOAD_TOO_LARGE")) {
        bail!("an 11 MiB upload got {answer}");
    }
    ensure_eq!(app.rows("report_value").await?, values_before);
    // Still serving.
    let d = coordinator.data("{ me { username } }", json!({})).await?;
    ensure_eq!(d["me"]["username"], json!("tuyenquang.coordinator"));
    Ok(())
}

/// Starts a multipart request declaring `length` bytes, sends only its
/// headers, and returns the server's answer as text.
async fn declared_upload(app: &TestApp, s: &Session<'_>, length: usize) -> Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let url = app.url("");
    let host = url.trim_start_matches("http://").trim_end_matches('/');
    let mut tcp = tokio::net::TcpStream::connect(host).await?;
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {}\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: {length}\r\n\r\n--b\r\n",
        s.token.clone().unwrap_or_default()
    );
    tcp.write_all(head.as_bytes()).await?;
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n =
            tokio::time::timeout(std::time::Duration::from_secs(10), tcp.read(&mut buf)).await??;
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buf[..n]);
        if answer.windows(4).any(|w| w == b"\r\n\r\n") && answer.ends_with(b"}") {
            break;
        }
    }
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

/// A committee out of the caller's scope answers exactly as one that does
/// not exist: same code, same message, no committee.
pub async fn out_of_scope_rows_read_as_nonexistent() -> Result<()> {
    let app = TestApp::new().await?;
    let coordinator = app.session("tuyenquang.coordinator").await?;
    let other = app.committee_id("PROVINCE", "01", "2026-01-01").await?;
    let none = crate::common::global_id("Committee", 987_654_321);
    let csv = format!(
        "committee_id,period,version,code,name,tips_received\n{other},2026-Q4,0,x,x,1\n{none},2026-Q4,0,x,x,1\n"
    );
    let r = import(&coordinator, "scope.csv", csv.into_bytes(), json!({})).await?;
    let rows = r["summary"]["rows"].as_array().cloned().unwrap_or_default();
    ensure_eq!(rows.len(), 2);
    let shape = |row: &Value| {
        (
            row["committee"].clone(),
            row["outcome"].clone(),
            row["problems"][0]["code"].clone(),
            row["problems"][0]["message"].clone(),
        )
    };
    ensure_eq!(shape(&rows[0]), shape(&rows[1]));
    ensure_eq!(rows[0]["problems"][0]["code"], json!("NOT_FOUND"));
    Ok(())
}

/// `hub138 report import FILE --as USERNAME`: the same import from a
/// terminal, with the account's rules; refused rows make it fail.
pub async fn cli_import() -> Result<()> {
    use hub138::config::ReportCommand;
    let app = TestApp::new().await?;
    let tq = app.committee_id("PROVINCE", "08", "2026-01-01").await?;
    let coordinator = app.session("tuyenquang.coordinator").await?;
    let file = template_of(&coordinator, &tq, "2026-Q4", "CHILDREN", "CSV").await?;
    let text = String::from_utf8(file)?;
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    // The first commune's tips_received (the sixth column and after: the header says where).
    let header: Vec<&str> = lines[0].trim_start_matches('\u{feff}').split(',').collect();
    let at = header
        .iter()
        .position(|h| *h == "tips_received")
        .context("column")?;
    let mut first: Vec<String> = lines[1].split(',').map(str::to_owned).collect();
    first[at] = "31".into();
    let code = first[3].clone();
    lines[1] = first.join(",");
    let dir = std::env::temp_dir().join(format!("hub138-cli-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("filled.csv");
    std::fs::write(&path, lines.join("\n") + "\n")?;
    let events = hub138::service::events::Events::default();
    let run = |dry_run: bool, username: &str| ReportCommand::Import {
        file: path.clone(),
        username: username.to_owned(),
        dry_run,
        partial: false,
        submit: true,
    };
    hub138::cli::report(&app.db, &events, run(false, "tuyenquang.coordinator")).await?;
    let got = rollup_of(&coordinator, &tq, "2026-Q4", &["tips_received"]).await?;
    ensure_eq!(
        got.get(&(code.clone(), "tips_received".into())).copied(),
        Some(31.0)
    );
    // The province's editor may not enter it: refused, nothing written, an error.
    std::fs::write(&path, lines.join("\n").replace(",31,", ",32,") + "\n")?;
    let refused = hub138::cli::report(&app.db, &events, run(false, "tuyenquang.editor")).await;
    ensure_eq!(refused.is_err(), true);
    let got = rollup_of(&coordinator, &tq, "2026-Q4", &["tips_received"]).await?;
    ensure_eq!(
        got.get(&(code, "tips_received".into())).copied(),
        Some(31.0)
    );
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}

/// A file larger than the rows an import checks at a time is still all or
/// nothing: rows written before a refused row near the end go with it,
/// and `partial` writes every good row.
pub async fn large_csv_is_all_or_nothing() -> Result<()> {
    let app = TestApp::new().await?;
    let tq = app.committee_id("PROVINCE", "08", "2026-01-01").await?;
    let coordinator = app.session("tuyenquang.coordinator").await?;
    let mut header: Vec<String> = Vec::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for month in 1..=6 {
        let period = format!("2026-{month:02}");
        let file = template_of(&coordinator, &tq, &period, "CHILDREN", "CSV").await?;
        let text = String::from_utf8(file)?;
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let lines: Vec<Vec<String>> = rdr
            .records()
            .map(|r| r.map(|r| r.iter().map(str::to_owned).collect()))
            .collect::<Result<_, _>>()?;
        header.clone_from(&lines[0]);
        rows.extend(lines.into_iter().skip(1).filter(|l| l[2] == "0"));
    }
    let received = header
        .iter()
        .position(|h| h == "tips_received")
        .context("tips_received")?;
    if rows.len() < 600 {
        bail!("only {} rows without a report", rows.len());
    }
    for (i, row) in rows.iter_mut().enumerate() {
        row[received] = (i % 50).to_string();
    }
    // One bad cell near the end, after the first chunk was written.
    let good = rows.len() - 1;
    rows[good - 1][received] = "many".into();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&header)?;
    for l in &rows {
        out.write_record(l)?;
    }
    let body = out.into_inner()?;
    let reports_before = app.rows("report").await?;
    let values_before = app.rows("report_value").await?;
    let r = import(&coordinator, "large.csv", body.clone(), json!({})).await?;
    ensure_eq!(
        (
            r["summary"]["written"].clone(),
            r["summary"]["created"].clone(),
            r["summary"]["refused"].clone(),
        ),
        (json!(false), json!(good), json!(1))
    );
    // Nothing was kept, and no row claims a report that is not there.
    ensure_eq!(app.rows("report").await?, reports_before);
    ensure_eq!(app.rows("report_value").await?, values_before);
    let rows_out = r["summary"]["rows"].as_array().context("rows")?;
    ensure!(rows_out.iter().all(|row| row["report"].is_null()));
    let bad_row = &rows_out[good - 1];
    ensure_eq!(bad_row["outcome"].clone(), json!("REFUSED"));

    let r = import(&coordinator, "large.csv", body, json!({"partial": true})).await?;
    ensure_eq!(
        (
            r["summary"]["written"].clone(),
            r["summary"]["created"].clone(),
            r["summary"]["refused"].clone(),
        ),
        (json!(true), json!(good), json!(1))
    );
    let rows_out = r["summary"]["rows"].as_array().context("rows")?;
    ensure!(
        rows_out
            .iter()
            .filter(|row| row["outcome"] == "CREATED")
            .all(|row| row["report"]["id"].is_string())
    );
    ensure_eq!(
        app.rows("report").await?,
        reports_before + i64::try_from(good)?
    );
    Ok(())
}
