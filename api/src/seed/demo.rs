//! Demo plans, tasks, progress and cooperation records, inside the seeding
//! transaction.
//!
//! The three provincial plans are their documents (`data/demo/plans/*.txt`)
//! imported through the plan importer, as `importPlanDocument` does, with
//! the corrections a person made to what it read
//! (`data/demo/plans/*.patch.json`, each entry one correction, with why), so
//! the demo and the importer cannot drift apart: when the importer reads a
//! document differently, the seed fails or a test comparing the demo with the
//! person's reading (`*.json`) does. The central plan and the cooperation
//! records come from structured files (`central-plan-2024.json`,
//! `cooperation.json`); their agency names resolve against the committee's
//! registry by name, short name, declared alias, or name without the
//! province, ignoring case, diacritics and punctuation.

use std::collections::HashMap;

use anyhow::{Context, anyhow, bail};
use chrono::NaiveDate;
use entities::{agency, committee, plan, task};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::Deserialize;

use crate::auth::Scope;
use crate::error::Error;
use crate::service::cooperation::{self, NewCounterpart, RecordFields};
use crate::service::enums::{
    CooperationKind, Level, PlanKind, PlanStatus, TaskCategory, TaskStatus,
};
use crate::service::plan::{self as plans, PlanFields};
use crate::service::plan_import;
use crate::service::task::{self as tasks, NewTask, Progress};
use crate::service::text;
use crate::service::write::Write;

/// A demo plan: its document, its corrections, and how it is filed (the
/// committee, as it stood on the date, that issued it).
struct Seed {
    file: &'static str,
    text: &'static [u8],
    patch: &'static str,
    code: &'static str,
    on: &'static str,
}

macro_rules! seed {
    ($name:literal, $code:literal, $on:literal) => {
        Seed {
            file: concat!($name, ".txt"),
            text: include_bytes!(concat!("../../../data/demo/plans/", $name, ".txt")),
            patch: include_str!(concat!("../../../data/demo/plans/", $name, ".patch.json")),
            code: $code,
            on: $on,
        }
    };
}

const SEEDS: [Seed; 3] = [
    seed!("000_a9bae549e9344898", "08", "2024-01-15"),
    seed!("001_9287ca284f051039", "20", "2022-07-01"),
    seed!("002_fafc0a697c43e3cd", "37", "2026-03-01"),
];
const CENTRAL: &str = include_str!("../../../data/demo/central-plan-2024.json");
const COOPERATION: &str = include_str!("../../../data/demo/cooperation.json");
pub(crate) const AGENCIES: &str = include_str!("../../../data/demo/agencies.json");

/// Names that mean "every member agency" rather than one agency.
const ALL_MEMBERS: [&str; 1] = ["cac don vi thanh vien ban chi dao 138 tinh"];

#[derive(Deserialize)]
struct SeedPeriod {
    from: NaiveDate,
    to: NaiveDate,
}

#[derive(Deserialize)]
struct CentralPlan {
    document_number: String,
    title: String,
    issued_on: NaiveDate,
    period: SeedPeriod,
    sections: Vec<CentralSection>,
    tasks: Vec<CentralTask>,
    implemented_by: HashMap<String, String>,
}

#[derive(Deserialize)]
struct CentralSection {
    number: String,
    title: String,
}

#[derive(Deserialize)]
struct CentralTask {
    number: String,
    category: String,
    title: String,
    #[serde(default)]
    lead: Vec<String>,
    #[serde(default)]
    coordinating: Vec<String>,
}

#[derive(Deserialize)]
struct AgencyFile {
    committees: Vec<AgencyCommittee>,
}

#[derive(Deserialize)]
struct AgencyCommittee {
    level: String,
    code: String,
    agencies: Vec<AgencyEntry>,
}

