//! `importReports`: a filled template (XLSX or CSV) back in. The file is
//! read first (`read`, on a blocking thread: it is CPU work), then every row
//! is checked with the rules `saveReport` applies (`run`), each problem
//! reported at its cell; then — unless it is a dry run — the accepted rows
//! are written in the caller's one transaction: all of them, or none if any
//! row was refused, unless `partial` asks for exactly the rows without
//! problems.
//!
//! An empty value cell leaves the stored value as it is; a row whose numbers
//! equal the stored ones is `UNCHANGED` and not written, so importing the
//! same file twice changes nothing the second time — even once the reports
//! are submitted or approved. A row that would change a report changed since
//! the template was made (a newer version) is `CONFLICT`.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;
use std::sync::Arc;

use bytes::Bytes;
use calamine::{DataRef, Reader, Xlsx};
use entities::report;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::template::editable;
use super::{
    CSV_COLUMNS, DATA_SHEET, HEADER_ROWS, ID_COLUMNS, LAYOUT, MARKER, MAX_ROWS, META_SHEET, Meta,
    MetaRow, cell_ref,
};
use crate::error::{Error, Result, UserErrorCode};
use crate::ids::{Kind, decode};
use crate::service::enums::{ReportStatus, Role};
use crate::service::period::Period;
use crate::service::report::{self as reports, MAX_VALUE, SaveReport};
use crate::service::write::Write;

/// The largest file accepted, and the most its parts may hold once
/// decompressed (a workbook is a zip: a small file can expand enormously).
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
const MAX_EXPANDED_BYTES: u64 = 64 * 1024 * 1024;
/// The most value columns a file may have.
const MAX_COLUMNS: usize = 200;

/// The file's kind, found from its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Xlsx,
    Csv,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Xlsx => "XLSX",
            Source::Csv => "CSV",
        }
    }
}

/// How an import runs.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// Write the rows without problems even if others have some.
    pub partial: bool,
    /// Submit each written report, as `submitReport` would.
    pub submit: bool,
}

/// A problem at a cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub sheet: String,
    /// `D7`.
    pub cell: String,
    pub code: UserErrorCode,
    pub message: String,
}

/// What became of a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
    Refused,
}

/// One row of the summary.
#[derive(Clone, Debug)]
pub struct RowSummary {
    pub sheet: String,
    /// 1-based, as the spreadsheet shows it.
    pub row: u32,
    /// The committee, when the caller may read it.
    pub committee: Option<Arc<entities::committee::Model>>,
    /// The code the file gives for the row.
    pub code: String,
    pub period: String,
    pub outcome: Outcome,
    /// The report as stored before the import.
    pub stored: Option<report::Model>,
    /// The report as the import wrote it.
    pub saved: Option<report::Model>,
    /// Values that would be or were written.
    pub changed_values: usize,
    /// Entered by the caller's committee on behalf of the committee below.
    pub on_behalf: bool,
    pub problems: Vec<Problem>,
}

impl RowSummary {
    /// The report as written, or as stored when nothing was written.
    pub fn report(&self) -> Option<&report::Model> {
        self.saved.as_ref().or(self.stored.as_ref())
    }
}

/// An import's totals.
#[derive(Clone, Copy, Debug)]
pub struct Totals {
    pub source: Source,
    pub dry_run: bool,
    /// Whether anything was written.
    pub written: bool,
    /// Rows by outcome, in `Outcome`'s order.
    counts: [usize; 4],
}

impl Totals {
    pub fn count(&self, outcome: Outcome) -> usize {
        self.counts[outcome as usize]
    }
}

/// The import summary: its totals and every row.
#[derive(Clone, Debug)]
pub struct Summary {
    pub totals: Totals,
    pub rows: Vec<RowSummary>,
}

/// A value cell as read.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Empty,
    Number(i64),
    Bad(UserErrorCode, String),
}

/// A committee row as read.
#[derive(Clone, Debug)]
struct Line {
    row: u32,
    committee: String,
    code: String,
    period: String,
    version: i32,
    /// The cell holding the committee (A…), the version (for CSV) and the status.
    id_cell: String,
    values: Vec<(u16, Value)>,
    problems: Vec<Problem>,
}

