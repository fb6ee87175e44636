//! `importPlanDocument`: a plan document (Word or text, a GraphQL multipart
//! request) read into a draft plan, previewed, corrected and committed as a
//! DRAFT plan. See `service::plan_import`.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject, Upload};

use crate::error::Error;
use crate::graphql::agency::Agency;
use crate::graphql::committee::Committee;
use crate::graphql::enums::{AgencyKind, Cadence, Comparator, PlanKind, TargetUnit, TaskCategory};
use crate::graphql::ids::{NodeKind, encode, input_id};
use crate::graphql::loaders::AgencyId;
use crate::graphql::loaders::Loaders;
use crate::graphql::payload::UserError;
use crate::graphql::plan::Plan;
use crate::graphql::plan::mutation::PlanFieldsIn;
use crate::graphql::scalars::Date;
use crate::graphql::write::mutate;
use crate::service::plan_import::{
    self as import, Draft, DraftSection, DraftTask, Format, Match, Pick, Preview, Upload as Kept,
};

/// A document's format, found from its content.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentFormat {
    /// A Word document (`.docx`): paragraphs, numbering, tables.
    Docx,
    /// Plain text or Markdown, hard-wrapped lines joined back.
    Text,
}

/// How an agency name was matched to the committee's registry.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgencyMatch {
    /// By name, ignoring case and diacritics.
    Name,
    /// By short name.
    ShortName,
    /// By one of its aliases (other names the documents use for it).
    Alias,
    /// Leniently: without the place name, punctuation and the usual abbreviations.
    Variant,
    /// Nothing matched: a new agency is proposed.
    New,
    /// As the caller's corrections chose.
    Chosen,
}

impl From<Match> for AgencyMatch {
    fn from(m: Match) -> Self {
        match m {
            Match::Name => Self::Name,
            Match::ShortName => Self::ShortName,
            Match::Alias => Self::Alias,
            Match::Variant => Self::Variant,
            Match::New => Self::New,
            Match::Chosen => Self::Chosen,
        }
    }
}

#[derive(InputObject)]
pub struct ImportPlanDocumentInput {
    /// The plan document: `.docx`, `.txt` or `.md` (found from its content),
    /// at most the upload limit (10 MiB by default). Scanned images and PDFs
    /// are not read.
    pub file: Upload,
    /// The committee the plan is created in (an EDITOR of it).
    pub committee_id: ID,
    /// Only read the document and answer the preview; write nothing.
    #[graphql(default = true)]
    pub dry_run: bool,
    /// The plan's date when the document does not give one (its registry
    /// and the issuing committee are those in force then).
    pub date: Option<Date>,
    /// The preview's draft as corrected; without it, the draft as read.
    pub draft: Option<PlanDraftInput>,
}

/// An agency in a draft: `agencyId` for one of the registry's, or `name`
/// and `kind` for a new one (created by the import; an ADMIN's).
#[derive(InputObject, Clone)]
pub struct DraftAgencyInput {
    pub agency_id: Option<ID>,
    pub name: String,
    #[graphql(default_with = "AgencyKind::Other")]
    pub kind: AgencyKind,
}

#[derive(InputObject, Clone)]
pub struct DraftSectionInput {
    /// The outline's path: "II.1" is a section of "II".
    pub number: String,
    pub title: String,
}

#[derive(InputObject, Clone)]
pub struct DraftTaskInput {
    pub number: String,
    pub section_number: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub category: TaskCategory,
    #[graphql(default)]
    pub lead: Vec<DraftAgencyInput>,
    #[graphql(default)]
    pub coordinating: Vec<DraftAgencyInput>,
    #[graphql(default)]
    pub all_relevant_agencies: bool,
    pub window_from: Option<Date>,
    pub window_to: Option<Date>,
    pub due_on: Option<Date>,
}

/// A preview's `draft`, as the caller corrected it: the same fields.
#[derive(InputObject)]
pub struct PlanDraftInput {
    #[graphql(flatten)]
    pub fields: PlanFieldsIn,
    #[graphql(default)]
    pub sections: Vec<DraftSectionInput>,
    #[graphql(default)]
    pub tasks: Vec<DraftTaskInput>,
}

