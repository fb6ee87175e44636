//! Tasks: creation and correction, the lead and coordinating agencies, the
//! upper task each implements, the progress history with optimistic
//! versioning, lists over a committee's subtree, and cascading a plan to
//! subordinate committees.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use entities::{
    agency, committee_closure, plan, plan_link, plan_section, task, task_agency, task_progress,
};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseTransaction, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

use crate::auth::Scope;
use crate::error::UserErrorCode;
use crate::error::{Error, Result};
use crate::ids::Kind;
use crate::service::audit::json;
use crate::service::batch;
use crate::service::enums::Role;
use crate::service::enums::{PlanStatus, TaskAgencyRole, TaskCategory, TaskStatus};
use crate::service::hierarchy;
use crate::service::page::{self, Cursor, Key, Ordering, Page, PageArgs};
use crate::service::plan as plans;
use crate::service::validate::Check;
use crate::service::write::{self, Write};

pub struct NewTask {
    pub plan_id: i64,
    pub section_number: Option<String>,
    pub number: String,
    pub title: String,
    pub description: Option<String>,
    pub category: TaskCategory,
    pub lead_agency_ids: Vec<i64>,
    pub coordinating_agency_ids: Vec<i64>,
    pub all_relevant_agencies: bool,
    pub window_from: Option<NaiveDate>,
    pub window_to: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub implements_task_id: Option<i64>,
}

/// Changes to a task: `None` keeps a field; `Some(None)` clears an optional one.
#[derive(Default)]
pub struct TaskPatch {
    pub number: Option<String>,
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub category: Option<TaskCategory>,
    pub lead_agency_ids: Option<Vec<i64>>,
    pub coordinating_agency_ids: Option<Vec<i64>>,
    pub all_relevant_agencies: Option<bool>,
    pub window_from: Option<Option<NaiveDate>>,
    pub window_to: Option<Option<NaiveDate>>,
    pub due_on: Option<Option<NaiveDate>>,
    pub implements_task_id: Option<Option<i64>>,
}

