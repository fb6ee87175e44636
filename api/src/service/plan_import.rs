//! `importPlanDocument`: a plan document (Word or text) becomes a DRAFT plan.
//!
//! The document is read by the `plandoc` crate (the genre's header, preamble,
//! targets, reporting rules, outline, tasks and assignments); this module
//! turns that reading into a [`Draft`] for the plan's committee — each agency
//! name resolved against the committee's registry, cited plans linked when
//! they are in Hub138 — and, once the caller has corrected it, writes it in
//! the caller's one transaction: the accepted new agencies, the plan, its
//! sections and tasks, and the document itself, audited as one import.
//!
//! Rules: the plan is created in `committeeId` by an EDITOR of it, as
//! `createPlan`; a new agency needs an ADMIN of the committee, as
//! `createAgency`. When the text names another issuing committee (by name,
//! in force on the plan's date), the import is refused unless the caller
//! may also write that committee.

use std::collections::HashMap;

use bytes::Bytes;
use chrono::{Datelike, NaiveDate, Utc};
use entities::enums::{AgencyKind, Cadence, Comparator, Level, PlanKind, TargetUnit, TaskCategory};
use entities::{agency, committee, plan, plan_document};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result, UserErrorCode};
use crate::ids::Kind;
use crate::service::batch;
use crate::service::enums::Role;
use crate::service::hierarchy;
use crate::service::plan::{self as plans, PlanFields, ReferenceInput, RuleInput, TargetInput};
use crate::service::task::{self as tasks, NewTask};
use crate::service::text;
use crate::service::write::Write;

pub use plandoc::{Format, Reading};

const FILE: &[&str] = &["input", "file"];

/// Reads an uploaded document. CPU work: call it off the async threads.
pub fn read(bytes: &[u8]) -> Result<(Format, Reading)> {
    let doc = plandoc::extract(bytes)
        .map_err(|e| Error::invalid(FILE, UserErrorCode::InvalidFile, e.to_string()))?;
    let reading = plandoc::read(&doc);
    if reading.tasks.is_empty() {
        return Err(Error::invalid(
            FILE,
            UserErrorCode::NoTasks,
            "no tasks were found: a plan's tasks are its numbered items (1., a), (1), -) under its sections; is this a plan (Kế hoạch)?",
        ));
    }
    Ok((doc.format, reading))
}

/// How an agency name was matched to the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Match {
    /// Its name, ignoring case and diacritics.
    Name,
    /// Its short name.
    ShortName,
    /// One of its aliases (other names the documents use for it).
    Alias,
    /// Leniently: without the place name, punctuation and the usual
    /// abbreviations ("Sở LĐ-TB&XH" is "Sở Lao động - Thương binh và Xã hội").
    Variant,
    /// Nothing matched: a new agency is proposed.
    New,
    /// Chosen by the caller's corrections.
    Chosen,
}

/// An agency of a task or rule: one of the registry's, or a new one.
#[derive(Clone, Debug, PartialEq)]
pub struct Pick {
    /// The registry's agency; `None` for a new one.
    pub agency_id: Option<i64>,
    /// The name as the document writes it (a new agency is created with it).
    pub name: String,
    /// The registry's kind, or for a new agency the kind its name suggests.
    pub kind: AgencyKind,
    pub how: Match,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DraftSection {
    pub number: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DraftTask {
    pub number: String,
    pub section_number: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub category: TaskCategory,
    pub lead: Vec<Pick>,
    pub coordinating: Vec<Pick>,
    pub all_relevant_agencies: bool,
    pub window_from: Option<NaiveDate>,
    pub window_to: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    /// Foreign counterparts the task names.
    pub partners: Vec<String>,
    /// Where it is in the document (lines of a text, paragraphs of a docx).
    pub first_line: u32,
    pub last_line: u32,
}

/// A plan as read, or as corrected: what the import writes.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub fields: PlanFields,
    pub sections: Vec<DraftSection>,
    pub tasks: Vec<DraftTask>,
}

/// Something the reading could not settle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub code: String,
    pub message: String,
    pub first_line: Option<u32>,
    pub last_line: Option<u32>,
}

