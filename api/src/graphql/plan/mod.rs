//! Plans: types, root queries and mutations.

pub mod import;
pub mod mutation;
pub mod query;
pub mod types;

pub use types::*;
