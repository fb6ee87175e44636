//! Reports as spreadsheets: `reportTemplate` (a workbook or CSV to fill in,
//! downloaded like an export) and `importReports` (the filled file back, as
//! a GraphQL multipart request). The rules are `saveReport`'s; see
//! `service::report_sheet`.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject, Upload};

use crate::error::Error;
use crate::graphql::committee::Committee;
use crate::graphql::enums::UserErrorCode;
use crate::graphql::export::Export;
use crate::graphql::ids::{NodeKind, input_id};
use crate::graphql::report::Report;
use crate::graphql::scalars::Period;
use crate::graphql::write::{mutate, payload};
use crate::service::export::Format;
use crate::service::report_sheet::import::{self, Options, Outcome, RowSummary, Summary};
use crate::service::report_sheet::template::{self, Rows, Spec};

/// Whose rows a template has.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplateScope {
    /// The committee's own report.
    #[graphql(name = "SELF")]
    Own,
    /// One row per committee directly below it that existed in the period.
    Children,
}

/// A template's file format.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplateFormat {
    /// A workbook: the sheet to fill in, protected but for the value cells,
    /// and a hidden sheet that lets the file come back.
    Xlsx,
    /// The same columns as CSV (UTF-8 with a byte-order mark).
    Csv,
}

#[derive(InputObject)]
pub struct ReportTemplateInput {
    /// A committee in the viewer's subtree.
    pub committee_id: ID,
    pub period: Period,
    #[graphql(default_with = "TemplateScope::Children")]
    pub scope: TemplateScope,
    #[graphql(default_with = "TemplateFormat::Xlsx")]
    pub format: TemplateFormat,
}

#[derive(InputObject)]
pub struct ImportReportsInput {
    /// The filled template, XLSX or CSV (found from its content), at most 5 MiB.
    pub file: Upload,
    /// Check every cell and answer the summary; write nothing.
    #[graphql(default)]
    pub dry_run: bool,
    /// Write the rows without problems even when others have some (by
    /// default one refused row means nothing is written).
    #[graphql(default)]
    pub partial: bool,
    /// Submit each written report, as `submitReport` would.
    #[graphql(default)]
    pub submit: bool,
}

payload!(ReportTemplatePayload { export: Export });
payload!(ImportReportsPayload {
    summary: ImportSummary
});

/// What happened to a row of an imported file.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportOutcome {
    /// A new report (or, in a dry run, one that would be created).
    Created,
    /// A report whose values change.
    Updated,
    /// Nothing to write: the numbers are those stored (or the row is empty).
    Unchanged,
    /// The row has problems; it is not written.
    Refused,
}

impl From<Outcome> for ImportOutcome {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Created => ImportOutcome::Created,
            Outcome::Updated => ImportOutcome::Updated,
            Outcome::Unchanged => ImportOutcome::Unchanged,
            Outcome::Refused => ImportOutcome::Refused,
        }
    }
}

/// A problem at one cell of an imported file.
#[derive(SimpleObject)]
pub struct ImportProblem {
    pub sheet: String,
    /// The cell, as spreadsheets name it (`D7`).
    pub cell: String,
    pub code: UserErrorCode,
    pub message: String,
}

/// One committee row of an imported file.
pub struct ImportRow(RowSummary);

#[Object]
impl ImportRow {
    async fn sheet(&self) -> &str {
        &self.0.sheet
    }

    /// The row's number as the spreadsheet shows it.
    async fn row(&self) -> u32 {
        self.0.row
    }

    /// The committee code the file gives for the row.
    async fn code(&self) -> &str {
        &self.0.code
    }

    async fn period(&self) -> &str {
        &self.0.period
    }

    /// The committee, unless the viewer cannot read it (then `NOT_FOUND`).
    async fn committee(&self) -> Option<Committee> {
        self.0.committee.as_deref().cloned().map(Committee::new)
    }

    async fn outcome(&self) -> ImportOutcome {
        self.0.outcome.into()
    }

    /// The report as written, or as stored when the row changes nothing;
    /// null when refused or not yet written (a dry run).
    async fn report(&self) -> Option<Report> {
        self.0.report().cloned().map(Report::from)
    }

