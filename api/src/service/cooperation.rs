//! Cross-border cooperation: foreign counterparts and the records of work
//! with them. Only counts of victims and suspects are stored, never who.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use entities::{agency, committee_closure, cooperation_agency, cooperation_record, counterpart};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, Select,
};

use crate::auth::Scope;
use crate::error::Result;
use crate::error::UserErrorCode;
use crate::ids::Kind;
use crate::service::audit::json;
use crate::service::batch;
use crate::service::enums::CooperationKind;
use crate::service::enums::Role;
use crate::service::hierarchy;
use crate::service::page::{self, Cursor, Key, Ordering, Page, PageArgs};
use crate::service::text;
use crate::service::validate::Check;
use crate::service::write::Write;

/// The ISO 3166-1 alpha-2 code, upper-cased, if it is one.
pub fn country_code(s: &str) -> Option<String> {
    let up = s.trim().to_ascii_uppercase();
    isocountry::CountryCode::for_alpha2(&up).ok().map(|_| up)
}

pub struct NewCounterpart {
    pub country: String,
    pub region: Option<String>,
    pub body_name: String,
}

/// Creates a counterpart, or returns the existing one with the same country
/// and (folded) region and body name (an EDITOR anywhere: counterparts are
/// shared reference data).
pub async fn create_counterpart(
    w: &Write<'_>,
    input: NewCounterpart,
) -> Result<counterpart::Model> {
    w.at_least(Role::Editor)?;
    let c = create_counterpart_in(w.tx(), input).await?;
    w.audit(None, Some((Kind::Counterpart, c.id)), None, json(&c))
        .await?;
    Ok(c)
}

