//! `hub138-bench`: national-scale data for the reporting features, then the
//! rollup queries over real HTTP against the real server, in-process.
//!
//! 1. Creates a fresh database (a new file for SQLite, a new database
//!    `hub138_bench_<pid>` on the PostgreSQL server named by the URL),
//!    migrates and seeds it with `hub138::prepare`.
//! 2. Generates five years of quarterly reports, annual plans and their
//!    tasks for every committee with set-based SQL ([`generate`]).
//! 3. Starts the server on 127.0.0.1:0 and times each query of
//!    [`measure`] as the central admin, counting SQL statements.
//! 4. Prints a markdown table, then drops the database (unless `--keep`).
//!
//! See `bench/README.md`.

// A benchmark's results are its standard output.
#![allow(clippy::print_stdout)]

mod database;
mod generate;
mod measure;

use std::sync::Arc;
use std::time::Instant;

use anyhow::Result;
use clap::{ArgAction, Parser};

use crate::database::Target;
use crate::measure::Recorder;

/// Benchmark of Hub138's reporting rollups on generated national-scale data.
#[derive(Parser, Debug)]
#[command(version)]
pub struct Args {
    /// `sqlite:///path/file.sqlite?mode=rwc` (a new file there) or
    /// `postgres://user@host:port/db` (a new database on that server).
    #[arg(long, env = "BENCH_DATABASE_URL")]
    pub database_url: String,

    /// Timed requests per query.
    #[arg(long, default_value_t = 50)]
    pub iterations: usize,

    /// Untimed requests per query before the timed ones.
    #[arg(long, default_value_t = 5)]
    pub warmup: usize,

    /// Size of the server's connection pool.
    #[arg(long, default_value_t = 10)]
    pub pool: u32,

    /// After generating, run ANALYZE (SQLite) or VACUUM ANALYZE (PostgreSQL),
    /// as autovacuum would some time after a bulk load.
    #[arg(long, default_value_t = true, action = ArgAction::Set)]
    pub analyze: bool,

    /// SQLite: replace the file if it exists (otherwise the run refuses).
    #[arg(long)]
    pub replace: bool,

    /// Keep the database at the end instead of deleting it.
    #[arg(long)]
    pub keep: bool,

    /// Print the SQL of one timed request per query, with each statement's time.
    #[arg(long)]
    pub print_sql: bool,

    /// Print the plan of each query's slowest statement (EXPLAIN ANALYZE on
    /// PostgreSQL, EXPLAIN QUERY PLAN on SQLite).
    #[arg(long)]
    pub explain: bool,
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    // reqwest is built without a TLS provider of its own.
    hub138::install_tls();
    let target = Target::create(&args.database_url, args.replace).await?;
    let result = run(&args, &target).await;
    if args.keep {
        eprintln!("kept the database: {}", target.url);
    } else if let Err(err) = target.drop().await {
        eprintln!(
            "could not delete the bench database {}: {err:#}",
            target.url
        );
    }
    result
}

async fn run(args: &Args, target: &Target) -> Result<()> {
    println!("# Hub138 rollup benchmark ({})", target.backend_name());
    println!();
    let started = Instant::now();
    let mut db = hub138::prepare(&target.url, args.pool, hub138::Seed::Demo).await?;
    println!(
        "Migrated and seeded (reference tree, demo data) in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    let counts = generate::run(&db, args.analyze).await?;
    println!();
    counts.print();
    println!();

    let recorder = Arc::new(Recorder::default());
    let r = recorder.clone();
    db.set_metric_callback(move |info| r.record(info));
    let (results, machine) = measure::run(args, db.clone(), recorder).await?;
    println!();
    measure::print_table(args, &results, &machine);
    db.close().await?;
    Ok(())
}
