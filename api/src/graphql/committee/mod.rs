//! Committees: types and the root queries of the tree (and `node`).

pub mod query;
pub mod types;

pub use types::*;
