//! Exports for the national committee: a definition (data, in
//! `data/reference/exports.json`) picks sections, columns and Vietnamese
//! headings; the numbers come from the same SQL rollups the API serves; the
//! document is rendered as XLSX, CSV or JSON (see [`crate::service::render`])
//! and kept for [`TTL_HOURS`] hours behind `GET /exports/{id}`.
//!
//! Small-cell suppression (`suppress_below: N`, for the indicator and
//! cooperation sections, which count people and cases): a count from 1 to
//! N−1 is shown as "<N"; a rate is hidden when its numerator or denominator
//! is; and a total is hidden when any cell it adds up is hidden (or is
//! itself from 1 to N−1), so no hidden cell can be recovered by subtraction.
//! Zeros are shown. Task and reporting sections count tasks and reports,
//! not people, and are never suppressed.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use entities::{committee, export, indicator};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde::Deserialize;

use crate::auth::Scope;
use crate::error::UserErrorCode;
use crate::error::{Error, Result};
use crate::service::enums::{ReportInclusion, Units};
use crate::service::period::{Period, PeriodKind};
use crate::service::rollup::{self, GroupKey, Grouping, PlanSelection, Selection, Sum};
use crate::service::write::Write;

/// How long a generated file can be downloaded.
pub const TTL_HOURS: i64 = 24;

const DEFINITIONS: &str = include_str!("../../../data/reference/exports.json");

/// Where a section's rows come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Source {
    /// Indicator values of each child of the scope, the scope's own, and the total.
    IndicatorsByChild,
    /// Task progress of the plans active in the period, by child.
    TasksByChild,
    /// Cooperation records by counterpart country and kind.
    CooperationByCountry,
    /// Reporting completeness and timeliness of the period's reports, by child.
    ReportingByChild,
}

impl Source {
    fn suppressible(self) -> bool {
        matches!(
            self,
            Source::IndicatorsByChild | Source::CooperationByCountry
        )
    }
}

#[derive(Clone, Debug, Deserialize)]
struct RawColumn {
    field: Option<String>,
    indicator: Option<String>,
    heading: String,
}

#[derive(Clone, Debug, Deserialize)]
struct RawSection {
    title: Option<String>,
    source: Option<Source>,
    #[serde(default)]
    columns: Vec<RawColumn>,
    #[serde(rename = "use")]
    uses: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
struct RawDefinition {
    code: String,
    title: String,
    sections: Vec<RawSection>,
}

#[derive(Deserialize)]
struct RawFile {
    definitions: Vec<RawDefinition>,
}

/// A column: a field of the source, or an indicator code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Column {
    Field { name: String, heading: String },
    Indicator { code: String, heading: String },
}

impl Column {
    pub fn heading(&self) -> &str {
        match self {
            Column::Field { heading, .. } | Column::Indicator { heading, .. } => heading,
        }
    }

