//! The `hub138` binary: parse configuration, start telemetry, run a command.

use clap::Parser;
use hub138::config::{Cli, Command};
use hub138::{Seed, graphql, prepare, telemetry};

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
            prepare(&cfg.database_url, cfg.pool(), Seed::Nothing).await?;
            tracing::info!("migrations applied");
        }
        Command::Seed => {
            prepare(&cfg.database_url, cfg.pool(), cfg.seed()).await?;
        }
        Command::User(user) => {
            let db = prepare(&cfg.database_url, cfg.pool(), Seed::Nothing).await?;
            hub138::cli::user(&db, user).await?;
        }
        Command::Token(token) => {
            let db = prepare(&cfg.database_url, cfg.pool(), Seed::Nothing).await?;
            hub138::cli::token(&db, token).await?;
        }
        Command::Report(report) => {
            let db = prepare(&cfg.database_url, cfg.pool(), Seed::Nothing).await?;
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
            let db = prepare(&cfg.database_url, cfg.pool(), Seed::Nothing).await?;
            if !hub138::cli::rollup(&db, rollup).await? {
                std::process::exit(3);
            }
        }
        Command::Plan(plan) => {
            let db = prepare(&cfg.database_url, cfg.pool(), Seed::Nothing).await?;
            let events = hub138::service::events::Events::default();
            hub138::cli::plan(&db, &events, plan).await?;
        }
        Command::Serve | Command::Schema => hub138::server::serve(cfg).await?,
    }
    Ok(())
}
