//! Mutations on plans, sections, tasks and progress.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};

use crate::error::Error;
use crate::error::UserErrorCode;
use crate::graphql::enums::{Cadence, Comparator, PlanKind, TargetUnit};
use crate::graphql::ids::{NodeKind, input_id, input_ids};
use crate::graphql::payload::UserError;
use crate::graphql::plan::{Plan, PlanSection};
use crate::graphql::scalars::Date;
use crate::graphql::write::{mutate, patch, payload};
use crate::service::enums::PlanStatus;
use crate::service::plan::{
    self as plans, PlanFields, PlanPatch, ReferenceInput, RuleInput, TargetInput,
};
use crate::service::task::{self as tasks};

#[derive(InputObject, Clone)]
#[graphql(name = "DocumentReferenceInput")]
pub struct ReferenceIn {
    pub document: String,
    pub issued_on: Option<Date>,
    pub issuer: Option<String>,
}

#[derive(InputObject, Clone)]
#[graphql(name = "PlanTargetInput")]
pub struct TargetIn {
    pub indicator_code: String,
    pub comparator: Comparator,
    pub value: f64,
    pub unit: TargetUnit,
    pub source_text: Option<String>,
}

#[derive(InputObject, Clone)]
#[graphql(name = "ReportingRuleInput")]
pub struct RuleIn {
    pub cadence: Cadence,
    /// A recurring deadline, `MM-DD`.
    pub deadline_month_day: Option<String>,
    /// A one-off deadline (required for ONE_OFF).
    pub deadline_date: Option<Date>,
    /// An agency of the plan's own committee.
    pub addressee_agency_id: Option<ID>,
    pub source_text: Option<String>,
}

fn references(list: Vec<ReferenceIn>) -> Vec<ReferenceInput> {
    list.into_iter()
        .map(|r| ReferenceInput {
            document: r.document,
            issued_on: r.issued_on.map(|d| d.0),
            issuer: r.issuer,
        })
        .collect()
}

fn targets(list: Vec<TargetIn>) -> Vec<TargetInput> {
    list.into_iter()
        .map(|t| TargetInput {
            indicator_code: t.indicator_code,
            comparator: t.comparator.into(),
            value: t.value,
            unit: t.unit.into(),
            source_text: t.source_text,
        })
        .collect()
}

fn rules(list: Vec<RuleIn>) -> Result<Vec<RuleInput>, Error> {
    list.into_iter()
        .enumerate()
        .map(|(i, r)| {
            let addressee = r
                .addressee_agency_id
                .as_ref()
                .map(|id| {
                    input_id(id, NodeKind::Agency, "reportingRules").map_err(|_| {
                        Error::invalid(
                            &[
                                "input",
                                "reportingRules",
                                &i.to_string(),
                                "addresseeAgencyId",
                            ],
                            UserErrorCode::InvalidId,
                            "not the id of an Agency",
                        )
                    })
                })
                .transpose()?;
            Ok(RuleInput {
                cadence: r.cadence.into(),
                deadline_month_day: r.deadline_month_day,
                deadline_date: r.deadline_date.map(|d| d.0),
                addressee_agency_id: addressee,
                source_text: r.source_text,
            })
        })
        .collect()
}

#[derive(InputObject)]
pub struct CreatePlanInput {
    /// The issuing committee.
    pub committee_id: ID,
    #[graphql(flatten)]
    pub fields: PlanFieldsIn,
}

/// A plan's identity fields, as `createPlan` and a plan document's
/// corrected draft give them.
#[derive(InputObject)]
pub struct PlanFieldsIn {
    pub document_number: Option<String>,
    pub title: String,
    pub kind: PlanKind,
    pub issued_on: Option<Date>,
    pub period_from: Date,
    pub period_to: Date,
    pub orientation_year: Option<i32>,
    pub signatory_name: Option<String>,
    pub signatory_title: Option<String>,
    pub funding_note: Option<String>,
    /// Plans of committees above this one that the plan implements.
    #[graphql(default)]
    pub implements_plan_ids: Vec<ID>,
    /// Documents outside Hub138 the plan implements.
    #[graphql(default)]
    pub references: Vec<ReferenceIn>,
    #[graphql(default)]
    pub targets: Vec<TargetIn>,
    #[graphql(default)]
    pub reporting_rules: Vec<RuleIn>,
}

impl PlanFieldsIn {
    pub(crate) fn into_fields(self) -> Result<PlanFields, Error> {
        Ok(PlanFields {
            document_number: self.document_number,
            title: self.title,
            kind: self.kind.into(),
            issued_on: self.issued_on.map(|d| d.0),
            period_from: self.period_from.0,
            period_to: self.period_to.0,
            orientation_year: self.orientation_year,
            signatory_name: self.signatory_name,
            signatory_title: self.signatory_title,
            funding_note: self.funding_note,
            implements_plan_ids: input_ids(
                &self.implements_plan_ids,
                NodeKind::Plan,
                "implementsPlanIds",
            )?,
            references: references(self.references),
            targets: targets(self.targets),
            reporting_rules: rules(self.reporting_rules)?,
        })
    }
}

/// Corrections to a DRAFT plan; absent fields stay, `null` clears. Lists replace.
#[derive(InputObject)]
pub struct UpdatePlanInput {
    pub id: ID,
    pub document_number: MaybeUndefined<String>,
    pub title: Option<String>,
    pub kind: Option<PlanKind>,
    pub issued_on: MaybeUndefined<Date>,
    pub period_from: Option<Date>,
    pub period_to: Option<Date>,
    pub orientation_year: MaybeUndefined<i32>,
    pub signatory_name: MaybeUndefined<String>,
    pub signatory_title: MaybeUndefined<String>,
    pub funding_note: MaybeUndefined<String>,
    pub implements_plan_ids: Option<Vec<ID>>,
    pub references: Option<Vec<ReferenceIn>>,
    pub targets: Option<Vec<TargetIn>>,
    pub reporting_rules: Option<Vec<RuleIn>>,
}

