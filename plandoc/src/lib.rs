//! Reads Vietnamese anti-trafficking plan documents (*Kế hoạch*, the
//! administrative genre) into a structured [`Reading`].
//!
//! Three steps, all pure functions:
//!
//! 1. [`detect`] finds the format from the bytes (not the file name): a Word
//!    `.docx` (a zip holding `word/document.xml`) or UTF-8 text (`.txt`, `.md`).
//! 2. [`extract`] turns the bytes into [`Paragraph`]s. Text copied out of a PDF
//!    is hard-wrapped at the page width; the wrapped lines are joined back into
//!    paragraphs. Markdown markers (`#`, `**`, list bullets) are understood. A
//!    `.docx` is read natively (paragraphs, bold/italic runs, table cells, and
//!    Word's automatic numbering rendered as the reader sees it: `1.`, `a)`,
//!    `(1)`, `I.`).
//! 3. [`read`] reads the paragraphs for the genre: the header (number, place,
//!    date, issuer), the title and the kind of plan, its period, the documents
//!    it implements, percentage targets, the numbered sections and tasks with
//!    their lead and coordinating agencies, time windows and deadlines,
//!    foreign partners, reporting rules, the standing agency and the signatory.
//!    What could not be read is reported as [`Warning`]s, not errors.
//!
//! What is **not** read here: scanned images (PNG/JPEG/TIFF/GIF are refused
//! with [`DocError::ScannedImage`]: send the Word file or a text copy), and
//! PDFs (refused with [`DocError::Pdf`]; a separate step turns PDFs into
//! text). Legacy `.doc` files are not read either. In `.docx`, numbering that
//! comes only from a paragraph style (not from the paragraph's own `numPr`),
//! tracked changes and text boxes are not read; tables are read cell by cell,
//! not as an assignment matrix.

mod agency;
mod dates;
mod docx;
mod fold;
mod grid;
mod reader;
mod text;

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use agency::{agency_key, guess_kind, is_collective};

/// The format of a document, found from its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Format {
    /// A Word document (Office Open XML).
    Docx,
    /// UTF-8 text: `.txt` and `.md`.
    Text,
}

/// Why a document could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DocError {
    /// Nothing but whitespace.
    Empty,
    /// Neither a Word document nor UTF-8 text.
    NotADocument(String),
    /// A scanned image.
    ScannedImage,
    /// A PDF (handled by a separate step).
    Pdf,
    /// The document is larger than this reader accepts.
    TooLarge(String),
    /// A Word document that cannot be opened.
    Corrupt(String),
}

impl fmt::Display for DocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(
                f,
                "the document is empty: send the plan's Word file or a text copy"
            ),
            Self::NotADocument(why) => write!(
                f,
                "this is not a plan document that can be read ({why}): send the Word file (.docx) or a text copy (.txt, .md)"
            ),
            Self::ScannedImage => write!(
                f,
                "scanned images are not read: send the Word file or a text copy"
            ),
            Self::Pdf => write!(
                f,
                "PDF files are read by a separate step: send the .docx or a text copy of the plan here"
            ),
            Self::TooLarge(why) => write!(
                f,
                "the document is too large to read ({why}): send the plan alone, without embedded media"
            ),
            Self::Corrupt(why) => write!(
                f,
                "the Word file cannot be opened ({why}): save it again from Word as .docx, or send a text copy"
            ),
        }
    }
}

impl std::error::Error for DocError {}

/// The paragraphs of a document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    pub format: Format,
    pub paragraphs: Vec<Paragraph>,
}

/// One paragraph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Paragraph {
    /// The text, NFC, whitespace collapsed; for docx, prefixed with the
    /// automatic number when there is one.
    pub text: String,
    /// 1-based source line for text; 1-based paragraph index for docx.
    pub first_line: u32,
    pub last_line: u32,
    /// Word's automatic number as the reader sees it ("1.", "a)", "(1)").
    pub numbering: Option<String>,
    pub bold: bool,
    pub in_table: bool,
    /// A group row of an assignment grid ("I | CÔNG TÁC TRUYỀN THÔNG"): a
    /// heading under the section that holds the grid.
    pub group: bool,
}

