//! Agencies and memberships: types and mutations.

pub mod membership;
pub mod mutation;
pub mod types;

pub use membership::*;
pub use types::*;
