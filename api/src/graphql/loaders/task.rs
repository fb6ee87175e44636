//! Tasks: by id, pages under a plan or an upper task, agencies, progress history.

use super::*;
use entities::{agency, task, task_progress};

/// A page of a plan's tasks, or of the tasks implementing a task.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TaskPageKey {
    pub parent: TaskParent,
    pub id: i64,
    pub filter: TaskFilter,
    pub args: PageArgs,
}

impl Batched for TaskPageKey {
    type Spec = (TaskParent, TaskFilter, PageArgs);
    fn split(&self) -> (i64, Self::Spec) {
        (
            self.id,
            (self.parent, self.filter.clone(), self.args.clone()),
        )
    }
}

/// A page of a task's progress history.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ProgressPageKey {
    pub task: i64,
    pub args: PageArgs,
}

impl Batched for ProgressPageKey {
    type Spec = PageArgs;
    fn split(&self) -> (i64, Self::Spec) {
        (self.task, self.args.clone())
    }
}

id_key!(
    /// Task by id.
    TaskId,
    /// Progress entry by id.
    ProgressId,
    /// A task's agencies.
    TaskAgencies,
    /// How many tasks implement a task, and how many of them are done.
    ImplementationCount,
);

by_key!(TaskId, task::Model, tasks::by_ids, |m: &task::Model| m.id);
by_key!(
    ProgressId,
    task_progress::Model,
    tasks::progress_by_ids,
    |m: &task_progress::Model| m.id
);

grouped!(open TaskAgencies, Vec<(TaskAgencyRole, agency::Model)>, tasks::agencies_by_task);
grouped!(
    ImplementationCount,
    (i64, i64),
    tasks::implementation_counts
);

by_id_loader!(TaskPageKey, Arc<Page<task::Model>>, |db, scope, keys| {
    let mut out = HashMap::new();
    for ((parent, filter, args), ids) in groups(keys) {
        let mut pages = tasks::pages_by_parent(db, scope, parent, &ids, &filter, &args).await?;
        for id in ids {
            let page = pages.remove(&id).unwrap_or_else(|| Page::empty(&args));
            let key = TaskPageKey {
                parent,
                id,
                filter: filter.clone(),
                args: args.clone(),
            };
            out.insert(key, Arc::new(page));
        }
    }
    Ok(out)
});

by_id_loader!(
    ProgressPageKey,
    Arc<Page<task_progress::Model>>,
    |db, _scope, keys| {
        let mut out = HashMap::new();
        for (args, ids) in groups(keys) {
            let mut pages = tasks::progress_pages(db, &ids, &args).await?;
            for task in ids {
                let page = pages.remove(&task).unwrap_or_else(|| Page::empty(&args));
                out.insert(
                    ProgressPageKey {
                        task,
                        args: args.clone(),
                    },
                    Arc::new(page),
                );
            }
        }
        Ok(out)
    }
);
