//! Hub138: one GraphQL API for Vietnam's anti-trafficking steering
//! committees (Ban Chỉ đạo 138) — the committee hierarchy, member agencies
//! and, as the project grows, plans, tasks, reports and cooperation records.
//!
//! [`app`] builds the router and [`serve`] runs it on a listener, so tests
//! start the real server on port 0.

pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod graphql;
pub mod http;
pub mod ids;
pub mod seed;
pub mod service;
pub mod telemetry;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;

use crate::auth::token::Signer;
use crate::config::Limits;
use crate::graphql::Hub138Schema;

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub schema: Hub138Schema,
    pub limits: Arc<Limits>,
    pub signer: Arc<Signer>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, limits: Limits, signer: Signer) -> Self {
        let signer = Arc::new(signer);
        let schema = graphql::schema(
            db.clone(),
            service::events::Events::default(),
            signer.clone(),
            &limits,
        );
        Self {
            db,
            schema,
            limits: Arc::new(limits),
            signer,
        }
    }
}

/// The HTTP router of Hub138.
pub fn app(state: AppState) -> Router {
    http::router(state)
}

/// Serves `state` on `listener` until `shutdown` completes, then finishes
/// the requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// What [`prepare`] loads into an empty database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seed {
    /// Nothing: only migrate.
    Nothing,
    /// The reference data: administrative units, successor links, the
    /// agency registry, indicators. No accounts.
    Reference,
    /// The reference data and the demo: plans, tasks, reports, cooperation
    /// records and the demo accounts with their public password.
    Demo,
}

/// Connects, migrates and, if the database is empty, loads what `seed` asks.
pub async fn prepare(
    url: &str,
    max_connections: u32,
    seed: Seed,
) -> anyhow::Result<DatabaseConnection> {
    let db = db::connect(url, max_connections).await?;
    db::migrate(&db).await?;
    seed::backfill_current(&db).await?;
    if seed != Seed::Nothing {
        let started = std::time::Instant::now();
        let demo = seed == Seed::Demo;
        if let Some(report) = seed::seed_if_empty(&db, demo).await? {
            if demo {
                let accounts = service::account::create_demo_accounts(&db)
                    .await
                    .map_err(|e| anyhow::anyhow!("demo accounts: {e:?}"))?;
                tracing::info!(accounts = accounts.len(), "created the demo accounts");
            }
            tracing::info!(
                committees = report.committees,
                successions = report.successions,
                agencies = report.agencies,
                memberships = report.memberships,
                demo,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "loaded the reference data{}",
                if demo { " and the demo" } else { "" }
            );
        }
    }
    Ok(db)
}