/// Checks that every agency is an active agency of the plan's committee.
/// An agency the caller may not read answers like one that does not exist.
async fn check_agencies(
    w: &Write<'_>,
    c: &mut Check,
    committee_id: i64,
    field: &str,
    ids: &[i64],
) -> Result<()> {
    let found: HashMap<i64, agency::Model> = w
        .agencies(ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    for (i, id) in ids.iter().enumerate() {
        let i = i.to_string();
        match found.get(id) {
            None => c.fail(
                &["input", field, &i],
                UserErrorCode::NotFound,
                "no agency with this id",
            ),
            Some(a) if a.committee_id != committee_id => c.fail(
                &["input", field, &i],
                UserErrorCode::ForeignAgency,
                format!("{} is not in the registry of the plan's committee", a.name),
            ),
            Some(a) if !a.active => c.fail(
                &["input", field, &i],
                UserErrorCode::Inactive,
                format!("{} is inactive", a.name),
            ),
            Some(_) => {}
        }
    }
    Ok(())
}

/// Checks that `upper` is a task of a plan that `plan_id` implements (and
/// that the caller may read: otherwise it answers as nonexistent).
async fn check_implements(w: &Write<'_>, c: &mut Check, plan_id: i64, upper: i64) -> Result<()> {
    let db = w.tx();
    let Some(t) = w.find_task(upper).await? else {
        c.fail(
            &["input", "implementsTaskId"],
            UserErrorCode::NotFound,
            "no task with this id",
        );
        return Ok(());
    };
    let linked = plan_link::Entity::find()
        .filter(plan_link::Column::PlanId.eq(plan_id))
        .filter(plan_link::Column::ImplementsPlanId.eq(t.plan_id))
        .one(db)
        .await?
        .is_some();
    if !linked {
        c.fail(
            &["input", "implementsTaskId"],
            UserErrorCode::NotUpperTask,
            "the task must belong to a plan that this task's plan implements",
        );
    }
    Ok(())
}

async fn write_agencies(
    tx: &DatabaseTransaction,
    task_id: i64,
    lead: &[i64],
    coordinating: &[i64],
) -> Result<()> {
    task_agency::Entity::delete_many()
        .filter(task_agency::Column::TaskId.eq(task_id))
        .exec(tx)
        .await?;
    let mut seen = Vec::new();
    for (ids, role) in [
        (lead, TaskAgencyRole::Lead),
        (coordinating, TaskAgencyRole::Coordinating),
    ] {
        for id in ids {
            if seen.contains(id) {
                continue;
            }
            seen.push(*id);
            task_agency::ActiveModel {
                task_id: Set(task_id),
                agency_id: Set(*id),
                role: Set(role),
            }
            .insert(tx)
            .await?;
        }
    }
    Ok(())
}

/// Adds a task to a plan that is not closed (an EDITOR of the plan's committee).
pub async fn create(w: &Write<'_>, input: NewTask) -> Result<task::Model> {
    plans::writable(w, input.plan_id, "planId").await?;
    let t = create_in(w, input).await?;
    w.audit(
        Some(t.committee_id),
        Some((Kind::Task, t.id)),
        None,
        json(&t),
    )
    .await?;
    Ok(t)
}

/// Creates a task in a plan the caller may write (used by [`create`], the
/// cascade and the demo data).
pub async fn create_in(w: &Write<'_>, input: NewTask) -> Result<task::Model> {
    let tx = w.tx();
    let p = w.plan(input.plan_id, &["input", "planId"]).await?;
    let mut c = Check::new();
    if p.status == PlanStatus::Closed {
        c.fail(
            &["input", "planId"],
            UserErrorCode::Closed,
            "the plan is closed",
        );
    }
    let number = c.text(&["input", "number"], &input.number, 32);
    let title = c.text(&["input", "title"], &input.title, 500);
    let description = c.opt_text(
        &["input", "description"],
        input.description.as_deref(),
        20_000,
    );
    c.range(&["input", "windowTo"], input.window_from, input.window_to);
    check_agencies(
        w,
        &mut c,
        p.committee_id,
        "leadAgencyIds",
        &input.lead_agency_ids,
    )
    .await?;
    check_agencies(
        w,
        &mut c,
        p.committee_id,
        "coordinatingAgencyIds",
        &input.coordinating_agency_ids,
    )
    .await?;
    if let Some(upper) = input.implements_task_id {
        check_implements(w, &mut c, p.id, upper).await?;
    }
    let section = match input
        .section_number
        .as_deref()
        .filter(|n| c.plain(&["input", "sectionNumber"], n))
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(n) => {
            let s = plan_section::Entity::find()
                .filter(plan_section::Column::PlanId.eq(p.id))
                .filter(plan_section::Column::Number.eq(n))
                .one(tx)
                .await?;
            if s.is_none() {
                c.fail(
                    &["input", "sectionNumber"],
                    UserErrorCode::NotFound,
                    "the plan has no section with this number",
                );
            }
            s.map(|s| s.id)
        }
    };
    c.finish()?;
    let position = task::Entity::find()
        .filter(task::Column::PlanId.eq(p.id))
        .all(tx)
        .await?
        .len();
    let now = Utc::now();
    let saved = task::ActiveModel {
        plan_id: Set(p.id),
        committee_id: Set(p.committee_id),
        section_id: Set(section),
        position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        number: Set(number),
        title: Set(title),
        description: Set(description),
        category: Set(input.category),
        all_relevant_agencies: Set(input.all_relevant_agencies),
        window_from: Set(input.window_from),
        window_to: Set(input.window_to),
        due_on: Set(input.due_on),
        status: Set(TaskStatus::NotStarted),
        percent: Set(0),
        version: Set(1),
        implements_task_id: Set(input.implements_task_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    write_agencies(
        tx,
        saved.id,
        &input.lead_agency_ids,
        &input.coordinating_agency_ids,
    )
    .await?;
    Ok(saved)
}

async fn find(db: &impl ConnectionTrait, id: i64, field: &str) -> Result<task::Model> {
    task::Entity::find_by_id(id).one(db).await?.ok_or_else(|| {
        Error::invalid(
            &["input", field],
            UserErrorCode::NotFound,
            "no task with this id",
        )
    })
}

/// Corrects a task's description, agencies or dates (allowed while the plan
/// is not closed; an EDITOR of the task's committee).
pub async fn update(w: &Write<'_>, id: i64, patch: TaskPatch) -> Result<task::Model> {
    let current = w.task(id, &["input", "id"]).await?;
    w.may_write_id(current.committee_id, Role::Editor).await?;
    let before = current.clone();
    let tx = w.tx();
    let result: Result<task::Model> = async {
        let p = w.plan(current.plan_id, &["input", "id"]).await?;
        let mut c = Check::new();
        if p.status == PlanStatus::Closed {
            c.fail(
                &["input", "id"],
                UserErrorCode::Closed,
                "the task's plan is closed",
            );
        }
        let number = patch
            .number
            .as_deref()
            .map(|n| c.text(&["input", "number"], n, 32));
        let title = patch
            .title
            .as_deref()
            .map(|t| c.text(&["input", "title"], t, 500));
        let description = patch
            .description
            .as_ref()
            .map(|d| c.opt_text(&["input", "description"], d.as_deref(), 20_000));
        let window_from = patch.window_from.unwrap_or(current.window_from);
        let window_to = patch.window_to.unwrap_or(current.window_to);
        c.range(&["input", "windowTo"], window_from, window_to);
        if let Some(ids) = &patch.lead_agency_ids {
            check_agencies(w, &mut c, p.committee_id, "leadAgencyIds", ids).await?;
        }
        if let Some(ids) = &patch.coordinating_agency_ids {
            check_agencies(w, &mut c, p.committee_id, "coordinatingAgencyIds", ids).await?;
        }
        if let Some(Some(upper)) = patch.implements_task_id {
            check_implements(w, &mut c, p.id, upper).await?;
        }
        c.finish()?;
        if patch.lead_agency_ids.is_some() || patch.coordinating_agency_ids.is_some() {
            let (lead, coord) = agencies_of(tx, id).await?;
            write_agencies(
                tx,
                id,
                patch.lead_agency_ids.as_deref().unwrap_or(&lead),
                patch.coordinating_agency_ids.as_deref().unwrap_or(&coord),
            )
            .await?;
        }
        let mut m: task::ActiveModel = current.into();
        if let Some(v) = number {
            m.number = Set(v);
        }
        if let Some(v) = title {
            m.title = Set(v);
        }
        if let Some(v) = description {
            m.description = Set(v);
        }
        if let Some(v) = patch.category {
            m.category = Set(v);
        }
        if let Some(v) = patch.all_relevant_agencies {
            m.all_relevant_agencies = Set(v);
        }
        m.window_from = Set(window_from);
        m.window_to = Set(window_to);
        if let Some(v) = patch.due_on {
            m.due_on = Set(v);
        }
        if let Some(v) = patch.implements_task_id {
            m.implements_task_id = Set(v);
        }
        m.updated_at = Set(Utc::now());
        Ok(m.update(tx).await?)
    }
    .await;
    let t = result?;
    w.audit(
        Some(t.committee_id),
        Some((Kind::Task, id)),
        json(&before),
        json(&t),
    )
    .await?;
    Ok(t)
}

async fn agencies_of(db: &impl ConnectionTrait, task_id: i64) -> Result<(Vec<i64>, Vec<i64>)> {
    let rows = task_agency::Entity::find()
        .filter(task_agency::Column::TaskId.eq(task_id))
        .all(db)
        .await?;
    let pick = |role: TaskAgencyRole| {
        rows.iter()
            .filter(|r| r.role == role)
            .map(|r| r.agency_id)
            .collect::<Vec<_>>()
    };
    Ok((
        pick(TaskAgencyRole::Lead),
        pick(TaskAgencyRole::Coordinating),
    ))
}

/// A progress report.
pub struct Progress {
    pub task_id: i64,
    pub expected_version: i32,
    pub percent: i32,
    pub status: TaskStatus,
    pub note: Option<String>,
}

/// Appends to a task's history and updates the task (an EDITOR of the
/// task's committee). The update is conditional on `expected_version`; a
/// stale version changes nothing and is a CONFLICT. Subscribers hear of it
/// once the transaction has committed.
pub async fn report_progress(
    w: &Write<'_>,
    input: Progress,
) -> Result<(task::Model, task_progress::Model)> {
    let before = w.task(input.task_id, &["input", "taskId"]).await?;
    w.may_write_id(before.committee_id, Role::Editor).await?;
    let (t, entry) = report_progress_in(w.tx(), input).await?;
    w.audit(
        Some(t.committee_id),
        Some((Kind::Task, t.id)),
        json(&before),
        json(&t),
    )
    .await?;
    w.task_updated(t.id, t.committee_id).await?;
    Ok((t, entry))
}

/// [`report_progress`] inside `tx`, without publishing.
pub async fn report_progress_in(
    tx: &DatabaseTransaction,
    input: Progress,
) -> Result<(task::Model, task_progress::Model)> {
    let mut c = Check::new();
    if !(0..=100).contains(&input.percent) {
        c.fail(
            &["input", "percent"],
            UserErrorCode::OutOfRange,
            "percent is between 0 and 100",
        );
    }
    if input.status == TaskStatus::Done && input.percent != 100 {
        c.fail(
            &["input", "percent"],
            UserErrorCode::DoneNeeds100,
            "a DONE task is 100 percent complete",
        );
    }
    let note = c.opt_text(&["input", "note"], input.note.as_deref(), 4000);
    c.finish()?;
    let percent = i16::try_from(input.percent).unwrap_or(0);
    let now = Utc::now();
    // The write comes first, so that on SQLite the transaction takes the
    // write lock at once and concurrent writers queue on the busy timeout.
    let updated = task::Entity::update_many()
        .col_expr(task::Column::Percent, Expr::value(percent))
        .col_expr(task::Column::Status, Expr::value(input.status.as_str()))
        .col_expr(
            task::Column::Version,
            Expr::col(task::Column::Version).add(1),
        )
        .col_expr(task::Column::UpdatedAt, Expr::value(now))
        .filter(task::Column::Id.eq(input.task_id))
        .filter(task::Column::Version.eq(input.expected_version))
        .exec(tx)
        .await?;
    if updated.rows_affected == 0 {
        let current = task::Entity::find_by_id(input.task_id).one(tx).await?;
        return Err(match current {
            None => Error::invalid(
                &["input", "taskId"],
                UserErrorCode::NotFound,
                "no task with this id",
            ),
            Some(t) => Error::Conflict(format!(
                "the task was changed meanwhile: it is at version {}, not {}",
                t.version, input.expected_version
            )),
        });
    }
    let entry = task_progress::ActiveModel {
        task_id: Set(input.task_id),
        version: Set(input.expected_version + 1),
        percent: Set(percent),
        status: Set(input.status),
        note: Set(note),
        reported_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    let t = find(tx, input.task_id, "taskId").await?;
    Ok((t, entry))
}

/// Filters of task lists.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TaskFilter {
    pub committee_id: Option<i64>,
    pub include_subtree: bool,
    pub plan_id: Option<i64>,
    pub status: Option<TaskStatus>,
    /// `(true, today)`: due before today and neither DONE nor CANCELLED;
    /// `(false, today)`: every other task.
    pub overdue: Option<(bool, NaiveDate)>,
    pub category: Option<TaskCategory>,
    pub lead_agency_id: Option<i64>,
    pub due_before: Option<NaiveDate>,
    pub due_after: Option<NaiveDate>,
}

fn visible(scope: &Scope) -> Condition {
    scope.plan_visible(
        Expr::col((task::Entity, task::Column::PlanId)),
        Expr::col((task::Entity, task::Column::CommitteeId)),
    )
}

impl TaskFilter {
    pub fn apply(&self, scope: &Scope, mut s: Select<task::Entity>) -> Select<task::Entity> {
        s = s.filter(visible(scope));
        if let Some(c) = self.committee_id {
            s = s.filter(hierarchy::at_committee(
                task::Column::CommitteeId,
                c,
                self.include_subtree,
            ));
        }
        if let Some(p) = self.plan_id {
            s = s.filter(task::Column::PlanId.eq(p));
        }
        if let Some(st) = self.status {
            s = s.filter(task::Column::Status.eq(st.as_str()));
        }
        if let Some((want, today)) = self.overdue {
            let overdue = Condition::all().add(task::Column::DueOn.lt(today)).add(
                task::Column::Status
                    .is_not_in([TaskStatus::Done.as_str(), TaskStatus::Cancelled.as_str()]),
            );
            s = if want {
                s.filter(overdue)
            } else {
                s.filter(
                    Condition::any()
                        .add(task::Column::DueOn.is_null())
                        .add(overdue.not()),
                )
            };
        }
        if let Some(cat) = self.category {
            s = s.filter(task::Column::Category.eq(cat.as_str()));
        }
        if let Some(a) = self.lead_agency_id {
            s = s.filter(
                task::Column::Id.in_subquery(
                    Query::select()
                        .column(task_agency::Column::TaskId)
                        .from(task_agency::Entity)
                        .and_where(task_agency::Column::AgencyId.eq(a))
                        .and_where(task_agency::Column::Role.eq(TaskAgencyRole::Lead.as_str()))
                        .to_owned(),
                ),
            );
        }
        if let Some(d) = self.due_before {
            s = s.filter(task::Column::DueOn.lt(d));
        }
        if let Some(d) = self.due_after {
            s = s.filter(task::Column::DueOn.gt(d));
        }
        s
    }
}

/// Tasks in the order they were written into their plans.
fn ordering() -> Ordering {
    Ordering {
        key: Expr::col((task::Entity, task::Column::Id)),
        id: Expr::col((task::Entity, task::Column::Id)),
        desc: false,
    }
}

fn cursor(t: &task::Model) -> Cursor {
    Cursor {
        key: Key::Int(t.id),
        id: t.id,
    }
}

pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &TaskFilter,
    args: &PageArgs,
) -> Result<Page<task::Model>> {
    page::fetch(
        db,
        filter.apply(scope, task::Entity::find()),
        &ordering(),
        args,
        cursor,
    )
    .await
}

pub async fn count(db: &impl ConnectionTrait, scope: &Scope, filter: &TaskFilter) -> Result<i64> {
    page::count(db, filter.apply(scope, task::Entity::find())).await
}

/// Which column groups a nested task list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TaskParent {
    /// The tasks of a plan.
    Plan,
    /// The lower-level tasks implementing a task.
    Implements,
}

