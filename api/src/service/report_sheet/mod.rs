//! Reports as spreadsheets: a template out (`template`), the filled file
//! back in (`import`), with the same rules as `saveReport`.
//!
//! **The workbook.** Sheet `Báo cáo`: a title row, then a header row with
//! each SUM indicator's Vietnamese name and a row beneath with its unit and
//! code; then one row per committee — code, name, the report's status —
//! and one value column per indicator, prefilled from the stored report.
//! The sheet is protected: only the value cells of reports that may still
//! change are unlocked, and they accept whole numbers from 0 to the bound
//! (data validation). The hidden sheet `hub138` carries what the file needs
//! to come back: the period, the indicator of each value column, and for
//! each row the committee's id, code and the report's version (0: none yet),
//! with a SHA-256 of all of it so an edited hidden sheet is recognised.
//! The checksum detects edits, not forgery, and needs none: every row is
//! checked against what the importing account may write, as `saveReport`
//! would check it.
//!
//! **The CSV form** has the same columns in one header row —
//! `committee_id,period,version,code,name,<indicator codes…>` — and one row
//! per committee; UTF-8 with a byte-order mark, as the exports.

pub mod import;
pub mod template;

use sha2::{Digest, Sha256};

/// The sheet with the numbers.
pub const DATA_SHEET: &str = "Báo cáo";
/// The hidden sheet with what the file needs to come back.
pub const META_SHEET: &str = "hub138";
/// The first cell of the hidden sheet: what the workbook is.
pub const MARKER: &str = "hub138-report-template";
/// The layout's version, beside the marker.
pub const LAYOUT: &str = "1";
/// Rows above the first committee's row (title, names, units and codes).
pub const HEADER_ROWS: u32 = 3;
/// Columns before the first value column (code, name, status).
pub const ID_COLUMNS: u16 = 3;
/// The CSV form's columns before the values.
pub const CSV_COLUMNS: [&str; 5] = ["committee_id", "period", "version", "code", "name"];
/// The most committee rows a file may hold (a province has at most a few
/// hundred children; a national CSV of every commune fits).
pub const MAX_ROWS: usize = 20_000;

/// One committee row of a template, as the hidden sheet records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetaRow {
    /// The sheet row, 1-based as spreadsheets number them.
    pub row: u32,
    /// The committee's global id.
    pub committee: String,
    pub code: String,
    /// The report's version when the template was made; 0 if there was none.
    pub version: i32,
}

/// What the hidden sheet holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meta {
    pub period: String,
    /// The template's committee (its global id).
    pub committee: String,
    /// The indicator of each value column, in order.
    pub columns: Vec<String>,
    pub rows: Vec<MetaRow>,
}

impl Meta {
    /// The SHA-256 (hex) of everything but the checksum itself.
    pub fn checksum(&self) -> String {
        let mut h = Sha256::new();
        for part in [MARKER, LAYOUT, &self.period, &self.committee] {
            h.update(part.as_bytes());
            h.update(b"\n");
        }
        h.update(self.columns.join("\t").as_bytes());
        h.update(b"\n");
        for r in &self.rows {
            h.update(format!("{}\t{}\t{}\t{}\n", r.row, r.committee, r.code, r.version).as_bytes());
        }
        hex::encode(h.finalize())
    }
}

/// A cell reference as spreadsheets write it: `D7` for (row 6, column 3), 0-based.
pub fn cell_ref(row: u32, col: u16) -> String {
    let mut name = String::new();
    let mut n = u32::from(col) + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        name.insert(0, char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    format!("{name}{}", row + 1)
}

#[cfg(test)]
mod tests {
    use super::cell_ref;

    #[test]
    fn cell_refs() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(6, 3), "D7");
        assert_eq!(cell_ref(0, 25), "Z1");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(cell_ref(9, 27), "AB10");
    }
}
