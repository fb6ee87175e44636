//! Plans: types, root queries and mutations.

pub mod mutation;
pub mod query;
pub mod types;

pub use types::*;
