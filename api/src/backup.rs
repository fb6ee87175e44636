//! Backups of the embedded SQLite database: `hub138 backup FILE` takes a
//! consistent copy of the database while the server runs (SQLite's `VACUUM
//! INTO`, a snapshot in one read transaction), and `hub138 restore FILE`
//! puts one back in place of the database (with the server stopped). On
//! PostgreSQL both refuse and point at `pg_dump` / `pg_restore` (README:
//! "Running in production").

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Writes a consistent copy of `db` to `file`, which must not exist; its size.
pub async fn backup(db: &DatabaseConnection, file: &Path) -> anyhow::Result<u64> {
    if db.get_database_backend() != DbBackend::Sqlite {
        bail!("hub138 backup copies the embedded SQLite database; on PostgreSQL use pg_dump");
    }
    if file.exists() {
        bail!(
            "{} exists: a backup never overwrites a file",
            file.display()
        );
    }
    let target = file.to_str().context("the backup's path is not UTF-8")?;
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "VACUUM INTO ?",
        [target.into()],
    ))
    .await
    .with_context(|| format!("backing up into {}", file.display()))?;
    Ok(std::fs::metadata(file)?.len())
}

/// Replaces the SQLite database of `url` by the backup `file`, after
/// checking that it is a whole Hub138 database; the database's old files
/// are replaced only once the copy is complete. The server must be stopped.
pub async fn restore(file: &Path, url: &str) -> anyhow::Result<PathBuf> {
    let Some(path) = crate::db::sqlite_path(url) else {
        bail!(
            "hub138 restore puts back an embedded SQLite database; on PostgreSQL use pg_restore or psql"
        );
    };
    let target = PathBuf::from(path);
    let mut header = [0u8; 16];
    {
        use std::io::Read;
        let mut f = std::fs::File::open(file)
            .with_context(|| format!("opening the backup {}", file.display()))?;
        f.read_exact(&mut header)
            .with_context(|| format!("{} is not a SQLite database", file.display()))?;
    }
    if &header != SQLITE_HEADER {
        bail!("{} is not a SQLite database", file.display());
    }
    let source = file.to_str().context("the backup's path is not UTF-8")?;
    let db = sea_orm::Database::connect(format!("sqlite://{source}?mode=ro")).await?;
    let check = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await?
        .map(|r| r.try_get_by_index::<String>(0))
        .transpose()?;
    let migrated = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT COUNT(*) FROM seaql_migrations",
        ))
        .await;
    db.close().await?;
    if check.as_deref() != Some("ok") {
        bail!("{} fails SQLite's integrity check", file.display());
    }
    if migrated.is_err() {
        bail!(
            "{} is not a Hub138 database (no migrations table)",
            file.display()
        );
    }
    let partial = target.with_extension("restoring");
    std::fs::copy(file, &partial)
        .with_context(|| format!("copying the backup next to {}", target.display()))?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        if side.exists() {
            std::fs::remove_file(&side)?;
        }
    }
    std::fs::rename(&partial, &target)?;
    Ok(target)
}