/// What a dry run answers.
#[derive(Clone, Debug)]
pub struct Preview {
    pub format: Format,
    pub reading: Reading,
    /// The committee the plan is created in (`committeeId`).
    pub committee: committee::Model,
    /// The issuing committee the text names, in force on the plan's date
    /// (for the checks: it may be outside what the caller may read).
    pub proposed: Option<committee::Model>,
    /// The same, when the caller may read it.
    pub proposed_visible: Option<committee::Model>,
    pub draft: Draft,
    /// Every distinct agency name the document gives, and its match.
    pub agencies: Vec<Pick>,
    pub warnings: Vec<Warning>,
}

/// The uploaded document, kept with the plan.
pub struct Upload {
    pub file_name: String,
    pub format: Format,
    pub bytes: Bytes,
}

/// A committee's registry, for matching names.
struct Registry {
    agencies: HashMap<i64, agency::Model>,
    exact: HashMap<String, (i64, Match)>,
    lenient: HashMap<String, i64>,
    places: Vec<String>,
}

impl Registry {
    async fn load(w: &Write<'_>, c: &committee::Model) -> Result<Self> {
        let list = agency::Entity::find()
            .filter(agency::Column::CommitteeId.eq(c.id))
            .filter(agency::Column::Active.eq(true))
            .all(w.tx())
            .await?;
        let places = vec![c.unit_name.clone(), c.unit_short_name.clone()];
        let mut r = Self {
            agencies: HashMap::new(),
            exact: HashMap::new(),
            lenient: HashMap::new(),
            places,
        };
        for a in list {
            r.exact
                .entry(text::fold(&a.name))
                .or_insert((a.id, Match::Name));
            if let Some(s) = &a.short_name {
                r.exact
                    .entry(text::fold(s))
                    .or_insert((a.id, Match::ShortName));
            }
            for n in std::iter::once(&a.name).chain(a.short_name.as_ref()) {
                let key = r.key(n);
                r.lenient.entry(key).or_insert(a.id);
            }
            r.agencies.insert(a.id, a);
        }
        let aliases = entities::agency_alias::Entity::find()
            .filter(entities::agency_alias::Column::AgencyId.is_in(r.agencies.keys().copied()))
            .all(w.tx())
            .await?;
        for a in aliases {
            r.exact
                .entry(a.search_key.clone())
                .or_insert((a.agency_id, Match::Alias));
            let key = r.key(&a.alias);
            r.lenient.entry(key).or_insert(a.agency_id);
        }
        Ok(r)
    }

    fn key(&self, name: &str) -> String {
        let places: Vec<&str> = self.places.iter().map(String::as_str).collect();
        plandoc::agency_key(name, &places)
    }

    /// The registry's agency for `written`, if it has one.
    fn find(&self, written: &str) -> Option<Pick> {
        let (id, how) = self.exact.get(&text::fold(written)).copied().or_else(|| {
            self.lenient
                .get(&self.key(written))
                .map(|&id| (id, Match::Variant))
        })?;
        let a = self.agencies.get(&id)?;
        Some(Pick {
            agency_id: Some(a.id),
            name: written.to_owned(),
            kind: a.kind,
            how,
        })
    }

    /// The registry's agency for `written`, or a new one proposed.
    fn resolve(&self, written: &str) -> Pick {
        self.find(written).unwrap_or_else(|| Pick {
            agency_id: None,
            name: written.to_owned(),
            kind: plandoc::guess_kind(written)
                .parse()
                .unwrap_or(AgencyKind::Other),
            how: Match::New,
        })
    }
}

/// `pick`, listed once in the preview's agencies.
fn noted(agencies: &mut Vec<Pick>, pick: Pick) -> Pick {
    if !agencies.iter().any(|a| a.name == pick.name) {
        agencies.push(pick.clone());
    }
    pick
}

fn date_of(d: Option<&plandoc::PartialDate>, year: i32) -> Option<NaiveDate> {
    let d = d?;
    NaiveDate::from_ymd_opt(
        d.year.unwrap_or(year),
        u32::from(d.month?),
        u32::from(d.day.unwrap_or(1)),
    )
}

fn kind_of(s: &str) -> PlanKind {
    s.parse().unwrap_or(PlanKind::Other)
}

fn comparator_of(s: &str) -> Comparator {
    s.parse().unwrap_or(Comparator::Eq)
}