/// A file as read: its indicator columns and rows.
pub struct Read {
    source: Source,
    sheet: String,
    /// Each value column's indicator code and the cell naming it.
    columns: Vec<(String, String)>,
    lines: Lines,
}

impl Read {
    pub fn source(&self) -> Source {
        self.source
    }
}

/// A file's rows: a workbook's, read with its cells (a template has at most
/// the committees of one level below one committee); a CSV's, read as the
/// import asks for them.
enum Lines {
    Read(std::vec::IntoIter<Line>),
    Csv(CsvLines),
}

struct CsvLines {
    records: csv::StringRecordsIntoIter<Cursor<Bytes>>,
    /// The record's index in the file (the header is 0).
    index: u32,
    /// Rows read so far.
    rows: usize,
    /// Value columns.
    codes: usize,
}

impl Lines {
    /// The next `n` rows, fewer at the end of the file.
    fn next_chunk(&mut self, n: usize) -> Result<Vec<Line>> {
        match self {
            Lines::Read(lines) => Ok(lines.by_ref().take(n).collect()),
            Lines::Csv(csv) => {
                let mut out = Vec::with_capacity(n);
                while out.len() < n {
                    let Some(record) = csv.records.next() else {
                        break;
                    };
                    csv.index = csv.index.saturating_add(1);
                    let r = csv.index;
                    let record =
                        record.map_err(|e| invalid_file(format!("line {}: {e}", r + 1)))?;
                    if record.iter().all(|f| f.trim().is_empty()) {
                        continue;
                    }
                    if csv.rows >= MAX_ROWS {
                        return Err(invalid_file(format!("more than {MAX_ROWS} rows")));
                    }
                    csv.rows += 1;
                    out.push(csv_line(&record, r, csv.codes));
                }
                Ok(out)
            }
        }
    }
}

fn invalid_file(message: impl Into<String>) -> Error {
    Error::invalid(&["input", "file"], UserErrorCode::InvalidFile, message)
}

fn not_a_template(message: impl Into<String>) -> Error {
    Error::invalid(&["input", "file"], UserErrorCode::NotATemplate, message)
}

/// Reads a file: XLSX when it is a zip archive, CSV when it is text.
pub fn read(bytes: Bytes) -> Result<Read> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(invalid_file(format!(
            "the file is larger than {} MiB",
            MAX_FILE_BYTES / 1024 / 1024
        )));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(&bytes)
    } else if bytes.is_empty() {
        Err(invalid_file("the file is empty"))
    } else if std::str::from_utf8(&bytes).is_ok() {
        let bom = "\u{feff}".len();
        if bytes.starts_with("\u{feff}".as_bytes()) {
            read_csv(bytes.slice(bom..))
        } else {
            read_csv(bytes)
        }
    } else {
        Err(invalid_file(
            "the file is neither an XLSX workbook nor UTF-8 CSV (a scanned or older .xls file cannot be read: save it as .xlsx)",
        ))
    }
}

/// A value as a whole number, or why it is not one.
fn number(text: &str) -> Value {
    let t = text.trim().replace([',', ' ', '\u{a0}'], "");
    if t.is_empty() {
        return Value::Empty;
    }
    match t.parse::<i64>() {
        Ok(n) => bounded(n),
        Err(_) => match t.parse::<f64>() {
            Ok(f) if f.is_finite() && f.fract() == 0.0 => float(f),
            _ => Value::Bad(
                UserErrorCode::NotANumber,
                format!("{:?} is not a whole number", text.trim()),
            ),
        },
    }
}

fn float(f: f64) -> Value {
    if f.fract() != 0.0 || !f.is_finite() {
        return Value::Bad(
            UserErrorCode::NotANumber,
            format!("{f} is not a whole number"),
        );
    }
    if !(0.0..=MAX_VALUE).contains(&f) {
        return out_of_range();
    }
    #[allow(clippy::cast_possible_truncation)]
    Value::Number(f as i64)
}

fn bounded(n: i64) -> Value {
    #[allow(clippy::cast_precision_loss)]
    if n < 0 || n as f64 > MAX_VALUE {
        out_of_range()
    } else {
        Value::Number(n)
    }
}

fn out_of_range() -> Value {
    Value::Bad(
        UserErrorCode::OutOfRange,
        format!("a count is a whole number from 0 to {MAX_VALUE:.0}"),
    )
}