pub async fn create_counterpart_in(
    tx: &DatabaseTransaction,
    input: NewCounterpart,
) -> Result<counterpart::Model> {
    let mut c = Check::new();
    let country = country_code(&input.country);
    if country.is_none() {
        c.fail(
            &["input", "country"],
            UserErrorCode::InvalidCountry,
            "country is an ISO 3166-1 alpha-2 code, such as CN or LA",
        );
    }
    let region = c.opt_text(&["input", "region"], input.region.as_deref(), 200);
    let body_name = c.text(&["input", "bodyName"], &input.body_name, 300);
    c.finish()?;
    let country = country.unwrap_or_default();
    let key = text::fold(&format!(
        "{} | {}",
        region.as_deref().unwrap_or_default(),
        body_name
    ));
    if let Some(existing) = counterpart::Entity::find()
        .filter(counterpart::Column::Country.eq(&country))
        .filter(counterpart::Column::SearchKey.eq(&key))
        .one(tx)
        .await?
    {
        return Ok(existing);
    }
    Ok(counterpart::ActiveModel {
        country: Set(country),
        region: Set(region),
        body_name: Set(body_name),
        search_key: Set(key),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(tx)
    .await?)
}

/// Every field of a cooperation record.
#[derive(Clone, Debug)]
pub struct RecordFields {
    pub committee_id: i64,
    pub counterpart_id: i64,
    pub kind: CooperationKind,
    pub occurred_on: NaiveDate,
    pub title: String,
    pub summary: Option<String>,
    pub agency_ids: Vec<i64>,
    pub victims_repatriated: i32,
    pub suspects_handed_over: i32,
    pub plan_id: Option<i64>,
    pub task_id: Option<i64>,
}

/// Changes to a record; `None` keeps a field, `Some(None)` clears an optional one.
#[derive(Default)]
pub struct RecordPatch {
    pub counterpart_id: Option<i64>,
    pub kind: Option<CooperationKind>,
    pub occurred_on: Option<NaiveDate>,
    pub title: Option<String>,
    pub summary: Option<Option<String>>,
    pub agency_ids: Option<Vec<i64>>,
    pub victims_repatriated: Option<i32>,
    pub suspects_handed_over: Option<i32>,
    pub plan_id: Option<Option<i64>>,
    pub task_id: Option<Option<i64>>,
}

/// Checks and normalises a record's fields; every id is looked up through
/// the caller's scope (out of scope answers as nonexistent).
async fn validate(w: &Write<'_>, f: RecordFields) -> Result<RecordFields> {
    let db = w.tx();
    let mut c = Check::new();
    let title = c.text(&["input", "title"], &f.title, 500);
    let summary = c.opt_text(&["input", "summary"], f.summary.as_deref(), 20_000);
    c.count(&["input", "victimsRepatriated"], f.victims_repatriated);
    c.count(&["input", "suspectsHandedOver"], f.suspects_handed_over);
    if counterpart::Entity::find_by_id(f.counterpart_id)
        .one(db)
        .await?
        .is_none()
    {
        c.fail(
            &["input", "counterpartId"],
            UserErrorCode::NotFound,
            "no counterpart with this id",
        );
    }
    let agencies: HashMap<i64, agency::Model> = w
        .agencies(&f.agency_ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    for (i, id) in f.agency_ids.iter().enumerate() {
        match agencies.get(id) {
            None => c.fail(
                &["input", "agencyIds", &i.to_string()],
                UserErrorCode::NotFound,
                "no agency with this id",
            ),
            Some(a) if a.committee_id != f.committee_id => c.fail(
                &["input", "agencyIds", &i.to_string()],
                UserErrorCode::ForeignAgency,
                format!(
                    "{} is not in the registry of the record's committee",
                    a.name
                ),
            ),
            Some(_) => {}
        }
    }
    // A record serves a plan of its committee or of one above it.
    let ancestors: Vec<i64> = committee_closure::Entity::find()
        .filter(committee_closure::Column::DescendantId.eq(f.committee_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.ancestor_id)
        .collect();
    let mut plan_id = f.plan_id;
    if let Some(t) = f.task_id {
        match w.find_task(t).await? {
            None => c.fail(
                &["input", "taskId"],
                UserErrorCode::NotFound,
                "no task with this id",
            ),
            Some(t) if plan_id.is_some_and(|p| p != t.plan_id) => c.fail(
                &["input", "taskId"],
                UserErrorCode::Mismatch,
                "the task does not belong to the plan",
            ),
            Some(t) => plan_id = Some(t.plan_id),
        }
    }
    if let Some(p) = plan_id {
        match w.find_plan(p).await? {
            None => c.fail(
                &["input", "planId"],
                UserErrorCode::NotFound,
                "no plan with this id",
            ),
            Some(p) if !ancestors.contains(&p.committee_id) => c.fail(
                &["input", "planId"],
                UserErrorCode::NotOwnPlan,
                "the plan belongs to neither the record's committee nor one above it",
            ),
            Some(_) => {}
        }
    }
    c.finish()?;
    Ok(RecordFields {
        title,
        summary,
        plan_id,
        ..f
    })
}

async fn write_agencies(tx: &DatabaseTransaction, record_id: i64, ids: &[i64]) -> Result<()> {
    cooperation_agency::Entity::delete_many()
        .filter(cooperation_agency::Column::RecordId.eq(record_id))
        .exec(tx)
        .await?;
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        cooperation_agency::ActiveModel {
            record_id: Set(record_id),
            agency_id: Set(id),
        }
        .insert(tx)
        .await?;
    }
    Ok(())
}

/// Records a cooperation (an EDITOR of the record's committee).
pub async fn create(w: &Write<'_>, fields: RecordFields) -> Result<cooperation_record::Model> {
    let committee = w
        .committee(fields.committee_id, &["input", "committeeId"])
        .await?;
    w.may_write(&committee, Role::Editor).await?;
    let r = create_in(w, fields).await?;
    w.audit(
        Some(r.committee_id),
        Some((Kind::CooperationRecord, r.id)),
        None,
        json(&r),
    )
    .await?;
    Ok(r)
}

/// Creates a record of a committee the caller may write (also the demo data).
pub async fn create_in(w: &Write<'_>, fields: RecordFields) -> Result<cooperation_record::Model> {
    let f = validate(w, fields).await?;
    let tx = w.tx();
    let now = Utc::now();
    let saved = cooperation_record::ActiveModel {
        committee_id: Set(f.committee_id),
        counterpart_id: Set(f.counterpart_id),
        kind: Set(f.kind),
        occurred_on: Set(f.occurred_on),
        title: Set(f.title.clone()),
        summary: Set(f.summary.clone()),
        victims_repatriated: Set(f.victims_repatriated),
        suspects_handed_over: Set(f.suspects_handed_over),
        plan_id: Set(f.plan_id),
        task_id: Set(f.task_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    write_agencies(tx, saved.id, &f.agency_ids).await?;
    Ok(saved)
}

/// Corrects a record (an EDITOR of its committee).
pub async fn update(w: &Write<'_>, id: i64, p: RecordPatch) -> Result<cooperation_record::Model> {
    let current = w.record(id, &["input", "id"]).await?;
    w.may_write_id(current.committee_id, Role::Editor).await?;
    let before = current.clone();
    let tx = w.tx();
    let agency_ids = match p.agency_ids {
        Some(ids) => ids,
        None => agencies_of(tx, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default(),
    };
    let kind = match p.kind {
        Some(k) => k,
        None => current.kind,
    };
    let f = validate(
        w,
        RecordFields {
            committee_id: current.committee_id,
            counterpart_id: p.counterpart_id.unwrap_or(current.counterpart_id),
            kind,
            occurred_on: p.occurred_on.unwrap_or(current.occurred_on),
            title: p.title.unwrap_or_else(|| current.title.clone()),
            summary: p.summary.unwrap_or_else(|| current.summary.clone()),
            agency_ids,
            victims_repatriated: p.victims_repatriated.unwrap_or(current.victims_repatriated),
            suspects_handed_over: p
                .suspects_handed_over
                .unwrap_or(current.suspects_handed_over),
            plan_id: p.plan_id.unwrap_or(current.plan_id),
            task_id: p.task_id.unwrap_or(current.task_id),
        },
    )
    .await?;
    let mut m: cooperation_record::ActiveModel = current.into();
    m.counterpart_id = Set(f.counterpart_id);
    m.kind = Set(f.kind);
    m.occurred_on = Set(f.occurred_on);
    m.title = Set(f.title.clone());
    m.summary = Set(f.summary.clone());
    m.victims_repatriated = Set(f.victims_repatriated);
    m.suspects_handed_over = Set(f.suspects_handed_over);
    m.plan_id = Set(f.plan_id);
    m.task_id = Set(f.task_id);
    m.updated_at = Set(Utc::now());
    let saved = m.update(tx).await?;
    write_agencies(tx, id, &f.agency_ids).await?;
    w.audit(
        Some(saved.committee_id),
        Some((Kind::CooperationRecord, id)),
        json(&before),
        json(&saved),
    )
    .await?;
    Ok(saved)
}

/// Filters of cooperation-record lists.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct RecordFilter {
    pub country: Option<String>,
    pub kind: Option<CooperationKind>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub committee_id: Option<i64>,
    pub include_subtree: bool,
    pub counterpart_id: Option<i64>,
}

impl RecordFilter {
    fn apply(
        &self,
        scope: &Scope,
        mut s: Select<cooperation_record::Entity>,
    ) -> Select<cooperation_record::Entity> {
        s = s.filter(scope.in_subtree(Expr::col((
            cooperation_record::Entity,
            cooperation_record::Column::CommitteeId,
        ))));
        if let Some(country) = &self.country {
            s = s.filter(
                cooperation_record::Column::CounterpartId.in_subquery(
                    Query::select()
                        .column(counterpart::Column::Id)
                        .from(counterpart::Entity)
                        .and_where(counterpart::Column::Country.eq(country.to_ascii_uppercase()))
                        .to_owned(),
                ),
            );
        }
        if let Some(k) = self.kind {
            s = s.filter(cooperation_record::Column::Kind.eq(k.as_str()));
        }
        if let Some(d) = self.from {
            s = s.filter(cooperation_record::Column::OccurredOn.gte(d));
        }
        if let Some(d) = self.to {
            s = s.filter(cooperation_record::Column::OccurredOn.lte(d));
        }
        if let Some(c) = self.committee_id {
            s = s.filter(hierarchy::at_committee(
                cooperation_record::Column::CommitteeId,
                c,
                self.include_subtree,
            ));
        }
        if let Some(cp) = self.counterpart_id {
            s = s.filter(cooperation_record::Column::CounterpartId.eq(cp));
        }
        s
    }
}

/// Newest first.
fn ordering() -> Ordering {
    Ordering {
        key: Expr::col((cooperation_record::Entity, cooperation_record::Column::Id)),
        id: Expr::col((cooperation_record::Entity, cooperation_record::Column::Id)),
        desc: true,
    }
}

pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &RecordFilter,
    args: &PageArgs,
) -> Result<Page<cooperation_record::Model>> {
    page::fetch(
        db,
        filter.apply(scope, cooperation_record::Entity::find()),
        &ordering(),
        args,
        |r| Cursor {
            key: Key::Int(r.id),
            id: r.id,
        },
    )
    .await
}

pub async fn count(db: &impl ConnectionTrait, scope: &Scope, filter: &RecordFilter) -> Result<i64> {
    page::count(db, filter.apply(scope, cooperation_record::Entity::find())).await
}

pub async fn by_ids(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: &[i64],
) -> Result<Vec<cooperation_record::Model>> {
    Ok(cooperation_record::Entity::find()
        .filter(batch::id_in(
            db,
            cooperation_record::Column::Id,
            ids.iter().copied(),
        ))
        .filter(scope.in_subtree(Expr::col((
            cooperation_record::Entity,
            cooperation_record::Column::CommitteeId,
        ))))
        .all(db)
        .await?)
}

pub async fn counterparts_by_ids(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<counterpart::Model>> {
    Ok(counterpart::Entity::find()
        .filter(batch::id_in(
            db,
            counterpart::Column::Id,
            ids.iter().copied(),
        ))
        .all(db)
        .await?)
}

fn counterpart_select(country: Option<&str>) -> Select<counterpart::Entity> {
    let s = counterpart::Entity::find();
    match country {
        Some(c) => s.filter(counterpart::Column::Country.eq(c.trim().to_ascii_uppercase())),
        None => s,
    }
}

pub async fn count_counterparts(db: &impl ConnectionTrait, country: Option<&str>) -> Result<i64> {
    page::count(db, counterpart_select(country)).await
}

/// Counterparts, in the order they were recorded.
pub async fn counterparts(
    db: &impl ConnectionTrait,
    country: Option<&str>,
    args: &PageArgs,
) -> Result<Page<counterpart::Model>> {
    let s = counterpart_select(country);
    let ordering = Ordering {
        key: Expr::col((counterpart::Entity, counterpart::Column::Id)),
        id: Expr::col((counterpart::Entity, counterpart::Column::Id)),
        desc: false,
    };
    page::fetch(db, s, &ordering, args, |r| Cursor {
        key: Key::Int(r.id),
        id: r.id,
    })
    .await
}

/// The agency ids of each record.
pub async fn agencies_of(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, Vec<i64>>> {
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    for r in cooperation_agency::Entity::find()
        .filter(batch::id_in(
            db,
            cooperation_agency::Column::RecordId,
            ids.iter().copied(),
        ))
        .all(db)
        .await?
    {
        out.entry(r.record_id).or_default().push(r.agency_id);
    }
    Ok(out)
}