/// The committee a document's issuer names, in force on `on`: "Ủy ban nhân
/// dân tỉnh Tuyên Quang" → the province of Tuyên Quang's committee.
async fn issuing_committee(
    w: &Write<'_>,
    issuer: &str,
    on: NaiveDate,
) -> Result<Option<committee::Model>> {
    let folded = text::fold(issuer);
    let level = if folded.contains("chinh phu") || folded.contains("/cp") {
        Level::Central
    } else if [" xa ", " phuong ", " thi tran "]
        .iter()
        .any(|w| format!(" {folded} ").contains(w))
    {
        Level::Commune
    } else if [" huyen ", " quan ", " thi xa "]
        .iter()
        .any(|w| format!(" {folded} ").contains(w))
    {
        Level::District
    } else {
        Level::Province
    };
    let found = committee::Entity::find()
        .filter(committee::Column::Level.eq(level))
        .filter(hierarchy::active_on(on))
        .all(w.tx())
        .await?;
    // The longest unit name the issuer contains ("Hà Giang 2" before "Hà Giang").
    Ok(found
        .into_iter()
        .filter(|c| level == Level::Central || folded.contains(&text::fold(&c.unit_short_name)))
        .max_by_key(|c| c.unit_short_name.len()))
}

/// The draft a reading gives for `committee`.
pub async fn preview(
    w: &Write<'_>,
    committee_id: i64,
    date: Option<NaiveDate>,
    format: Format,
    reading: Reading,
) -> Result<Preview> {
    let committee = w.committee(committee_id, &["input", "committeeId"]).await?;
    let mut warnings: Vec<Warning> = reading
        .warnings
        .iter()
        .map(|x| Warning {
            code: x.code.clone(),
            message: x.message.clone(),
            first_line: x.first_line,
            last_line: x.last_line,
        })
        .collect();
    let period = reading.period.as_ref();
    let year = period
        .map(|p| p.from.year())
        .or(reading.issued_on.as_ref().and_then(|d| d.year))
        .or(date.map(|d| d.year()))
        .unwrap_or_else(|| Utc::now().year());
    let issued_on = reading
        .issued_on
        .as_ref()
        .and_then(plandoc::PartialDate::to_date);
    let on = date
        .or(issued_on)
        .or(period.map(|p| p.from))
        .unwrap_or_else(|| Utc::now().date_naive());
    let proposed = match &reading.issuer {
        Some(issuer) => issuing_committee(w, issuer, on).await?,
        None => None,
    };
    let proposed_visible = match &proposed {
        Some(p) => w.committees(&[p.id]).await?.into_iter().next(),
        None => None,
    };
    if let Some(p) = &proposed
        && p.id != committee.id
    {
        warnings.push(Warning {
            code: "COMMITTEE_MISMATCH".into(),
            message: format!(
                "the document's issuer ({}) is not {}",
                reading.issuer.as_deref().unwrap_or_default(),
                committee.name
            ),
            first_line: None,
            last_line: None,
        });
    }
    // The registry of the committee in force on the plan's date.
    let registry = Registry::load(w, &committee).await?;
    let mut agencies: Vec<Pick> = Vec::new();

    // Cited plans that are in Hub138 become links; the rest stay references.
    let mut implements = Vec::new();
    let mut references = Vec::new();
    for r in &reading.implements {
        let linked = match &r.number {
            Some(n) => plans::by_document_number(w.tx(), w.scope(), n).await?,
            None => None,
        };
        match linked {
            Some(p) => implements.push(p.id),
            None => references.push(ReferenceInput {
                document: r.document.clone(),
                issued_on: r.date.as_ref().and_then(plandoc::PartialDate::to_date),
                issuer: r.issuer.clone(),
            }),
        }
    }
    let targets = reading
        .targets
        .iter()
        .filter_map(|t| {
            Some(TargetInput {
                indicator_code: t.indicator.clone()?,
                comparator: comparator_of(&t.comparator),
                value: t.value,
                unit: if t.unit == "COUNT" {
                    TargetUnit::Count
                } else {
                    TargetUnit::Percent
                },
                source_text: Some(t.text.clone()),
            })
        })
        .collect();
    let mut rules = Vec::new();
    for r in &reading.reporting {
        // "Ủy ban nhân dân tỉnh (qua Công an tỉnh)": reports go through the agency in brackets.
        let addressee = r.to.as_deref().and_then(|to| {
            let via = to
                .split("(qua ")
                .nth(1)
                .map(|v| v.trim_end_matches(')').trim());
            let pick = noted(&mut agencies, registry.resolve(via.unwrap_or(to)));
            pick.agency_id
        });
        rules.push(RuleInput {
            cadence: r.cadence.parse().unwrap_or(Cadence::Annual),
            deadline_month_day: r.deadline.clone(),
            deadline_date: r.due_on.as_ref().and_then(|d| date_of(Some(d), year)),
            addressee_agency_id: addressee,
            source_text: Some(r.text.clone()),
        });
    }
    let (period_from, period_to) = match period {
        Some(p) => (p.from, p.to),
        None => {
            warnings.push(Warning {
                code: "NO_PERIOD".into(),
                message: format!("no period was read; the year {year} is assumed"),
                first_line: None,
                last_line: None,
            });
            (
                NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
                NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
            )
        }
    };
    let fields = PlanFields {
        document_number: reading.document_number.clone(),
        title: reading.title.clone().unwrap_or_default(),
        kind: kind_of(&reading.kind),
        issued_on,
        period_from,
        period_to,
        orientation_year: reading.orientation_year,
        signatory_name: reading.signatory.as_ref().map(|s| s.name.clone()),
        signatory_title: reading.signatory.as_ref().and_then(|s| s.title.clone()),
        funding_note: reading.funding.clone(),
        implements_plan_ids: implements,
        references,
        targets,
        reporting_rules: rules,
    };
    let numbers = section_numbers(&reading);
    // The sections that hold tasks (directly or below): a plan's outline
    // for its tasks; objectives and other prose sections are left out.
    let mut used = vec![false; reading.sections.len()];
    for t in &reading.tasks {
        let mut at = t.section;
        while let Some(i) = at {
            if used.get(i).copied().unwrap_or(true) {
                break;
            }
            used[i] = true;
            at = reading.sections.get(i).and_then(|s| s.parent);
        }
    }
    let sections: Vec<DraftSection> = reading
        .sections
        .iter()
        .enumerate()
        .filter(|(i, _)| used[*i])
        .map(|(i, s)| DraftSection {
            number: numbers[i].clone(),
            title: s.title.clone(),
        })
        .collect();
    let mut draft_tasks = Vec::new();
    for t in &reading.tasks {
        let category = t
            .category
            .as_deref()
            .and_then(|c| c.parse().ok())
            .unwrap_or(TaskCategory::Other);
        let mut lead: Vec<Pick> = t
            .lead
            .iter()
            .map(|n| noted(&mut agencies, registry.resolve(n)))
            .collect();
        let mut coordinating: Vec<Pick> = t
            .coordinating
            .iter()
            .map(|n| noted(&mut agencies, registry.resolve(n)))
            .collect();
        // A collective reference the registry holds as a member group
        // ("Ủy ban nhân dân các xã, phường") is assigned like an agency.
        for name in &t.collective {
            if let Some(pick) = registry.find(name) {
                let pick = noted(&mut agencies, pick);
                if t.collective_lead.contains(name) {
                    lead.push(pick);
                } else {
                    coordinating.push(pick);
                }
            }
        }
        draft_tasks.push(DraftTask {
            number: t.number.clone(),
            section_number: t.section.and_then(|i| numbers.get(i).cloned()),
            title: title_of(&t.text),
            description: Some(text::clean(&t.text)),
            category,
            lead,
            coordinating,
            all_relevant_agencies: t.all_relevant,
            window_from: date_of(t.window_from.as_ref(), year),
            window_to: date_of(t.window_to.as_ref(), year),
            due_on: date_of(t.due_on.as_ref(), year),
            partners: t.partners.clone(),
            first_line: t.first_line,
            last_line: t.last_line,
        });
    }
    for a in &agencies {
        if a.how == Match::New {
            warnings.push(Warning {
                code: "UNRESOLVED_AGENCY".into(),
                message: format!(
                    "{:?} matches no agency of {}: a new agency ({}) is proposed",
                    a.name,
                    committee.name,
                    a.kind.as_str()
                ),
                first_line: None,
                last_line: None,
            });
        }
    }
    Ok(Preview {
        format,
        committee,
        proposed,
        proposed_visible,
        draft: Draft {
            fields,
            sections,
            tasks: draft_tasks,
        },
        agencies,
        warnings,
        reading,
    })
}