fn cell_value(v: &DataRef<'_>) -> Value {
    match v {
        DataRef::Empty => Value::Empty,
        DataRef::Int(i) => bounded(*i),
        DataRef::Float(f) => float(*f),
        DataRef::String(s) => number(s),
        DataRef::SharedString(s) => number(s),
        DataRef::Error(e) => Value::Bad(
            UserErrorCode::NotANumber,
            format!("the cell shows an error ({e})"),
        ),
        DataRef::Bool(_) => Value::Bad(
            UserErrorCode::NotANumber,
            "a true/false is not a count".into(),
        ),
        _ => Value::Bad(UserErrorCode::NotANumber, "a date is not a count".into()),
    }
}

fn text_of(v: &DataRef<'_>) -> String {
    match v {
        DataRef::String(s) => s.trim().to_owned(),
        DataRef::SharedString(s) => s.trim().to_owned(),
        DataRef::Int(i) => i.to_string(),
        #[allow(clippy::cast_possible_truncation)]
        DataRef::Float(f) if f.fract() == 0.0 => (*f as i64).to_string(),
        DataRef::Float(f) => f.to_string(),
        _ => String::new(),
    }
}

/// Refuses archives whose parts would expand beyond what a template needs.
fn check_archive(bytes: &[u8]) -> Result<()> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| invalid_file(format!("not an XLSX workbook: {e}")))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| invalid_file(format!("not an XLSX workbook: {e}")))?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_EXPANDED_BYTES {
        return Err(invalid_file(format!(
            "the workbook expands to {} MiB; a report template needs far less",
            total / 1024 / 1024
        )));
    }
    Ok(())
}

fn read_xlsx(bytes: &[u8]) -> Result<Read> {
    check_archive(bytes)?;
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e| invalid_file(format!("not an XLSX workbook Hub138 can read: {e}")))?;
    let names = wb.sheet_names();
    if !names.iter().any(|n| n == META_SHEET) {
        return Err(not_a_template(format!(
            "the hidden sheet {META_SHEET:?} is missing: this is not a Hub138 report template, or the sheet was deleted; make a new template with reportTemplate"
        )));
    }
    if !names.iter().any(|n| n == DATA_SHEET) {
        return Err(not_a_template(format!(
            "the sheet {DATA_SHEET:?} is missing; make a new template with reportTemplate"
        )));
    }
    let meta = read_meta(&mut wb)?;
    let merged = wb
        .merge_cells_by_sheet_name(DATA_SHEET)
        .map_err(|e| invalid_file(format!("the sheet {DATA_SHEET:?} cannot be read: {e}")))?;
    if let Some(m) = merged.first() {
        return Err(invalid_file(format!(
            "the sheet {DATA_SHEET:?} has merged cells ({}:{}); unmerge them",
            cell_ref(m.start.0, u16::try_from(m.start.1).unwrap_or(u16::MAX)),
            cell_ref(m.end.0, u16::try_from(m.end.1).unwrap_or(u16::MAX)),
        )));
    }
    let by_row: HashMap<u32, usize> = meta
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.row - 1, i))
        .collect();
    let value_columns = u16::try_from(meta.columns.len()).unwrap_or(u16::MAX);
    let mut lines: Vec<Line> = meta
        .rows
        .iter()
        .map(|r| Line {
            row: r.row,
            committee: r.committee.clone(),
            code: r.code.clone(),
            period: meta.period.clone(),
            version: r.version,
            id_cell: cell_ref(r.row - 1, 0),
            values: Vec::new(),
            problems: Vec::new(),
        })
        .collect();
    let mut codes_seen: HashMap<usize, String> = HashMap::new();
    let mut cells = wb
        .worksheet_cells_reader(DATA_SHEET)
        .map_err(|e| invalid_file(format!("the sheet {DATA_SHEET:?} cannot be read: {e}")))?;
    // Streamed cell by cell: the sheet's size in memory is never the
    // product of its rows and columns, however far its used range reaches.
    while let Some(cell) = cells
        .next_cell_with_formula()
        .map_err(|e| invalid_file(format!("the sheet {DATA_SHEET:?} cannot be read: {e}")))?
    {
        let (r, c) = cell.pos;
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        if r < HEADER_ROWS {
            continue;
        }
        let empty = matches!(cell.value, DataRef::Empty) && cell.formula.is_none();
        let Some(&i) = by_row.get(&r) else {
            if empty {
                continue;
            }
            return Err(invalid_file(format!(
                "{} is outside the template's rows; the file can only change the rows it was made with",
                cell_ref(r, c)
            )));
        };
        if c < ID_COLUMNS {
            if c == 0 {
                codes_seen.insert(i, text_of(&cell.value));
            }
            continue;
        }
        if c >= ID_COLUMNS + value_columns {
            if empty {
                continue;
            }
            return Err(invalid_file(format!(
                "{} is outside the template's columns; remove it",
                cell_ref(r, c)
            )));
        }
        let value = match &cell.formula {
            Some(f) if !f.trim().is_empty() => Value::Bad(
                UserErrorCode::Formula,
                format!(
                    "the cell holds a formula (={}); enter the number itself",
                    f.trim_start_matches('=')
                ),
            ),
            _ => cell_value(&cell.value),
        };
        if value != Value::Empty {
            lines[i].values.push((c - ID_COLUMNS, value));
        }
    }
    for (i, line) in lines.iter_mut().enumerate() {
        if codes_seen.get(&i).map(String::as_str) != Some(line.code.as_str()) {
            line.problems.push(Problem {
                sheet: DATA_SHEET.into(),
                cell: line.id_cell.clone(),
                code: UserErrorCode::InvalidCode,
                message: format!(
                    "the template has committee {} in this row; rows cannot be moved or retyped",
                    line.code
                ),
            });
        }
    }
    let columns = meta
        .columns
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let col = ID_COLUMNS + u16::try_from(i).unwrap_or(0);
            (code.clone(), cell_ref(2, col))
        })
        .collect();
    Ok(Read {
        source: Source::Xlsx,
        sheet: DATA_SHEET.into(),
        columns,
        lines: Lines::Read(lines.into_iter()),
    })
}