/// A date that may lack its day, month or year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartialDate {
    /// None when only "15/12" is given (the plan's year applies).
    pub year: Option<i32>,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// The full date, when the day, month and year are all known and valid.
    #[must_use]
    pub fn to_date(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year?, u32::from(self.month?), u32::from(self.day?))
    }

    /// `self` with the year filled in when it is missing.
    #[must_use]
    pub fn with_year(self, year: Option<i32>) -> Self {
        Self {
            year: self.year.or(year),
            ..self
        }
    }
}

/// A span of days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A document the plan implements ("Thực hiện …", "Căn cứ …").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reference {
    /// The reference as written.
    pub text: String,
    /// "Kế hoạch số 19/KH-BCĐ138/CP".
    pub document: String,
    /// "19/KH-BCĐ138/CP".
    pub number: Option<String>,
    pub date: Option<PartialDate>,
    pub issuer: Option<String>,
}

/// A measurable target ("tỷ lệ … đạt trên 90%").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    pub text: String,
    /// A code from `data/reference/indicators.json`.
    pub indicator: Option<String>,
    /// EQ | GT | GTE | LT | LTE.
    pub comparator: String,
    pub value: f64,
    /// PERCENT | COUNT.
    pub unit: String,
}

/// A reporting rule: one per deadline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// QUARTERLY | SEMIANNUAL | ANNUAL | MONTHLY | ONE_OFF.
    pub cadence: String,
    /// "MM-DD".
    pub deadline: Option<String>,
    /// The deadline with its year when the text gives one (one-off reports).
    pub due_on: Option<PartialDate>,
    /// The addressee.
    pub to: Option<String>,
    pub text: String,
}

/// A numbered heading.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Section {
    /// As written: "I.", "1.", "1.1.", "(1)", "a)".
    pub number: String,
    pub title: String,
    pub depth: u8,
    /// Index into `Reading::sections`.
    pub parent: Option<usize>,
    /// Agencies the heading names ("1. Công an tỉnh"): the lead of its tasks.
    pub agencies: Vec<String>,
    pub first_line: u32,
    pub last_line: u32,
}

/// A task of the plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    /// As written ("(1)", "2.1", "a)"); "-N"/"+N" for the N-th bullet of its
    /// parent and "¶N" for the N-th unnumbered paragraph of a section.
    pub number: String,
    pub text: String,
    /// Index into `Reading::sections`.
    pub section: Option<usize>,
    pub category: Option<String>,
    pub lead: Vec<String>,
    pub coordinating: Vec<String>,
    pub all_relevant: bool,
    /// Collective references ("các sở, ngành, địa phương"): never read as
    /// one agency, though a registry may hold one as a member group.
    pub collective: Vec<String>,
    /// Those of `collective` named as leads.
    pub collective_lead: Vec<String>,
    pub window_from: Option<PartialDate>,
    pub window_to: Option<PartialDate>,
    pub due_on: Option<PartialDate>,
    pub partners: Vec<String>,
    pub first_line: u32,
    pub last_line: u32,
}

/// Who signed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Signatory {
    pub name: String,
    /// "PHÓ CHỦ TỊCH".
    pub title: Option<String>,
    /// "TM. ỦY BAN NHÂN DÂN; KT. CHỦ TỊCH".
    pub capacity: Option<String>,
}

/// Something the reader could not read, or found missing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    /// UNREAD_ASSIGNMENT | NO_LEAD | UNPLACED_DATE | NO_TASKS | NO_TITLE | NO_PERIOD.
    pub code: String,
    pub message: String,
    pub first_line: Option<u32>,
    pub last_line: Option<u32>,
}

