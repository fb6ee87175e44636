//! The `hub138` binary: parse configuration, start telemetry, run a command.

use clap::Parser;
use hub138::auth::token::Signer;
use hub138::config::{Cli, Command};
use hub138::{AppState, Seed, SignInOptions, graphql, prepare, serve, telemetry};

/// An allocator made for many threads allocating small objects at once, as
/// a server does: under load, the system allocator's locks and trimming cost
/// a third of the CPU.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let cfg = cli.config;
    let command = cli.command.clone().unwrap_or(Command::Serve);
    if command == Command::Schema {
        #[allow(clippy::print_stdout)]
        {
            print!("{}", graphql::sdl());
        }
        return Ok(());
    }
    let _telemetry = telemetry::init(cfg.log_format)?;
    match command {
        Command::Migrate => {
            prepare(&cfg.database_url, cfg.db_max_connections, Seed::Nothing).await?;
            tracing::info!("migrations applied");
        }
        Command::Seed => {
            prepare(&cfg.database_url, cfg.db_max_connections, cfg.seed()).await?;
        }
        Command::User(user) => {
            let db = prepare(&cfg.database_url, cfg.db_max_connections, Seed::Nothing).await?;
            hub138::cli::user(&db, user).await?;
        }
        Command::Token(token) => {
            let db = prepare(&cfg.database_url, cfg.db_max_connections, Seed::Nothing).await?;
            hub138::cli::token(&db, token).await?;
        }
        Command::Report(report) => {
            let db = prepare(&cfg.database_url, cfg.db_max_connections, Seed::Nothing).await?;
            let events = hub138::service::events::Events::default();
            hub138::cli::report(&db, &events, report).await?;
        }
        Command::Backup { file } => {
            let db = hub138::db::connect(&cfg.database_url, 1).await?;
            let size = hub138::backup::backup(&db, &file).await?;
            tracing::info!("backed up into {} ({size} bytes)", file.display());
        }
        Command::Restore { file } => {
            let target = hub138::backup::restore(&file, &cfg.database_url).await?;
            tracing::info!("restored {} from {}", target.display(), file.display());
        }
        Command::Rollup(rollup) => {
            let db = prepare(&cfg.database_url, cfg.db_max_connections, Seed::Nothing).await?;
            if !hub138::cli::rollup(&db, rollup).await? {
                std::process::exit(3);
            }
        }
        Command::Plan(plan) => {
            let db = prepare(&cfg.database_url, cfg.db_max_connections, Seed::Nothing).await?;
            let events = hub138::service::events::Events::default();
            hub138::cli::plan(&db, &events, plan).await?;
        }
        Command::Serve | Command::Schema => {
            let db = prepare(&cfg.database_url, cfg.db_max_connections, cfg.seed()).await?;
            if let Some((username, password)) = cfg.bootstrap()? {
                hub138::cli::bootstrap_admin(&db, &username, password.expose()).await?;
            }
            // The portal's documents are always trusted; a manifest adds others.
            let configured = match &cfg.limits.persisted_manifest {
                Some(path) => hub138::persisted::Manifest::load(path)?.len(),
                None => 0,
            };
            tracing::info!(
                portal = hub138::persisted::Manifest::builtin().len(),
                manifest = configured,
                only = cfg.limits.persisted_only,
                "trusted documents"
            );
            let ttl = chrono::Duration::minutes(cfg.token_ttl_minutes.max(1));
            let signer = match &cfg.jwt_secret {
                Some(secret) if secret.expose().len() >= 32 => {
                    Signer::new(secret.expose().as_bytes(), ttl)
                }
                Some(_) => anyhow::bail!("HUB138_JWT_SECRET must be at least 32 bytes"),
                None => {
                    tracing::warn!(
                        "HUB138_JWT_SECRET is not set: access tokens are signed with a random secret and end with the process"
                    );
                    Signer::random(ttl)
                }
            };
            hub138::cli::announce_demo_accounts(&db).await?;
            let listener = tokio::net::TcpListener::bind(cfg.listen).await?;
            tracing::info!(
                "Hub138 serving GraphQL at http://{}/graphql",
                listener.local_addr()?
            );
            let sign_in = SignInOptions {
                trusted_proxies: cfg.trusted_proxies,
                auth_cache: hub138::auth::cache::AuthCache::new(std::time::Duration::from_secs(
                    cfg.auth_cache_seconds,
                )),
                ..SignInOptions::default()
            };
            let state = AppState::with_sign_in(db, cfg.limits, signer, sign_in);
            serve(listener, state, shutdown_signal()).await?;
            tracing::info!("stopped");
        }
    }
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
