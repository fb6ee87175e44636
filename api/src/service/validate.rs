//! Input checks shared by the services: every problem found is collected as
//! a [`UserError`] so a client sees all of them at once, and nothing is
//! written unless there are none.
//!
//! The bounds every input obeys are here too: control characters (other
//! than tab, line feed and carriage return) are refused in every string,
//! dates lie in [`FIRST_YEAR`]..=[`LAST_YEAR`], a plan's period spans at
//! most [`MAX_PLAN_YEARS`] years and a count is at most [`MAX_COUNT`].

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, Result, UserError, UserErrorCode};
use crate::service::text;

/// The first year of any date Hub138 accepts (1945-01-01).
pub const FIRST_YEAR: i32 = 1945;
/// The last year of any date Hub138 accepts (2100-12-31).
pub const LAST_YEAR: i32 = 2100;
/// A plan's period is at most this many years long.
pub const MAX_PLAN_YEARS: i32 = 10;
/// The largest count of people in one record (victims, suspects).
pub const MAX_COUNT: i32 = 100_000;

/// The first character of `s` that is refused in any text: a C0 control
/// other than tab, line feed and carriage return, DEL or a C1 control.
pub fn forbidden_char(s: &str) -> Option<char> {
    s.chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// The message for a string holding `c`.
pub fn forbidden_message(name: &str, c: char) -> String {
    format!(
        "{name} contains the control character U+{:04X}; only tab, line feed and carriage return are allowed",
        u32::from(c)
    )
}

/// Whether `d` lies in [`FIRST_YEAR`]..=[`LAST_YEAR`].
pub fn date_in_range(d: NaiveDate) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&d.year())
}

/// A strict ISO 8601 calendar date: exactly `YYYY-MM-DD`, a real day, in
/// [`FIRST_YEAR`]..=[`LAST_YEAR`]. `+2024-01-01`, `2024-1-1`,
/// `2024-02-30` and `0000-01-01` are refused.
pub fn parse_date(s: &str) -> std::result::Result<NaiveDate, String> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u32>().ok());
    let date = match (shape, num(0..4), num(5..7), num(8..10)) {
        (true, Some(y), Some(m), Some(d)) => i32::try_from(y)
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, m, d)),
        _ => None,
    };
    match date {
        Some(d) if date_in_range(d) => Ok(d),
        Some(_) => Err(format!(
            "{s:?} is out of range: dates run from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31"
        )),
        None => Err(format!("{s:?} is not a date (YYYY-MM-DD)")),
    }
}

#[derive(Default)]
pub struct Check {
    errors: Vec<UserError>,
}

impl Check {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn fail(&mut self, field: &[&str], code: UserErrorCode, message: impl Into<String>) {
        self.errors.push(UserError::new(field, code, message));
    }

    pub fn failed(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Required text: NFC, trimmed, not empty, at most `max` characters.
    pub fn text(&mut self, field: &[&str], value: &str, max: usize) -> String {
        let v = text::clean(value);
        let name = field.last().copied().unwrap_or("value");
        if !self.plain(field, value) {
            return v;
        }
        if v.is_empty() {
            self.fail(
                field,
                UserErrorCode::Required,
                format!("{name} must not be empty"),
            );
        } else if v.chars().count() > max {
            self.fail(
                field,
                UserErrorCode::TooLong,
                format!("{name} must be at most {max} characters"),
            );
        }
        v
    }

    /// Optional text; empty becomes `None`.
    pub fn opt_text(&mut self, field: &[&str], value: Option<&str>, max: usize) -> Option<String> {
        let raw = value?;
        let v = text::clean(raw);
        if !self.plain(field, raw) || v.is_empty() {
            return (!v.is_empty()).then_some(v);
        }
        if v.chars().count() > max {
            let name = field.last().copied().unwrap_or("value");
            self.fail(
                field,
                UserErrorCode::TooLong,
                format!("{name} must be at most {max} characters"),
            );
        }
        Some(v)
    }

    /// Any string: no control character but tab, line feed and carriage
    /// return (`INVALID_CHARACTERS`). Run it before the string reaches SQL.
    pub fn plain(&mut self, field: &[&str], value: &str) -> bool {
        match forbidden_char(value) {
            None => true,
            Some(c) => {
                let name = field.last().copied().unwrap_or("value");
                self.fail(
                    field,
                    UserErrorCode::InvalidCharacters,
                    forbidden_message(name, c),
                );
                false
            }
        }
    }

    /// A count of people: 0..=[`MAX_COUNT`] (`OUT_OF_RANGE`).
    pub fn count(&mut self, field: &[&str], value: i32) {
        if !(0..=MAX_COUNT).contains(&value) {
            let name = field.last().copied().unwrap_or("value");
            self.fail(
                field,
                UserErrorCode::OutOfRange,
                format!("{name} must be from 0 to {MAX_COUNT}"),
            );
        }
    }

    /// A period of at most [`MAX_PLAN_YEARS`] years (`INVALID_RANGE`).
    pub fn span(&mut self, field: &[&str], from: NaiveDate, to: NaiveDate) {
        let limit = from
            .checked_add_months(chrono::Months::new(MAX_PLAN_YEARS.unsigned_abs() * 12))
            .unwrap_or(NaiveDate::MAX);
        if to >= limit {
            self.fail(
                field,
                UserErrorCode::InvalidRange,
                format!("a period spans at most {MAX_PLAN_YEARS} years"),
            );
        }
    }

    /// `from <= to` when both are given.
    pub fn range(&mut self, field: &[&str], from: Option<NaiveDate>, to: Option<NaiveDate>) {
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            self.fail(
                field,
                UserErrorCode::InvalidRange,
                format!("the period ends ({t}) before it starts ({f})"),
            );
        }
    }

    pub fn finish(self) -> Result<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(self.errors))
        }
    }
}