/// Each section's number as stored: the outline's path ("II.1") so that a
/// section's parent is the number it extends. Unnumbered items ("-", "+")
/// and numbers a document repeats get their place among their siblings.
fn section_numbers(reading: &Reading) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(reading.sections.len());
    let mut owns: Vec<String> = Vec::with_capacity(reading.sections.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for s in &reading.sections {
        let own = s
            .number
            .trim()
            .trim_end_matches(['.', ')'])
            .trim_start_matches('(')
            .to_owned();
        let own = if own.chars().any(char::is_alphanumeric) {
            own
        } else {
            String::new()
        };
        let parent = s.parent.and_then(|p| Some((out.get(p)?, owns.get(p)?)));
        let base = match parent {
            Some((path, _)) if own.is_empty() => path.clone(),
            // "2.1." under "2." (in "II."): the number already carries its parent's.
            Some((path, parent_own))
                if !parent_own.is_empty() && own.starts_with(&format!("{parent_own}.")) =>
            {
                match path.strip_suffix(parent_own.as_str()) {
                    Some(above) => format!("{above}{own}"),
                    None => format!("{path}.{own}"),
                }
            }
            Some((path, _)) => format!("{path}.{own}"),
            None => own.clone(),
        };
        owns.push(own);
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        let number = if base.is_empty() {
            format!("{n}")
        } else if *n > 1 || s.number.trim().starts_with(['-', '+', '•']) {
            format!("{base}.{n}")
        } else {
            base
        };
        out.push(number);
    }
    out
}

