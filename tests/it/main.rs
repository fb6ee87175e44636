//! The integration tests of Hub138: one binary, every test through the real
//! HTTP router on a fresh database (see `common`).

mod agencies;
mod auth;
mod authz;
mod backup;
mod batching;
mod common;
mod cooperation;
mod exports;
mod faults;
mod hierarchy;
mod http_spec;
mod input;
mod introspection;
mod limits;
mod nodes;
mod pagination;
mod plan_import;
mod plans;
mod read_replica;
mod replicas;
mod reports;
mod schema;
mod sheets;
mod subscriptions;
mod tasks;
mod totals;
mod traces;
mod webhooks;
mod writes;

use std::future::Future;

use libtest_mimic::{Arguments, Failed, Trial};

/// Runs an async test on the shared runtime.
fn run<F>(test: fn() -> F) -> Result<(), Failed>
where
    F: Future<Output = anyhow::Result<()>> + Send + 'static,
{
    common::RT
        .block_on(async move { tokio::spawn(test()).await })
        .map_err(|e| Failed::from(format!("test panicked: {e}")))?
        .map_err(|e| Failed::from(format!("{e:#}")))
}

macro_rules! tests {
    ($($module:ident :: $name:ident),+ $(,)?) => {
        vec![$(Trial::test(concat!(stringify!($module), "::", stringify!($name)), || run($module::$name))),+]
    };
}

fn main() {
    if std::env::var_os(common::REPLICA_ENV).is_some() {
        if let Err(err) = common::serve_as_replica() {
            eprintln!("replica: {err:#}");
            std::process::exit(1);
        }
        return;
    }
    let args = Arguments::from_args();
    let trials = tests![
        schema::sdl_matches_checked_in_file,
        replicas::replicas_share_events_counts_and_revocations,
        webhooks::deliveries_are_signed_retried_and_disabled,
        faults::an_exhausted_pool_answers_503,
        faults::a_database_restart_under_load,
        faults::sigterm_finishes_what_is_in_flight,
        faults::sigkill_mid_write_leaves_all_or_nothing,
        read_replica::queries_read_the_replica_and_writers_their_writes,
        webhooks::a_killed_server_delivers_after_restart,
        introspection::standard_introspection_builds_the_schema,
        hierarchy::unit_counts,
        hierarchy::reform_as_of_queries,
        hierarchy::names_and_search,
        hierarchy::tree_walks,
        hierarchy::preorder_ranges_are_the_closure,
        pagination::edges_of_pages,
        pagination::walk_forward_and_backward,
        pagination::nested_pages_know_when_they_go_on,
        nodes::round_trip_every_type,
        nodes::unknown_and_garbage_ids,
        http_spec::status_codes_and_media_types,
        http_spec::get_requests,
        http_spec::health_probes,
        http_spec::request_ids_and_costs,
        traces::traceparent_continues_the_clients_trace,
        http_spec::graphiql_is_served_offline,
        http_spec::persisted_queries_round_trip,
        http_spec::trusted_documents_only,
        http_spec::portal_documents_are_trusted,
        http_spec::portal_is_served,
        sheets::xlsx_round_trip,
        sheets::refusals_name_their_cells,
        sheets::csv_round_trip,
        sheets::bad_files_are_refused,
        sheets::out_of_scope_rows_read_as_nonexistent,
        sheets::cli_import,
        sheets::large_csv_is_all_or_nothing,
        plan_import::seed_plan_preview_and_commit,
        plan_import::docx_and_scope,
        plan_import::new_agencies_and_corrections,
        plan_import::bad_documents_are_refused,
        plan_import::cli_import,
        plan_import::aliases_match,
        limits::depth_complexity_and_page_size,
        limits::request_errors_carry_codes,
        limits::aliases_and_rollup_costs,
        limits::slow_clients_are_cut_off,
        limits::kept_queries_answer_as_checked,
        input::control_characters_are_refused,
        input::dates_are_strict_and_bounded,
        input::spans_and_counts_are_bounded,
        input::corrupt_vocabulary_is_refused_by_the_database,
        input::vocabularies_match_the_entities,
        input::existing_databases_migrate,
        input::unique_violation_is_duplicate,
        input::racing_first_saves_conflict,
        input::schema_lists_every_user_error_code,
        batching::nested_fields_batch,
        batching::plan_trees_batch,
        batching::compared_workloads,
        batching::compact_rows_answer_as_whole_rows,
        agencies::demo_registry,
        agencies::create_update_deactivate,
        agencies::validation_leaves_nothing_behind,
        agencies::standing_agency_moves,
        plans::demo_plans_from_seed_documents,
        plans::demo_plans_are_the_person_reading,
        plans::life_cycle_and_frozen_fields,
        plans::validation_leaves_nothing_behind,
        plans::indicators_and_targets,
        tasks::cascade_is_idempotent,
        tasks::progress_history_and_validation,
        tasks::fifty_concurrent_reporters,
        tasks::filters_over_a_subtree,
        cooperation::demo_records_and_filters,
        cooperation::create_update_and_validation,
        reports::review_flow_and_lock,
        reports::expected_reports_and_timeliness,
        reports::rollups_match_hand_computed_sums,
        reports::task_progress_rollup,
        reports::dashboard_statements_do_not_grow,
        reports::demo_reports_show_every_state,
        exports::tuyen_quang_year_as_xlsx,
        exports::national_year_as_csv,
        exports::small_cells_are_suppressed,
        subscriptions::task_updates_reach_ancestors_only,
        subscriptions::persisted_only_applies_to_subscriptions,
        subscriptions::report_submissions_reach_reviewers,
        subscriptions::subscriptions_end_with_their_credentials,
        subscriptions::expired_token_closes_the_socket,
        subscriptions::refusals_on_connect_and_subscribe,
        backup::sqlite_backup_round_trip,
        totals::kept_totals_equal_raw_sums,
        totals::rollups_read_kept_totals_and_rebuild_repairs,
        auth::sign_in_and_tokens,
        auth::signed_in_requests_cost_no_statement,
        auth::unknown_and_known_users_cost_the_same,
        auth::a_concurrent_burst_meets_the_limit,
        auth::a_stranger_cannot_lock_out_the_real_user,
        auth::forwarded_for_only_from_trusted_proxies,
        auth::readyz_answers_during_a_login_burst,
        authz::provincial_editor_scope,
        authz::authorization_matrix,
        authz::no_object_out_of_scope,
        authz::input_ids_out_of_scope_answer_as_nonexistent,
        writes::demo_only_on_the_embedded_default,
        writes::change_and_audit_commit_together,
        writes::reform_scope_is_what_was_taken_in,
        writes::ceased_committees_are_corrected_by_successors,
    ];
    let conclusion = libtest_mimic::run(&args, trials);
    common::cleanup();
    conclusion.exit();
}
