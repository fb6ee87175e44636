//! Plans: their identity fields, targets, reporting rules, sections, the
//! plans they implement, and the DRAFT → ISSUED → CLOSED life cycle. Once a
//! plan is issued its identity fields are frozen; sections and tasks may
//! still be added.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Utc};
use entities::{
    committee_closure, plan, plan_link, plan_reference, plan_section, plan_target, reporting_rule,
};
use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, ExprTrait, QueryFilter, QueryOrder, Select,
};

use crate::auth::Scope;
use crate::error::UserErrorCode;
use crate::error::{Error, Result};
use crate::ids::Kind;
use crate::service::audit::json;
use crate::service::batch;
use crate::service::enums::Role;
use crate::service::enums::{Cadence, Comparator, PlanKind, PlanStatus, TargetUnit};
use crate::service::page::{self, Cursor, Key, Ordering, Page, PageArgs};
use crate::service::text;
use crate::service::validate::Check;
use crate::service::write::Write;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferenceInput {
    pub document: String,
    pub issued_on: Option<NaiveDate>,
    pub issuer: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TargetInput {
    pub indicator_code: String,
    pub comparator: Comparator,
    pub value: f64,
    pub unit: TargetUnit,
    pub source_text: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleInput {
    pub cadence: Cadence,
    /// `MM-DD`, for recurring deadlines.
    pub deadline_month_day: Option<String>,
    pub deadline_date: Option<NaiveDate>,
    pub addressee_agency_id: Option<i64>,
    pub source_text: Option<String>,
}

/// Every identity field of a plan.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanFields {
    pub document_number: Option<String>,
    pub title: String,
    pub kind: PlanKind,
    pub issued_on: Option<NaiveDate>,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub orientation_year: Option<i32>,
    pub signatory_name: Option<String>,
    pub signatory_title: Option<String>,
    pub funding_note: Option<String>,
    pub implements_plan_ids: Vec<i64>,
    pub references: Vec<ReferenceInput>,
    pub targets: Vec<TargetInput>,
    pub reporting_rules: Vec<RuleInput>,
}

/// Changes to a plan: `None` keeps a field; `Some(None)` clears an optional one.
#[derive(Clone, Debug, Default)]
pub struct PlanPatch {
    pub document_number: Option<Option<String>>,
    pub title: Option<String>,
    pub kind: Option<PlanKind>,
    pub issued_on: Option<Option<NaiveDate>>,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub orientation_year: Option<Option<i32>>,
    pub signatory_name: Option<Option<String>>,
    pub signatory_title: Option<Option<String>>,
    pub funding_note: Option<Option<String>>,
    pub implements_plan_ids: Option<Vec<i64>>,
    pub references: Option<Vec<ReferenceInput>>,
    pub targets: Option<Vec<TargetInput>>,
    pub reporting_rules: Option<Vec<RuleInput>>,
}

impl PlanPatch {
    /// The input names of the fields this patch changes.
    fn changed(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut add = |set: bool, name| {
            if set {
                out.push(name);
            }
        };
        add(self.document_number.is_some(), "documentNumber");
        add(self.title.is_some(), "title");
        add(self.kind.is_some(), "kind");
        add(self.issued_on.is_some(), "issuedOn");
        add(self.period_from.is_some(), "periodFrom");
        add(self.period_to.is_some(), "periodTo");
        add(self.orientation_year.is_some(), "orientationYear");
        add(self.signatory_name.is_some(), "signatoryName");
        add(self.signatory_title.is_some(), "signatoryTitle");
        add(self.funding_note.is_some(), "fundingNote");
        add(self.implements_plan_ids.is_some(), "implementsPlanIds");
        add(self.references.is_some(), "references");
        add(self.targets.is_some(), "targets");
        add(self.reporting_rules.is_some(), "reportingRules");
        out
    }

    fn apply(self, mut f: PlanFields) -> PlanFields {
        macro_rules! set {
            ($($field:ident),*) => { $(if let Some(v) = self.$field { f.$field = v; })* };
        }
        set!(
            document_number,
            title,
            kind,
            issued_on,
            period_from,
            period_to,
            orientation_year,
            signatory_name,
            signatory_title,
            funding_note,
            implements_plan_ids,
            references,
            targets,
            reporting_rules
        );
        f
    }
}

fn valid_month_day(s: &str) -> bool {
    let Some((m, d)) = s.split_once('-') else {
        return false;
    };
    if m.len() != 2 || d.len() != 2 {
        return false;
    }
    match (m.parse::<u32>(), d.parse::<u32>()) {
        // 2024 is a leap year, so 02-29 is accepted.
        (Ok(m), Ok(d)) => NaiveDate::from_ymd_opt(2024, m, d).is_some(),
        _ => false,
    }
}

fn valid_indicator_code(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && s.len() <= 64
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Checks and normalises `f` for a plan of `committee_id`. Every id it
/// names is looked up through the caller's scope.
async fn validate(
    w: &Write<'_>,
    committee_id: i64,
    plan_id: Option<i64>,
    f: PlanFields,
) -> Result<PlanFields> {
    let mut c = Check::new();
    let title = c.text(&["input", "title"], &f.title, 500);
    let document_number = c.opt_text(
        &["input", "documentNumber"],
        f.document_number.as_deref(),
        100,
    );
    let signatory_name = c.opt_text(
        &["input", "signatoryName"],
        f.signatory_name.as_deref(),
        200,
    );
    let signatory_title = c.opt_text(
        &["input", "signatoryTitle"],
        f.signatory_title.as_deref(),
        200,
    );
    let funding_note = c.opt_text(&["input", "fundingNote"], f.funding_note.as_deref(), 2000);
    c.range(
        &["input", "periodTo"],
        Some(f.period_from),
        Some(f.period_to),
    );
    c.span(&["input", "periodTo"], f.period_from, f.period_to);
    if let Some(y) = f.orientation_year
        && (y < f.period_to.year() || y > 2100)
    {
        c.fail(
            &["input", "orientationYear"],
            UserErrorCode::InvalidRange,
            "the orientation year must not be before the end of the period",
        );
    }
    let mut references = Vec::new();
    for (i, r) in f.references.iter().enumerate() {
        let i = i.to_string();
        references.push(ReferenceInput {
            document: c.text(&["input", "references", &i, "document"], &r.document, 300),
            issued_on: r.issued_on,
            issuer: c.opt_text(
                &["input", "references", &i, "issuer"],
                r.issuer.as_deref(),
                300,
            ),
        });
    }
    let codes: Vec<String> = f
        .targets
        .iter()
        .map(|t| t.indicator_code.clone())
        .filter(|code| valid_indicator_code(code))
        .collect();
    let db = w.tx();
    let known = crate::service::indicator::by_codes(db, &codes).await?;
    let mut targets = Vec::new();
    for (i, t) in f.targets.iter().enumerate() {
        let i = i.to_string();
        if valid_indicator_code(&t.indicator_code) && !known.contains_key(&t.indicator_code) {
            c.fail(
                &["input", "targets", &i, "indicatorCode"],
                UserErrorCode::UnknownIndicator,
                format!("there is no indicator {:?}", t.indicator_code),
            );
        }
        if !valid_indicator_code(&t.indicator_code) {
            c.fail(
                &["input", "targets", &i, "indicatorCode"],
                UserErrorCode::InvalidCode,
                "an indicator code is lower-case letters, digits and _",
            );
        }
        if !t.value.is_finite()
            || t.value < 0.0
            || (t.unit == TargetUnit::Percent && t.value > 100.0)
        {
            c.fail(
                &["input", "targets", &i, "value"],
                UserErrorCode::OutOfRange,
                "a target is a non-negative number, at most 100 for a percentage",
            );
        }
        targets.push(TargetInput {
            source_text: c.opt_text(
                &["input", "targets", &i, "sourceText"],
                t.source_text.as_deref(),
                2000,
            ),
            ..t.clone()
        });
    }
    let agency_ids: Vec<i64> = f
        .reporting_rules
        .iter()
        .filter_map(|r| r.addressee_agency_id)
        .collect();
    let own: HashMap<i64, i64> = w
        .agencies(&agency_ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a.committee_id))
        .collect();
    let mut rules = Vec::new();
    for (i, r) in f.reporting_rules.iter().enumerate() {
        let i = i.to_string();
        let md = r
            .deadline_month_day
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if let Some(md) = md
            && !valid_month_day(md)
        {
            c.fail(
                &["input", "reportingRules", &i, "deadlineMonthDay"],
                UserErrorCode::InvalidDate,
                "a recurring deadline is MM-DD",
            );
        }
        if r.cadence == Cadence::OneOff && r.deadline_date.is_none() {
            c.fail(
                &["input", "reportingRules", &i, "deadlineDate"],
                UserErrorCode::Required,
                "a one-off report needs a deadline date",
            );
        }
        if let Some(a) = r.addressee_agency_id {
            match own.get(&a) {
                Some(&owner) if owner == committee_id => {}
                Some(_) => c.fail(
                    &["input", "reportingRules", &i, "addresseeAgencyId"],
                    UserErrorCode::ForeignAgency,
                    "the addressee must be an agency of the plan's own committee",
                ),
                None => c.fail(
                    &["input", "reportingRules", &i, "addresseeAgencyId"],
                    UserErrorCode::NotFound,
                    "no agency with this id",
                ),
            }
        }
        rules.push(RuleInput {
            deadline_month_day: md.map(str::to_owned),
            source_text: c.opt_text(
                &["input", "reportingRules", &i, "sourceText"],
                r.source_text.as_deref(),
                2000,
            ),
            ..r.clone()
        });
    }
    // The plans implemented must belong to committees above this one.
    let mut implements = f.implements_plan_ids.clone();
    implements.sort_unstable();
    implements.dedup();
    if !implements.is_empty() {
        let upper: Vec<plan::Model> = w.plans(&implements).await?;
        let ancestors: Vec<i64> = committee_closure::Entity::find()
            .filter(committee_closure::Column::DescendantId.eq(committee_id))
            .filter(committee_closure::Column::Distance.gt(0))
            .all(db)
            .await?
            .into_iter()
            .map(|r| r.ancestor_id)
            .collect();
        for id in &implements {
            match upper.iter().find(|p| p.id == *id) {
                None => c.fail(
                    &["input", "implementsPlanIds"],
                    UserErrorCode::NotFound,
                    "no plan with this id",
                ),
                Some(p) if Some(p.id) == plan_id || !ancestors.contains(&p.committee_id) => c.fail(
                    &["input", "implementsPlanIds"],
                    UserErrorCode::NotUpperPlan,
                    "a plan implements plans of the committees above it",
                ),
                Some(_) => {}
            }
        }
    }
    c.finish()?;
    Ok(PlanFields {
        document_number,
        title,
        signatory_name,
        signatory_title,
        funding_note,
        implements_plan_ids: implements,
        references,
        targets,
        reporting_rules: rules,
        ..f
    })
}

/// Replaces the child rows (links, references, targets, rules) of a plan.
async fn write_children(w: &Write<'_>, plan_id: i64, f: &PlanFields) -> Result<()> {
    let tx = w.tx();
    let unlinked = plan_link::Entity::delete_many()
        .filter(plan_link::Column::PlanId.eq(plan_id))
        .exec(tx)
        .await?;
    if unlinked.rows_affected > 0 || !f.implements_plan_ids.is_empty() {
        w.notify(crate::service::write::Notice::ScopeChanged);
    }
    plan_reference::Entity::delete_many()
        .filter(plan_reference::Column::PlanId.eq(plan_id))
        .exec(tx)
        .await?;
    plan_target::Entity::delete_many()
        .filter(plan_target::Column::PlanId.eq(plan_id))
        .exec(tx)
        .await?;
    reporting_rule::Entity::delete_many()
        .filter(reporting_rule::Column::PlanId.eq(plan_id))
        .exec(tx)
        .await?;
    for id in &f.implements_plan_ids {
        plan_link::ActiveModel {
            plan_id: Set(plan_id),
            implements_plan_id: Set(*id),
        }
        .insert(tx)
        .await?;
    }
    for r in &f.references {
        plan_reference::ActiveModel {
            plan_id: Set(plan_id),
            document: Set(r.document.clone()),
            issued_on: Set(r.issued_on),
            issuer: Set(r.issuer.clone()),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    for t in &f.targets {
        plan_target::ActiveModel {
            plan_id: Set(plan_id),
            indicator_code: Set(t.indicator_code.clone()),
            comparator: Set(t.comparator),
            value: Set(t.value),
            unit: Set(t.unit),
            source_text: Set(t.source_text.clone()),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    for r in &f.reporting_rules {
        reporting_rule::ActiveModel {
            plan_id: Set(plan_id),
            cadence: Set(r.cadence),
            deadline_month_day: Set(r.deadline_month_day.clone()),
            deadline_date: Set(r.deadline_date),
            addressee_agency_id: Set(r.addressee_agency_id),
            source_text: Set(r.source_text.clone()),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    Ok(())
}

fn search_key(f: &PlanFields) -> String {
    text::fold(&format!(
        "{} | {}",
        f.title,
        f.document_number.as_deref().unwrap_or_default()
    ))
}

/// Creates a DRAFT plan of `committee_id` (an EDITOR of that committee).
pub async fn create(w: &Write<'_>, committee_id: i64, fields: PlanFields) -> Result<plan::Model> {
    let committee = w.committee(committee_id, &["input", "committeeId"]).await?;
    w.may_write(&committee, Role::Editor).await?;
    let p = create_in(w, committee.id, fields).await?;
    w.audit(Some(committee.id), Some((Kind::Plan, p.id)), None, json(&p))
        .await?;
    Ok(p)
}

/// Creates a DRAFT plan of `committee_id`, which the caller has already
/// found and may write (used by [`create`], the cascade and the demo data).
pub async fn create_in(
    w: &Write<'_>,
    committee_id: i64,
    fields: PlanFields,
) -> Result<plan::Model> {
    let f = validate(w, committee_id, None, fields).await?;
    let tx = w.tx();
    let now = Utc::now();
    let saved = plan::ActiveModel {
        committee_id: Set(committee_id),
        document_number: Set(f.document_number.clone()),
        title: Set(f.title.clone()),
        search_key: Set(search_key(&f)),
        kind: Set(f.kind),
        issued_on: Set(f.issued_on),
        period_from: Set(f.period_from),
        period_to: Set(f.period_to),
        orientation_year: Set(f.orientation_year),
        signatory_name: Set(f.signatory_name.clone()),
        signatory_title: Set(f.signatory_title.clone()),
        funding_note: Set(f.funding_note.clone()),
        status: Set(PlanStatus::Draft),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    write_children(w, saved.id, &f).await?;
    Ok(saved)
}

/// The plan `id` (found in the caller's scope), for an EDITOR of its committee.
pub async fn writable(w: &Write<'_>, id: i64, field: &str) -> Result<plan::Model> {
    let p = w.plan(id, &["input", field]).await?;
    w.may_write_id(p.committee_id, Role::Editor).await?;
    Ok(p)
}

/// The identity fields of a stored plan.
pub async fn fields_of(db: &impl ConnectionTrait, p: &plan::Model) -> Result<PlanFields> {
    let implements = plan_link::Entity::find()
        .filter(plan_link::Column::PlanId.eq(p.id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.implements_plan_id)
        .collect();
    let references = plan_reference::Entity::find()
        .filter(plan_reference::Column::PlanId.eq(p.id))
        .order_by_asc(plan_reference::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|r| ReferenceInput {
            document: r.document,
            issued_on: r.issued_on,
            issuer: r.issuer,
        })
        .collect();
    let targets = plan_target::Entity::find()
        .filter(plan_target::Column::PlanId.eq(p.id))
        .order_by_asc(plan_target::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|t| TargetInput {
            comparator: t.comparator,
            unit: t.unit,
            indicator_code: t.indicator_code,
            value: t.value,
            source_text: t.source_text,
        })
        .collect();
    let rules = reporting_rule::Entity::find()
        .filter(reporting_rule::Column::PlanId.eq(p.id))
        .order_by_asc(reporting_rule::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|r| RuleInput {
            cadence: r.cadence,
            deadline_month_day: r.deadline_month_day,
            deadline_date: r.deadline_date,
            addressee_agency_id: r.addressee_agency_id,
            source_text: r.source_text,
        })
        .collect();
    Ok(PlanFields {
        document_number: p.document_number.clone(),
        title: p.title.clone(),
        kind: p.kind,
        issued_on: p.issued_on,
        period_from: p.period_from,
        period_to: p.period_to,
        orientation_year: p.orientation_year,
        signatory_name: p.signatory_name.clone(),
        signatory_title: p.signatory_title.clone(),
        funding_note: p.funding_note.clone(),
        implements_plan_ids: implements,
        references,
        targets,
        reporting_rules: rules,
    })
}

/// Changes a DRAFT plan; an issued or closed plan's identity is frozen.
pub async fn update(w: &Write<'_>, id: i64, patch: PlanPatch) -> Result<plan::Model> {
    let current = writable(w, id, "id").await?;
    let tx = w.tx();
    if current.status != PlanStatus::Draft {
        let changed = patch.changed();
        let field = changed.first().copied().unwrap_or("id");
        return Err(Error::invalid(
            &["input", field],
            UserErrorCode::Frozen,
            format!(
                "the plan is {}: its {} can no longer be changed (only tasks and progress)",
                current.status.as_str().to_lowercase(),
                changed.join(", ")
            ),
        ));
    }
    let fields = patch.apply(fields_of(tx, &current).await?);
    let f = validate(w, current.committee_id, Some(id), fields).await?;
    let before = current.clone();
    let mut m: plan::ActiveModel = current.into();
    m.document_number = Set(f.document_number.clone());
    m.title = Set(f.title.clone());
    m.search_key = Set(search_key(&f));
    m.kind = Set(f.kind);
    m.issued_on = Set(f.issued_on);
    m.period_from = Set(f.period_from);
    m.period_to = Set(f.period_to);
    m.orientation_year = Set(f.orientation_year);
    m.signatory_name = Set(f.signatory_name.clone());
    m.signatory_title = Set(f.signatory_title.clone());
    m.funding_note = Set(f.funding_note.clone());
    m.updated_at = Set(Utc::now());
    let saved = m.update(tx).await?;
    write_children(w, id, &f).await?;
    w.audit(
        Some(saved.committee_id),
        Some((Kind::Plan, id)),
        json(&before),
        json(&saved),
    )
    .await?;
    Ok(saved)
}

/// DRAFT → ISSUED (issued today unless the plan says otherwise) or ISSUED → CLOSED.
pub async fn transition(
    w: &Write<'_>,
    id: i64,
    to: PlanStatus,
    issued_on: Option<NaiveDate>,
) -> Result<plan::Model> {
    let current = writable(w, id, "id").await?;
    let updated = transition_in(w.tx(), current.clone(), to, issued_on).await?;
    w.audit(
        Some(updated.committee_id),
        Some((Kind::Plan, id)),
        json(&current),
        json(&updated),
    )
    .await?;
    Ok(updated)
}

/// The status change itself (also used by the demo data).
pub async fn transition_in(
    tx: &DatabaseTransaction,
    current: plan::Model,
    to: PlanStatus,
    issued_on: Option<NaiveDate>,
) -> Result<plan::Model> {
    let id = current.id;
    let from = current.status;
    let allowed = matches!(
        (from, to),
        (PlanStatus::Draft, PlanStatus::Issued) | (PlanStatus::Issued, PlanStatus::Closed)
    );
    if !allowed {
        return Err(Error::invalid(
            &["input", "id"],
            UserErrorCode::InvalidTransition,
            format!("a {from} plan cannot become {to}"),
        ));
    }
    let issued = current
        .issued_on
        .or(issued_on)
        .unwrap_or_else(crate::service::today);
    let mut m: plan::ActiveModel = current.into();
    m.status = Set(to);
    if to == PlanStatus::Issued {
        m.issued_on = Set(Some(issued));
    }
    m.updated_at = Set(Utc::now());
    let updated = m.update(tx).await?;
    if to == PlanStatus::Issued {
        crate::service::report::expect_for_plan(tx, id).await?;
        use crate::service::webhooks::{self, EventType};
        webhooks::enqueue(
            tx,
            EventType::PlanIssued,
            updated.committee_id,
            serde_json::json!({
                "planId": crate::ids::encode(Kind::Plan, updated.id),
                "committeeId": crate::ids::encode(Kind::Committee, updated.committee_id),
            }),
        )
        .await?;
    }
    Ok(updated)
}

/// Adds a section; its parent is the longest existing section number that
/// prefixes it ("II.2" is the parent of "II.2.1").
pub async fn add_section(
    w: &Write<'_>,
    plan_id: i64,
    number: &str,
    title: &str,
) -> Result<plan_section::Model> {
    let p = writable(w, plan_id, "planId").await?;
    let mut c = Check::new();
    let number = c.text(&["input", "number"], number, 32);
    let title = c.text(&["input", "title"], title, 500);
    c.finish()?;
    if p.status == PlanStatus::Closed {
        return Err(Error::invalid(
            &["input", "planId"],
            UserErrorCode::Closed,
            "the plan is closed",
        ));
    }
    let s = insert_section(w.tx(), plan_id, &number, &title).await?;
    w.audit(
        Some(p.committee_id),
        Some((Kind::Plan, plan_id)),
        None,
        json(&s),
    )
    .await?;
    Ok(s)
}

pub async fn insert_section(
    tx: &DatabaseTransaction,
    plan_id: i64,
    number: &str,
    title: &str,
) -> Result<plan_section::Model> {
    let existing = plan_section::Entity::find()
        .filter(plan_section::Column::PlanId.eq(plan_id))
        .all(tx)
        .await?;
    if existing.iter().any(|s| s.number == number) {
        return Err(Error::invalid(
            &["input", "number"],
            UserErrorCode::Duplicate,
            "the plan already has a section with this number",
        ));
    }
    let parent = existing
        .iter()
        .filter(|s| number.starts_with(&format!("{}.", s.number)))
        .max_by_key(|s| s.number.len())
        .map(|s| s.id);
    Ok(plan_section::ActiveModel {
        plan_id: Set(plan_id),
        parent_id: Set(parent),
        number: Set(number.to_owned()),
        title: Set(title.to_owned()),
        position: Set(i32::try_from(existing.len()).unwrap_or(i32::MAX)),
        ..Default::default()
    }
    .insert(tx)
    .await?)
}

/// Filters of plan lists.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct PlanFilter {
    pub committee_id: Option<i64>,
    pub include_subtree: bool,
    pub status: Option<PlanStatus>,
    pub active_on: Option<NaiveDate>,
    pub title_contains: Option<String>,
    pub implements_plan_id: Option<i64>,
}

fn visible(scope: &Scope) -> sea_orm::Condition {
    scope.plan_visible(
        Expr::col((plan::Entity, plan::Column::Id)),
        Expr::col((plan::Entity, plan::Column::CommitteeId)),
    )
}

impl PlanFilter {
    fn apply(&self, scope: &Scope, mut s: Select<plan::Entity>) -> Select<plan::Entity> {
        s = s.filter(visible(scope));
        if let Some(c) = self.committee_id {
            s = s.filter(crate::service::hierarchy::at_committee(
                plan::Column::CommitteeId,
                c,
                self.include_subtree,
            ));
        }
        if let Some(st) = self.status {
            s = s.filter(plan::Column::Status.eq(st.as_str()));
        }
        if let Some(d) = self.active_on {
            s = s
                .filter(plan::Column::PeriodFrom.lte(d))
                .filter(plan::Column::PeriodTo.gte(d));
        }
        if let Some(t) = self
            .title_contains
            .as_deref()
            .filter(|t| !t.trim().is_empty())
        {
            s = s.filter(
                Expr::col((plan::Entity, plan::Column::SearchKey))
                    .like(LikeExpr::new(text::like_pattern(t)).escape('\\')),
            );
        }
        if let Some(up) = self.implements_plan_id {
            s = s.filter(
                plan::Column::Id.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(plan_link::Column::PlanId)
                        .from(plan_link::Entity)
                        .and_where(plan_link::Column::ImplementsPlanId.eq(up))
                        .to_owned(),
                ),
            );
        }
        s
    }
}

/// Plans newest period first.
fn ordering() -> Ordering {
    Ordering {
        key: Expr::col((plan::Entity, plan::Column::Id)),
        id: Expr::col((plan::Entity, plan::Column::Id)),
        desc: true,
    }
}

fn cursor(p: &plan::Model) -> Cursor {
    Cursor {
        key: Key::Int(p.id),
        id: p.id,
    }
}

pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &PlanFilter,
    args: &PageArgs,
) -> Result<Page<plan::Model>> {
    page::fetch(
        db,
        filter.apply(scope, plan::Entity::find()),
        &ordering(),
        args,
        cursor,
    )
    .await
}

pub async fn count(db: &impl ConnectionTrait, scope: &Scope, filter: &PlanFilter) -> Result<i64> {
    page::count(db, filter.apply(scope, plan::Entity::find())).await
}

/// A page of plans per committee, in one statement.
pub async fn pages_by_committee(
    db: &impl ConnectionTrait,
    scope: &Scope,
    committees: &[i64],
    filter: &PlanFilter,
    args: &PageArgs,
) -> Result<HashMap<i64, Page<plan::Model>>> {
    let s = filter.apply(scope, plan::Entity::find());
    let partition = Expr::col((plan::Entity, plan::Column::CommitteeId));
    page::fetch_partitioned(db, s, partition, committees, &ordering(), args, cursor).await
}

pub async fn counts_by_committee(
    db: &impl ConnectionTrait,
    scope: &Scope,
    committees: &[i64],
    filter: &PlanFilter,
) -> Result<HashMap<i64, i64>> {
    let s = filter.apply(
        scope,
        plan::Entity::find().filter(batch::id_in(
            db,
            plan::Column::CommitteeId,
            committees.iter().copied(),
        )),
    );
    page::count_partitioned(db, s, Expr::col((plan::Entity, plan::Column::CommitteeId))).await
}

/// The plan the caller may read whose document number is `number` ("19/KH-BCĐ138/CP":
/// the number names its issuer too), ignoring case, spaces and diacritics.
pub async fn by_document_number(
    db: &impl ConnectionTrait,
    scope: &Scope,
    number: &str,
) -> Result<Option<plan::Model>> {
    let key = |s: &str| text::fold(s).replace(' ', "");
    let wanted = key(number);
    let Some(first) = number.split('/').next().map(str::trim) else {
        return Ok(None);
    };
    let candidates = plan::Entity::find()
        .filter(plan::Column::DocumentNumber.starts_with(first))
        .filter(visible(scope))
        .all(db)
        .await?;
    Ok(candidates.into_iter().find(|p| {
        p.document_number
            .as_deref()
            .is_some_and(|n| key(n) == wanted)
    }))
}

pub async fn by_ids(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: &[i64],
) -> Result<Vec<plan::Model>> {
    Ok(plan::Entity::find()
        .filter(batch::id_in(db, plan::Column::Id, ids.iter().copied()))
        .filter(visible(scope))
        .all(db)
        .await?)
}

/// The plans each of `ids` implements (a short list per plan).
pub async fn implemented_by(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<plan::Model>>> {
    let links = plan_link::Entity::find()
        .filter(batch::id_in(
            db,
            plan_link::Column::PlanId,
            ids.iter().copied(),
        ))
        .all(db)
        .await?;
    let upper: HashMap<i64, plan::Model> = by_ids(
        db,
        scope,
        &links
            .iter()
            .map(|l| l.implements_plan_id)
            .collect::<Vec<_>>(),
    )
    .await?
    .into_iter()
    .map(|p| (p.id, p))
    .collect();
    let mut out: HashMap<i64, Vec<plan::Model>> = HashMap::new();
    for l in links {
        if let Some(p) = upper.get(&l.implements_plan_id) {
            out.entry(l.plan_id).or_default().push(p.clone());
        }
    }
    Ok(out)
}

pub async fn references(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<plan_reference::Model>>> {
    let mut out: HashMap<i64, Vec<_>> = HashMap::new();
    for r in plan_reference::Entity::find()
        .filter(batch::id_in(
            db,
            plan_reference::Column::PlanId,
            ids.iter().copied(),
        ))
        .order_by_asc(plan_reference::Column::Id)
        .all(db)
        .await?
    {
        out.entry(r.plan_id).or_default().push(r);
    }
    Ok(out)
}

pub async fn targets(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<plan_target::Model>>> {
    let mut out: HashMap<i64, Vec<_>> = HashMap::new();
    for r in plan_target::Entity::find()
        .filter(batch::id_in(
            db,
            plan_target::Column::PlanId,
            ids.iter().copied(),
        ))
        .order_by_asc(plan_target::Column::Id)
        .all(db)
        .await?
    {
        out.entry(r.plan_id).or_default().push(r);
    }
    Ok(out)
}

pub async fn rules(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<reporting_rule::Model>>> {
    let mut out: HashMap<i64, Vec<_>> = HashMap::new();
    for r in reporting_rule::Entity::find()
        .filter(batch::id_in(
            db,
            reporting_rule::Column::PlanId,
            ids.iter().copied(),
        ))
        .order_by_asc(reporting_rule::Column::Id)
        .all(db)
        .await?
    {
        out.entry(r.plan_id).or_default().push(r);
    }
    Ok(out)
}

pub async fn sections(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<plan_section::Model>>> {
    let mut out: HashMap<i64, Vec<_>> = HashMap::new();
    for r in plan_section::Entity::find()
        .filter(batch::id_in(
            db,
            plan_section::Column::PlanId,
            ids.iter().copied(),
        ))
        .order_by_asc(plan_section::Column::Position)
        .all(db)
        .await?
    {
        out.entry(r.plan_id).or_default().push(r);
    }
    Ok(out)
}

pub async fn sections_by_ids(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<plan_section::Model>> {
    Ok(plan_section::Entity::find()
        .filter(batch::id_in(
            db,
            plan_section::Column::Id,
            ids.iter().copied(),
        ))
        .all(db)
        .await?)
}
