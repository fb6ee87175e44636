//! The throwaway database of one run: a new SQLite file, or a new database
//! on a PostgreSQL server, deleted at the end.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use sea_orm::{ConnectionTrait, Database};

/// Where the run's database lives.
#[derive(Debug)]
enum Kind {
    Sqlite(PathBuf),
    /// The server's URL (to connect for `DROP DATABASE`) and the database name.
    Postgres {
        server: String,
        name: String,
    },
}

/// The database of one run.
#[derive(Debug)]
pub struct Target {
    /// The URL the server and the generator connect to.
    pub url: String,
    kind: Kind,
}

impl Target {
    /// Creates an empty database for `url`: for SQLite the file it names
    /// (refused if it exists, unless `replace`); for PostgreSQL a new
    /// database `hub138_bench_<pid>` on the server `url` names.
    pub async fn create(url: &str, replace: bool) -> Result<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let name = format!("hub138_bench_{}", std::process::id());
            let admin = Database::connect(url)
                .await
                .with_context(|| format!("connect to {url}"))?;
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await?;
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await?;
            admin.close().await?;
            Ok(Self {
                url: pg_url(url, &name),
                kind: Kind::Postgres {
                    server: url.to_owned(),
                    name,
                },
            })
        } else if let Some(path) = sqlite_path(url) {
            let path = PathBuf::from(path);
            if path.exists() {
                if !replace {
                    bail!(
                        "{} exists; pass --replace to overwrite it (the bench deletes its database at the end)",
                        path.display()
                    );
                }
                remove_sqlite(&path)?;
            }
            let url = if url.contains('?') {
                url.to_owned()
            } else {
                format!("{url}?mode=rwc")
            };
            Ok(Self {
                url,
                kind: Kind::Sqlite(path),
            })
        } else {
            bail!("--database-url must be sqlite://<file>?mode=rwc or postgres://…, got {url:?}")
        }
    }

    pub fn backend_name(&self) -> &'static str {
        match self.kind {
            Kind::Sqlite(_) => "SQLite",
            Kind::Postgres { .. } => "PostgreSQL",
        }
    }

    /// Deletes the database.
    pub async fn drop(&self) -> Result<()> {
        match &self.kind {
            Kind::Sqlite(path) => remove_sqlite(path),
            Kind::Postgres { server, name } => {
                let admin = Database::connect(server).await?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await?;
                admin.close().await?;
                Ok(())
            }
        }
    }
}

/// The file of a `sqlite:` URL, if it names one.
fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// Removes a SQLite file and its WAL and shared-memory files.
fn remove_sqlite(path: &std::path::Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let p = PathBuf::from(p);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("remove {}", p.display())),
        }
    }
    Ok(())
}

/// `postgres://host/db?opts` with the database replaced by `db`.
fn pg_url(server: &str, db: &str) -> String {
    let (base, query) = match server.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (server, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{db}?{q}"),
        None => format!("{base}/{db}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_database_of_a_postgres_url() {
        assert_eq!(
            pg_url("postgres://postgres@127.0.0.1:5432/postgres", "b"),
            "postgres://postgres@127.0.0.1:5432/b"
        );
        assert_eq!(pg_url("postgres://u@h", "b"), "postgres://u@h/b");
        assert_eq!(
            pg_url("postgres://u@h/x?sslmode=disable", "b"),
            "postgres://u@h/b?sslmode=disable"
        );
    }

    #[test]
    fn finds_the_file_of_a_sqlite_url() {
        assert_eq!(
            sqlite_path("sqlite:///tmp/a.sqlite?mode=rwc"),
            Some("/tmp/a.sqlite")
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x"), None);
    }
}
