//! Mutations on periodic reports: save (draft), submit, approve, return.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};

use crate::error::Error;
use crate::graphql::guard::{Writer, writer};
use crate::graphql::ids::{NodeKind, input_id};
use crate::graphql::scalars::Period;
use crate::graphql::types::payload::{UserError, split};
use crate::graphql::types::report::Report;
use crate::service::audit::json;
use crate::service::enums::Role;
use crate::service::events::{Events, ReportSubmitted};
use crate::service::report::{self as reports, SaveReport, Step};

#[derive(InputObject)]
pub struct ReportValueInput {
    /// A count indicator's code (rates are computed, not reported).
    pub indicator: String,
    /// A whole count, 0 or more.
    pub value: i64,
}

#[derive(InputObject)]
pub struct SaveReportInput {
    pub committee_id: ID,
    pub period: Period,
    /// Absent keeps the narrative; null clears it.
    pub narrative: MaybeUndefined<String>,
    /// Replaces the value of each indicator named; others are kept.
    #[graphql(default)]
    pub values: Vec<ReportValueInput>,
    /// The report's `version` as last seen; a stale one is a CONFLICT.
    pub expected_version: Option<i32>,
}

#[derive(InputObject)]
pub struct SubmitReportInput {
    pub id: ID,
    pub expected_version: Option<i32>,
}

#[derive(InputObject)]
pub struct ApproveReportInput {
    pub id: ID,
    pub expected_version: Option<i32>,
}

#[derive(InputObject)]
pub struct ReturnReportInput {
    pub id: ID,
    /// Why the report goes back; shown to the reporting committee.
    pub reason: String,
    pub expected_version: Option<i32>,
}

#[derive(SimpleObject)]
pub struct ReportPayload {
    pub report: Option<Report>,
    pub user_errors: Vec<UserError>,
}

fn payload(result: Result<entities::report::Model, Error>) -> Result<ReportPayload> {
    let (report, user_errors) = split(result)?;
    Ok(ReportPayload {
        report: report.map(Report),
        user_errors,
    })
}

#[derive(Default)]
pub struct ReportMutation;

/// Approving or returning: a COORDINATOR (or ADMIN) of the committee above
/// the report's, or of a committee above that.
async fn review(
    w: &Writer<'_>,
    id: &ID,
    step: Step,
    expected_version: Option<i32>,
    action: &str,
) -> Result<entities::report::Model, Error> {
    let report_id = input_id(id, NodeKind::Report, "id")?;
    let before = w.report(report_id, "id").await?;
    let committee = w.committee(before.committee_id, "id").await?;
    let inside = match committee.parent_id {
        Some(parent) => w.loaders.scope.contains(&w.loaders.db, parent).await?,
        None => false,
    };
    w.viewer.may_review(inside)?;
    let after = reports::step(&w.loaders.db, report_id, step, expected_version).await?;
    w.audit(
        action,
        Some(after.committee_id),
        Some((NodeKind::Report, after.id)),
        json(&before),
        json(&after),
    )
    .await?;
    Ok(after)
}

#[Object]
impl ReportMutation {
    /// Creates or updates the committee's report for a period while it is a
    /// DRAFT or RETURNED (an EDITOR of that committee). Submitted reports
    /// wait for review; approved ones are locked.
    async fn save_report(
        &self,
        ctx: &Context<'_>,
        input: SaveReportInput,
    ) -> Result<ReportPayload> {
        let w = writer(ctx)?;
        payload(
            async {
                let committee_id =
                    input_id(&input.committee_id, NodeKind::Committee, "committeeId")?;
                let committee = w.committee(committee_id, "committeeId").await?;
                w.viewer.may_write_own(committee.id, Role::Editor)?;
                let narrative = match input.narrative {
                    MaybeUndefined::Undefined => None,
                    MaybeUndefined::Null => Some(None),
                    MaybeUndefined::Value(v) => Some(Some(v)),
                };
                let r = reports::save(
                    &w.loaders.db,
                    SaveReport {
                        committee_id,
                        period: input.period.0,
                        narrative,
                        values: input
                            .values
                            .into_iter()
                            .map(|v| (v.indicator, v.value))
                            .collect(),
                        expected_version: input.expected_version,
                    },
                )
                .await?;
                w.audit(
                    "saveReport",
                    Some(committee_id),
                    Some((NodeKind::Report, r.id)),
                    None,
                    json(&r),
                )
                .await?;
                Ok(r)
            }
            .await,
        )
    }

    /// DRAFT or RETURNED → SUBMITTED (an EDITOR of the report's committee).
    /// A first submission after the deadline is late.
    async fn submit_report(
        &self,
        ctx: &Context<'_>,
        input: SubmitReportInput,
    ) -> Result<ReportPayload> {
        let w = writer(ctx)?;
        let events = ctx.data::<Events>()?;
        payload(
            async {
                let id = input_id(&input.id, NodeKind::Report, "id")?;
                let before = w.report(id, "id").await?;
                w.viewer.may_write_own(before.committee_id, Role::Editor)?;
                let committee = w.committee(before.committee_id, "id").await?;
                let after =
                    reports::step(&w.loaders.db, id, Step::Submit, input.expected_version).await?;
                w.audit(
                    "submitReport",
                    Some(after.committee_id),
                    Some((NodeKind::Report, after.id)),
                    json(&before),
                    json(&after),
                )
                .await?;
                events.publish_report_submitted(ReportSubmitted {
                    report_id: after.id,
                    committee_id: after.committee_id,
                    parent_id: committee.parent_id,
                });
                Ok(after)
            }
            .await,
        )
    }

    /// SUBMITTED → APPROVED, which locks the report.
    async fn approve_report(
        &self,
        ctx: &Context<'_>,
        input: ApproveReportInput,
    ) -> Result<ReportPayload> {
        let w = writer(ctx)?;
        payload(
            review(
                &w,
                &input.id,
                Step::Approve,
                input.expected_version,
                "approveReport",
            )
            .await,
        )
    }

    /// SUBMITTED → RETURNED with a reason; the committee edits and resubmits.
    async fn return_report(
        &self,
        ctx: &Context<'_>,
        input: ReturnReportInput,
    ) -> Result<ReportPayload> {
        let w = writer(ctx)?;
        payload(
            review(
                &w,
                &input.id,
                Step::Return(input.reason),
                input.expected_version,
                "returnReport",
            )
            .await,
        )
    }
}