    /// Entered by the viewer's committee on behalf of the committee directly
    /// below (a coordinator consolidating its reports).
    async fn entered_on_behalf(&self) -> bool {
        self.0.on_behalf
    }

    /// How many values the row writes (or would write).
    async fn changed_values(&self) -> usize {
        self.0.changed_values
    }

    async fn problems(&self) -> Vec<ImportProblem> {
        self.0
            .problems
            .iter()
            .map(|p| ImportProblem {
                sheet: p.sheet.clone(),
                cell: p.cell.clone(),
                code: p.code.into(),
                message: p.message.clone(),
            })
            .collect()
    }
}

/// What an import did (or, in a dry run, would do).
pub struct ImportSummary(Summary);

impl From<Summary> for ImportSummary {
    fn from(s: Summary) -> Self {
        Self(s)
    }
}

#[Object]
impl ImportSummary {
    /// The file's format, found from its content.
    async fn format(&self) -> TemplateFormat {
        match self.0.totals.source {
            import::Source::Xlsx => TemplateFormat::Xlsx,
            import::Source::Csv => TemplateFormat::Csv,
        }
    }

    async fn dry_run(&self) -> bool {
        self.0.totals.dry_run
    }

    /// Whether anything was written: false for a dry run, and when a row
    /// was refused without `partial`.
    async fn written(&self) -> bool {
        self.0.totals.written
    }

    async fn created(&self) -> usize {
        self.0.totals.count(Outcome::Created)
    }

    async fn updated(&self) -> usize {
        self.0.totals.count(Outcome::Updated)
    }

    async fn unchanged(&self) -> usize {
        self.0.totals.count(Outcome::Unchanged)
    }

    async fn refused(&self) -> usize {
        self.0.totals.count(Outcome::Refused)
    }

    /// Every row, in file order (a file has at most 20,000).
    async fn rows(&self) -> Vec<ImportRow> {
        self.0.rows.iter().cloned().map(ImportRow).collect()
    }
}

#[derive(Default)]
pub struct ReportSheetMutation;

#[Object]
impl ReportSheetMutation {
    /// A workbook (or CSV) to fill in a period's reports: one row per
    /// committee — this one, or each committee directly below it that
    /// existed in the period — and one column per count indicator,
    /// prefilled from the reports that exist; downloaded from `url` like an
    /// export. Send it back filled with `importReports`.
    async fn report_template(
        &self,
        ctx: &Context<'_>,
        input: ReportTemplateInput,
    ) -> Result<ReportTemplatePayload> {
        let (stored, user_errors) = mutate(ctx, "reportTemplate", async |w| {
            let spec = Spec {
                committee_id: input_id(&input.committee_id, NodeKind::Committee, "committeeId")?,
                period: input.period.0,
                rows: match input.scope {
                    TemplateScope::Own => Rows::Own,
                    TemplateScope::Children => Rows::Children,
                },
                format: match input.format {
                    TemplateFormat::Xlsx => Format::Xlsx,
                    TemplateFormat::Csv => Format::Csv,
                },
            };
            template::create(w, spec).await
        })
        .await?;
        Ok(ReportTemplatePayload {
            export: stored.map(Export::from),
            user_errors,
        })
    }

    /// Reads a filled template (XLSX or CSV) and checks every cell with
    /// `saveReport`'s rules; each problem names its sheet, cell and code.
    /// Unless `dryRun`, writes the accepted rows in one transaction — all of
    /// them, or nothing if a row was refused (unless `partial`) — as one
    /// audit event. A multipart request (the GraphQL multipart request spec).
    async fn import_reports(
        &self,
        ctx: &Context<'_>,
        input: ImportReportsInput,
    ) -> Result<ImportReportsPayload> {
        let upload = input.file.value(ctx)?;
        let bytes = upload.content;
        // Reading a workbook is CPU work: off the async threads.
        let read = tokio::task::spawn_blocking(move || import::read(bytes))
            .await
            .map_err(|e| Error::Internal(std::sync::Arc::new(anyhow::anyhow!("import: {e}"))));
        let options = Options {
            dry_run: input.dry_run,
            partial: input.partial,
            submit: input.submit,
        };
        Ok(mutate(ctx, "importReports", async |w| {
            let read = read??;
            import::run_collect(w, read, options).await
        })
        .await?
        .into())
    }
}
