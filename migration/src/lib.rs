//! Database migrations of Hub138, one change per file, applied in order by
//! `hub138 migrate` and on every `hub138 serve`.

pub use sea_orm_migration::prelude::*;

mod m20250101_000001_create_committee;
mod m20250101_000002_create_committee_closure;
mod m20250101_000003_create_committee_succession;
mod m20250101_000004_create_agency;
mod m20250101_000005_create_membership;
mod m20250201_000001_create_plan;
mod m20250201_000002_create_plan_target_and_rule;
mod m20250201_000003_create_plan_section;
mod m20250201_000004_create_task;
mod m20250201_000005_create_task_progress;
mod m20250201_000006_create_cooperation;
mod m20250301_000001_create_account;
mod m20250301_000002_create_audit_event;
mod m20250401_000001_create_indicator;
mod m20250501_000001_create_report;
mod m20250601_000001_create_export;
mod m20250701_000001_audit_outcome;
mod m20250801_000001_vocabulary_checks;
mod m20250901_000001_report_entered_by;
mod m20251001_000001_plan_document;
mod m20251001_000002_agency_alias;
mod m20251101_000001_rollup_total;
mod m20251101_000002_committee_preorder;
mod m20251201_000001_sign_in_count;
mod m20251201_000002_webhooks;
mod m20251207_000001_page_indexes;
pub mod preorder;
pub mod rollup_totals;

pub use m20250801_000001_vocabulary_checks::{VOCABULARIES, constraint_name};

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
            Box::new(m20250201_000001_create_plan::Migration),
            Box::new(m20250201_000002_create_plan_target_and_rule::Migration),
            Box::new(m20250201_000003_create_plan_section::Migration),
            Box::new(m20250201_000004_create_task::Migration),
            Box::new(m20250201_000005_create_task_progress::Migration),
            Box::new(m20250201_000006_create_cooperation::Migration),
            Box::new(m20250301_000001_create_account::Migration),
            Box::new(m20250301_000002_create_audit_event::Migration),
            Box::new(m20250401_000001_create_indicator::Migration),
            Box::new(m20250501_000001_create_report::Migration),
            Box::new(m20250601_000001_create_export::Migration),
            Box::new(m20250701_000001_audit_outcome::Migration),
            Box::new(m20250801_000001_vocabulary_checks::Migration),
            Box::new(m20250901_000001_report_entered_by::Migration),
            Box::new(m20251001_000001_plan_document::Migration),
            Box::new(m20251001_000002_agency_alias::Migration),
            Box::new(m20251101_000001_rollup_total::Migration),
            Box::new(m20251101_000002_committee_preorder::Migration),
            Box::new(m20251201_000001_sign_in_count::Migration),
            Box::new(m20251201_000002_webhooks::Migration),
            Box::new(m20251207_000001_page_indexes::Migration),
        ]
    }
}
