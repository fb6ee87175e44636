//! Connecting to SQLite or PostgreSQL and migrating.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

/// How long a request waits for a free connection (or for the database to
/// accept one) before it is answered `UNAVAILABLE` (503), by default.
pub const DEFAULT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a pooled connection may have been idle before it is checked
/// with a round trip when taken.
const IDLE_BEFORE_CHECK: Duration = Duration::from_secs(10);

/// The connection pool's size and patience.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pool {
    pub max_connections: u32,
    /// How long taking a connection may wait: when every connection is busy
    /// or the database does not answer, the statement fails after this.
    pub acquire_timeout: Duration,
}

/// A pool of `n` connections with the default patience.
impl From<u32> for Pool {
    fn from(n: u32) -> Self {
        Self {
            max_connections: n,
            acquire_timeout: DEFAULT_ACQUIRE_TIMEOUT,
        }
    }
}

/// Opens a pool on `url`. For SQLite the file's folder is created if needed,
/// and the connection uses WAL with a busy timeout so readers and one writer
/// work side by side.
pub async fn connect(url: &str, pool: impl Into<Pool>) -> anyhow::Result<DatabaseConnection> {
    let pool = pool.into();
    if let Some(path) = sqlite_path(url)
        && let Some(dir) = std::path::Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(pool.max_connections)
        .min_connections(1)
        .acquire_timeout(pool.acquire_timeout)
        .connect_timeout(pool.acquire_timeout)
        // A connection is checked with a round trip only when it has been
        // idle long enough to have been dropped by the server or the network;
        // a busy one is used as it is (a check on every statement would
        // double the round trips to the database).
        .test_before_acquire_if_idle_for(IDLE_BEFORE_CHECK)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        })
        // Hub138's statements are short and index-driven; PostgreSQL's JIT
        // compiles a plan it estimates costly (a page per parent over many
        // parents) in more time than running it takes. A random page costs
        // about what a sequential one does on SSDs and in memory (PostgreSQL's
        // default of 4 assumes spinning disks): with it, the planner reads a
        // page of a parent's children through the index in page order
        // instead of fetching every child and sorting.
        .map_sqlx_postgres_opts(|o| o.options([("jit", "off"), ("random_page_cost", "1.1")]));
    Ok(Database::connect(opts).await?)
}

/// The file path of a `sqlite:` URL, if it names a file.
pub(crate) fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await?;
    Ok(())
}
