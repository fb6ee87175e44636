//! Database migrations of Hub138, one change per file, applied in order by
//! `hub138 migrate` and on every `hub138 serve`.

pub use sea_orm_migration::prelude::*;

mod m20250101_000001_create_committee;
mod m20250101_000002_create_committee_closure;
mod m20250101_000003_create_committee_succession;
mod m20250101_000004_create_agency;
mod m20250101_000005_create_membership;

/// All migrations of the schema.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20250101_000001_create_committee::Migration),
            Box::new(m20250101_000002_create_committee_closure::Migration),
            Box::new(m20250101_000003_create_committee_succession::Migration),
            Box::new(m20250101_000004_create_agency::Migration),
            Box::new(m20250101_000005_create_membership::Migration),
        ]
    }
}
