//! Hub138: one GraphQL API for Vietnam's anti-trafficking steering
//! committees (Ban Chỉ đạo 138) — the committee hierarchy, member agencies
//! and, as the project grows, plans, tasks, reports and cooperation records.
//!
//! [`app`] builds the router and [`serve`] runs it on a listener, so tests
//! start the real server on port 0.

pub mod assets;
pub mod auth;
pub mod backup;
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod graphql;
pub mod http;
pub mod ids;
pub mod persisted;
pub mod replica;
pub mod seed;
pub mod server;
pub mod service;
pub mod telemetry;
pub mod ws;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;

use crate::auth::proxy::TrustedProxies;
use crate::auth::throttle::{Throttle, ThrottleLimits};
use crate::auth::token::Signer;
use crate::config::Limits;
use crate::graphql::Hub138Schema;
use crate::service::events::Events;

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub schema: Hub138Schema,
    /// Queries that passed the checks, run on the schema without them.
    pub kept: Option<graphql::checks::KeptQueries>,
    pub limits: Arc<Limits>,
    pub signer: Arc<Signer>,
    pub events: Events,
    pub trusted_proxies: Arc<TrustedProxies>,
    /// The trusted documents (`HUB138_PERSISTED_MANIFEST`).
    pub manifest: Arc<persisted::Manifest>,
    /// The sign-in throttle's limits (the housekeeping purges by its window).
    pub throttle: ThrottleLimits,
    /// How this process delivers webhooks.
    pub webhooks: service::webhooks::DeliveryOptions,
    /// Turns true when the server starts shutting down: open subscriptions
    /// close cleanly (1001) instead of being cut.
    pub stopping: Arc<tokio::sync::watch::Sender<bool>>,
    /// Where queries go instead of the primary (`DATABASE_READ_URL`).
    pub read_replica: Option<replica::ReadReplica>,
}

/// How sign-in is guarded: the throttle's limits and the proxies whose
/// `X-Forwarded-For` names the client.
#[derive(Clone, Debug, Default)]
pub struct SignInOptions {
    pub throttle: ThrottleLimits,
    pub trusted_proxies: TrustedProxies,
    /// How long authentication trusts what it kept (`HUB138_AUTH_CACHE_SECONDS`).
    pub auth_cache: auth::cache::AuthCache,
    /// How this process delivers webhooks (`HUB138_WEBHOOK_DELIVERY`).
    pub webhooks: service::webhooks::DeliveryOptions,
}

impl AppState {
    pub fn new(db: DatabaseConnection, limits: Limits, signer: Signer) -> Self {
        Self::with_sign_in(db, limits, signer, SignInOptions::default())
    }

    pub fn with_sign_in(
        db: DatabaseConnection,
        limits: Limits,
        signer: Signer,
        sign_in: SignInOptions,
    ) -> Self {
        // Compute the stand-in hash now, so no sign-in pays for it.
        let _ = auth::password::dummy();
        install_tls();
        let signer = Arc::new(signer);
        let events = Events::with_auth_cache(sign_in.auth_cache.clone());
        // `main` refuses to start on a manifest that does not load; here an
        // unreadable one leaves no trusted document (so persisted-only runs nothing).
        let configured = match &limits.persisted_manifest {
            Some(path) => persisted::Manifest::load(path).unwrap_or_else(|e| {
                tracing::error!(error = %e, "no trusted documents but the portal's");
                persisted::Manifest::default()
            }),
            None => persisted::Manifest::default(),
        };
        let manifest = persisted::Manifest::builtin().merged(configured);
        let manifest = Arc::new(manifest);
        let schemas = graphql::schemas(
            db.clone(),
            events.clone(),
            signer.clone(),
            Throttle::for_database(sign_in.throttle, &db),
            &limits,
            &manifest,
        );
        let kept = schemas
            .checked
            .map(|s| graphql::checks::KeptQueries::new(s, limits.document_cache_mib));
        Self {
            db,
            schema: schemas.full,
            kept,
            limits: Arc::new(limits),
            signer,
            events,
            trusted_proxies: Arc::new(sign_in.trusted_proxies),
            manifest,
            throttle: sign_in.throttle,
            webhooks: sign_in.webhooks,
            stopping: Arc::new(tokio::sync::watch::Sender::new(false)),
            read_replica: None,
        }
    }

