//! Plans: by id, a committee's pages, links, references, targets, rules, sections.

use super::*;
use entities::{plan, plan_reference, plan_section, plan_target, reporting_rule};

/// A page of a committee's plans.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PlanPageKey {
    pub committee: i64,
    pub filter: PlanFilter,
    pub args: PageArgs,
}

impl Batched for PlanPageKey {
    type Spec = (PlanFilter, PageArgs);
    fn split(&self) -> (i64, Self::Spec) {
        (self.committee, (self.filter.clone(), self.args.clone()))
    }
}

id_key!(
    /// Plan by id.
    PlanId,
    /// Section by id.
    SectionId,
    /// The plans a plan implements.
    PlanImplements,
    /// A plan's references to outside documents.
    PlanReferences,
    /// A plan's targets.
    PlanTargets,
    /// A plan's reporting rules.
    PlanRules,
    /// A plan's sections.
    PlanSections,
    /// The document a plan was imported from.
    PlanDocument,
);

by_key!(PlanId, plan::Model, plans::by_ids, |m: &plan::Model| m.id);

by_key!(
    open SectionId,
    plan_section::Model,
    plans::sections_by_ids,
    |m: &plan_section::Model| m.id
);
grouped!(PlanImplements, Vec<plan::Model>, plans::implemented_by);
grouped!(open PlanReferences, Vec<plan_reference::Model>, plans::references);
grouped!(open PlanTargets, Vec<plan_target::Model>, plans::targets);
grouped!(open PlanRules, Vec<reporting_rule::Model>, plans::rules);
by_key!(
    open PlanDocument,
    crate::service::plan_import::DocumentInfo,
    crate::service::plan_import::document_infos,
    |m: &crate::service::plan_import::DocumentInfo| m.plan_id
);
grouped!(open PlanSections, Vec<plan_section::Model>, plans::sections);

by_id_loader!(PlanPageKey, Arc<Page<plan::Model>>, |db, scope, keys| {
    let mut out = HashMap::new();
    for ((filter, args), committees) in groups(keys) {
        let mut pages = plans::pages_by_committee(db, scope, &committees, &filter, &args).await?;
        for committee in committees {
            let page = pages
                .remove(&committee)
                .unwrap_or_else(|| Page::empty(&args));
            let key = PlanPageKey {
                committee,
                filter: filter.clone(),
                args: args.clone(),
            };
            out.insert(key, Arc::new(page));
        }
    }
    Ok(out)
});