/// The hidden sheet, checked against its checksum.
fn read_meta<RS: std::io::Read + std::io::Seek>(wb: &mut Xlsx<RS>) -> Result<Meta> {
    let edited = || {
        not_a_template(format!(
            "the hidden sheet {META_SHEET:?} was edited; make a new template with reportTemplate"
        ))
    };
    let mut grid: HashMap<(u32, u32), String> = HashMap::new();
    let mut cells = wb
        .worksheet_cells_reader(META_SHEET)
        .map_err(|_| edited())?;
    while let Some(cell) = cells.next_cell().map_err(|_| edited())? {
        let (r, c) = cell.get_position();
        if r as usize > MAX_ROWS + 5 || c as usize > MAX_COLUMNS + 1 {
            return Err(edited());
        }
        let text = text_of(cell.get_value());
        if !text.is_empty() {
            grid.insert((r, c), text);
        }
    }
    let at = |r: u32, c: u32| grid.get(&(r, c)).cloned().unwrap_or_default();
    if at(0, 0) != MARKER || at(1, 0) != "period" || at(2, 0) != "committee" {
        return Err(edited());
    }
    if at(0, 1) != LAYOUT {
        return Err(not_a_template(
            "the template was made by another version of Hub138; make a new one",
        ));
    }
    let columns: Vec<String> = (1..)
        .map(|c| at(3, c))
        .take_while(|s| !s.is_empty())
        .take(MAX_COLUMNS + 1)
        .collect();
    if columns.len() > MAX_COLUMNS {
        return Err(edited());
    }
    let mut rows = Vec::new();
    for r in 5.. {
        let row = at(r, 0);
        if row.is_empty() {
            break;
        }
        rows.push(MetaRow {
            row: row.parse().map_err(|_| edited())?,
            committee: at(r, 1),
            code: at(r, 2),
            version: at(r, 3).parse().map_err(|_| edited())?,
        });
    }
    let meta = Meta {
        period: at(1, 1),
        committee: at(2, 1),
        columns,
        rows,
    };
    if meta.checksum() != at(4, 1) || meta.rows.iter().any(|r| r.row <= HEADER_ROWS) {
        return Err(edited());
    }
    Ok(meta)
}