/// What a plan says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reading {
    pub document_number: Option<String>,
    pub place: Option<String>,
    pub issued_on: Option<PartialDate>,
    pub issuer: Option<String>,
    pub title: Option<String>,
    /// ANNUAL | PROGRAMME | CAMPAIGN | PEAK_OPERATION | OTHER.
    pub kind: String,
    pub orientation_year: Option<i32>,
    pub period: Option<Period>,
    pub implements: Vec<Reference>,
    pub targets: Vec<Target>,
    pub reporting: Vec<Rule>,
    pub sections: Vec<Section>,
    pub tasks: Vec<Task>,
    pub signatory: Option<Signatory>,
    pub standing_agency: Option<String>,
    /// The funding paragraph ("Kinh phí thực hiện Kế hoạch do ngân sách đảm bảo …").
    pub funding: Option<String>,
    pub warnings: Vec<Warning>,
}

/// The most a document (or a docx's unpacked entries) may hold: 64 MiB.
pub const MAX_SIZE: u64 = 64 * 1024 * 1024;

/// Finds the format from the content, not the name.
///
/// # Errors
/// [`DocError::Pdf`] for a PDF, [`DocError::ScannedImage`] for PNG, JPEG,
/// TIFF or GIF, [`DocError::Empty`] for nothing but whitespace,
/// [`DocError::Corrupt`] for a zip without `word/document.xml`, and
/// [`DocError::NotADocument`] for anything else that is not UTF-8 text.
pub fn detect(bytes: &[u8]) -> Result<Format, DocError> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return if docx::has_document_xml(bytes)? {
            Ok(Format::Docx)
        } else {
            Err(DocError::NotADocument(
                "a zip archive without word/document.xml".to_owned(),
            ))
        };
    }
    if bytes.starts_with(b"%PDF-") {
        return Err(DocError::Pdf);
    }
    let images: [&[u8]; 6] = [
        b"\x89PNG\r\n\x1a\n",
        b"\xff\xd8\xff",
        b"II*\x00",
        b"MM\x00*",
        b"GIF87a",
        b"GIF89a",
    ];
    if images.iter().any(|m| bytes.starts_with(m)) {
        return Err(DocError::ScannedImage);
    }
    if bytes.starts_with(b"\xd0\xcf\x11\xe0") {
        return Err(DocError::NotADocument(
            "a legacy Word .doc file; save it as .docx".to_owned(),
        ));
    }
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) if s.trim().is_empty() => Err(DocError::Empty),
        Ok(s) if s.chars().any(|c| c.is_control() && !c.is_whitespace()) => {
            Err(DocError::NotADocument("binary content".to_owned()))
        }
        Ok(_) => Ok(Format::Text),
        Err(_) => Err(DocError::NotADocument(
            "neither a Word file nor UTF-8 text".to_owned(),
        )),
    }
}

/// The paragraphs of a document.
///
/// # Errors
/// What [`detect`] gives, [`DocError::TooLarge`] for a document (or a docx
/// whose entries unpack to) more than 64 MiB, [`DocError::Corrupt`] for a
/// Word file that cannot be opened, and [`DocError::Empty`] when no paragraph
/// has text.
pub fn extract(bytes: &[u8]) -> Result<Document, DocError> {
    if bytes.len() as u64 > MAX_SIZE {
        return Err(DocError::TooLarge(format!("{} bytes", bytes.len())));
    }
    let format = detect(bytes)?;
    let paragraphs = match format {
        Format::Docx => docx::paragraphs(bytes)?,
        Format::Text => {
            let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
            let s = std::str::from_utf8(body).map_err(|e| DocError::NotADocument(e.to_string()))?;
            text::paragraphs(s)
        }
    };
    if paragraphs.iter().all(|p| p.text.trim().is_empty()) {
        return Err(DocError::Empty);
    }
    Ok(Document { format, paragraphs })
}

/// What the document says, read for the genre.
#[must_use]
pub fn read(doc: &Document) -> Reading {
    reader::read(doc)
}
