//! `Task` and `ProgressUpdate`.

use crate::graphql::scalars::DateTime;
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use entities::{task, task_progress};

use crate::error::Error;
use crate::graphql::agency::Agency;
use crate::graphql::committee::Committee;
use crate::graphql::connection::{self, Conn, cost};
use crate::graphql::enums::{TaskCategory, TaskStatus};
use crate::graphql::ids::{self, NodeKind};
use crate::graphql::loaders::{
    CountKey, ImplementationCount, Loaders, PlanId, ProgressPageKey, SectionId, TaskAgencies,
    TaskId,
};
use crate::graphql::plan::{Plan, PlanSection, nested_tasks};
use crate::graphql::scalars::Date;
use crate::service::enums::{self as svc, TaskAgencyRole};
use crate::service::task::{TaskFilter, TaskParent};
use crate::service::today;

#[derive(Clone, Debug)]
pub struct Task(pub task::Model);

impl From<task::Model> for Task {
    fn from(m: task::Model) -> Self {
        Self(m)
    }
}

/// How an upper task is being carried out below.
#[derive(SimpleObject, Clone, Debug)]
pub struct ImplementationSummary {
    /// Lower-level tasks implementing this one.
    pub total: i64,
    /// Of those, how many are DONE.
    pub done: i64,
}

impl Task {
    async fn agencies(&self, ctx: &Context<'_>, role: TaskAgencyRole) -> Result<Vec<Agency>> {
        let list = ctx.data::<Loaders>()?.one(TaskAgencies(self.0.id)).await?;
        Ok(list
            .unwrap_or_default()
            .into_iter()
            .filter(|(r, _)| *r == role)
            .map(|(_, a)| Agency::new(a))
            .collect())
    }
}

#[Object]
impl Task {
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::Task, self.0.id)
    }

    async fn plan(&self, ctx: &Context<'_>) -> Result<Plan> {
        Ok(ctx
            .data::<Loaders>()?
            .one(PlanId(self.0.plan_id))
            .await?
            .map(Plan)
            .ok_or_else(|| Error::NotFound("plan".to_owned()))?)
    }

    /// The committee whose plan holds the task.
    async fn committee(&self, ctx: &Context<'_>) -> Result<Committee> {
        Committee::of(ctx, self.0.committee_id).await
    }

    async fn section(&self, ctx: &Context<'_>) -> Result<Option<PlanSection>> {
        let Some(id) = self.0.section_id else {
            return Ok(None);
        };
        let s = ctx.data::<Loaders>()?.one(SectionId(id)).await?;
        Ok(s.map(|s| PlanSection {
            number: s.number,
            title: s.title,
            parent_number: None,
        }))
    }

    /// The number as written in the plan ("(3)", "II.2.1.(3)").
    async fn number(&self) -> &str {
        &self.0.number
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    async fn category(&self) -> TaskCategory {
        self.0.category.into()
    }

    /// The agencies in charge (chủ trì).
    async fn lead_agencies(&self, ctx: &Context<'_>) -> Result<Vec<Agency>> {
        self.agencies(ctx, TaskAgencyRole::Lead).await
    }

    /// The agencies that coordinate (phối hợp).
    async fn coordinating_agencies(&self, ctx: &Context<'_>) -> Result<Vec<Agency>> {
        self.agencies(ctx, TaskAgencyRole::Coordinating).await
    }

    /// "All relevant agencies" take part.
    async fn all_relevant_agencies(&self) -> bool {
        self.0.all_relevant_agencies
    }

    async fn window_from(&self) -> Option<Date> {
        self.0.window_from.map(Date)
    }

    async fn window_to(&self) -> Option<Date> {
        self.0.window_to.map(Date)
    }

    async fn due_on(&self) -> Option<Date> {
        self.0.due_on.map(Date)
    }

    async fn status(&self) -> TaskStatus {
        self.0.status.into()
    }

    async fn percent(&self) -> i32 {
        i32::from(self.0.percent)
    }

    /// The version a progress report must name as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// Past its due date and neither DONE nor CANCELLED.
    async fn overdue(&self) -> bool {
        let closed = [
            svc::TaskStatus::Done.as_str(),
            svc::TaskStatus::Cancelled.as_str(),
        ];
        self.0.due_on.is_some_and(|d| d < today()) && !closed.contains(&self.0.status.as_str())
    }

    /// The upper-level task this one carries out.
    async fn implements(&self, ctx: &Context<'_>) -> Result<Option<Task>> {
        let Some(id) = self.0.implements_task_id else {
            return Ok(None);
        };
        Ok(ctx.data::<Loaders>()?.one(TaskId(id)).await?.map(Task))
    }

    /// The lower-level tasks carrying this one out.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn implementations(
        &self,
        ctx: &Context<'_>,
        filter: Option<TaskFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<Task>> {
        let filter = filter.unwrap_or_default().into_service()?;
        nested_tasks(
            ctx,
            TaskParent::Implements,
            self.0.id,
            filter,
            (first, after, last, before),
        )
        .await
    }

    /// How many lower-level tasks implement this one, and how many are done.
    async fn implementation_summary(&self, ctx: &Context<'_>) -> Result<ImplementationSummary> {
        let (total, done) = ctx
            .data::<Loaders>()?
            .one(ImplementationCount(self.0.id))
            .await?
            .unwrap_or((0, 0));
        Ok(ImplementationSummary { total, done })
    }

    /// The progress history, newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn progress_updates(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<ProgressUpdate>> {
        let loaders = ctx.data::<Loaders>()?;
        let args = connection::page_args(first, after, last, before)?;
        let page = loaders
            .page(
                ProgressPageKey {
                    task: self.0.id,
                    args: args.clone(),
                },
                &args,
            )
            .await?;
        Ok(connection::connection(
            page,
            CountKey::Progress { task: self.0.id },
            ProgressUpdate,
        ))
    }

    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}

