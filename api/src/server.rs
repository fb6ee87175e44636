//! `hub138 serve`: the server as the binary runs it, from its configuration.

use crate::auth::token::Signer;
use crate::config::Config;
use crate::{AppState, SignInOptions, prepare};

/// Prepares the database as configured, then serves until SIGINT or
/// SIGTERM, finishing the requests in flight.
pub async fn serve(cfg: Config) -> anyhow::Result<()> {
    let db = prepare(&cfg.database_url, cfg.pool(), cfg.seed()).await?;
    let read = match &cfg.database_read_url {
        Some(_) if db.get_database_backend() != sea_orm::DbBackend::Postgres => {
            anyhow::bail!("DATABASE_READ_URL needs PostgreSQL: SQLite has no read replica");
        }
        Some(url) => Some(crate::db::connect(url, cfg.pool()).await?),
        None => None,
    };
    if let Some((username, password)) = cfg.bootstrap()? {
        crate::cli::bootstrap_admin(&db, &username, password.expose()).await?;
    }
    // The portal's documents are always trusted; a manifest adds others.
    let configured = match &cfg.limits.persisted_manifest {
        Some(path) => crate::persisted::Manifest::load(path)?.len(),
        None => 0,
    };
    tracing::info!(
        portal = crate::persisted::Manifest::builtin().len(),
        manifest = configured,
        only = cfg.limits.persisted_only,
        "trusted documents"
    );
    let ttl = chrono::Duration::minutes(cfg.token_ttl_minutes.max(1));
    if cfg.replicas > 1 {
        if db.get_database_backend() != sea_orm::DbBackend::Postgres {
            anyhow::bail!(
                "HUB138_REPLICAS={} needs PostgreSQL: SQLite serves one process",
                cfg.replicas
            );
        }
        if cfg.jwt_secret.is_none() {
            anyhow::bail!(
                "HUB138_REPLICAS={} needs HUB138_JWT_SECRET, the same on every replica, so that each accepts the others' tokens",
                cfg.replicas
            );
        }
    }
    let signer = match &cfg.jwt_secret {
        Some(secret) if secret.expose().len() >= 32 => Signer::new(secret.expose().as_bytes(), ttl),
        Some(_) => anyhow::bail!("HUB138_JWT_SECRET must be at least 32 bytes"),
        None => {
            tracing::warn!(
                "HUB138_JWT_SECRET is not set: access tokens are signed with a random secret and end with the process"
            );
            Signer::random(ttl)
        }
    };
    crate::cli::announce_demo_accounts(&db).await?;
    let listener = tokio::net::TcpListener::bind(cfg.listen).await?;
    tracing::info!(
        "Hub138 serving GraphQL at http://{}/graphql",
        listener.local_addr()?
    );
    let sign_in = SignInOptions {
        trusted_proxies: cfg.trusted_proxies,
        auth_cache: crate::auth::cache::AuthCache::new(std::time::Duration::from_secs(
            cfg.auth_cache_seconds,
        )),
        webhooks: crate::service::webhooks::DeliveryOptions {
            poll: cfg
                .webhook_delivery
                .then_some(std::time::Duration::from_secs(1)),
            ..Default::default()
        },
        ..SignInOptions::default()
    };
    let mut state = AppState::with_sign_in(db, cfg.limits, signer, sign_in);
    if let Some(read) = read {
        tracing::info!("queries go to the read replica");
        state = state.with_read_replica(read);
    }
    crate::serve(listener, state, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