impl TaskParent {
    fn column(self) -> task::Column {
        match self {
            TaskParent::Plan => task::Column::PlanId,
            TaskParent::Implements => task::Column::ImplementsTaskId,
        }
    }
}

pub async fn pages_by_parent(
    db: &impl ConnectionTrait,
    scope: &Scope,
    parent: TaskParent,
    ids: &[i64],
    filter: &TaskFilter,
    args: &PageArgs,
) -> Result<HashMap<i64, Page<task::Model>>> {
    let col = parent.column();
    let s = filter.apply(scope, task::Entity::find());
    page::fetch_partitioned(
        db,
        s,
        Expr::col((task::Entity, col)),
        ids,
        &ordering(),
        args,
        cursor,
    )
    .await
}

pub async fn counts_by_parent(
    db: &impl ConnectionTrait,
    scope: &Scope,
    parent: TaskParent,
    ids: &[i64],
    filter: &TaskFilter,
) -> Result<HashMap<i64, i64>> {
    let col = parent.column();
    let s = filter.apply(
        scope,
        task::Entity::find().filter(batch::id_in(db, col, ids.iter().copied())),
    );
    page::count_partitioned(db, s, Expr::col((task::Entity, col))).await
}

pub async fn by_ids(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: &[i64],
) -> Result<Vec<task::Model>> {
    Ok(task::Entity::find()
        .filter(batch::id_in(db, task::Column::Id, ids.iter().copied()))
        .filter(visible(scope))
        .all(db)
        .await?)
}

