//! SeaORM entities of Hub138: the table models, separate from the API types.

pub mod agency;
pub mod committee;
pub mod committee_closure;
pub mod committee_succession;
pub mod membership;