    /// Sends queries to the read replica `db` (see [`replica`]).
    pub fn with_read_replica(mut self, db: DatabaseConnection) -> Self {
        self.read_replica = Some(replica::ReadReplica::new(db));
        self
    }
}

/// The HTTP router of Hub138.
pub fn app(state: AppState) -> Router {
    http::router(state)
}

/// Serves `state` on `listener` until `shutdown` completes, then stops
/// accepting connections, finishes the requests in flight and closes the
/// subscriptions (1001). Meanwhile it delivers webhooks
/// ([`service::webhooks`]), runs the housekeeping
/// ([`service::housekeeping`]) and, on PostgreSQL, listens for what the
/// other replicas announce ([`service::relay`]).
///
/// Each connection is served by hyper with a header read timeout
/// (`HUB138_HEADER_TIMEOUT_SECS`): a client that has not sent a request's
/// headers by then is disconnected. Body reads have their own deadline (see
/// [`http`]).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use hyper_util::service::TowerToHyperService;
    use tokio::sync::watch;
    use tower::ServiceExt;

    let header_timeout = state.limits.header_timeout();
    // The other replicas' events, for as long as this server serves.
    let _relay = service::relay::start(state.db.clone(), state.events.clone())
        .await
        .map(AbortOnDrop);
    let _webhooks = AbortOnDrop(tokio::spawn(service::webhooks::run(
        state.db.clone(),
        state.webhooks.clone(),
    )));
    let _housekeeping = AbortOnDrop(tokio::spawn(service::housekeeping::run(
        state.db.clone(),
        state.throttle.window,
    )));
    let stopping = state.stopping.clone();
    let router = app(state);
    let (signal_tx, signal_rx) = watch::channel(());
    tokio::spawn(async move {
        shutdown.await;
        stopping.send_replace(true);
        drop(signal_rx);
    });
    let (close_tx, close_rx) = watch::channel(());
    loop {
        let (stream, address) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    tracing::warn!(error = %err, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = signal_tx.closed() => break,
        };
        let router = router.clone();
        let service = tower::service_fn(move |req: axum::http::Request<hyper::body::Incoming>| {
            let mut req = req.map(axum::body::Body::new);
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(address));
            router.clone().oneshot(req)
        });
        let signal_tx = signal_tx.clone();
        let close_rx = close_rx.clone();
        tokio::spawn(async move {
            let mut builder = Builder::new(TokioExecutor::new());
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            let conn = builder.serve_connection_with_upgrades(
                TokioIo::new(stream),
                TowerToHyperService::new(service),
            );
            tokio::pin!(conn);
            let mut closing = false;
            loop {
                tokio::select! {
                    result = conn.as_mut() => {
                        if let Err(err) = result {
                            tracing::debug!(error = %err, "connection ended with an error");
                        }
                        break;
                    }
                    () = signal_tx.closed(), if !closing => {
                        closing = true;
                        conn.as_mut().graceful_shutdown();
                    }
                }
            }
            drop(close_rx);
        });
    }
    drop(close_rx);
    drop(listener);
    close_tx.closed().await;
    Ok(())
}

/// Makes `ring` the process's TLS provider (for the HTTP clients of webhook
/// delivery and trace export); a second call changes nothing.
pub fn install_tls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A background task that ends with its owner.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
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
    pool: impl Into<db::Pool>,
    seed: Seed,
) -> anyhow::Result<DatabaseConnection> {
    let db = db::connect(url, pool).await?;
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