/// A CSV's header, checked; its rows are read as the import goes.
fn read_csv(bytes: Bytes) -> Result<Read> {
    let mut records = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(Cursor::new(bytes))
        .into_records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(invalid_file(format!("the CSV cannot be read: {e}"))),
        None => return Err(invalid_file("the file is empty")),
    };
    let head: Vec<&str> = header.iter().map(str::trim).collect();
    if head.len() < CSV_COLUMNS.len() || head[..CSV_COLUMNS.len()] != CSV_COLUMNS {
        return Err(not_a_template(format!(
            "not a Hub138 report CSV: its first line must begin {}",
            CSV_COLUMNS.join(",")
        )));
    }
    let codes = &head[CSV_COLUMNS.len()..];
    if codes.len() > MAX_COLUMNS {
        return Err(invalid_file(format!(
            "more than {MAX_COLUMNS} indicator columns"
        )));
    }
    let first = u16::try_from(CSV_COLUMNS.len()).unwrap_or(0);
    let columns = codes
        .iter()
        .enumerate()
        .map(|(i, code)| {
            (
                (*code).to_owned(),
                cell_ref(0, first + u16::try_from(i).unwrap_or(0)),
            )
        })
        .collect();
    Ok(Read {
        source: Source::Csv,
        sheet: "CSV".into(),
        columns,
        lines: Lines::Csv(CsvLines {
            records,
            index: 0,
            rows: 0,
            codes: codes.len(),
        }),
    })
}

/// A CSV row; `r` is its record's index (the header is 0).
fn csv_line(record: &csv::StringRecord, r: u32, codes: usize) -> Line {
    let first = u16::try_from(CSV_COLUMNS.len()).unwrap_or(0);
    let field = |k: usize| record.get(k).unwrap_or_default().trim().to_owned();
    let mut problems = Vec::new();
    let version = match field(2).parse::<i32>() {
        Ok(v) if v >= 0 => v,
        _ => {
            problems.push(Problem {
                sheet: "CSV".into(),
                cell: cell_ref(r, 2),
                code: UserErrorCode::NotANumber,
                message: "the version is the whole number the template gave".into(),
            });
            0
        }
    };
    if record.len() > CSV_COLUMNS.len() + codes {
        problems.push(Problem {
            sheet: "CSV".into(),
            cell: cell_ref(r, first + u16::try_from(codes).unwrap_or(0)),
            code: UserErrorCode::InvalidFile,
            message: "the row has more fields than the header has columns".into(),
        });
    }
    let values = (0..codes)
        .filter_map(|k| {
            let v = number(record.get(CSV_COLUMNS.len() + k).unwrap_or_default());
            let k = u16::try_from(k).ok()?;
            (v != Value::Empty).then_some((k, v))
        })
        .collect();
    Line {
        row: r + 1,
        committee: field(0),
        code: field(3),
        period: field(1),
        version,
        id_cell: cell_ref(r, 0),
        values,
        problems,
    }
}

/// How many rows are checked (and, unless it is a dry run, written) at a
/// time: what an import holds in memory is a chunk's rows, their stored
/// reports and the summary rows the caller keeps — not the whole file.
const CHUNK: usize = 500;