#[derive(Deserialize)]
struct AgencyEntry {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
struct CoopFile {
    records: Vec<CoopRecord>,
}

#[derive(Deserialize)]
struct CoopRecord {
    committee: CoopCommittee,
    plan: String,
    section: Option<String>,
    task: String,
    counterpart: CoopCounterpart,
    kind: String,
    occurred_on: NaiveDate,
    title: String,
    #[serde(default)]
    agencies: Vec<String>,
    #[serde(default)]
    victims_repatriated: i32,
    #[serde(default)]
    suspects_handed_over: i32,
}

#[derive(Deserialize)]
struct CoopCommittee {
    level: String,
    code: String,
    on: NaiveDate,
}

#[derive(Deserialize)]
struct CoopCounterpart {
    country: String,
    region: Option<String>,
    body_name: String,
}

/// A lenient key for matching agency names: folded, punctuation as spaces.
fn match_key(s: &str) -> String {
    text::fold(s)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Resolves agency names of one committee's registry.
struct Resolver {
    keys: HashMap<String, i64>,
}

impl Resolver {
    async fn new(tx: &DatabaseTransaction, c: &committee::Model) -> anyhow::Result<Self> {
        let demo: AgencyFile = serde_json::from_str(AGENCIES)?;
        let aliases: HashMap<String, Vec<String>> = demo
            .committees
            .iter()
            .filter(|d| d.level == c.level.as_str() && d.code == c.code)
            .flat_map(|d| d.agencies.iter())
            .map(|a| (text::clean(&a.name), a.aliases.clone()))
            .collect();
        let registry = agency::Entity::find()
            .filter(agency::Column::CommitteeId.eq(c.id))
            .all(tx)
            .await?;
        let mut keys = HashMap::new();
        let place = format!(" {}", c.unit_short_name);
        let province = format!(" {}", crate::seed::in_sentence(&c.unit_name));
        for a in registry {
            let mut names = vec![a.name.clone()];
            names.extend(a.short_name.clone());
            names.extend(a.name.strip_suffix(&place).map(str::to_owned));
            names.extend(a.name.strip_suffix(&province).map(str::to_owned));
            names.extend(aliases.get(&a.name).cloned().unwrap_or_default());
            for n in names {
                keys.entry(match_key(&n)).or_insert(a.id);
            }
        }
        Ok(Self { keys })
    }

    fn get(&self, name: &str) -> Option<i64> {
        self.keys.get(&match_key(name)).copied()
    }

    fn all(&self, names: &[String]) -> anyhow::Result<Vec<i64>> {
        names
            .iter()
            .filter(|n| !ALL_MEMBERS.contains(&match_key(n).as_str()))
            .map(|n| {
                self.get(n)
                    .ok_or_else(|| anyhow!("no agency {n:?} in the registry"))
            })
            .collect()
    }
}

async fn committee_on(
    tx: &DatabaseTransaction,
    level: Level,
    code: &str,
    on: NaiveDate,
) -> anyhow::Result<committee::Model> {
    crate::service::hierarchy::by_code(tx, &Scope::everything(), level, code, on)
        .await
        .map_err(err)?
        .ok_or_else(|| anyhow!("no {level} {code} on {on}"))
}

fn err(e: Error) -> anyhow::Error {
    anyhow!("{e:?}")
}

/// Marks a plan issued as the document was, without inventing an issue date.
async fn mark_issued(tx: &DatabaseTransaction, p: plan::Model) -> anyhow::Result<plan::Model> {
    let mut m: plan::ActiveModel = p.into();
    m.status = Set(PlanStatus::Issued);
    let p = m.update(tx).await?;
    crate::service::report::expect_for_plan(tx, p.id)
        .await
        .map_err(err)?;
    Ok(p)
}

/// Loads the demo plans, the central plan, a cascade with progress, and
/// the cooperation records.
pub async fn load(tx: &DatabaseTransaction) -> anyhow::Result<()> {
    let central = central_plan(tx).await?;
    let mut seeded: HashMap<&str, plan::Model> = HashMap::new();
    for seed in &SEEDS {
        let p = seed_plan(tx, seed, &central)
            .await
            .with_context(|| seed.file.to_owned())?;
        seeded.insert(seed.file, p);
    }
    let tq = seeded
        .get("000_a9bae549e9344898.txt")
        .ok_or_else(|| anyhow!("the Tuyên Quang plan is missing"))?;
    cascade_with_progress(tx, tq).await?;
    cooperation_records(tx, &seeded).await?;
    super::demo_reports::load(tx).await?;
    Ok(())
}

struct Central {
    plan: plan::Model,
    task_by_category: HashMap<TaskCategory, i64>,
}

async fn central_plan(tx: &DatabaseTransaction) -> anyhow::Result<Central> {
    let c: CentralPlan = serde_json::from_str(CENTRAL)?;
    let committee =
        committee_on(tx, Level::Central, crate::seed::CENTRAL_CODE, c.issued_on).await?;
    let resolver = Resolver::new(tx, &committee).await?;
    let p = plans::create_in(
        &Write::system(tx),
        committee.id,
        PlanFields {
            document_number: Some(c.document_number),
            title: c.title,
            kind: PlanKind::Annual,
            issued_on: Some(c.issued_on),
            period_from: c.period.from,
            period_to: c.period.to,
            orientation_year: None,
            signatory_name: None,
            signatory_title: None,
            funding_note: None,
            implements_plan_ids: Vec::new(),
            references: Vec::new(),
            targets: Vec::new(),
            reporting_rules: Vec::new(),
        },
    )
    .await
    .map_err(err)?;
    for s in &c.sections {
        plans::insert_section(tx, p.id, &s.number, &s.title)
            .await
            .map_err(err)?;
    }
    let mut by_number = HashMap::new();
    for t in &c.tasks {
        let created = tasks::create_in(
            &Write::system(tx),
            NewTask {
                plan_id: p.id,
                section_number: c.sections.first().map(|s| s.number.clone()),
                number: t.number.clone(),
                title: t.title.clone(),
                description: None,
                category: t.category.parse().map_err(anyhow::Error::msg)?,
                lead_agency_ids: resolver.all(&t.lead)?,
                coordinating_agency_ids: resolver.all(&t.coordinating)?,
                all_relevant_agencies: false,
                window_from: None,
                window_to: None,
                due_on: Some(c.period.to),
                implements_task_id: None,
            },
        )
        .await
        .map_err(err)?;
        by_number.insert(t.number.clone(), created.id);
    }
    let mut task_by_category = HashMap::new();
    for (category, number) in &c.implemented_by {
        let category: TaskCategory = category.parse().map_err(anyhow::Error::msg)?;
        let id = by_number
            .get(number)
            .ok_or_else(|| anyhow!("no central task {number}"))?;
        task_by_category.insert(category, *id);
    }
    let plan = mark_issued(tx, p).await?;
    Ok(Central {
        plan,
        task_by_category,
    })
}

/// Imports one seed plan's text through the plan importer, applies the
/// plan's documented corrections, and files it as issued.
async fn seed_plan(
    tx: &DatabaseTransaction,
    seed: &Seed,
    central: &Central,
) -> anyhow::Result<plan::Model> {
    let on: NaiveDate = seed.on.parse()?;
    let committee = committee_on(tx, Level::Province, seed.code, on).await?;
    let resolver = Resolver::new(tx, &committee).await?;
    let w = Write::system(tx);
    let (format, reading) = plan_import::read(seed.text).map_err(err)?;
    let preview = plan_import::preview(&w, committee.id, Some(on), format, reading)
        .await
        .map_err(err)?;
    let patch: Patch = serde_json::from_str(seed.patch).context("the plan's corrections")?;
    let mut draft = preview.draft.clone();
    patch.apply(&mut draft, &resolver)?;
    // Filing, not reading: a task without its own date is due at the end of
    // its window, or else of the plan's period.
    let period_to = draft.fields.period_to;
    let implements_central = draft.fields.implements_plan_ids.contains(&central.plan.id);
    for t in &mut draft.tasks {
        t.due_on = t.due_on.or(t.window_to).or(Some(period_to));
        if let Some(p) = t
            .lead
            .iter()
            .chain(&t.coordinating)
            .find(|p| p.agency_id.is_none())
        {
            bail!(
                "task {}: {:?} is not in the demo registry; correct it in the plan's patch",
                t.number,
                p.name
            );
        }
    }
    let p = plan_import::commit(
        &w,
        committee.id,
        preview.proposed.as_ref(),
        preview.reading.issuer.as_deref(),
        draft,
        Some(plan_import::Upload {
            file_name: seed.file.to_owned(),
            format,
            bytes: bytes::Bytes::from_static(seed.text),
        }),
    )
    .await
    .map_err(err)?;
    // Each task of a plan that implements the central plan carries out the
    // central task of its category.
    if implements_central {
        let list = task::Entity::find()
            .filter(task::Column::PlanId.eq(p.id))
            .all(tx)
            .await?;
        for t in list {
            let Some(upper) = central.task_by_category.get(&t.category).copied() else {
                continue;
            };
            let mut m: task::ActiveModel = t.into();
            m.implements_task_id = Set(Some(upper));
            m.update(tx).await?;
        }
    }
    mark_issued(tx, p).await
}

/// What a person corrected in the importer's reading of a demo plan
/// (`data/demo/plans/NNN.patch.json`); each entry is one correction.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Patch {
    /// What the file is, for its reader.
    #[allow(dead_code)]
    about: Option<String>,
    /// Plan fields the document states and the importer does not read.
    #[serde(default)]
    fields: PatchFields,
    /// Tasks whose reading is corrected.
    #[serde(default)]
    tasks: Vec<TaskPatch>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatchFields {
    /// ANNUAL, PROGRAMME, CAMPAIGN, …
    kind: Option<String>,
    funding_note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaskPatch {
    /// The task's section as stored ("II.3") when its number repeats.
    section: Option<String>,
    number: String,
    lead: Option<Vec<String>>,
    coordinating: Option<Vec<String>>,
    all_relevant_agencies: Option<bool>,
    /// A task category (COMMUNICATION, …).
    category: Option<String>,
    /// Why the reading was wrong.
    #[allow(dead_code)]
    why: String,
}

impl Patch {
    /// How many corrections this patch makes.
    #[cfg(test)]
    fn count(&self) -> usize {
        usize::from(self.fields.kind.is_some())
            + usize::from(self.fields.funding_note.is_some())
            + self.tasks.len()
    }

    fn apply(&self, d: &mut plan_import::Draft, r: &Resolver) -> anyhow::Result<()> {
        if let Some(k) = &self.fields.kind {
            d.fields.kind = k.parse::<PlanKind>().map_err(anyhow::Error::msg)?;
        }
        if let Some(f) = &self.fields.funding_note {
            d.fields.funding_note = Some(f.clone());
        }
        let picks = |names: &[String]| -> anyhow::Result<Vec<plan_import::Pick>> {
            names
                .iter()
                .map(|n| {
                    Ok(plan_import::Pick {
                        agency_id: Some(
                            r.get(n)
                                .ok_or_else(|| anyhow!("no agency {n:?} in the registry"))?,
                        ),
                        name: n.clone(),
                        kind: crate::service::enums::AgencyKind::Other,
                        how: plan_import::Match::Chosen,
                    })
                })
                .collect()
        };
        for c in &self.tasks {
            let t = d
                .tasks
                .iter_mut()
                .find(|t| {
                    t.number == c.number
                        && c.section
                            .as_ref()
                            .is_none_or(|s| t.section_number.as_ref() == Some(s))
                })
                .ok_or_else(|| anyhow!("the patch names no task {} read", c.number))?;
            if let Some(l) = &c.lead {
                t.lead = picks(l)?;
            }
            if let Some(l) = &c.coordinating {
                t.coordinating = picks(l)?;
            }
            if let Some(a) = c.all_relevant_agencies {
                t.all_relevant_agencies = a;
            }
            if let Some(k) = &c.category {
                t.category = k.parse::<TaskCategory>().map_err(anyhow::Error::msg)?;
            }
        }
        Ok(())
    }
}

/// Successive (percent, status) reports on one task.
type Steps = &'static [(i32, TaskStatus)];

/// Progress reported on the first tasks of each cascaded plan, per commune:
/// (task index, steps).
const PROGRESS: [&[(usize, Steps)]; 3] = [
    &[
        (
            0,
            &[
                (30, TaskStatus::InProgress),
                (70, TaskStatus::InProgress),
                (100, TaskStatus::Done),
            ],
        ),
        (1, &[(50, TaskStatus::InProgress), (100, TaskStatus::Done)]),
        (2, &[(40, TaskStatus::InProgress)]),
    ],
    &[
        (
            0,
            &[(20, TaskStatus::InProgress), (60, TaskStatus::InProgress)],
        ),
        (
            3,
            &[(10, TaskStatus::InProgress), (10, TaskStatus::Blocked)],
        ),
    ],
    &[(0, &[(100, TaskStatus::Done)])],
];

async fn cascade_with_progress(tx: &DatabaseTransaction, tq: &plan::Model) -> anyhow::Result<()> {
    // Three communes of the province as it stood in 2024, the first by code.
    let communes = crate::service::hierarchy::tree_pages(
        tx,
        &Scope::everything(),
        crate::service::hierarchy::TreeRelation::Descendants,
        &[tq.committee_id],
        &crate::service::hierarchy::CommitteeFilter {
            level: Some(Level::Commune),
            ..crate::service::hierarchy::CommitteeFilter::on(tq.period_from)
        },
        crate::service::hierarchy::CommitteeOrder::default(),
        &crate::service::page::PageArgs {
            limit: 3,
            backward: false,
            cursor: None,
        },
        crate::service::page::Columns::All,
    )
    .await
    .map_err(err)?
    .remove(&tq.committee_id)
    .map(|p| p.items.into_iter().map(|(_, c)| c.id).collect::<Vec<_>>())
    .unwrap_or_default();
    if communes.len() != 3 {
        bail!("expected three communes under the Tuyên Quang plan's committee");
    }
    let lower = tasks::cascade_in(&Write::system(tx), tq.id, &communes)
        .await
        .map_err(err)?;
    for (p, steps) in lower.into_iter().zip(PROGRESS) {
        let p = mark_issued(tx, p).await?;
        let list = task::Entity::find()
            .filter(task::Column::PlanId.eq(p.id))
            .order_by_asc(task::Column::Position)
            .all(tx)
            .await?;
        for (index, updates) in steps {
            let Some(t) = list.get(*index) else { continue };
            let mut version = t.version;
            for (percent, status) in *updates {
                let note = format!("Báo cáo tiến độ: {percent}%");
                let (after, _) = tasks::report_progress_in(
                    tx,
                    Progress {
                        task_id: t.id,
                        expected_version: version,
                        percent: *percent,
                        status: *status,
                        note: Some(note),
                    },
                )
                .await
                .map_err(err)?;
                version = after.version;
            }
        }
    }
    Ok(())
}

async fn cooperation_records(
    tx: &DatabaseTransaction,
    seeded: &HashMap<&str, plan::Model>,
) -> anyhow::Result<()> {
    let file: CoopFile = serde_json::from_str(COOPERATION)?;
    for r in file.records {
        let level: Level = r.committee.level.parse().map_err(anyhow::Error::msg)?;
        let committee = committee_on(tx, level, &r.committee.code, r.committee.on).await?;
        let resolver = Resolver::new(tx, &committee).await?;
        let plan = seeded
            .get(r.plan.as_str())
            .ok_or_else(|| anyhow!("no seeded plan {}", r.plan))?;
        let mut candidates = task::Entity::find()
            .filter(task::Column::PlanId.eq(plan.id))
            .filter(task::Column::Number.eq(r.task.as_str()))
            .all(tx)
            .await?;
        if let Some(section) = &r.section {
            let sections = plans::sections(tx, &[plan.id]).await.map_err(err)?;
            let id = sections
                .get(&plan.id)
                .and_then(|l| l.iter().find(|s| &s.number == section))
                .map(|s| s.id);
            candidates.retain(|t| t.section_id == id);
        }
        let task = candidates
            .first()
            .ok_or_else(|| anyhow!("no task {} in {}", r.task, r.plan))?;
        let counterpart = cooperation::create_counterpart_in(
            tx,
            NewCounterpart {
                country: r.counterpart.country,
                region: r.counterpart.region,
                body_name: r.counterpart.body_name,
            },
        )
        .await
        .map_err(err)?;
        cooperation::create_in(
            &Write::system(tx),
            RecordFields {
                committee_id: committee.id,
                counterpart_id: counterpart.id,
                kind: r
                    .kind
                    .parse::<CooperationKind>()
                    .map_err(anyhow::Error::msg)?,
                occurred_on: r.occurred_on,
                title: r.title,
                summary: None,
                agency_ids: resolver.all(&r.agencies)?,
                victims_repatriated: r.victims_repatriated,
                suspects_handed_over: r.suspects_handed_over,
                plan_id: Some(plan.id),
                task_id: Some(task.id),
            },
        )
        .await
        .map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Patch, SEEDS};

    /// The corrections each demo plan needs, as the README states them.
    const CORRECTIONS: [usize; 3] = [0, 0, 0];

    #[test]
    fn patches_parse_and_are_as_documented() {
        for (seed, want) in SEEDS.iter().zip(CORRECTIONS) {
            let p: Patch =
                serde_json::from_str(seed.patch).unwrap_or_else(|e| panic!("{}: {e}", seed.file));
            assert_eq!(p.count(), want, "{}", seed.file);
        }
        let wrong = r#"{"tasks": [{"number": "1", "leads": []}]}"#;
        assert!(
            serde_json::from_str::<Patch>(wrong).is_err(),
            "unknown keys are refused"
        );
    }
}