/// One entry of a task's progress history.
#[derive(Clone, Debug)]
pub struct ProgressUpdate(pub task_progress::Model);

impl From<task_progress::Model> for ProgressUpdate {
    fn from(m: task_progress::Model) -> Self {
        Self(m)
    }
}

#[Object]
impl ProgressUpdate {
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::ProgressUpdate, self.0.id)
    }

    async fn task(&self, ctx: &Context<'_>) -> Result<Task> {
        Ok(ctx
            .data::<Loaders>()?
            .one(TaskId(self.0.task_id))
            .await?
            .map(Task)
            .ok_or_else(|| Error::NotFound("task".to_owned()))?)
    }

    /// The task's version after this update.
    async fn version(&self) -> i32 {
        self.0.version
    }

    async fn percent(&self) -> i32 {
        i32::from(self.0.percent)
    }

    async fn status(&self) -> TaskStatus {
        self.0.status.into()
    }

    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    async fn reported_at(&self) -> DateTime {
        DateTime(self.0.reported_at)
    }
}

/// Filters of task lists.
#[derive(InputObject, Clone, Debug, Default)]
#[graphql(name = "TaskFilter")]
pub struct TaskFilterInput {
    pub committee_id: Option<ID>,
    /// With `committeeId`: also the tasks of every committee below it.
    #[graphql(default)]
    pub include_subtree: bool,
    pub plan_id: Option<ID>,
    pub status: Option<TaskStatus>,
    /// Only tasks past their due date and neither DONE nor CANCELLED (true),
    /// or only the others (false).
    pub overdue: Option<bool>,
    pub category: Option<TaskCategory>,
    /// Tasks this agency leads.
    pub lead_agency_id: Option<ID>,
    /// Due strictly before this date.
    pub due_before: Option<Date>,
    /// Due strictly after this date.
    pub due_after: Option<Date>,
}

impl TaskFilterInput {
    pub fn into_service(self) -> Result<TaskFilter, Error> {
        let id = |id: &Option<ID>, kind| id.as_ref().map(|id| ids::filter_id(id, kind)).transpose();
        Ok(TaskFilter {
            committee_id: id(&self.committee_id, NodeKind::Committee)?,
            include_subtree: self.include_subtree,
            plan_id: id(&self.plan_id, NodeKind::Plan)?,
            status: self.status.map(Into::into),
            overdue: self.overdue.map(|want| (want, today())),
            category: self.category.map(Into::into),
            lead_agency_id: id(&self.lead_agency_id, NodeKind::Agency)?,
            due_before: self.due_before.map(|d| d.0),
            due_after: self.due_after.map(|d| d.0),
        })
    }
}
