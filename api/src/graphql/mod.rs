//! The GraphQL schema: one folder per area (agency, committee, plan, task,
//! report, cooperation; account and export are single files), each with
//! its types, root queries and mutations; loaders by area; the limits.

pub mod account;
pub mod agency;
pub mod checks;
pub mod committee;
pub mod connection;
pub mod cooperation;
pub mod enums;
pub mod export;
pub mod ids;
pub mod loaders;
pub mod node;
pub mod payload;
pub mod plan;
pub mod report;
pub mod scalars;
pub mod subscription;
pub mod task;
pub mod webhook;
pub mod write;

use async_graphql::extensions::Tracing;
use async_graphql::extensions::apollo_persisted_queries::{
    ApolloPersistedQueries, LruCacheStorage,
};

/// How many persisted queries each process keeps (least recently used go).
pub const PERSISTED_QUERIES: usize = 2048;
use async_graphql::{Context, MergedObject, Schema, SchemaBuilder, ValidationMode};
use sea_orm::DatabaseConnection;

use std::sync::Arc;

use crate::auth::Viewer;
use crate::auth::throttle::Throttle;
use crate::auth::token::Signer;
use crate::config::Limits;
use crate::error::Error;
use crate::persisted::Manifest;
use crate::service::events::Events;
use loaders::Loaders;

#[derive(MergedObject, Default)]
pub struct Query(
    committee::query::HierarchyQuery,
    plan::query::PlanQuery,
    cooperation::query::CooperationQuery,
    report::query::IndicatorQuery,
    account::AccountQuery,
    export::ExportQuery,
    webhook::WebhookQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    account::AccountMutation,
    agency::mutation::AgencyMutation,
    plan::mutation::PlanMutation,
    plan::import::PlanImportMutation,
    task::mutation::TaskMutation,
    cooperation::mutation::CooperationMutation,
    report::mutation::ReportMutation,
    report::sheet::ReportSheetMutation,
    export::ExportMutation,
    webhook::WebhookMutation,
);

pub type Hub138Schema = Schema<Query, Mutation, subscription::Subscription>;

fn builder() -> SchemaBuilder<Query, Mutation, subscription::Subscription> {
    Schema::build(
        Query::default(),
        Mutation::default(),
        subscription::Subscription,
    )
    .register_output_type::<node::Node>()
}

/// The schemas serving requests against `db`, with the configured limits.
/// Loaders are per request (see [`loaders::drive`]); the schema-wide ones
/// serve subscriptions.
#[derive(Clone)]
pub struct Schemas {
    /// Runs every request's checks ([`checks`]) as extensions of
    /// async-graphql, and Apollo's persisted queries.
    pub full: Hub138Schema,
    /// The same schema without extensions, for queries that already passed
    /// the checks ([`checks::Passed`]): async-graphql wraps every field of a
    /// request in its extensions when it has any, which costs CPU on every
    /// field. `None` while resolvers are traced (the tracing extension).
    pub checked: Option<Hub138Schema>,
}

pub fn schemas(
    db: DatabaseConnection,
    events: Events,
    signer: Arc<Signer>,
    throttle: Throttle,
    limits: &Limits,
    manifest: &Arc<Manifest>,
) -> Schemas {
    let throttle = Arc::new(throttle);
    let base = || {
        let b = builder()
            .data(Loaders::new(db.clone(), Arc::default()))
            .data(events.clone())
            .data(signer.clone())
            .data(throttle.clone())
            .limit_complexity(limits.max_complexity)
            .limit_recursive_depth(limits.max_depth.saturating_mul(2))
            .limit_directives(limits.max_directives);
        if limits.introspection {
            b
        } else {
            b.disable_introspection()
        }
    };
    let mut b = base();
    // A span per resolver costs CPU on every field of every request: they
    // are made only when someone looks at them, when traces are exported or
    // the log level is debug.
    let traced = crate::telemetry::exporting() || tracing::enabled!(tracing::Level::DEBUG);
    if traced {
        b = b.extension(Tracing);
    }
    if limits.persisted_only {
        b = b.extension(checks::TrustedOnly(manifest.clone()));
    }
    let full = b
        // Apollo's automatic persisted queries, in a bounded cache.
        .extension(ApolloPersistedQueries::new(LruCacheStorage::new(
            PERSISTED_QUERIES,
        )))
        .extension(checks::RequestChecks {
            max_aliases: limits.max_aliases,
            // The depth of the data; introspection does not count (see checks).
            max_depth: limits.max_depth,
            max_complexity: limits.max_complexity,
        })
        .finish();
    // A kept query passed every validation rule with these very variables:
    // the checked schema validates in async-graphql's fast mode, which still
    // computes its complexity and depth and enforces the limits.
    let checked = (!traced && limits.document_cache_mib > 0)
        .then(|| base().validation_mode(ValidationMode::Fast).finish());
    Schemas { full, checked }
}

/// The signed-in viewer of a request; anonymous requests get UNAUTHENTICATED.
pub fn viewer<'a>(ctx: &Context<'a>) -> Result<&'a Viewer, Error> {
    ctx.data_opt::<Viewer>().ok_or(Error::Unauthenticated)
}

/// The loaders of a signed-in viewer, scoped to what it may read.
pub fn reader<'a>(ctx: &Context<'a>) -> Result<&'a Loaders, Error> {
    viewer(ctx)?;
    ctx.data::<Loaders>()
        .map_err(|_| Error::internal(anyhow::anyhow!("no loaders in the request")))
}

/// The SDL of the schema, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    use async_graphql::SDLExportOptions;
    let body = builder().finish().sdl_with_options(
        SDLExportOptions::new()
            .sorted_fields()
            .sorted_arguments()
            .sorted_enum_items(),
    );
    format!(
        "# Generated by `hub138 schema` from the code; do not edit.\n\
         # Regenerate with: cargo run -p hub138 -- schema > schema.graphql\n\n{}",
        body.trim_start()
    )
}
