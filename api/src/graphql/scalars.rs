//! Custom scalars: `Date` (ISO 8601 calendar date), `DateTime` (RFC 3339
//! instant) and `Period`. Input values are strict and bounded to the years
//! [`FIRST_YEAR`]..=[`LAST_YEAR`]; anything else is `BAD_USER_INPUT`.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{NaiveDate, Utc};

use crate::service::validate::{self, FIRST_YEAR, LAST_YEAR};

/// A calendar date, `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Date(pub NaiveDate);

/// A calendar date in ISO 8601 form, exactly `YYYY-MM-DD`, from 1945-01-01
/// to 2100-12-31.
#[Scalar(
    name = "Date",
    specified_by_url = "https://www.rfc-editor.org/rfc/rfc3339#section-5.6"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => validate::parse_date(s)
                .map(Date)
                .map_err(InputValueError::custom),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(s) if validate::parse_date(s).is_ok())
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

/// An instant in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DateTime(pub chrono::DateTime<Utc>);

fn parse_date_time(s: &str) -> Result<chrono::DateTime<Utc>, String> {
    let t = chrono::DateTime::parse_from_rfc3339(s)
        .map_err(|_| format!("{s:?} is not an RFC 3339 date-time (2024-07-01T08:00:00Z)"))?
        .with_timezone(&Utc);
    // RFC 3339 has four-digit years only; the range is Hub138's.
    if validate::date_in_range(t.date_naive()) {
        Ok(t)
    } else {
        Err(format!(
            "{s:?} is out of range: dates run from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31"
        ))
    }
}

/// An instant in RFC 3339 form (`2024-07-01T08:00:00Z`, any offset on
/// input; UTC on output), from 1945 to 2100.
#[Scalar(
    name = "DateTime",
    specified_by_url = "https://www.rfc-editor.org/rfc/rfc3339#section-5.6"
)]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => parse_date_time(s)
                .map(DateTime)
                .map_err(InputValueError::custom),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(s) if parse_date_time(s).is_ok())
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339())
    }
}

/// A reporting period: `2024`, `2024-H1`, `2024-Q3` or `2024-07`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Period(pub crate::service::period::Period);

fn parse_period(s: &str) -> Result<crate::service::period::Period, String> {
    let p = s.parse::<crate::service::period::Period>()?;
    if (FIRST_YEAR..=LAST_YEAR).contains(&p.year) {
        Ok(p)
    } else {
        Err(format!(
            "{s:?} is out of range: periods run from {FIRST_YEAR} to {LAST_YEAR}"
        ))
    }
}

/// A reporting period: a year (`2024`), half-year (`2024-H1`), quarter
/// (`2024-Q3`) or month (`2024-07`), from 1945 to 2100.
#[Scalar(name = "Period")]
impl ScalarType for Period {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => parse_period(s).map(Period).map_err(InputValueError::custom),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(s) if parse_period(s).is_ok())
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}