    pub fn key(&self) -> &str {
        match self {
            Column::Field { name, .. } => name,
            Column::Indicator { code, .. } => code,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Section {
    pub title: String,
    pub source: Source,
    pub columns: Vec<Column>,
}

#[derive(Clone, Debug)]
pub struct Definition {
    pub code: String,
    pub title: String,
    pub sections: Vec<Section>,
}

const FIELDS: &[(Source, &[&str])] = &[
    (Source::IndicatorsByChild, &["unit_code", "unit_name"]),
    (
        Source::TasksByChild,
        &[
            "unit_code",
            "unit_name",
            "tasks_total",
            "tasks_done",
            "tasks_in_progress",
            "tasks_not_started",
            "tasks_blocked",
            "tasks_cancelled",
            "tasks_overdue",
            "completion",
        ],
    ),
    (
        Source::CooperationByCountry,
        &[
            "country",
            "kind",
            "records",
            "victims_repatriated",
            "suspects_handed_over",
        ],
    ),
    (
        Source::ReportingByChild,
        &[
            "unit_code",
            "unit_name",
            "expected",
            "submitted",
            "on_time",
            "late",
            "approved",
            "returned",
            "pending",
            "missing",
        ],
    ),
];

/// The export definitions, with `use` sections resolved and every column
/// checked against its source (a wrong definition file fails at startup
/// and in the tests); read once per process.
pub fn definitions() -> anyhow::Result<Vec<Definition>> {
    static PARSED: std::sync::LazyLock<Result<Vec<Definition>, String>> =
        std::sync::LazyLock::new(|| parse_definitions().map_err(|e| format!("{e:#}")));
    PARSED.clone().map_err(anyhow::Error::msg)
}

fn parse_definitions() -> anyhow::Result<Vec<Definition>> {
    let raw: RawFile = serde_json::from_str(DEFINITIONS)?;
    let by_code: HashMap<&str, &RawDefinition> = raw
        .definitions
        .iter()
        .map(|d| (d.code.as_str(), d))
        .collect();
    let mut out = Vec::new();
    for d in &raw.definitions {
        let mut sections = Vec::new();
        for s in &d.sections {
            let resolved: Vec<&RawSection> = match &s.uses {
                Some(other) => by_code
                    .get(other.as_str())
                    .ok_or_else(|| anyhow::anyhow!("{}: no definition {other}", d.code))?
                    .sections
                    .iter()
                    .collect(),
                None => vec![s],
            };
            for r in resolved {
                let source = r
                    .source
                    .ok_or_else(|| anyhow::anyhow!("{}: a section without a source", d.code))?;
                let allowed = FIELDS
                    .iter()
                    .find(|(s, _)| *s == source)
                    .map(|(_, f)| *f)
                    .unwrap_or_default();
                let mut columns = Vec::new();
                for c in &r.columns {
                    columns.push(match (&c.field, &c.indicator) {
                        (Some(f), None) if allowed.contains(&f.as_str()) => Column::Field {
                            name: f.clone(),
                            heading: c.heading.clone(),
                        },
                        (None, Some(i)) if source == Source::IndicatorsByChild => {
                            Column::Indicator {
                                code: i.clone(),
                                heading: c.heading.clone(),
                            }
                        }
                        _ => anyhow::bail!(
                            "{}: column {:?} does not fit {source:?}",
                            d.code,
                            c.heading
                        ),
                    });
                }
                sections.push(Section {
                    title: r.title.clone().unwrap_or_else(|| d.title.clone()),
                    source,
                    columns,
                });
            }
        }
        out.push(Definition {
            code: d.code.clone(),
            title: d.title.clone(),
            sections,
        });
    }
    Ok(out)
}

pub fn definition(code: &str) -> Result<Definition> {
    definitions()
        .map_err(|e| Error::Internal(std::sync::Arc::new(e)))?
        .into_iter()
        .find(|d| d.code == code)
        .ok_or_else(|| {
            Error::invalid(
                &["input", "definition"],
                UserErrorCode::UnknownDefinition,
                format!("no export definition {code:?}"),
            )
        })
}

/// One cell of an export table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Count(f64),
    /// A percent and the counts it is made of.
    Rate {
        value: Option<f64>,
        numerator: f64,
        denominator: f64,
    },
    /// Hidden by small-cell suppression: shows as "<N".
    Hidden(i32),
    Empty,
}

/// A rendered section: headings, rows, and a total row.
#[derive(Clone, Debug)]
pub struct Table {
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    pub total: Option<Vec<Cell>>,
}

/// Everything an export file says.
#[derive(Clone, Debug)]
pub struct Document {
    pub definition: Definition,
    pub scope: committee::Model,
    pub period: Period,
    pub include: ReportInclusion,
    pub units: Units,
    pub generated_at: DateTime<Utc>,
    pub generated_by: String,
    pub suppress_below: Option<i32>,
    pub tables: Vec<Table>,
}

/// What to export.
#[derive(Clone, Debug)]
pub struct Request {
    pub definition: Definition,
    pub scope_committee: committee::Model,
    pub period: Period,
    pub include: ReportInclusion,
    pub units: Units,
    pub suppress_below: Option<i32>,
    pub generated_by: String,
}

fn count(v: f64) -> Cell {
    Cell::Count(v)
}

#[allow(clippy::cast_precision_loss)]
fn count_i(v: i64) -> Cell {
    Cell::Count(v as f64)
}

/// The three groupings a by-unit section reads: per child, the committee's
/// own reports, and the whole subtree.
struct ByUnit<V> {
    child: HashMap<GroupKey, V>,
    own: HashMap<GroupKey, V>,
    subtree: HashMap<GroupKey, V>,
}

impl<V> ByUnit<V> {
    /// One row per child, the committee's own row, and the total row;
    /// `values` fills every column but the unit's code and name.
    fn table(
        &self,
        columns: &[Column],
        c: &committee::Model,
        kids: &[committee::Model],
        own_label: &str,
        values: impl Fn(Option<&V>, &Column) -> Cell,
    ) -> (Vec<Vec<Cell>>, Vec<Cell>) {
        let line = |code: &str, name: &str, v: Option<&V>| -> Vec<Cell> {
            columns
                .iter()
                .map(|col| match col.key() {
                    "unit_code" => Cell::Text(code.to_owned()),
                    "unit_name" => Cell::Text(name.to_owned()),
                    _ => values(v, col),
                })
                .collect()
        };
        let key = |child: Option<i64>| GroupKey {
            committee: c.id,
            child,
            level: None,
        };
        let mut rows: Vec<Vec<Cell>> = kids
            .iter()
            .map(|k| line(&k.code, &k.name, self.child.get(&key(Some(k.id)))))
            .collect();
        rows.push(line(&c.code, own_label, self.own.get(&key(None))));
        let total = line("", "Tổng cộng", self.subtree.get(&key(None)));
        (rows, total)
    }
}

/// Reads every section's numbers (one SQL statement per grouping).
pub async fn build(db: &impl ConnectionTrait, scope: &Scope, req: Request) -> Result<Document> {
    let c = &req.scope_committee;
    let (from, to) = (req.period.start(), req.period.end());
    let kids = rollup::children(db, scope, &[c.id], from, to, req.units)
        .await?
        .remove(&c.id)
        .unwrap_or_default();
    let own_label = format!("{} (số liệu của cấp này)", c.name);
    let mut tables = Vec::new();
    for section in &req.definition.sections {
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let total: Option<Vec<Cell>>;
        match section.source {
            Source::IndicatorsByChild => {
                let codes: Vec<String> = section
                    .columns
                    .iter()
                    .filter_map(|c| match c {
                        Column::Indicator { code, .. } => Some(code.clone()),
                        Column::Field { .. } => None,
                    })
                    .collect();
                let known = crate::service::indicator::by_codes(db, &codes).await?;
                let mut needed: Vec<String> = Vec::new();
                for code in &codes {
                    let i = known.get(code).ok_or_else(|| {
                        Error::Internal(std::sync::Arc::new(anyhow::anyhow!(
                            "export column names unknown indicator {code}"
                        )))
                    })?;
                    for n in parts_of(i) {
                        if !needed.contains(&n) {
                            needed.push(n);
                        }
                    }
                }
                let sel = Selection::new(req.period, basis(req.period), req.include, req.units);
                let get = |g: Grouping| {
                    let needed = needed.clone();
                    let sel = sel.clone();
                    async move { rollup::sums(db, scope, &sel, &needed, g, &[c.id]).await }
                };
                let grouped = ByUnit {
                    child: get(Grouping::Child).await?,
                    own: get(Grouping::Own).await?,
                    subtree: get(Grouping::Subtree).await?,
                };
                let values = |sums: Option<&HashMap<String, Sum>>, col: &Column| -> Cell {
                    let Column::Indicator { code, .. } = col else {
                        return Cell::Empty;
                    };
                    let Some(i) = known.get(code) else {
                        return Cell::Empty;
                    };
                    let v = |k: &str| sums.and_then(|s| s.get(k)).map_or(0.0, |s| s.value);
                    match (&i.numerator_code, &i.denominator_code) {
                        (Some(n), Some(d)) => {
                            let (n, d) = (v(n), v(d));
                            Cell::Rate {
                                value: (d > 0.0).then(|| 100.0 * n / d),
                                numerator: n,
                                denominator: d,
                            }
                        }
                        _ => count(v(code)),
                    }
                };
                let (unit_rows, unit_total) =
                    grouped.table(&section.columns, c, &kids, &own_label, values);
                rows = unit_rows;
                total = Some(unit_total);
            }
            Source::TasksByChild => {
                let today = crate::service::today();
                let as_of = to.min(today);
                let plans = PlanSelection::Active { from, to };
                let get = |g: Grouping| {
                    let plans = plans.clone();
                    async move { rollup::task_counts(db, scope, &plans, g, &[c.id], as_of, today).await }
                };
                let grouped = ByUnit {
                    child: get(Grouping::Child).await?,
                    own: get(Grouping::Own).await?,
                    subtree: get(Grouping::Subtree).await?,
                };
                let values = |t: Option<&rollup::TaskCounts>, col: &Column| -> Cell {
                    let t = t.cloned().unwrap_or_default();
                    let by = |s: &str| t.by_status.get(s).copied().unwrap_or(0);
                    match col.key() {
                        "tasks_total" => count_i(t.total),
                        "tasks_done" => count_i(by("DONE")),
                        "tasks_in_progress" => count_i(by("IN_PROGRESS")),
                        "tasks_not_started" => count_i(by("NOT_STARTED")),
                        "tasks_blocked" => count_i(by("BLOCKED")),
                        "tasks_cancelled" => count_i(by("CANCELLED")),
                        "tasks_overdue" => count_i(t.overdue),
                        "completion" => {
                            #[allow(clippy::cast_precision_loss)]
                            let (n, d) = (t.percent_sum as f64, t.counted as f64);
                            Cell::Rate {
                                value: t.completion(),
                                numerator: n,
                                denominator: d,
                            }
                        }
                        _ => Cell::Empty,
                    }
                };
                let (unit_rows, unit_total) =
                    grouped.table(&section.columns, c, &kids, &own_label, values);
                rows = unit_rows;
                total = Some(unit_total);
            }
            Source::ReportingByChild => {
                let today = crate::service::today();
                let periods: Vec<String> = [
                    PeriodKind::Year,
                    PeriodKind::Half,
                    PeriodKind::Quarter,
                    PeriodKind::Month,
                ]
                .iter()
                .flat_map(|k| req.period.parts(*k))
                .map(|p| p.to_string())
                .collect();
                let get = |g: Grouping| {
                    let periods = periods.clone();
                    async move {
                        rollup::status_counts(db, scope, &periods, req.units, g, &[c.id], today)
                            .await
                    }
                };
                let grouped = ByUnit {
                    child: get(Grouping::Child).await?,
                    own: get(Grouping::Own).await?,
                    subtree: get(Grouping::Subtree).await?,
                };
                let values = |s: Option<&rollup::StatusCounts>, col: &Column| -> Cell {
                    let s = s.copied().unwrap_or_default();
                    match col.key() {
                        "expected" => count_i(s.expected),
                        "submitted" => count_i(s.submitted),
                        "on_time" => count_i(s.on_time),
                        "late" => count_i(s.late),
                        "approved" => count_i(s.approved),
                        "returned" => count_i(s.returned),
                        "pending" => count_i(s.pending),
                        "missing" => count_i(s.missing),
                        _ => Cell::Empty,
                    }
                };
                let (unit_rows, unit_total) =
                    grouped.table(&section.columns, c, &kids, &own_label, values);
                rows = unit_rows;
                total = Some(unit_total);
            }
            Source::CooperationByCountry => {
                let found = rollup::cooperation_by_country(db, scope, c.id, from, to).await?;
                let mut sums = [0i64; 3];
                for (country, kind, n, victims, suspects) in &found {
                    sums[0] += n;
                    sums[1] += victims;
                    sums[2] += suspects;
                    rows.push(
                        section
                            .columns
                            .iter()
                            .map(|col| match col.key() {
                                "country" => Cell::Text(country_name(country)),
                                "kind" => Cell::Text(kind.clone()),
                                "records" => count_i(*n),
                                "victims_repatriated" => count_i(*victims),
                                "suspects_handed_over" => count_i(*suspects),
                                _ => Cell::Empty,
                            })
                            .collect(),
                    );
                }
                total = Some(
                    section
                        .columns
                        .iter()
                        .map(|col| match col.key() {
                            "country" => Cell::Text("Tổng cộng".into()),
                            "records" => count_i(sums[0]),
                            "victims_repatriated" => count_i(sums[1]),
                            "suspects_handed_over" => count_i(sums[2]),
                            _ => Cell::Empty,
                        })
                        .collect(),
                );
            }
        }
        let mut table = Table {
            title: section.title.clone(),
            columns: section.columns.clone(),
            rows,
            total,
        };
        if let Some(n) = req.suppress_below
            && section.source.suppressible()
        {
            suppress(&mut table, n);
        }
        tables.push(table);
    }
    Ok(Document {
        definition: req.definition,
        scope: req.scope_committee,
        period: req.period,
        include: req.include,
        units: req.units,
        generated_at: Utc::now(),
        generated_by: req.generated_by,
        suppress_below: req.suppress_below,
        tables,
    })
}

/// The count indicators a column's value is made of.
fn parts_of(i: &indicator::Model) -> Vec<String> {
    match (&i.numerator_code, &i.denominator_code) {
        (Some(n), Some(d)) => vec![n.clone(), d.clone()],
        _ => vec![i.code.clone()],
    }
}

fn basis(p: Period) -> PeriodKind {
    rollup::default_basis(p)
}

fn country_name(code: &str) -> String {
    isocountry::CountryCode::for_alpha2(code)
        .map_or_else(|_| code.to_owned(), |c| format!("{code} – {}", c.name()))
}

fn small(v: f64, n: i32) -> bool {
    v >= 1.0 && v < f64::from(n)
}

/// Applies the suppression rule of the module docs to one table.
pub fn suppress(table: &mut Table, n: i32) {
    let width = table.columns.len();
    let mut hidden_in_column = vec![false; width];
    for row in &mut table.rows {
        for (i, cell) in row.iter_mut().enumerate() {
            let hide = match cell {
                Cell::Count(v) => small(*v, n),
                Cell::Rate {
                    numerator,
                    denominator,
                    ..
                } => small(*numerator, n) || small(*denominator, n),
                _ => false,
            };
            if hide {
                *cell = Cell::Hidden(n);
                if let Some(h) = hidden_in_column.get_mut(i) {
                    *h = true;
                }
            }
        }
    }
    if let Some(total) = &mut table.total {
        for (i, cell) in total.iter_mut().enumerate() {
            let any = hidden_in_column.get(i).copied().unwrap_or(false);
            let hide = match cell {
                Cell::Count(v) => any || small(*v, n),
                Cell::Rate {
                    numerator,
                    denominator,
                    ..
                } => any || small(*numerator, n) || small(*denominator, n),
                _ => false,
            };
            if hide {
                *cell = Cell::Hidden(n);
            }
        }
    }
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
    Json,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Xlsx => "XLSX",
            Format::Csv => "CSV",
            Format::Json => "JSON",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Json => "application/json",
        }
    }
}