/// The agencies of each task with their role, lead first, by name.
pub async fn agencies_by_task(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<(TaskAgencyRole, agency::Model)>>> {
    let rows: Vec<(task_agency::Model, Option<agency::Model>)> = task_agency::Entity::find()
        .find_also_related(agency::Entity)
        .filter(batch::id_in(
            db,
            task_agency::Column::TaskId,
            ids.iter().copied(),
        ))
        .all(db)
        .await?;
    let mut out: HashMap<i64, Vec<(TaskAgencyRole, agency::Model)>> = HashMap::new();
    for (link, a) in rows {
        if let Some(a) = a {
            let role = link.role;
            out.entry(link.task_id).or_default().push((role, a));
        }
    }
    for list in out.values_mut() {
        list.sort_by(|x, y| (x.0, &x.1.search_key).cmp(&(y.0, &y.1.search_key)));
    }
    Ok(out)
}

/// A page of each task's progress history, newest first.
pub async fn progress_pages(
    db: &impl ConnectionTrait,
    ids: &[i64],
    args: &PageArgs,
) -> Result<HashMap<i64, Page<task_progress::Model>>> {
    let s = task_progress::Entity::find();
    let ordering = Ordering {
        key: Expr::col((task_progress::Entity, task_progress::Column::Id)),
        id: Expr::col((task_progress::Entity, task_progress::Column::Id)),
        desc: true,
    };
    let partition = Expr::col((task_progress::Entity, task_progress::Column::TaskId));
    page::fetch_partitioned(db, s, partition, ids, &ordering, args, |p| Cursor {
        key: Key::Int(p.id),
        id: p.id,
    })
    .await
}

pub async fn progress_counts(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, i64>> {
    let s = task_progress::Entity::find().filter(batch::id_in(
        db,
        task_progress::Column::TaskId,
        ids.iter().copied(),
    ));
    page::count_partitioned(
        db,
        s,
        Expr::col((task_progress::Entity, task_progress::Column::TaskId)),
    )
    .await
}

pub async fn progress_by_ids(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: &[i64],
) -> Result<Vec<task_progress::Model>> {
    let rows = task_progress::Entity::find()
        .filter(batch::id_in(
            db,
            task_progress::Column::Id,
            ids.iter().copied(),
        ))
        .all(db)
        .await?;
    let task_ids: Vec<i64> = rows.iter().map(|r| r.task_id).collect();
    let visible: Vec<i64> = by_ids(db, scope, &task_ids)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    Ok(rows
        .into_iter()
        .filter(|r| visible.contains(&r.task_id))
        .collect())
}

/// For each of `ids`, how many tasks implement it and how many of those are DONE.
pub async fn implementation_counts(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: &[i64],
) -> Result<HashMap<i64, (i64, i64)>> {
    let rows: Vec<(i64, i64, i64)> = task::Entity::find()
        .select_only()
        .column(task::Column::ImplementsTaskId)
        .expr_as(Expr::cust("COUNT(*)"), "total")
        .expr_as(
            Expr::cust(format!(
                "SUM(CASE WHEN status = '{}' THEN 1 ELSE 0 END)",
                TaskStatus::Done.as_str()
            )),
            "done",
        )
        .filter(batch::id_in(
            db,
            task::Column::ImplementsTaskId,
            ids.iter().copied(),
        ))
        .filter(visible(scope))
        .group_by(task::Column::ImplementsTaskId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, total, done)| (id, (total, done)))
        .collect())
}