/// The first sentence of `s`, at most about 160 characters, as a title.
pub fn title_of(s: &str) -> String {
    let s = text::clean(s);
    let first = s.split(['.', ';']).next().unwrap_or(&s).trim();
    if first.chars().count() <= 160 {
        return first.to_owned();
    }
    let mut out = String::new();
    for word in first.split(' ') {
        if out.chars().count() + word.chars().count() > 157 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

/// Writes a draft: the new agencies it accepts, the DRAFT plan, its
/// sections and tasks, and the document; one audit event.
pub async fn commit(
    w: &Write<'_>,
    committee_id: i64,
    proposed: Option<&committee::Model>,
    issuer: Option<&str>,
    draft: Draft,
    upload: Option<Upload>,
) -> Result<plan::Model> {
    let committee = w.committee(committee_id, &["input", "committeeId"]).await?;
    w.may_write(&committee, Role::Editor).await?;
    if let Some(p) = proposed
        && p.id != committee.id
        && w.may_write(p, Role::Editor).await.is_err()
    {
        return Err(Error::invalid(
            &["input", "committeeId"],
            UserErrorCode::Conflict,
            format!(
                "the document's issuer ({}) is not {}: import it in the issuing committee",
                issuer.unwrap_or_default(),
                committee.name
            ),
        ));
    }
    // New agencies, once each however often the draft names them.
    let mut created: HashMap<String, i64> = HashMap::new();
    let mut new_agencies = Vec::new();
    let mut may_add: Option<bool> = None;
    for (i, t) in draft.tasks.iter().enumerate() {
        for (role, picks) in [("lead", &t.lead), ("coordinating", &t.coordinating)] {
            for (j, p) in picks.iter().enumerate() {
                if p.agency_id.is_some() {
                    continue;
                }
                let key = text::fold(&text::clean(&p.name));
                if created.contains_key(&key) {
                    continue;
                }
                let field = format!("input.draft.tasks.{i}.{role}.{j}");
                let path: Vec<&str> = field.split('.').collect();
                let allowed = match may_add {
                    Some(a) => a,
                    None => *may_add.insert(w.may_administer(&committee).await.is_ok()),
                };
                if !allowed {
                    return Err(Error::invalid(
                        &path,
                        UserErrorCode::Forbidden,
                        format!(
                            "{:?} is not in the registry: an ADMIN adds new agencies; choose an existing one or leave it out",
                            p.name
                        ),
                    ));
                }
                let a =
                    crate::service::agency::insert(w, committee.id, &p.name, p.kind, &path).await?;
                created.insert(key, a.id);
                new_agencies.push(a.id);
            }
        }
    }
    let id_of = |p: &Pick| {
        p.agency_id
            .or_else(|| created.get(&text::fold(&text::clean(&p.name))).copied())
    };
    let plan = plans::create_in(w, committee.id, draft.fields.clone()).await?;
    for s in &draft.sections {
        plans::insert_section(w.tx(), plan.id, &s.number, &s.title).await?;
    }
    let mut task_ids = Vec::new();
    for t in &draft.tasks {
        // Each agency once, the leads in the document's order.
        let mut lead: Vec<i64> = Vec::new();
        for id in t.lead.iter().filter_map(id_of) {
            if !lead.contains(&id) {
                lead.push(id);
            }
        }
        let mut coordinating: Vec<i64> = t
            .coordinating
            .iter()
            .filter_map(id_of)
            .filter(|id| !lead.contains(id))
            .collect();
        coordinating.sort_unstable();
        coordinating.dedup();
        let task = tasks::create_in(
            w,
            NewTask {
                plan_id: plan.id,
                section_number: t.section_number.clone(),
                number: t.number.clone(),
                title: t.title.clone(),
                description: t.description.clone(),
                category: t.category,
                lead_agency_ids: lead,
                coordinating_agency_ids: coordinating,
                all_relevant_agencies: t.all_relevant_agencies,
                window_from: t.window_from,
                window_to: t.window_to,
                due_on: t.due_on,
                implements_task_id: None,
            },
        )
        .await?;
        task_ids.push(task.id);
    }
    let mut document = None;
    if let Some(u) = upload {
        let digest = hex::encode(Sha256::digest(&u.bytes));
        let (fmt, content_type) = match u.format {
            Format::Docx => (
                "DOCX",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            Format::Text => ("TEXT", "text/plain; charset=utf-8"),
        };
        plan_document::ActiveModel {
            plan_id: Set(plan.id),
            file_name: Set(u.file_name.chars().take(200).collect()),
            content_type: Set(content_type.to_owned()),
            format: Set(fmt.to_owned()),
            size: Set(i64::try_from(u.bytes.len()).unwrap_or(i64::MAX)),
            sha256: Set(digest.clone()),
            content: Set(u.bytes.to_vec()),
            account_id: Set(w.caller().map(|v| v.account_id)),
            created_at: Set(Utc::now()),
        }
        .insert(w.tx())
        .await?;
        document = Some(serde_json::json!({"fileName": u.file_name, "sha256": digest}));
    }
    w.audit(
        Some(committee.id),
        Some((Kind::Plan, plan.id)),
        None,
        Some(serde_json::json!({
            "plan": plan.id, "tasks": task_ids, "sections": draft.sections.len(),
            "newAgencies": new_agencies, "document": document,
        })),
    )
    .await?;
    Ok(plan)
}

/// Reads `reading` into a preview for `committee_id` and, unless it is a
/// dry run, commits `corrected` (or the draft as read) with the document:
/// what `importPlanDocument` and `hub138 plan import` do.
pub async fn run(
    w: &Write<'_>,
    committee_id: i64,
    date: Option<NaiveDate>,
    reading: Reading,
    upload: Upload,
    dry_run: bool,
    corrected: Option<Draft>,
) -> Result<(Preview, Option<plan::Model>)> {
    let preview = preview(w, committee_id, date, upload.format, reading).await?;
    if dry_run {
        w.discard();
        return Ok((preview, None));
    }
    let draft = corrected.unwrap_or_else(|| preview.draft.clone());
    let plan = commit(
        w,
        committee_id,
        preview.proposed.as_ref(),
        preview.reading.issuer.as_deref(),
        draft,
        Some(upload),
    )
    .await?;
    Ok((preview, Some(plan)))
}

/// A kept document, without its content.
#[derive(Clone, Debug)]
pub struct DocumentInfo {
    pub plan_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

/// What is known of the documents the plans `ids` (already found in
/// scope) were imported from.
pub async fn document_infos(
    db: &impl sea_orm::ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<DocumentInfo>> {
    use sea_orm::QuerySelect;
    let rows: Vec<(i64, String, String, i64, String)> = plan_document::Entity::find()
        .filter(batch::id_in(
            db,
            plan_document::Column::PlanId,
            ids.iter().copied(),
        ))
        .select_only()
        .columns([
            plan_document::Column::PlanId,
            plan_document::Column::FileName,
            plan_document::Column::ContentType,
            plan_document::Column::Size,
            plan_document::Column::Sha256,
        ])
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(plan_id, file_name, content_type, size, sha256)| DocumentInfo {
                plan_id,
                file_name,
                content_type,
                size,
                sha256,
            },
        )
        .collect())
}

/// The document of a plan the caller may read (`None` when the plan is
/// outside `scope`, does not exist or has no document).
pub async fn document(
    db: &impl sea_orm::ConnectionTrait,
    scope: &crate::auth::Scope,
    plan_id: i64,
) -> Result<Option<plan_document::Model>> {
    if plans::by_ids(db, scope, &[plan_id]).await?.is_empty() {
        return Ok(None);
    }
    Ok(plan_document::Entity::find_by_id(plan_id).one(db).await?)
}
