//! Input checks shared by the services: every problem found is collected as
//! a [`UserError`] so a client sees all of them at once, and nothing is
//! written unless there are none.

use chrono::NaiveDate;

use crate::error::{Error, Result, UserError};
use crate::service::text;

#[derive(Default)]
pub struct Check {
    errors: Vec<UserError>,
}

impl Check {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn fail(&mut self, field: &[&str], code: &'static str, message: impl Into<String>) {
        self.errors.push(UserError::new(field, code, message));
    }

    pub fn failed(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Required text: NFC, trimmed, not empty, at most `max` characters.
    pub fn text(&mut self, field: &[&str], value: &str, max: usize) -> String {
        let v = text::clean(value);
        let name = field.last().copied().unwrap_or("value");
        if v.is_empty() {
            self.fail(field, "REQUIRED", format!("{name} must not be empty"));
        } else if v.chars().count() > max {
            self.fail(
                field,
                "TOO_LONG",
                format!("{name} must be at most {max} characters"),
            );
        }
        v
    }

    /// Optional text; empty becomes `None`.
    pub fn opt_text(&mut self, field: &[&str], value: Option<&str>, max: usize) -> Option<String> {
        let v = value.map(text::clean).filter(|s| !s.is_empty())?;
        if v.chars().count() > max {
            let name = field.last().copied().unwrap_or("value");
            self.fail(
                field,
                "TOO_LONG",
                format!("{name} must be at most {max} characters"),
            );
        }
        Some(v)
    }

    /// `from <= to` when both are given.
    pub fn range(&mut self, field: &[&str], from: Option<NaiveDate>, to: Option<NaiveDate>) {
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            self.fail(
                field,
                "INVALID_RANGE",
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