/// Stores a rendered file; returns the row (its id is the download key).
pub async fn store(
    db: &impl ConnectionTrait,
    doc: &Document,
    format: Format,
    account_id: i64,
    content: Vec<u8>,
) -> Result<export::Model> {
    let file_name = format!(
        "hub138-{}-{}-{}.{}",
        doc.definition.code,
        doc.scope.code,
        doc.period,
        format.extension()
    );
    store_file(
        db,
        StoredFile {
            committee_id: doc.scope.id,
            definition: &doc.definition.code,
            period: &doc.period.to_string(),
            format,
            include: doc.include,
            suppress_below: doc.suppress_below,
            account_id,
            file_name,
        },
        content,
    )
    .await
}

/// What a stored download is (an export, or a report template).
pub struct StoredFile<'a> {
    pub committee_id: i64,
    pub definition: &'a str,
    pub period: &'a str,
    pub format: Format,
    pub include: ReportInclusion,
    pub suppress_below: Option<i32>,
    pub account_id: i64,
    pub file_name: String,
}

/// Stores a file for `GET /exports/{id}`, with the exports' authorization
/// (the committee's subtree) and expiry.
pub async fn store_file(
    db: &impl ConnectionTrait,
    file: StoredFile<'_>,
    content: Vec<u8>,
) -> Result<export::Model> {
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    let id = hex::encode(bytes);
    let now = Utc::now();
    let size = i64::try_from(content.len()).unwrap_or(i64::MAX);
    Ok(export::ActiveModel {
        id: Set(id),
        account_id: Set(file.account_id),
        committee_id: Set(file.committee_id),
        definition: Set(file.definition.to_owned()),
        period: Set(file.period.to_owned()),
        format: Set(file.format.as_str().to_owned()),
        include: Set(file.include),
        suppress_below: Set(file.suppress_below),
        file_name: Set(file.file_name),
        content_type: Set(file.format.content_type().to_owned()),
        size: Set(size),
        content: Set(content),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(TTL_HOURS)),
    }
    .insert(db)
    .await?)
}

