//! Periodic reports and indicators: types, rollups, queries and mutations.

pub mod indicator;
pub mod mutation;
pub mod query;
pub mod sheet;
pub mod types;

pub use indicator::*;
pub use types::*;
