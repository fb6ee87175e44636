//! Mutations on periodic reports: save (draft), submit, approve, return.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};

use crate::graphql::ids::{NodeKind, input_id};
use crate::graphql::report::Report;
use crate::graphql::scalars::Period;
use crate::graphql::write::{mutate, patch, payload};
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

payload!(ReportPayload { report: Report });

#[derive(Default)]
pub struct ReportMutation;

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
        Ok(mutate(ctx, "saveReport", async |w| {
            let save = SaveReport {
                committee_id: input_id(&input.committee_id, NodeKind::Committee, "committeeId")?,
                period: input.period.0,
                narrative: patch(input.narrative),
                values: input
                    .values
                    .into_iter()
                    .map(|v| (v.indicator, v.value))
                    .collect(),
                expected_version: input.expected_version,
                on_behalf: false,
            };
            reports::save(w, save).await
        })
        .await?
        .into())
    }

    /// DRAFT or RETURNED → SUBMITTED (an EDITOR of the report's committee).
    /// A first submission after the deadline is late.
    async fn submit_report(
        &self,
        ctx: &Context<'_>,
        input: SubmitReportInput,
    ) -> Result<ReportPayload> {
        Ok(mutate(ctx, "submitReport", async |w| {
            let id = input_id(&input.id, NodeKind::Report, "id")?;
            reports::submit(w, id, input.expected_version).await
        })
        .await?
        .into())
    }

    /// SUBMITTED → APPROVED, which locks the report.
    async fn approve_report(
        &self,
        ctx: &Context<'_>,
        input: ApproveReportInput,
    ) -> Result<ReportPayload> {
        Ok(mutate(ctx, "approveReport", async |w| {
            let id = input_id(&input.id, NodeKind::Report, "id")?;
            reports::review(w, id, Step::Approve, input.expected_version).await
        })
        .await?
        .into())
    }

    /// SUBMITTED → RETURNED with a reason; the committee edits and resubmits.
    async fn return_report(
        &self,
        ctx: &Context<'_>,
        input: ReturnReportInput,
    ) -> Result<ReportPayload> {
        Ok(mutate(ctx, "returnReport", async |w| {
            let id = input_id(&input.id, NodeKind::Report, "id")?;
            reports::review(w, id, Step::Return(input.reason), input.expected_version).await
        })
        .await?
        .into())
    }
}
