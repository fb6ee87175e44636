//! Tasks and progress: types and mutations.

pub mod mutation;
pub mod types;

pub use types::*;
