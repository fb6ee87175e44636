//! Backups of the embedded SQLite database: `hub138 backup` while the
//! server serves, `hub138 restore` into place; on PostgreSQL both refuse and
//! name the tools to use.

use anyhow::{Result, bail};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::common::TestApp;
use crate::ensure_eq;

async fn count(db: &impl ConnectionTrait, sql: &str) -> Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    Ok(row
        .map(|r| r.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(-1))
}

pub async fn sqlite_backup_round_trip() -> Result<()> {
    let app = TestApp::new().await?;
    let dir = std::env::temp_dir().join(format!("hub138-backup-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("backup.sqlite");
    if app.db.get_database_backend() != DbBackend::Sqlite {
        let err = hub138::backup::backup(&app.db, &file).await.err();
        ensure_eq!(err.is_some_and(|e| e.to_string().contains("pg_dump")), true);
        let url = std::env::var("TEST_DATABASE_URL").unwrap_or_default();
        let err = hub138::backup::restore(&file, &url).await.err();
        ensure_eq!(
            err.is_some_and(|e| e.to_string().contains("pg_restore")),
            true
        );
        return Ok(());
    }
    let plans = count(&app.db, "SELECT COUNT(*) FROM plan").await?;
    let reports = count(&app.db, "SELECT COUNT(*) FROM report_value").await?;
    // Taken while the server serves (a request in between), then a change after it.
    app.data("{ __typename }", serde_json::json!({})).await?;
    let size = hub138::backup::backup(&app.db, &file).await?;
    ensure_eq!(size > 0, true);
    app.db
        .execute_unprepared("DELETE FROM task_progress")
        .await?;
    // Never over an existing file.
    if hub138::backup::backup(&app.db, &file).await.is_ok() {
        bail!("a backup overwrote a file");
    }
    // Restored in place of another database: the data as it was at the backup.
    let target = dir.join("restored.sqlite");
    std::fs::write(&target, b"an older database")?;
    let url = format!("sqlite://{}?mode=rwc", target.display());
    hub138::backup::restore(&file, &url).await?;
    let restored = hub138::db::connect(&url, 1).await?;
    ensure_eq!(count(&restored, "SELECT COUNT(*) FROM plan").await?, plans);
    ensure_eq!(
        count(&restored, "SELECT COUNT(*) FROM report_value").await?,
        reports
    );
    ensure_eq!(
        count(&restored, "SELECT COUNT(*) FROM task_progress").await? > 0,
        true
    );
    restored.close().await?;
    // Anything else is refused and the database left as it was.
    let garbage = dir.join("garbage.sqlite");
    std::fs::write(&garbage, b"not a database at all, just some bytes")?;
    let before = std::fs::read(&target)?;
    if hub138::backup::restore(&garbage, &url).await.is_ok() {
        bail!("restored from garbage");
    }
    ensure_eq!(std::fs::read(&target)? == before, true);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