/// Hands `plan_id` to subordinate committees (a COORDINATOR of the plan's
/// committee, to its direct subordinates): for each, a DRAFT plan that
/// implements it, with one task per upper task (number and category kept,
/// lead agency left for the subordinate to choose) and the same targets and
/// sections. A committee that already has such a plan gets it back and
/// nothing is created.
pub async fn cascade(
    w: &Write<'_>,
    plan_id: i64,
    committee_ids: &[i64],
) -> Result<Vec<plan::Model>> {
    let upper = w.plan(plan_id, &["input", "planId"]).await?;
    w.may_write_id(upper.committee_id, Role::Coordinator)
        .await?;
    let visible = w.committees(committee_ids).await?;
    for (i, id) in committee_ids.iter().enumerate() {
        let Some(c) = visible.iter().find(|c| c.id == *id) else {
            return Err(write::not_found(
                &["input", "committeeIds", &i.to_string()],
                "committee",
            ));
        };
        // A plan goes to the committees directly below its own (whose
        // coordinator, or a successor's for a ceased committee, is asking).
        if w.caller().is_some() && c.parent_id != Some(upper.committee_id) {
            return Err(Error::Forbidden);
        }
    }
    let lower = cascade_in(w, plan_id, committee_ids).await?;
    w.audit(
        Some(upper.committee_id),
        Some((Kind::Plan, plan_id)),
        None,
        Some(serde_json::json!({ "plans": lower.iter().map(|p| p.id).collect::<Vec<_>>() })),
    )
    .await?;
    Ok(lower)
}

