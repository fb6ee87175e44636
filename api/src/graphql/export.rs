//! `createExport` and `exportDefinitions`: files for the national committee,
//! downloaded from `GET /exports/{id}`.

use crate::graphql::scalars::DateTime;
use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};

use crate::error::Error;
use crate::graphql::enums::{ReportInclusion, Units};
use crate::graphql::ids::{NodeKind, input_id};
use crate::graphql::payload::UserError;
use crate::graphql::reader;
use crate::graphql::scalars::Period;
use crate::graphql::write::mutate;
use crate::service::export::{self as exports, ExportSpec, Format};

/// Export file formats.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// A workbook: a cover sheet and one sheet per section.
    Xlsx,
    /// UTF-8 with a byte-order mark; sections one after another.
    Csv,
    /// The shape documented in the README.
    Json,
}

impl From<ExportFormat> for Format {
    fn from(f: ExportFormat) -> Self {
        match f {
            ExportFormat::Xlsx => Format::Xlsx,
            ExportFormat::Csv => Format::Csv,
            ExportFormat::Json => Format::Json,
        }
    }
}

#[derive(InputObject)]
pub struct CreateExportInput {
    /// An export definition's code (`exportDefinitions`).
    pub definition: String,
    pub period: Period,
    /// The committee whose subtree is exported (in the viewer's subtree).
    pub scope_committee_id: ID,
    pub format: ExportFormat,
    #[graphql(default_with = "ReportInclusion::Approved")]
    pub include: ReportInclusion,
    #[graphql(default_with = "Units::AsOf")]
    pub units: Units,
    /// Show counts from 1 to N−1 as "<N" (2 to 100); see the README.
    pub suppress_below: Option<i32>,
}

/// A generated file.
#[derive(SimpleObject)]
pub struct Export {
    /// The download path on this server: `GET` it with the same `Authorization`.
    pub url: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub expires_at: DateTime,
}

impl From<entities::export::Model> for Export {
    fn from(stored: entities::export::Model) -> Self {
        Self {
            url: format!("/exports/{}", stored.id),
            file_name: stored.file_name,
            content_type: stored.content_type,
            size: stored.size,
            expires_at: DateTime(stored.expires_at),
        }
    }
}

#[derive(SimpleObject)]
pub struct CreateExportPayload {
    pub export: Option<Export>,
    pub user_errors: Vec<UserError>,
}

/// A column of an export definition.
#[derive(SimpleObject)]
pub struct ExportColumn {
    /// The field or indicator code.
    pub key: String,
    pub heading: String,
}

#[derive(SimpleObject)]
pub struct ExportSection {
    pub title: String,
    pub source: String,
    pub columns: Vec<ExportColumn>,
}

#[derive(SimpleObject)]
pub struct ExportDefinition {
    pub code: String,
    pub title: String,
    pub sections: Vec<ExportSection>,
}

#[derive(Default)]
pub struct ExportQuery;

#[Object]
impl ExportQuery {
    /// The export forms (reference data; a handful).
    async fn export_definitions(&self, ctx: &Context<'_>) -> Result<Vec<ExportDefinition>> {
        reader(ctx)?;
        let defs = exports::definitions().map_err(|e| Error::Internal(std::sync::Arc::new(e)))?;
        Ok(defs
            .into_iter()
            .map(|d| ExportDefinition {
                code: d.code,
                title: d.title,
                sections: d
                    .sections
                    .into_iter()
                    .map(|s| ExportSection {
                        title: s.title,
                        source: format!("{:?}", s.source),
                        columns: s
                            .columns
                            .iter()
                            .map(|c| ExportColumn {
                                key: c.key().to_owned(),
                                heading: c.heading().to_owned(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect())
    }
}

#[derive(Default)]
pub struct ExportMutation;

#[Object]
impl ExportMutation {
    /// Builds an export of a committee's subtree for a period, from the same
    /// rollups the API serves, and returns where to download it. Any account
    /// may export what it may read (a committee in its subtree); API tokens
    /// work too. Audited.
    #[graphql(complexity = "crate::graphql::connection::EXPORT_COST + child_complexity")]
    async fn create_export(
        &self,
        ctx: &Context<'_>,
        input: CreateExportInput,
    ) -> Result<CreateExportPayload> {
        let (stored, user_errors) = mutate(ctx, "createExport", async |w| {
            let spec = ExportSpec {
                definition: &input.definition,
                committee_id: input_id(
                    &input.scope_committee_id,
                    NodeKind::Committee,
                    "scopeCommitteeId",
                )?,
                period: input.period.0,
                include: input.include.into(),
                units: input.units.into(),
                suppress_below: input.suppress_below,
                format: input.format.into(),
            };
            exports::create(w, spec).await
        })
        .await?;
        Ok(CreateExportPayload {
            export: stored.map(Export::from),
            user_errors,
        })
    }
}