/// Checks every row with `saveReport`'s rules and, unless asked not to,
/// writes the accepted ones (see the module's documentation), a chunk of
/// rows at a time, handing each row's summary to `sink` in file order.
///
/// Rows are written as they are checked; when a row is refused without
/// `partial`, writing stops and the change is discarded at the end (the
/// transaction rolls back), so nothing is written — the rows' `saved`
/// reports are then no longer true and `Summary` drops them.
pub async fn run(
    w: &Write<'_>,
    mut file: Read,
    options: Options,
    sink: &mut (dyn FnMut(RowSummary) + Send),
) -> Result<Totals> {
    let db = w.tx();
    let sheet = file.sheet.clone();
    // The columns' indicators: unknown and computed ones are refused at
    // every cell that gives them a value.
    let codes: Vec<String> = file.columns.iter().map(|(c, _)| c.clone()).collect();
    let known = crate::service::indicator::by_codes(db, &codes).await?;
    let column_problem: Vec<Option<(UserErrorCode, String)>> = codes
        .iter()
        .map(|code| match known.get(code) {
            None => Some((
                UserErrorCode::UnknownIndicator,
                format!("no indicator with code {code:?}"),
            )),
            Some(i) if i.aggregation != "SUM" => Some((
                UserErrorCode::ComputedIndicator,
                format!(
                    "{code} is a rate computed from its numerator and denominator; enter those"
                ),
            )),
            Some(_) => None,
        })
        .collect();
    let check = Check {
        w,
        sheet: &sheet,
        source: file.source,
        codes: &codes,
        column_problem: &column_problem,
    };
    let mut totals = Totals {
        source: file.source,
        dry_run: options.dry_run,
        written: false,
        counts: [0; 4],
    };
    let mut seen: HashSet<(i64, String)> = HashSet::new();
    let mut touched: Vec<Touched> = Vec::new();
    let mut writing = !options.dry_run;
    loop {
        let lines = file.lines.next_chunk(CHUNK)?;
        if lines.is_empty() {
            break;
        }
        let (mut rows, writes) = check.chunk(lines, &mut seen).await?;
        if !options.partial && rows.iter().any(|r| r.outcome == Outcome::Refused) {
            writing = false;
        }
        if writing {
            for p in writes {
                let input = SaveReport {
                    committee_id: p.committee_id,
                    period: p.period,
                    narrative: None,
                    values: p
                        .values
                        .iter()
                        .map(|(k, n)| (codes[*k].clone(), *n))
                        .collect(),
                    expected_version: p.expected_version,
                    on_behalf: p.on_behalf,
                };
                let saved = reports::save_in(w, input).await?;
                let saved = if options.submit {
                    reports::submit(w, saved.id, Some(saved.version)).await?
                } else {
                    saved
                };
                let row = &mut rows[p.summary_row];
                touched.push(Touched {
                    report: saved.id,
                    created: row.outcome == Outcome::Created,
                    values: row.changed_values,
                    on_behalf: p.on_behalf,
                });
                row.saved = Some(saved);
            }
        }
        for row in rows {
            totals.counts[row.outcome as usize] += 1;
            sink(row);
        }
    }
    let refused = totals.count(Outcome::Refused);
    totals.written = writing && !touched.is_empty();
    if !totals.written {
        // Rows written before a later row was refused go with the rest.
        w.discard();
        return Ok(totals);
    }
    // The reports it touched, as lists of ids (compact: a large import
    // writes one audit row, not one object per report).
    let ids = |f: &dyn Fn(&Touched) -> bool| -> Vec<i64> {
        touched.iter().filter(|t| f(t)).map(|t| t.report).collect()
    };
    let created = ids(&|t| t.created);
    let updated = ids(&|t| !t.created);
    let on_behalf = ids(&|t| t.on_behalf);
    let values: usize = touched.iter().map(|t| t.values).sum();
    drop(touched);
    let own = w.caller().map(|v| v.committee_id);
    w.audit(
        own,
        None,
        None,
        Some(serde_json::json!({
            "format": file.source.as_str(), "partial": options.partial,
            "submit": options.submit, "created": created, "updated": updated,
            "onBehalf": on_behalf, "values": values, "refused": refused,
        })),
    )
    .await?;
    Ok(totals)
}

/// `run`, keeping every row's summary: the answer `importReports` gives.
pub async fn run_collect(w: &Write<'_>, file: Read, options: Options) -> Result<Summary> {
    let mut rows = Vec::new();
    let totals = run(w, file, options, &mut |r| rows.push(r)).await?;
    if !totals.written {
        for r in &mut rows {
            r.saved = None;
        }
    }
    Ok(Summary { totals, rows })
}

/// A written report, as the audit event lists it.
struct Touched {
    report: i64,
    created: bool,
    values: usize,
    on_behalf: bool,
}

/// What every chunk's checks share.
struct Check<'c, 'w> {
    w: &'c Write<'w>,
    sheet: &'c str,
    source: Source,
    codes: &'c [String],
    column_problem: &'c [Option<(UserErrorCode, String)>],
}

impl Check<'_, '_> {
    fn problem(&self, cell: &str, code: UserErrorCode, message: String) -> Problem {
        Problem {
            sheet: self.sheet.to_owned(),
            cell: cell.to_owned(),
            code,
            message,
        }
    }