/// [`cascade`] without the write rule and the audit (also used by the demo data).
pub async fn cascade_in(
    w: &Write<'_>,
    plan_id: i64,
    committee_ids: &[i64],
) -> Result<Vec<plan::Model>> {
    let tx = w.tx();
    {
        let upper = w.plan(plan_id, &["input", "planId"]).await?;
        let mut c = Check::new();
        if upper.status != PlanStatus::Issued {
            c.fail(
                &["input", "planId"],
                UserErrorCode::NotIssued,
                "only an issued plan can be cascaded",
            );
        }
        if committee_ids.is_empty() {
            c.fail(
                &["input", "committeeIds"],
                UserErrorCode::Required,
                "name at least one committee",
            );
        }
        let below: Vec<i64> = committee_closure::Entity::find()
            .filter(committee_closure::Column::AncestorId.eq(upper.committee_id))
            .filter(committee_closure::Column::Distance.gt(0))
            .filter(committee_closure::Column::DescendantId.is_in(committee_ids.iter().copied()))
            .all(tx)
            .await?
            .into_iter()
            .map(|r| r.descendant_id)
            .collect();
        for (i, id) in committee_ids.iter().enumerate() {
            if !below.contains(id) {
                c.fail(
                    &["input", "committeeIds", &i.to_string()],
                    UserErrorCode::NotSubordinate,
                    "a plan is cascaded to committees below its own",
                );
            }
        }
        c.finish()?;
        let fields = plans::fields_of(tx, &upper).await?;
        let sections = plan_section::Entity::find()
            .filter(plan_section::Column::PlanId.eq(plan_id))
            .order_by_asc(plan_section::Column::Position)
            .all(tx)
            .await?;
        let tasks = task::Entity::find()
            .filter(task::Column::PlanId.eq(plan_id))
            .order_by_asc(task::Column::Position)
            .all(tx)
            .await?;
        let mut out = Vec::new();
        let mut seen = Vec::new();
        for &committee_id in committee_ids {
            if seen.contains(&committee_id) {
                continue;
            }
            seen.push(committee_id);
            let existing = plan::Entity::find()
                .filter(plan::Column::CommitteeId.eq(committee_id))
                .filter(
                    plan::Column::Id.in_subquery(
                        Query::select()
                            .column(plan_link::Column::PlanId)
                            .from(plan_link::Entity)
                            .and_where(plan_link::Column::ImplementsPlanId.eq(plan_id))
                            .to_owned(),
                    ),
                )
                .one(tx)
                .await?;
            if let Some(p) = existing {
                out.push(p);
                continue;
            }
            let lower = plans::create_in(
                w,
                committee_id,
                plans::PlanFields {
                    document_number: None,
                    issued_on: None,
                    signatory_name: None,
                    signatory_title: None,
                    implements_plan_ids: vec![plan_id],
                    references: Vec::new(),
                    reporting_rules: Vec::new(),
                    targets: fields.targets.clone(),
                    ..fields.clone()
                },
            )
            .await?;
            for s in &sections {
                plans::insert_section(tx, lower.id, &s.number, &s.title).await?;
            }
            let numbers: HashMap<i64, String> =
                sections.iter().map(|s| (s.id, s.number.clone())).collect();
            for t in &tasks {
                create_in(
                    w,
                    NewTask {
                        plan_id: lower.id,
                        section_number: t.section_id.and_then(|s| numbers.get(&s).cloned()),
                        number: t.number.clone(),
                        title: t.title.clone(),
                        description: t.description.clone(),
                        category: t.category,
                        lead_agency_ids: Vec::new(),
                        coordinating_agency_ids: Vec::new(),
                        all_relevant_agencies: false,
                        window_from: t.window_from,
                        window_to: t.window_to,
                        due_on: t.due_on,
                        implements_task_id: Some(t.id),
                    },
                )
                .await?;
            }
            out.push(lower);
        }
        Ok(out)
    }
}
