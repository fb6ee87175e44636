//! Queries on a real PostgreSQL streaming replica (`pg_basebackup -R` of a
//! cluster of the test's own), writes on the primary, and a client that
//! just wrote reading its write although the replica lags.

use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use serde_json::{Value, json};

use crate::common::{self, Cluster, TestApp};
use crate::ensure_eq;

const NAME: &str = "query($a: ID!) { node(id: $a) { ... on Agency { name } } }";

async fn name(s: &common::Session<'_>, agency: &Value) -> Result<Value> {
    Ok(s.data(NAME, json!({"a": agency})).await?["node"]["name"].clone())
}

pub async fn queries_read_the_replica_and_writers_their_writes() -> Result<()> {
    if !common::on_postgres() {
        // SQLite has no replica (`DATABASE_READ_URL` is refused on it).
        return Ok(());
    }
    let port = 20_000 + u16::try_from(std::process::id() % 20_000).unwrap_or(0) + 1;
    let primary = Cluster::start(port).await?;
    primary.sql("postgres", "CREATE DATABASE hub").await?;
    hub138::prepare(&primary.url("hub"), 2, hub138::Seed::Demo)
        .await?
        .close()
        .await?;
    let standby = Cluster::standby_of(&primary, port + 1).await?;
    let app = TestApp::with_read_replica(&primary.url("hub"), &standby.url("hub")).await?;
    let admin = app.session("central.admin").await?;
    let viewer = app.session("central.viewer").await?;
    let agency = common::central_standing_agency(&app).await?;
    let before = name(&viewer, &agency).await?;

    // The replica stops replaying: what the primary gets now, it lacks.
    standby.sql("hub", "SELECT pg_wal_replay_pause()").await?;
    let d = admin
        .mutate(
            "mutation($a: ID!) { updateAgency(input: {id: $a, name: \"Văn phòng Thường trực (đổi tên)\"}) { agency { name } userErrors { code } } }",
            "updateAgency",
            json!({"a": agency}),
        )
        .await?;
    // The mutation's payload is read on the primary.
    let renamed = json!("Văn phòng Thường trực (đổi tên)");
    ensure_eq!(d["agency"]["name"], renamed);
    // The writer reads its write at once (from the primary, the replica
    // being behind); another account still reads the replica.
    ensure_eq!(name(&admin, &agency).await?, renamed);
    ensure_eq!(name(&viewer, &agency).await?, before);

    // Replay resumes: everyone reads the new name, the writer from the
    // replica again.
    standby.sql("hub", "SELECT pg_wal_replay_resume()").await?;
    let since = Instant::now();
    while name(&viewer, &agency).await? != renamed {
        if since.elapsed() > Duration::from_secs(30) {
            bail!("the replica did not catch up in 30 s");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    ensure_eq!(name(&admin, &agency).await?, renamed);
    Ok(())
}
