//! Demo plans, tasks, progress and cooperation records, built from the plan
//! documents in `data/demo/plans/` (their structured form) through the same
//! service functions the API uses, inside the seeding transaction.
//!
//! Agency names in the documents resolve against the committee's registry by
//! name, short name, declared alias, or name without the province ("Sở Tư
//! pháp" for "Sở Tư pháp tỉnh Tuyên Quang"), ignoring case, diacritics and
//! punctuation. Task categories are not in the documents; they are read off
//! the section titles (and, for the single-section Lạng Sơn plan, the task
//! summaries) with the keyword table below.

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
    Cadence, Comparator, CooperationKind, Level, PlanKind, PlanStatus, TargetUnit, TaskCategory,
    TaskStatus,
};
use crate::service::plan::{self as plans, PlanFields, ReferenceInput, RuleInput, TargetInput};
use crate::service::task::{self as tasks, NewTask, Progress};
use crate::service::text;
use crate::service::write::Write;

const PLANS: [(&str, &str); 3] = [
    (
        "000_a9bae549e9344898.json",
        include_str!("../../../data/demo/plans/000_a9bae549e9344898.json"),
    ),
    (
        "001_9287ca284f051039.json",
        include_str!("../../../data/demo/plans/001_9287ca284f051039.json"),
    ),
    (
        "002_fafc0a697c43e3cd.json",
        include_str!("../../../data/demo/plans/002_fafc0a697c43e3cd.json"),
    ),
];
const CENTRAL: &str = include_str!("../../../data/demo/central-plan-2024.json");
const COOPERATION: &str = include_str!("../../../data/demo/cooperation.json");
pub(crate) const AGENCIES: &str = include_str!("../../../data/demo/agencies.json");

/// How each seed plan is filed: its committee as it stood then, and its kind.
const FILING: [(&str, &str, &str, PlanKind); 3] = [
    (
        "000_a9bae549e9344898.json",
        "08",
        "2024-01-15",
        PlanKind::Annual,
    ),
    (
        "001_9287ca284f051039.json",
        "20",
        "2022-07-01",
        PlanKind::Campaign,
    ),
    (
        "002_fafc0a697c43e3cd.json",
        "37",
        "2026-03-01",
        PlanKind::Programme,
    ),
];

/// Folded keywords of a section title (or task summary) and the category they mean; first match wins.
const CATEGORY_WORDS: [(&str, TaskCategory); 22] = [
    ("hop tac quoc te", TaskCategory::InternationalCooperation),
    ("truy to", TaskCategory::ProsecutionAndTrial),
    ("xet xu", TaskCategory::ProsecutionAndTrial),
    ("giai cuu", TaskCategory::VictimSupport),
    ("nan nhan", TaskCategory::VictimSupport),
    ("phong ngua nghiep vu", TaskCategory::ProfessionalPrevention),
    ("phong ngua xa hoi", TaskCategory::SocialPrevention),
    ("thanh tra", TaskCategory::Inspection),
    ("phat hien, xu ly", TaskCategory::Enforcement),
    ("dau tranh", TaskCategory::Enforcement),
    ("phap luat", TaskCategory::LegalFramework),
    ("truyen thong", TaskCategory::Communication),
    ("chi dao", TaskCategory::Direction),
    ("tham muu", TaskCategory::Direction),
    // English task summaries (Lạng Sơn 2022).
    ("china", TaskCategory::InternationalCooperation),
    ("cross-border", TaskCategory::InternationalCooperation),
    ("victim", TaskCategory::VictimSupport),
    ("crack", TaskCategory::Enforcement),
    ("patrol", TaskCategory::Enforcement),
    ("communicat", TaskCategory::Communication),
    ("propaganda", TaskCategory::Communication),
    ("inspect", TaskCategory::Inspection),
];

/// Names that mean "every member agency" rather than one agency.
const ALL_MEMBERS: [&str; 1] = ["cac don vi thanh vien ban chi dao 138 tinh"];

fn categorize(text_: &str) -> Option<TaskCategory> {
    let folded = text::fold(text_);
    CATEGORY_WORDS
        .iter()
        .find(|(w, _)| folded.contains(w))
        .map(|(_, c)| *c)
}

#[derive(Deserialize)]
struct SeedPlan {
    document_number: Option<String>,
    issued_on: Option<String>,
    title: String,
    period: SeedPeriod,
    implements: Vec<SeedRef>,
    signatory: Option<SeedSignatory>,
    targets: Vec<SeedTarget>,
    sections: Vec<SeedSection>,
    reporting: Vec<SeedRule>,
    funding: Option<String>,
}

#[derive(Deserialize)]
struct SeedPeriod {
    from: NaiveDate,
    to: NaiveDate,
    orientation_to_year: Option<i32>,
}

#[derive(Deserialize)]
struct SeedRef {
    document: String,
    date: Option<String>,
    issuer: Option<String>,
}

#[derive(Deserialize)]
struct SeedSignatory {
    name: Option<String>,
    title: Option<String>,
}

#[derive(Deserialize)]
struct SeedTarget {
    text: Option<String>,
    indicator: String,
    comparator: String,
    value: f64,
    unit: String,
}

#[derive(Deserialize)]
struct SeedSection {
    number: String,
    title: String,
    tasks: Vec<SeedTask>,
}

#[derive(Deserialize)]
struct SeedTask {
    number: String,
    summary_en: Option<String>,
    text_vi: String,
    lead_agencies: Vec<String>,
    coordinating_agencies: Vec<String>,
    all_relevant_agencies: bool,
    time_window: Option<SeedWindow>,
}

#[derive(Deserialize)]
struct SeedWindow {
    from: NaiveDate,
    to: NaiveDate,
}

