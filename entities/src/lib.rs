//! SeaORM entities of Hub138: the table models, separate from the API types.

pub mod account;
pub mod agency;
pub mod api_token;
pub mod audit_event;
pub mod committee;
pub mod committee_closure;
pub mod committee_succession;
pub mod cooperation_agency;
pub mod cooperation_record;
pub mod counterpart;
pub mod enums;
pub mod export;
pub mod indicator;
pub mod membership;
pub mod plan;
pub mod plan_document;
pub mod plan_link;
pub mod plan_reference;
pub mod plan_section;
pub mod plan_target;
pub mod report;
pub mod report_value;
pub mod reporting_rule;
pub mod task;
pub mod task_agency;
pub mod task_progress;