    /// Checks a chunk of rows: their summaries, and the writes of the
    /// accepted ones that change something.
    async fn chunk(
        &self,
        lines: Vec<Line>,
        seen: &mut HashSet<(i64, String)>,
    ) -> Result<(Vec<RowSummary>, Vec<Pending>)> {
        let w = self.w;
        let db = w.tx();
        let sheet = self.sheet;
        // The committees the caller may read, by the ids the file gives.
        let keys: Vec<Option<i64>> = lines
            .iter()
            .map(|l| match decode(&l.committee) {
                Some((Kind::Committee, k)) => Some(k),
                _ => None,
            })
            .collect();
        let wanted: Vec<i64> = keys
            .iter()
            .flatten()
            .copied()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let committees: HashMap<i64, Arc<entities::committee::Model>> = w
            .committees(&wanted)
            .await?
            .into_iter()
            .map(|c| (c.id, Arc::new(c)))
            .collect();
        let periods: HashSet<String> = lines.iter().map(|l| l.period.clone()).collect();
        let stored: HashMap<(i64, String), report::Model> = report::Entity::find()
            .filter(report::Column::CommitteeId.is_in(committees.keys().copied()))
            .filter(report::Column::Period.is_in(periods))
            .all(db)
            .await?
            .into_iter()
            .map(|r| ((r.committee_id, r.period.clone()), r))
            .collect();
        let ids: Vec<i64> = stored.values().map(|r| r.id).collect();
        let stored_values: HashMap<i64, HashMap<String, f64>> = reports::values(db, &ids)
            .await?
            .into_iter()
            .map(|(id, vs)| {
                (
                    id,
                    vs.into_iter()
                        .map(|v| (v.indicator_code, v.value))
                        .collect(),
                )
            })
            .collect();

        let mut rows = Vec::with_capacity(lines.len());
        let mut writes: Vec<Pending> = Vec::new();
        for (line, key) in lines.into_iter().zip(keys) {
            let mut problems = line.problems;
            let visible = key.and_then(|k| committees.get(&k));
            let period = line.period.parse::<Period>();
            // (value column, number) of each value that differs from the stored one.
            let mut changed: Vec<(usize, i64)> = Vec::new();
            let report = visible.and_then(|c| stored.get(&(c.id, line.period.clone())));
            let before = report.and_then(|r| stored_values.get(&r.id));
            for (k, value) in &line.values {
                let k = usize::from(*k);
                let cell = match self.source {
                    Source::Xlsx => {
                        cell_ref(line.row - 1, ID_COLUMNS + u16::try_from(k).unwrap_or(0))
                    }
                    Source::Csv => cell_ref(
                        line.row - 1,
                        u16::try_from(CSV_COLUMNS.len() + k).unwrap_or(u16::MAX),
                    ),
                };
                match (value, self.column_problem.get(k)) {
                    (Value::Bad(code, message), _) => {
                        problems.push(self.problem(&cell, *code, message.clone()));
                    }
                    (Value::Number(_), Some(Some((code, message)))) => {
                        problems.push(self.problem(&cell, *code, message.clone()));
                    }
                    (Value::Number(n), _) => {
                        let code = &self.codes[k];
                        #[allow(clippy::cast_precision_loss)]
                        let same = before.and_then(|b| b.get(code)) == Some(&(*n as f64));
                        if !same {
                            changed.push((k, *n));
                        }
                    }
                    (Value::Empty, _) => {}
                }
            }
            let Some(committee) = visible else {
                problems.push(self.problem(
                    &line.id_cell,
                    UserErrorCode::NotFound,
                    "no committee with this id".into(),
                ));
                rows.push(refused(
                    sheet,
                    &line.code,
                    &line.period,
                    line.row,
                    None,
                    problems,
                ));
                continue;
            };
            let Ok(period) = period else {
                problems.push(self.problem(
                    &line.id_cell,
                    UserErrorCode::InvalidDate,
                    format!(
                        "{:?} is not a period (2024, 2024-H1, 2024-Q3, 2024-07)",
                        line.period
                    ),
                ));
                rows.push(refused(
                    sheet,
                    &line.code,
                    &line.period,
                    line.row,
                    Some(Arc::clone(committee)),
                    problems,
                ));
                continue;
            };
            if !seen.insert((committee.id, line.period.clone())) {
                problems.push(self.problem(
                    &line.id_cell,
                    UserErrorCode::Duplicate,
                    format!(
                        "{} {} is given in an earlier row",
                        committee.code, line.period
                    ),
                ));
            }
            let mut on_behalf = false;
            if !changed.is_empty() && problems.is_empty() {
                match w.may_write(committee, Role::Editor).await {
                    Ok(()) => {}
                    // The committee directly above may enter it on its behalf.
                    Err(Error::Forbidden) if w.may_enter_on_behalf(committee).is_ok() => {
                        on_behalf = true;
                    }
                    Err(Error::Forbidden) => problems.push(self.problem(
                        &line.id_cell,
                        UserErrorCode::Forbidden,
                        format!(
                            "an editor of {} enters its report, or a coordinator of the committee directly above on its behalf",
                            committee.name
                        ),
                    )),
                    Err(Error::Invalid(errors)) => {
                        for e in errors {
                            problems.push(self.problem(&line.id_cell, e.code, e.message));
                        }
                    }
                    Err(other) => return Err(other),
                }
            }
            if !changed.is_empty() && problems.is_empty() {
                let status = report.map(|r| r.status);
                let status_cell = match self.source {
                    Source::Xlsx => cell_ref(line.row - 1, 2),
                    Source::Csv => line.id_cell.clone(),
                };
                if !editable(status) {
                    let (code, message) = if status == Some(ReportStatus::Approved) {
                        (
                            UserErrorCode::Locked,
                            "the report is approved and locked".to_owned(),
                        )
                    } else {
                        (
                            UserErrorCode::Submitted,
                            "the report is submitted and awaits review; it can change once returned"
                                .to_owned(),
                        )
                    };
                    problems.push(self.problem(&status_cell, code, message));
                } else if report.map_or(0, |r| r.version) != line.version {
                    let version_cell = match self.source {
                        Source::Xlsx => line.id_cell.clone(),
                        Source::Csv => cell_ref(line.row - 1, 2),
                    };
                    problems.push(self.problem(
                        &version_cell,
                        UserErrorCode::Conflict,
                        format!(
                            "the report changed since the template was made (version {}, the template has {}); make a new template",
                            report.map_or(0, |r| r.version),
                            line.version
                        ),
                    ));
                }
            }
            if !problems.is_empty() {
                rows.push(refused(
                    sheet,
                    &line.code,
                    &line.period,
                    line.row,
                    Some(Arc::clone(committee)),
                    problems,
                ));
                continue;
            }
            let outcome = match (report, changed.is_empty()) {
                (_, true) => Outcome::Unchanged,
                (None, false) => Outcome::Created,
                (Some(_), false) => Outcome::Updated,
            };
            let changed_values = changed.len();
            if outcome != Outcome::Unchanged {
                writes.push(Pending {
                    summary_row: rows.len(),
                    committee_id: committee.id,
                    period,
                    values: changed,
                    expected_version: report.map(|r| r.version),
                    on_behalf,
                });
            }
            rows.push(RowSummary {
                sheet: sheet.to_owned(),
                row: line.row,
                committee: Some(Arc::clone(committee)),
                code: committee.code.clone(),
                period: line.period,
                outcome,
                stored: report.cloned(),
                saved: None,
                changed_values,
                on_behalf,
                problems: Vec::new(),
            });
        }
        Ok((rows, writes))
    }
}

/// An accepted row, written once its chunk has been checked.
struct Pending {
    summary_row: usize,
    committee_id: i64,
    period: Period,
    values: Vec<(usize, i64)>,
    expected_version: Option<i32>,
    on_behalf: bool,
}

fn refused(
    sheet: &str,
    code: &str,
    period: &str,
    row: u32,
    committee: Option<Arc<entities::committee::Model>>,
    problems: Vec<Problem>,
) -> RowSummary {
    RowSummary {
        sheet: sheet.to_owned(),
        row,
        committee,
        code: code.to_owned(),
        period: period.to_owned(),
        outcome: Outcome::Refused,
        stored: None,
        saved: None,
        changed_values: 0,
        on_behalf: false,
        problems,
    }
}