#[derive(Deserialize)]
struct SeedRule {
    cadence: String,
    deadline: Option<String>,
    to: Option<String>,
    text: Option<String>,
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

fn comparator(s: &str) -> Comparator {
    match s {
        ">" => Comparator::Gt,
        ">=" | "≥" => Comparator::Gte,
        "<" => Comparator::Lt,
        "<=" | "≤" => Comparator::Lte,
        _ => Comparator::Eq,
    }
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
    for (file, json) in PLANS {
        let (_, code, on, kind) = FILING
            .iter()
            .find(|f| f.0 == file)
            .ok_or_else(|| anyhow!("no filing for {file}"))?;
        let on: NaiveDate = on.parse()?;
        let seed: SeedPlan = serde_json::from_str(json).with_context(|| file.to_owned())?;
        let p = seed_plan(tx, &seed, code, on, *kind, &central)
            .await
            .with_context(|| file.to_owned())?;
        seeded.insert(file, p);
    }
    let tq = seeded
        .get("000_a9bae549e9344898.json")
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

async fn seed_plan(
    tx: &DatabaseTransaction,
    seed: &SeedPlan,
    code: &str,
    on: NaiveDate,
    kind: PlanKind,
    central: &Central,
) -> anyhow::Result<plan::Model> {
    let committee = committee_on(tx, Level::Province, code, on).await?;
    let resolver = Resolver::new(tx, &committee).await?;
    // A cited plan that is in Hub138 becomes a link; the rest stay references.
    let mut implements = Vec::new();
    let mut references = Vec::new();
    for r in &seed.implements {
        let cited = match_key(&r.document);
        let in_hub = central
            .plan
            .document_number
            .as_deref()
            .is_some_and(|n| cited.ends_with(&match_key(n)));
        if in_hub {
            implements.push(central.plan.id);
        } else {
            references.push(ReferenceInput {
                document: r.document.clone(),
                issued_on: r.date.as_deref().and_then(|d| d.parse().ok()),
                issuer: r.issuer.clone(),
            });
        }
    }
    let targets = seed
        .targets
        .iter()
        .map(|t| TargetInput {
            indicator_code: t.indicator.clone(),
            comparator: comparator(&t.comparator),
            value: t.value,
            unit: if t.unit == "percent" {
                TargetUnit::Percent
            } else {
                TargetUnit::Count
            },
            source_text: t.text.clone(),
        })
        .collect();
    let mut rules = Vec::new();
    for r in &seed.reporting {
        let deadline = r.deadline.as_deref().unwrap_or_default();
        // "Ủy ban nhân dân tỉnh (qua Công an tỉnh)": reports go through the agency in brackets.
        let addressee = r.to.as_deref().and_then(|to| {
            let via = to.split("(qua ").nth(1).map(|v| v.trim_end_matches(')'));
            via.and_then(|v| v.split(", ").last())
                .and_then(|v| resolver.get(v))
                .or_else(|| resolver.get(to))
        });
        rules.push(RuleInput {
            cadence: r
                .cadence
                .parse()
                .map_err(anyhow::Error::msg)
                .unwrap_or(Cadence::Annual),
            deadline_month_day: (deadline.len() == 5).then(|| deadline.to_owned()),
            deadline_date: deadline.parse().ok(),
            addressee_agency_id: addressee,
            source_text: r.text.clone(),
        });
    }
    let p = plans::create_in(
        &Write::system(tx),
        committee.id,
        PlanFields {
            document_number: seed.document_number.clone(),
            title: seed.title.clone(),
            kind,
            issued_on: seed.issued_on.as_deref().and_then(|d| d.parse().ok()),
            period_from: seed.period.from,
            period_to: seed.period.to,
            orientation_year: seed.period.orientation_to_year,
            signatory_name: seed.signatory.as_ref().and_then(|s| s.name.clone()),
            signatory_title: seed.signatory.as_ref().and_then(|s| s.title.clone()),
            funding_note: seed.funding.clone(),
            implements_plan_ids: implements.clone(),
            references,
            targets,
            reporting_rules: rules,
        },
    )
    .await
    .map_err(err)?;
    for s in &seed.sections {
        plans::insert_section(tx, p.id, &s.number, &s.title)
            .await
            .map_err(err)?;
        let section_category = categorize(&s.title);
        for t in &s.tasks {
            let category = section_category
                .or_else(|| t.summary_en.as_deref().and_then(categorize))
                .unwrap_or(TaskCategory::Direction);
            let lead = resolver
                .all(&t.lead_agencies)
                .with_context(|| format!("task {}", t.number))?;
            let coordinating = resolver
                .all(&t.coordinating_agencies)
                .with_context(|| format!("task {}", t.number))?;
            let all_members = t
                .lead_agencies
                .iter()
                .chain(&t.coordinating_agencies)
                .any(|n| ALL_MEMBERS.contains(&match_key(n).as_str()));
            let upper = (!implements.is_empty())
                .then(|| central.task_by_category.get(&category).copied())
                .flatten();
            tasks::create_in(
                &Write::system(tx),
                NewTask {
                    plan_id: p.id,
                    section_number: Some(s.number.clone()),
                    number: t.number.clone(),
                    title: crate::service::plan_import::title_of(&t.text_vi),
                    description: Some(t.text_vi.clone()),
                    category,
                    lead_agency_ids: lead,
                    coordinating_agency_ids: coordinating,
                    all_relevant_agencies: t.all_relevant_agencies || all_members,
                    window_from: t.time_window.as_ref().map(|w| w.from),
                    window_to: t.time_window.as_ref().map(|w| w.to),
                    due_on: Some(t.time_window.as_ref().map_or(seed.period.to, |w| w.to)),
                    implements_task_id: upper,
                },
            )
            .await
            .map_err(err)?;
        }
    }
    mark_issued(tx, p).await
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