/// A stored export, if it exists.
pub async fn find(db: &impl ConnectionTrait, id: &str) -> Result<Option<export::Model>> {
    Ok(export::Entity::find_by_id(id.to_owned()).one(db).await?)
}

/// What `createExport` asks for.
pub struct ExportSpec<'a> {
    pub definition: &'a str,
    pub committee_id: i64,
    pub period: Period,
    pub include: ReportInclusion,
    pub units: Units,
    pub suppress_below: Option<i32>,
    pub format: Format,
}

/// Builds, renders and stores an export of a committee in the caller's
/// subtree (an ancestor's is `FORBIDDEN`: reports flow up, not down).
pub async fn create(w: &Write<'_>, spec: ExportSpec<'_>) -> Result<export::Model> {
    let v = w.caller().ok_or(Error::Unauthenticated)?;
    let committee = w
        .committee(spec.committee_id, &["input", "scopeCommitteeId"])
        .await?;
    if !w.in_subtree(committee.id).await? {
        return Err(Error::Forbidden);
    }
    if let Some(n) = spec.suppress_below
        && !(2..=100).contains(&n)
    {
        return Err(Error::invalid(
            &["input", "suppressBelow"],
            UserErrorCode::OutOfRange,
            "suppressBelow is between 2 and 100",
        ));
    }
    let doc = build(
        w.tx(),
        w.scope(),
        Request {
            definition: definition(spec.definition)?,
            scope_committee: committee,
            period: spec.period,
            include: spec.include,
            units: spec.units,
            suppress_below: spec.suppress_below,
            generated_by: v.username.clone(),
        },
    )
    .await?;
    let bytes = crate::service::render::render(&doc, spec.format)
        .map_err(|e| Error::Internal(std::sync::Arc::new(e)))?;
    let stored = store(w.tx(), &doc, spec.format, v.account_id, bytes).await?;
    w.audit(
        Some(doc.scope.id),
        None,
        None,
        Some(serde_json::json!({
            "export": stored.id, "definition": stored.definition, "period": stored.period,
            "format": stored.format, "include": stored.include,
            "suppressBelow": stored.suppress_below, "size": stored.size,
        })),
    )
    .await?;
    use crate::service::webhooks::{self, EventType};
    webhooks::enqueue(
        w.tx(),
        EventType::ExportReady,
        stored.committee_id,
        serde_json::json!({
            "committeeId": crate::ids::encode(crate::ids::Kind::Committee, stored.committee_id),
            "url": format!("/exports/{}", stored.id),
            "definition": stored.definition,
            "period": stored.period,
            "expiresAt": stored.expires_at,
        }),
    )
    .await?;
    Ok(stored)
}
