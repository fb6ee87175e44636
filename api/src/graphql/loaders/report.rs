//! Reports, indicators and the rollups over them.

use super::*;
use entities::{committee, report, report_value};

/// An indicator by code (reference data, open to every reader).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IndicatorCode(pub String);

by_id_loader!(
    IndicatorCode,
    entities::indicator::Model,
    |db, _scope, keys| {
        let codes: Vec<String> = keys.iter().map(|k| k.0.clone()).collect();
        Ok(crate::service::indicator::by_codes(db, &codes)
            .await?
            .into_iter()
            .map(|(code, i)| (IndicatorCode(code), i))
            .collect())
    }
);

/// A page of a committee's reports.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReportPageKey {
    pub committee: i64,
    pub filter: ReportFilter,
    pub args: PageArgs,
}

impl Batched for ReportPageKey {
    type Spec = (ReportFilter, PageArgs);
    fn split(&self) -> (i64, Self::Spec) {
        (self.committee, (self.filter.clone(), self.args.clone()))
    }
}

by_id_loader!(
    ReportPageKey,
    Arc<Page<report::Model>>,
    |db, scope, keys| {
        let mut out = HashMap::new();
        for ((filter, args), committees) in groups(keys) {
            let mut pages =
                reports::pages_by_committee(db, scope, &committees, &filter, &args).await?;
            for committee in committees {
                let page = pages
                    .remove(&committee)
                    .unwrap_or_else(|| Page::empty(&args));
                let key = ReportPageKey {
                    committee,
                    filter: filter.clone(),
                    args: args.clone(),
                };
                out.insert(key, Arc::new(page));
            }
        }
        Ok(out)
    }
);

id_key!(
    /// Report by id.
    ReportId,
    /// A report's values.
    ReportValues,
    /// A plan and the plans implementing it, transitively.
    PlanFamily,
);

by_key!(
    ReportId,
    report::Model,
    reports::by_ids,
    |m: &report::Model| m.id
);
grouped!(open ReportValues, Vec<report_value::Model>, reports::values);

by_id_loader!(PlanFamily, Vec<i64>, |db, _scope, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    let families = rollup::plan_families(db, &ids).await?;
    Ok(keys
        .iter()
        .filter_map(|k| families.get(&k.0).map(|f| (*k, f.clone())))
        .collect::<HashMap<_, _>>())
});

/// Splits grouped rollup rows by the committee they were asked for.
fn per_committee<V>(rows: HashMap<GroupKey, V>) -> HashMap<i64, Vec<(GroupKey, V)>> {
    let mut out: HashMap<i64, Vec<(GroupKey, V)>> = HashMap::new();
    for (k, v) in rows {
        out.entry(k.committee).or_default().push((k, v));
    }
    out
}

/// Indicator sums of a committee's subtree, own reports, children or levels.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SumKey {
    pub committee: i64,
    pub grouping: Grouping,
    pub selection: Selection,
    pub codes: Vec<String>,
}

impl Batched for SumKey {
    type Spec = (Grouping, Selection, Vec<String>);
    fn split(&self) -> (i64, Self::Spec) {
        (
            self.committee,
            (self.grouping, self.selection.clone(), self.codes.clone()),
        )
    }
}

by_id_loader!(
    SumKey,
    Vec<(GroupKey, HashMap<String, Sum>)>,
    |db, scope, keys| {
        let mut out = HashMap::new();
        for ((grouping, selection, codes), ids) in groups(keys) {
            let rows = rollup::sums(db, scope, &selection, &codes, grouping, &ids).await?;
            let mut per = per_committee(rows);
            for committee in ids {
                let key = SumKey {
                    committee,
                    grouping,
                    selection: selection.clone(),
                    codes: codes.clone(),
                };
                out.insert(key, per.remove(&committee).unwrap_or_default());
            }
        }
        Ok(out)
    }
);

/// Reporting status counts of a committee's subtree, own reports or children.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StatusKey {
    pub committee: i64,
    pub grouping: Grouping,
    pub period: Period,
    pub units: crate::service::enums::Units,
}

impl Batched for StatusKey {
    type Spec = (Grouping, Period, crate::service::enums::Units);
    fn split(&self) -> (i64, Self::Spec) {
        (self.committee, (self.grouping, self.period, self.units))
    }
}

by_id_loader!(
    StatusKey,
    Vec<(GroupKey, StatusCounts)>,
    |db, scope, keys| {
        let mut out = HashMap::new();
        let today = crate::service::today();
        for ((grouping, period, units), ids) in groups(keys) {
            let rows = rollup::status_counts(
                db,
                scope,
                &[period.to_string()],
                units,
                grouping,
                &ids,
                today,
            )
            .await?;
            let mut per = per_committee(rows);
            for committee in ids {
                let key = StatusKey {
                    committee,
                    grouping,
                    period,
                    units,
                };
                out.insert(key, per.remove(&committee).unwrap_or_default());
            }
        }
        Ok(out)
    }
);

/// Task counts of a committee's subtree or children for a family of plans.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TaskCountKey {
    pub committee: i64,
    pub grouping: Grouping,
    pub plans: Vec<i64>,
    pub as_of: chrono::NaiveDate,
}

impl Batched for TaskCountKey {
    type Spec = (Grouping, Vec<i64>, chrono::NaiveDate);
    fn split(&self) -> (i64, Self::Spec) {
        (
            self.committee,
            (self.grouping, self.plans.clone(), self.as_of),
        )
    }
}

by_id_loader!(
    TaskCountKey,
    Vec<(GroupKey, TaskCounts)>,
    |db, scope, keys| {
        let mut out = HashMap::new();
        let today = crate::service::today();
        for ((grouping, plans, as_of), ids) in groups(keys) {
            let selection = rollup::PlanSelection::Ids(plans.clone());
            let rows =
                rollup::task_counts(db, scope, &selection, grouping, &ids, as_of, today).await?;
            let mut per = per_committee(rows);
            for committee in ids {
                let key = TaskCountKey {
                    committee,
                    grouping,
                    plans: plans.clone(),
                    as_of,
                };
                out.insert(key, per.remove(&committee).unwrap_or_default());
            }
        }
        Ok(out)
    }
);

/// The children a rollup lists (see [`rollup::children`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ChildrenKey {
    pub parent: i64,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub units: crate::service::enums::Units,
}

impl Batched for ChildrenKey {
    type Spec = (
        chrono::NaiveDate,
        chrono::NaiveDate,
        crate::service::enums::Units,
    );
    fn split(&self) -> (i64, Self::Spec) {
        (self.parent, (self.from, self.to, self.units))
    }
}

by_id_loader!(ChildrenKey, Vec<committee::Model>, |db, scope, keys| {
    let mut out = HashMap::new();
    for ((from, to, units), parents) in groups(keys) {
        let mut found = rollup::children(db, scope, &parents, from, to, units).await?;
        for parent in parents {
            let key = ChildrenKey {
                parent,
                from,
                to,
                units,
            };
            out.insert(key, found.remove(&parent).unwrap_or_default());
        }
    }
    Ok(out)
});