#[derive(InputObject)]
pub struct IssuePlanInput {
    pub id: ID,
    /// The issue date, if the plan does not have one yet (default: today).
    pub issued_on: Option<Date>,
}

#[derive(InputObject)]
pub struct ClosePlanInput {
    pub id: ID,
}

payload!(PlanPayload { plan: Plan });

#[derive(InputObject)]
pub struct AddPlanSectionInput {
    pub plan_id: ID,
    /// "II.2.1"; its parent is the existing section whose number prefixes it.
    pub number: String,
    pub title: String,
}

payload!(AddPlanSectionPayload {
    section: PlanSection
});

#[derive(InputObject)]
pub struct CascadePlanInput {
    pub plan_id: ID,
    /// Committees below the plan's committee.
    pub committee_ids: Vec<ID>,
}

#[derive(SimpleObject)]
pub struct CascadePlanPayload {
    /// One plan per committee, in the order asked; existing ones are returned as they are.
    pub plans: Vec<Plan>,
    pub user_errors: Vec<UserError>,
}

/// A plan's status change by its own committee's editor.
async fn move_plan(
    ctx: &Context<'_>,
    id: &ID,
    to: PlanStatus,
    issued_on: Option<chrono::NaiveDate>,
    action: &str,
) -> Result<PlanPayload> {
    Ok(mutate(ctx, action, async |w| {
        let id = input_id(id, NodeKind::Plan, "id")?;
        plans::transition(w, id, to, issued_on).await
    })
    .await?
    .into())
}

#[derive(Default)]
pub struct PlanMutation;

#[Object]
impl PlanMutation {
    /// Creates a DRAFT plan.
    async fn create_plan(&self, ctx: &Context<'_>, input: CreatePlanInput) -> Result<PlanPayload> {
        Ok(mutate(ctx, "createPlan", async |w| {
            let committee_id = input_id(&input.committee_id, NodeKind::Committee, "committeeId")?;
            let fields = input.fields.into_fields()?;
            plans::create(w, committee_id, fields).await
        })
        .await?
        .into())
    }

    /// Corrects a DRAFT plan. An issued plan's fields are frozen (`FROZEN`).
    async fn update_plan(&self, ctx: &Context<'_>, input: UpdatePlanInput) -> Result<PlanPayload> {
        Ok(mutate(ctx, "updatePlan", async |w| {
            let id = input_id(&input.id, NodeKind::Plan, "id")?;
            let patch = PlanPatch {
                document_number: patch(input.document_number),
                title: input.title,
                kind: input.kind.map(Into::into),
                issued_on: patch(input.issued_on).map(|d| d.map(|d| d.0)),
                period_from: input.period_from.map(|d| d.0),
                period_to: input.period_to.map(|d| d.0),
                orientation_year: patch(input.orientation_year),
                signatory_name: patch(input.signatory_name),
                signatory_title: patch(input.signatory_title),
                funding_note: patch(input.funding_note),
                implements_plan_ids: input
                    .implements_plan_ids
                    .as_deref()
                    .map(|ids| input_ids(ids, NodeKind::Plan, "implementsPlanIds"))
                    .transpose()?,
                references: input.references.map(references),
                targets: input.targets.map(targets),
                reporting_rules: input.reporting_rules.map(rules).transpose()?,
            };
            plans::update(w, id, patch).await
        })
        .await?
        .into())
    }

    /// DRAFT → ISSUED.
    async fn issue_plan(&self, ctx: &Context<'_>, input: IssuePlanInput) -> Result<PlanPayload> {
        let issued_on = input.issued_on.map(|d| d.0);
        move_plan(ctx, &input.id, PlanStatus::Issued, issued_on, "issuePlan").await
    }

    /// ISSUED → CLOSED.
    async fn close_plan(&self, ctx: &Context<'_>, input: ClosePlanInput) -> Result<PlanPayload> {
        move_plan(ctx, &input.id, PlanStatus::Closed, None, "closePlan").await
    }

    /// Adds a section to a plan that is not closed.
    async fn add_plan_section(
        &self,
        ctx: &Context<'_>,
        input: AddPlanSectionInput,
    ) -> Result<AddPlanSectionPayload> {
        Ok(mutate(ctx, "addPlanSection", async |w| {
            let plan_id = input_id(&input.plan_id, NodeKind::Plan, "planId")?;
            let s = plans::add_section(w, plan_id, &input.number, &input.title).await?;
            let parent = match s.parent_id {
                Some(p) => plans::sections_by_ids(w.tx(), &[p])
                    .await?
                    .pop()
                    .map(|p| p.number),
                None => None,
            };
            Ok(PlanSection {
                number: s.number,
                title: s.title,
                parent_number: parent,
            })
        })
        .await?
        .into())
    }

    /// Hands an issued plan to subordinate committees: a DRAFT plan each,
    /// implementing it task by task. Asking again returns the same plans.
    async fn cascade_plan(
        &self,
        ctx: &Context<'_>,
        input: CascadePlanInput,
    ) -> Result<CascadePlanPayload> {
        let (plans, user_errors) = mutate(ctx, "cascadePlan", async |w| {
            let plan_id = input_id(&input.plan_id, NodeKind::Plan, "planId")?;
            let committees = input_ids(&input.committee_ids, NodeKind::Committee, "committeeIds")?;
            tasks::cascade(w, plan_id, &committees).await
        })
        .await?;
        Ok(CascadePlanPayload {
            plans: plans.unwrap_or_default().into_iter().map(Plan).collect(),
            user_errors,
        })
    }
}
