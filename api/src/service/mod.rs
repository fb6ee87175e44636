//! Domain logic. Nothing here knows about GraphQL: services take plain Rust
//! values and return entities or [`crate::error::Error`].

pub mod account;
pub mod agency;
pub mod audit;
pub mod batch;
pub mod cooperation;
pub mod enums;
pub mod events;
pub mod export;
pub mod hierarchy;
pub mod housekeeping;
pub mod indicator;
pub mod page;
pub mod period;
pub mod plan;
pub mod plan_import;
pub mod relay;
pub mod render;
pub mod report;
pub mod report_sheet;
pub mod rollup;
pub mod task;
pub mod text;
pub mod totals;
pub mod validate;
pub mod webhooks;
pub mod write;

use chrono::{NaiveDate, Utc};

/// Today's date in Vietnam (UTC+7), the default `activeOn`.
pub fn today() -> NaiveDate {
    (Utc::now() + chrono::Duration::hours(7)).date_naive()
}
