//! API types: separate from the table models, each wrapping one.

pub mod agency;
pub mod committee;
pub mod cooperation;
pub mod enums;
pub mod indicator;
pub mod membership;
pub mod node;
pub mod payload;
pub mod plan;
pub mod report;
pub mod task;