fn picks(list: Vec<DraftAgencyInput>, field: &str) -> Result<Vec<Pick>, Error> {
    list.into_iter()
        .map(|a| {
            Ok(Pick {
                agency_id: a
                    .agency_id
                    .as_ref()
                    .map(|id| input_id(id, NodeKind::Agency, field))
                    .transpose()?,
                name: a.name,
                kind: a.kind.into(),
                how: Match::Chosen,
            })
        })
        .collect()
}

impl PlanDraftInput {
    fn into_draft(self) -> Result<Draft, Error> {
        let fields = self.fields.into_fields()?;
        let tasks = self
            .tasks
            .into_iter()
            .map(|t| {
                Ok(DraftTask {
                    number: t.number,
                    section_number: t.section_number,
                    title: t.title,
                    description: t.description,
                    category: t.category.into(),
                    lead: picks(t.lead, "lead")?,
                    coordinating: picks(t.coordinating, "coordinating")?,
                    all_relevant_agencies: t.all_relevant_agencies,
                    window_from: t.window_from.map(|d| d.0),
                    window_to: t.window_to.map(|d| d.0),
                    due_on: t.due_on.map(|d| d.0),
                    partners: Vec::new(),
                    first_line: 0,
                    last_line: 0,
                })
            })
            .collect::<Result<_, Error>>()?;
        Ok(Draft {
            fields,
            sections: self
                .sections
                .into_iter()
                .map(|s| DraftSection {
                    number: s.number,
                    title: s.title,
                })
                .collect(),
            tasks,
        })
    }
}

/// A date as far as the document gives it ("ngày   tháng 5 năm 2024" has no day).
#[derive(SimpleObject)]
pub struct PartialDate {
    pub year: Option<i32>,
    pub month: Option<i32>,
    pub day: Option<i32>,
}

impl From<&plandoc::PartialDate> for PartialDate {
    fn from(d: &plandoc::PartialDate) -> Self {
        Self {
            year: d.year,
            month: d.month.map(i32::from),
            day: d.day.map(i32::from),
        }
    }
}

/// An agency of the draft, and how its name was matched.
pub struct DraftAgency(Pick);

#[Object]
impl DraftAgency {
    /// The registry's agency; null for a new one.
    async fn agency_id(&self) -> Option<ID> {
        self.0.agency_id.map(|id| encode(NodeKind::Agency, id))
    }

    async fn agency(&self, ctx: &Context<'_>) -> Result<Option<Agency>> {
        match self.0.agency_id {
            Some(id) => Ok(ctx
                .data::<Loaders>()?
                .one(AgencyId(id))
                .await?
                .map(Agency::new)),
            None => Ok(None),
        }
    }

    /// The name as the document writes it.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The registry's kind, or for a new agency the kind its name suggests.
    async fn kind(&self) -> AgencyKind {
        self.0.kind.into()
    }

    #[graphql(name = "match")]
    async fn how(&self) -> AgencyMatch {
        self.0.how.into()
    }
}

#[derive(SimpleObject)]
pub struct DraftReference {
    pub document: String,
    pub issued_on: Option<Date>,
    pub issuer: Option<String>,
}

#[derive(SimpleObject)]
pub struct DraftTarget {
    pub indicator_code: String,
    pub comparator: Comparator,
    pub value: f64,
    pub unit: TargetUnit,
    pub source_text: Option<String>,
}

#[derive(SimpleObject)]
pub struct DraftRule {
    pub cadence: Cadence,
    pub deadline_month_day: Option<String>,
    pub deadline_date: Option<Date>,
    pub addressee_agency_id: Option<ID>,
    pub source_text: Option<String>,
}

#[derive(SimpleObject)]
pub struct DraftSectionOut {
    pub number: String,
    pub title: String,
}

/// A task as read: its number as written, its agencies and where it is.
pub struct PlanDraftTask(DraftTask);

