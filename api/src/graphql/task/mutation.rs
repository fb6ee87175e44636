//! Mutations on tasks and their progress.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};

use crate::graphql::enums::{TaskCategory, TaskStatus};
use crate::graphql::ids::{NodeKind, input_id, input_ids};
use crate::graphql::payload::UserError;
use crate::graphql::scalars::Date;
use crate::graphql::task::{ProgressUpdate, Task};
use crate::graphql::write::{mutate, patch, payload};
use crate::service::task::{self as tasks, NewTask, Progress, TaskPatch};

#[derive(InputObject)]
pub struct CreateTaskInput {
    pub plan_id: ID,
    pub section_number: Option<String>,
    pub number: String,
    pub title: String,
    pub description: Option<String>,
    pub category: TaskCategory,
    #[graphql(default)]
    pub lead_agency_ids: Vec<ID>,
    #[graphql(default)]
    pub coordinating_agency_ids: Vec<ID>,
    #[graphql(default)]
    pub all_relevant_agencies: bool,
    pub window_from: Option<Date>,
    pub window_to: Option<Date>,
    pub due_on: Option<Date>,
    /// The upper-level task this one carries out.
    pub implements_task_id: Option<ID>,
}

/// Corrections to a task; absent fields stay, `null` clears. Agency lists replace.
#[derive(InputObject)]
pub struct UpdateTaskInput {
    pub id: ID,
    pub number: Option<String>,
    pub title: Option<String>,
    pub description: MaybeUndefined<String>,
    pub category: Option<TaskCategory>,
    pub lead_agency_ids: Option<Vec<ID>>,
    pub coordinating_agency_ids: Option<Vec<ID>>,
    pub all_relevant_agencies: Option<bool>,
    pub window_from: MaybeUndefined<Date>,
    pub window_to: MaybeUndefined<Date>,
    pub due_on: MaybeUndefined<Date>,
    pub implements_task_id: MaybeUndefined<ID>,
}

payload!(TaskPayload { task: Task });

#[derive(InputObject)]
pub struct ReportTaskProgressInput {
    pub task_id: ID,
    /// The task's `version` as the reporter last saw it; a stale one is a CONFLICT.
    pub expected_version: i32,
    pub percent: i32,
    pub status: TaskStatus,
    pub note: Option<String>,
}

#[derive(SimpleObject)]
pub struct ReportTaskProgressPayload {
    pub task: Option<Task>,
    pub progress_update: Option<ProgressUpdate>,
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct TaskMutation;

#[Object]
impl TaskMutation {
    /// Adds a task to a plan that is not closed.
    async fn create_task(&self, ctx: &Context<'_>, input: CreateTaskInput) -> Result<TaskPayload> {
        Ok(mutate(ctx, "createTask", async |w| {
            let new = NewTask {
                plan_id: input_id(&input.plan_id, NodeKind::Plan, "planId")?,
                section_number: input.section_number,
                number: input.number,
                title: input.title,
                description: input.description,
                category: input.category.into(),
                lead_agency_ids: input_ids(
                    &input.lead_agency_ids,
                    NodeKind::Agency,
                    "leadAgencyIds",
                )?,
                coordinating_agency_ids: input_ids(
                    &input.coordinating_agency_ids,
                    NodeKind::Agency,
                    "coordinatingAgencyIds",
                )?,
                all_relevant_agencies: input.all_relevant_agencies,
                window_from: input.window_from.map(|d| d.0),
                window_to: input.window_to.map(|d| d.0),
                due_on: input.due_on.map(|d| d.0),
                implements_task_id: input
                    .implements_task_id
                    .as_ref()
                    .map(|id| input_id(id, NodeKind::Task, "implementsTaskId"))
                    .transpose()?,
            };
            tasks::create(w, new).await
        })
        .await?
        .into())
    }

    /// Corrects a task of a plan that is not closed.
    async fn update_task(&self, ctx: &Context<'_>, input: UpdateTaskInput) -> Result<TaskPayload> {
        Ok(mutate(ctx, "updateTask", async |w| {
            let id = input_id(&input.id, NodeKind::Task, "id")?;
            let implements = match patch(input.implements_task_id) {
                None => None,
                Some(None) => Some(None),
                Some(Some(t)) => Some(Some(input_id(&t, NodeKind::Task, "implementsTaskId")?)),
            };
            let patch = TaskPatch {
                number: input.number,
                title: input.title,
                description: patch(input.description),
                category: input.category.map(Into::into),
                lead_agency_ids: input
                    .lead_agency_ids
                    .as_deref()
                    .map(|ids| input_ids(ids, NodeKind::Agency, "leadAgencyIds"))
                    .transpose()?,
                coordinating_agency_ids: input
                    .coordinating_agency_ids
                    .as_deref()
                    .map(|ids| input_ids(ids, NodeKind::Agency, "coordinatingAgencyIds"))
                    .transpose()?,
                all_relevant_agencies: input.all_relevant_agencies,
                window_from: patch(input.window_from).map(|d| d.map(|d| d.0)),
                window_to: patch(input.window_to).map(|d| d.map(|d| d.0)),
                due_on: patch(input.due_on).map(|d| d.map(|d| d.0)),
                implements_task_id: implements,
            };
            tasks::update(w, id, patch).await
        })
        .await?
        .into())
    }

    /// Appends to a task's progress history and updates the task, in one
    /// transaction. A stale `expectedVersion` is a CONFLICT error and changes nothing.
    async fn report_task_progress(
        &self,
        ctx: &Context<'_>,
        input: ReportTaskProgressInput,
    ) -> Result<ReportTaskProgressPayload> {
        let (value, user_errors) = mutate(ctx, "reportTaskProgress", async |w| {
            let progress = Progress {
                task_id: input_id(&input.task_id, NodeKind::Task, "taskId")?,
                expected_version: input.expected_version,
                percent: input.percent,
                status: input.status.into(),
                note: input.note,
            };
            tasks::report_progress(w, progress).await
        })
        .await?;
        let (task, progress_update) = match value {
            Some((t, p)) => (Some(Task(t)), Some(ProgressUpdate(p))),
            None => (None, None),
        };
        Ok(ReportTaskProgressPayload {
            task,
            progress_update,
            user_errors,
        })
    }
}