#[Object]
impl PlanDraftTask {
    async fn number(&self) -> &str {
        &self.0.number
    }
    async fn section_number(&self) -> Option<&str> {
        self.0.section_number.as_deref()
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
    /// The lead (chủ trì) agencies.
    async fn lead(&self) -> Vec<DraftAgency> {
        self.0.lead.iter().cloned().map(DraftAgency).collect()
    }
    /// The coordinating (phối hợp) agencies.
    async fn coordinating(&self) -> Vec<DraftAgency> {
        self.0
            .coordinating
            .iter()
            .cloned()
            .map(DraftAgency)
            .collect()
    }
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
    /// Foreign counterparts the task names (Quảng Tây, Savannakhet…).
    async fn partners(&self) -> &[String] {
        &self.0.partners
    }
    /// The first line (text) or paragraph (Word) of the task in the document.
    async fn first_line(&self) -> u32 {
        self.0.first_line
    }
    async fn last_line(&self) -> u32 {
        self.0.last_line
    }
}

/// The plan as read: the same fields as `PlanDraftInput`, to correct and
/// send back.
pub struct PlanDraft(Draft);

#[Object]
impl PlanDraft {
    async fn document_number(&self) -> Option<&str> {
        self.0.fields.document_number.as_deref()
    }
    async fn title(&self) -> &str {
        &self.0.fields.title
    }
    async fn kind(&self) -> PlanKind {
        self.0.fields.kind.into()
    }
    async fn issued_on(&self) -> Option<Date> {
        self.0.fields.issued_on.map(Date)
    }
    async fn period_from(&self) -> Date {
        Date(self.0.fields.period_from)
    }
    async fn period_to(&self) -> Date {
        Date(self.0.fields.period_to)
    }
    async fn orientation_year(&self) -> Option<i32> {
        self.0.fields.orientation_year
    }
    async fn signatory_name(&self) -> Option<&str> {
        self.0.fields.signatory_name.as_deref()
    }
    async fn signatory_title(&self) -> Option<&str> {
        self.0.fields.signatory_title.as_deref()
    }
    /// Plans in Hub138 the document implements (cited by number and issuer).
    async fn implements_plan_ids(&self) -> Vec<ID> {
        self.0
            .fields
            .implements_plan_ids
            .iter()
            .map(|&id| encode(NodeKind::Plan, id))
            .collect()
    }
    /// Documents it implements that are not in Hub138.
    async fn references(&self) -> Vec<DraftReference> {
        self.0
            .fields
            .references
            .iter()
            .map(|r| DraftReference {
                document: r.document.clone(),
                issued_on: r.issued_on.map(Date),
                issuer: r.issuer.clone(),
            })
            .collect()
    }
    async fn targets(&self) -> Vec<DraftTarget> {
        self.0
            .fields
            .targets
            .iter()
            .map(|t| DraftTarget {
                indicator_code: t.indicator_code.clone(),
                comparator: t.comparator.into(),
                value: t.value,
                unit: t.unit.into(),
                source_text: t.source_text.clone(),
            })
            .collect()
    }
    async fn reporting_rules(&self) -> Vec<DraftRule> {
        self.0
            .fields
            .reporting_rules
            .iter()
            .map(|r| DraftRule {
                cadence: r.cadence.into(),
                deadline_month_day: r.deadline_month_day.clone(),
                deadline_date: r.deadline_date.map(Date),
                addressee_agency_id: r.addressee_agency_id.map(|id| encode(NodeKind::Agency, id)),
                source_text: r.source_text.clone(),
            })
            .collect()
    }
    async fn sections(&self) -> Vec<DraftSectionOut> {
        self.0
            .sections
            .iter()
            .map(|s| DraftSectionOut {
                number: s.number.clone(),
                title: s.title.clone(),
            })
            .collect()
    }
    async fn tasks(&self) -> Vec<PlanDraftTask> {
        self.0.tasks.iter().cloned().map(PlanDraftTask).collect()
    }
}

/// Something the reading could not settle, and where.
#[derive(SimpleObject)]
pub struct ImportWarning {
    /// `UNREAD_ASSIGNMENT`, `NO_LEAD`, `UNRESOLVED_AGENCY`, `UNPLACED_DATE`,
    /// `NO_PERIOD`, `NO_TITLE`, `COMMITTEE_MISMATCH`.
    pub code: String,
    pub message: String,
    pub first_line: Option<u32>,
    pub last_line: Option<u32>,
}

/// What Hub138 read from a plan document.
pub struct PlanDocumentPreview(Preview);

#[Object]
impl PlanDocumentPreview {
    async fn format(&self) -> DocumentFormat {
        match self.0.format {
            Format::Docx => DocumentFormat::Docx,
            Format::Text => DocumentFormat::Text,
        }
    }
    /// The issuer as the header gives it.
    async fn issuer(&self) -> Option<&str> {
        self.0.reading.issuer.as_deref()
    }
    /// The committee the issuer names, in force on the plan's date.
    async fn proposed_committee(&self) -> Option<Committee> {
        self.0.proposed_visible.clone().map(Committee::new)
    }
    /// The place of the place/date line.
    async fn place(&self) -> Option<&str> {
        self.0.reading.place.as_deref()
    }
    /// The date as written, partial when a part is blank.
    async fn issued_on(&self) -> Option<PartialDate> {
        self.0.reading.issued_on.as_ref().map(PartialDate::from)
    }
    /// The signatory's signing capacity ("TM. ỦY BAN NHÂN DÂN; KT. CHỦ TỊCH").
    async fn signing_capacity(&self) -> Option<&str> {
        self.0
            .reading
            .signatory
            .as_ref()
            .and_then(|s| s.capacity.as_deref())
    }
    async fn draft(&self) -> PlanDraft {
        PlanDraft(self.0.draft.clone())
    }
    /// Every distinct agency name the document gives, and its match.
    async fn agencies(&self) -> Vec<DraftAgency> {
        self.0.agencies.iter().cloned().map(DraftAgency).collect()
    }
    async fn warnings(&self) -> Vec<ImportWarning> {
        self.0
            .warnings
            .iter()
            .map(|w| ImportWarning {
                code: w.code.clone(),
                message: w.message.clone(),
                first_line: w.first_line,
                last_line: w.last_line,
            })
            .collect()
    }
}

#[derive(SimpleObject)]
pub struct ImportPlanDocumentPayload {
    /// What was read (also when committed).
    pub preview: Option<PlanDocumentPreview>,
    /// The DRAFT plan created; null in a dry run.
    pub plan: Option<Plan>,
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct PlanImportMutation;

#[Object]
impl PlanImportMutation {
    /// Reads a plan document (a multipart request: the GraphQL multipart
    /// request spec) into a draft plan of `committeeId`: number, date,
    /// issuer, title, period, cited documents, targets, reporting rules,
    /// sections and tasks with their lead and coordinating agencies matched
    /// to the committee's registry. With `dryRun: false` it creates the
    /// DRAFT plan (from `draft`, the corrected preview, when given), the
    /// new agencies it names and keeps the document with the plan, in one
    /// transaction audited as one import.
    async fn import_plan_document(
        &self,
        ctx: &Context<'_>,
        input: ImportPlanDocumentInput,
    ) -> Result<ImportPlanDocumentPayload> {
        let upload = input.file.value(ctx)?;
        let file_name = upload.filename.clone();
        let bytes = upload.content;
        let kept = bytes.clone();
        // Reading a document is CPU work: off the async threads.
        let read = tokio::task::spawn_blocking(move || import::read(&bytes))
            .await
            .map_err(|e| Error::Internal(std::sync::Arc::new(anyhow::anyhow!("import: {e}"))));
        let dry_run = input.dry_run;
        let date = input.date.map(|d| d.0);
        let draft = input.draft;
        let committee = input.committee_id;
        let (outcome, user_errors) = mutate(ctx, "importPlanDocument", async |w| {
            let (format, reading) = read??;
            let committee_id = input_id(&committee, NodeKind::Committee, "committeeId")?;
            let corrected = draft.map(PlanDraftInput::into_draft).transpose()?;
            let upload = Kept {
                file_name,
                format,
                bytes: kept,
            };
            import::run(w, committee_id, date, reading, upload, dry_run, corrected).await
        })
        .await?;
        let (preview, plan) = match outcome {
            Some((p, plan)) => (Some(PlanDocumentPreview(p)), plan.map(Plan::from)),
            None => (None, None),
        };
        Ok(ImportPlanDocumentPayload {
            preview,
            plan,
            user_errors,
        })
    }
}
