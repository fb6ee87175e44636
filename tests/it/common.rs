//! `TestApp`: the real router on a fresh database, over real HTTP.
//!
//! The reference data is loaded once per run into a template database; each
//! `TestApp` gets its own copy (a file copy on SQLite, `CREATE DATABASE ...
//! TEMPLATE` on PostgreSQL), so tests never share state. Set
//! `TEST_DATABASE_URL=postgres://user@host:port/postgres` to run on a
//! PostgreSQL server; every database the run creates is dropped at its end.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use hub138::auth::token::Signer;
use hub138::config::Limits;
use hub138::service::account;
use hub138::{AppState, SignInOptions};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::sync::{OnceCell, oneshot};

pub static RT: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("tokio runtime: {e}"))
});

static RUN_ID: LazyLock<String> = LazyLock::new(|| format!("hub138_it_{}", std::process::id()));
static NEXT: AtomicUsize = AtomicUsize::new(0);
static CREATED: Mutex<Vec<String>> = Mutex::new(Vec::new());
static TEMPLATE: OnceCell<()> = OnceCell::const_new();
static CLONE_LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

enum Backend {
    Sqlite(PathBuf),
    Postgres(String),
}

fn backend() -> Backend {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => Backend::Postgres(url),
        _ => Backend::Sqlite(std::env::temp_dir().join(&*RUN_ID)),
    }
}

/// `postgres://host/db` with the database replaced.
fn pg_url(server: &str, db: &str) -> String {
    let base = server.split('?').next().unwrap_or(server);
    match base.rfind('/') {
        Some(i) if i > "postgres://".len() => format!("{}/{db}", &base[..i]),
        _ => format!("{base}/{db}"),
    }
}

fn sqlite_url(path: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

async fn template() -> Result<()> {
    TEMPLATE
        .get_or_try_init(|| async {
            let tpl = format!("{}_tpl", &*RUN_ID);
            let url = match backend() {
                Backend::Sqlite(dir) => {
                    std::fs::create_dir_all(&dir)?;
                    sqlite_url(&dir.join("template.sqlite"))
                }
                Backend::Postgres(server) => {
                    let admin = Database::connect(&server).await?;
                    admin
                        .execute_unprepared(&format!("CREATE DATABASE {tpl}"))
                        .await?;
                    admin.close().await?;
                    remember(tpl.clone());
                    pg_url(&server, &tpl)
                }
            };
            let db = hub138::prepare(&url, 2, hub138::Seed::Demo).await?;
            db.close().await?;
            anyhow::Ok(())
        })
        .await?;
    Ok(())
}

fn remember(db: String) {
    if let Ok(mut created) = CREATED.lock() {
        created.push(db);
    }
}

/// A fresh copy of the seeded template database, returning its URL.
async fn fresh_database() -> Result<String> {
    template().await?;
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    match backend() {
        Backend::Sqlite(dir) => {
            let path = dir.join(format!("app{n}.sqlite"));
            std::fs::copy(dir.join("template.sqlite"), &path).context("copy template")?;
            Ok(sqlite_url(&path))
        }
        Backend::Postgres(server) => {
            let name = format!("{}_{n}", &*RUN_ID);
            let _guard = CLONE_LOCK.lock().await;
            let admin = Database::connect(&server).await?;
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {}_tpl", &*RUN_ID))
                .await?;
            admin.close().await?;
            remember(name.clone());
            Ok(pg_url(&server, &name))
        }
    }
}

/// A new database with nothing in it, returning its URL.
pub async fn empty_database() -> Result<String> {
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    match backend() {
        Backend::Sqlite(dir) => {
            std::fs::create_dir_all(&dir)?;
            Ok(sqlite_url(&dir.join(format!("empty{n}.sqlite"))))
        }
        Backend::Postgres(server) => {
            let name = format!("{}_e{n}", &*RUN_ID);
            let admin = Database::connect(&server).await?;
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await?;
            admin.close().await?;
            remember(name.clone());
            Ok(pg_url(&server, &name))
        }
    }
}

/// Drops every database the run created.
pub fn cleanup() {
    match backend() {
        Backend::Sqlite(dir) => {
            let _ = std::fs::remove_dir_all(dir);
        }
        Backend::Postgres(server) => {
            let names = CREATED.lock().map(|v| v.clone()).unwrap_or_default();
            let result: Result<()> = RT.block_on(async {
                let admin = Database::connect(&server).await?;
                for name in names.iter().rev() {
                    admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await?;
                }
                admin.close().await?;
                Ok(())
            });
            if let Err(err) = result {
                eprintln!("cleanup failed: {err:#}");
            }
        }
    }
}

/// The real server on port 0 over a fresh database. Requests go as the
/// central ADMIN demo account unless a [`Session`] names another.
pub struct TestApp {
    pub base: String,
    /// The database's URL, for another replica to serve it too.
    pub url: String,
    pub db: DatabaseConnection,
    client: reqwest::Client,
    statements: Arc<AtomicUsize>,
    stop: Option<oneshot::Sender<()>>,
    pub signer: Signer,
    admin_token: String,
}

/// Requests as one account (or anonymously).
pub struct Session<'a> {
    app: &'a TestApp,
    pub token: Option<String>,
    /// The server this session talks to: the app's, or another replica's.
    base: String,
}

impl TestApp {
    pub async fn new() -> Result<Self> {
        Self::with_limits(Limits::default()).await
    }

    pub async fn with_limits(limits: Limits) -> Result<Self> {
        Self::with_sign_in(limits, SignInOptions::default()).await
    }

    /// With the given sign-in throttle and trusted proxies.
    pub async fn with_sign_in(limits: Limits, sign_in: SignInOptions) -> Result<Self> {
        let url = fresh_database().await?;
        let db = hub138::prepare(&url, 5, hub138::Seed::Nothing).await?;
        Self::start(url, db, limits, sign_in, None).await
    }

    /// The real server on the database at `url`, prepared (migrated and
    /// loaded with `seed` if empty) with `pool`.
    pub async fn at(url: &str, seed: hub138::Seed, pool: hub138::db::Pool) -> Result<Self> {
        let db = hub138::prepare(url, pool, seed).await?;
        Self::start(
            url.to_owned(),
            db,
            Limits::default(),
            SignInOptions::default(),
            None,
        )
        .await
    }

    /// The real server on the prepared database at `url`, sending queries
    /// to the read replica at `read_url`.
    pub async fn with_read_replica(url: &str, read_url: &str) -> Result<Self> {
        let db = hub138::prepare(url, 5, hub138::Seed::Nothing).await?;
        let read = hub138::db::connect(read_url, 5).await?;
        Self::start(
            url.to_owned(),
            db,
            Limits::default(),
            SignInOptions::default(),
            Some(read),
        )
        .await
    }

    /// The real server on a fresh copy of the demo database with `pool`.
    pub async fn with_pool(pool: hub138::db::Pool) -> Result<Self> {
        let url = fresh_database().await?;
        Self::at(&url, hub138::Seed::Nothing, pool).await
    }

    /// The real server on a new, empty database that `prepare` loads with
    /// `seed` — as `hub138 serve` does on first start.
    pub async fn empty(seed: hub138::Seed) -> Result<Self> {
        let url = empty_database().await?;
        let db = hub138::prepare(&url, 5, seed).await?;
        Self::start(url, db, Limits::default(), SignInOptions::default(), None).await
    }

    async fn start(
        url: String,
        mut db: DatabaseConnection,
        limits: Limits,
        sign_in: SignInOptions,
        read: Option<DatabaseConnection>,
    ) -> Result<Self> {
        let statements = Arc::new(AtomicUsize::new(0));
        let counter = statements.clone();
        let print = std::env::var_os("TEST_PRINT_SQL").is_some();
        db.set_metric_callback(move |info| {
            counter.fetch_add(1, Ordering::SeqCst);
            if print {
                eprintln!(
                    "SQL: {}",
                    info.statement.sql.chars().take(160).collect::<String>()
                );
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let (stop, stopped) = oneshot::channel::<()>();
        let signer = Signer::new(TEST_SECRET.as_bytes(), chrono::Duration::minutes(30));
        // Without the demo accounts, requests "as the admin" are anonymous.
        let admin_token = match account::by_username(&db, "central.admin").await {
            Ok(admin) => {
                signer
                    .issue(admin.id)
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?
                    .0
            }
            Err(_) => String::new(),
        };
        let mut state = AppState::with_sign_in(db.clone(), limits, signer.clone(), sign_in);
        if let Some(read) = read {
            state = state.with_read_replica(read);
        }
        tokio::spawn(async move {
            let _ = hub138::serve(listener, state, async {
                let _ = stopped.await;
            })
            .await;
        });
        Ok(Self {
            base,
            url,
            db,
            client: reqwest::Client::new(),
            statements,
            stop: Some(stop),
            signer,
            admin_token,
        })
    }

    /// Requests as the account `username` (an access token signed for it).
    pub async fn session(&self, username: &str) -> Result<Session<'_>> {
        let a = account::by_username(&self.db, username)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let (token, _) = self
            .signer
            .issue(a.id)
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        Ok(Session {
            app: self,
            token: Some(token),
            base: self.base.clone(),
        })
    }

    /// Requests as a new account with `role` at the committee with this
    /// level and code on `on`.
    pub async fn session_at(
        &self,
        level: &str,
        code: &str,
        on: &str,
        role: &str,
    ) -> Result<Session<'_>> {
        use hub138::service::{enums, hierarchy};
        let level: enums::Level = level.parse().map_err(anyhow::Error::msg)?;
        let role: enums::Role = role.parse().map_err(anyhow::Error::msg)?;
        let on: chrono::NaiveDate = on.parse()?;
        let c = hierarchy::by_code(
            &self.db,
            &hub138::auth::Scope::everything(),
            level,
            code,
            on,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .with_context(|| format!("no {level} {code} on {on}"))?;
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let a = account::create(
            &self.db,
            account::NewAccount {
                username: &format!("t{n}.{}", role.as_str().to_lowercase()),
                display_name: "Test",
                committee_id: c.id,
                role,
                password: "test-password-1234",
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let (token, _) = self
            .signer
            .issue(a.id)
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        Ok(Session {
            app: self,
            token: Some(token),
            base: self.base.clone(),
        })
    }

    /// Requests with this bearer token.
    pub fn with_token(&self, token: &str) -> Session<'_> {
        Session {
            app: self,
            token: Some(token.to_owned()),
            base: self.base.clone(),
        }
    }

    /// Requests with no token.
    pub fn anonymous(&self) -> Session<'_> {
        Session {
            app: self,
            token: None,
            base: self.base.clone(),
        }
    }

    fn admin(&self) -> Session<'_> {
        self.with_token(&self.admin_token)
    }

    /// `Authorization` header value of the central admin.
    pub fn admin_authorization(&self) -> String {
        format!("Bearer {}", self.admin_token)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// POSTs a GraphQL request as the central admin; the whole JSON response.
    pub async fn post(&self, query: &str, variables: Value) -> Result<Value> {
        self.admin().post(query, variables).await
    }

    /// Runs a query that must succeed and returns its `data`.
    pub async fn data(&self, query: &str, variables: Value) -> Result<Value> {
        self.admin().data(query, variables).await
    }

    /// Runs a query that must fail and returns its first error's code.
    pub async fn error_code(&self, query: &str, variables: Value) -> Result<String> {
        self.admin().error_code(query, variables).await
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// The number of SQL statements run so far.
    pub fn statements(&self) -> usize {
        self.statements.load(Ordering::SeqCst)
    }

    /// The global id of the committee with this level and code on a date.
    pub async fn committee_id(&self, level: &str, code: &str, on: &str) -> Result<String> {
        let d = self
            .data(COMMITTEE_ID, json!({ "l": level, "c": code, "on": on }))
            .await?;
        d["committeeByCode"]["id"]
            .as_str()
            .map(str::to_owned)
            .with_context(|| format!("no {level} {code} on {on}"))
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Asserts with a message, as an error rather than a panic.
#[macro_export]
macro_rules! ensure_eq {
    ($left:expr, $right:expr $(,)?) => {{
        let (l, r) = (&$left, &$right);
        if l != r {
            anyhow::bail!(
                "{} != {}: {:?} vs {:?}",
                stringify!($left),
                stringify!($right),
                l,
                r
            );
        }
    }};
}

impl TestApp {
    /// The global id of the newest plan of the committee given by id.
    pub async fn plan_of(&self, committee: &str) -> Result<String> {
        let d = self
            .data(
                "query($c: ID!) { plans(filter: {committeeId: $c}, first: 1) { edges { node { id } } } }",
                json!({ "c": committee }),
            )
            .await?;
        d["plans"]["edges"][0]["node"]["id"]
            .as_str()
            .map(str::to_owned)
            .with_context(|| format!("no plan of {committee}"))
    }

    /// The number of rows in `table`.
    pub async fn rows(&self, table: &str) -> Result<i64> {
        use sea_orm::Statement;
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                self.db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await?;
        Ok(row
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()?
            .unwrap_or(0))
    }
}

impl<'a> Session<'a> {
    /// The same credentials, sent to another replica.
    pub fn on(&self, replica: &Replica) -> Session<'a> {
        self.at(&replica.base)
    }

    /// The same credentials, sent to the server at `base`.
    pub fn at(&self, base: &str) -> Session<'a> {
        Session {
            app: self.app,
            token: self.token.clone(),
            base: base.to_owned(),
        }
    }

    /// The same credentials, sent to the test's own server.
    pub fn on_self(&self) -> Session<'a> {
        Session {
            app: self.app,
            token: self.token.clone(),
            base: self.app.base.clone(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn post(&self, query: &str, variables: Value) -> Result<Value> {
        let mut req = self
            .app
            .client
            .post(self.url("/graphql"))
            .header("accept", "application/graphql-response+json")
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = &self.token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        Ok(req.send().await?.json().await?)
    }

    pub async fn data(&self, query: &str, variables: Value) -> Result<Value> {
        let body = self.post(query, variables).await?;
        if body.get("errors").is_some() {
            bail!("unexpected errors: {body}");
        }
        Ok(body["data"].clone())
    }

    pub async fn error_code(&self, query: &str, variables: Value) -> Result<String> {
        let body = self.post(query, variables).await?;
        let code = body["errors"][0]["extensions"]["code"].as_str();
        match code {
            Some(c) => Ok(c.to_owned()),
            None => bail!("expected an error with a code, got {body}"),
        }
    }

    /// A GraphQL multipart request (the multipart request spec) sending
    /// `file` as the variable `input.file`: the HTTP status and the body.
    pub async fn upload(
        &self,
        query: &str,
        mut input: Value,
        file_name: &str,
        file: Vec<u8>,
    ) -> Result<(u16, Value)> {
        input["file"] = Value::Null;
        let operations = json!({ "query": query, "variables": { "input": input } });
        let form = reqwest::multipart::Form::new()
            .text("operations", operations.to_string())
            .text("map", json!({ "0": ["variables.input.file"] }).to_string())
            .part(
                "0",
                reqwest::multipart::Part::bytes(file).file_name(file_name.to_owned()),
            );
        let mut req = self.app.client.post(self.url("/graphql")).multipart(form);
        if let Some(t) = &self.token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        let text = resp.text().await?;
        Ok((
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        ))
    }

    /// `GET url` with the session's token: the status and the body.
    pub async fn download(&self, url: &str) -> Result<(u16, Vec<u8>)> {
        let mut req = self.app.client.get(self.url(url));
        if let Some(t) = &self.token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let resp = req.send().await?;
        Ok((resp.status().as_u16(), resp.bytes().await?.to_vec()))
    }

    pub async fn mutate(&self, query: &str, field: &str, variables: Value) -> Result<Value> {
        let d = self.data(query, variables).await?;
        let payload = d[field].clone();
        if payload["userErrors"] != json!([]) {
            bail!("{field}: unexpected userErrors {}", payload["userErrors"]);
        }
        Ok(payload)
    }
}

/// The query [`TestApp::committee_id`] sends.
pub const COMMITTEE_ID: &str = "query($l: CommitteeLevel!, $c: String!, $on: Date) {
   committeeByCode(level: $l, code: $c, activeOn: $on) { id } }";

/// The global id of `kind` with database key `key` (for ids that name nothing).
pub fn global_id(kind: &str, key: i64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:{key}"))
}

/// The id of the central committee's standing agency: visible to every
/// account, and foreign to every other committee's plans and records.
pub async fn central_standing_agency(app: &TestApp) -> Result<Value> {
    Ok(app
        .data(
            "{ committeeByCode(level: CENTRAL, code: \"VN\") { standingAgency { id } } }",
            json!({}),
        )
        .await?["committeeByCode"]["standingAgency"]["id"]
        .clone())
}

/// What signs the tests' tokens, on every replica.
pub const TEST_SECRET: &str = "hub138-test-secret-of-at-least-32-bytes";

/// Set in the environment of a [`Replica`]: this test binary then serves
/// instead of testing.
pub const REPLICA_ENV: &str = "HUB138_IT_REPLICA";

/// Whether the run is on PostgreSQL (`TEST_DATABASE_URL`).
pub fn on_postgres() -> bool {
    matches!(backend(), Backend::Postgres(_))
}

/// Another server process on a test's database: this test binary run again
/// with [`REPLICA_ENV`] set, serving as `hub138 serve` does (see
/// [`serve_as_replica`]), configured by its environment. Killed when
/// dropped.
pub struct Replica {
    pub base: String,
    child: tokio::process::Child,
}

impl Replica {
    /// Starts a replica on `database_url` with the tests' token secret and
    /// `env` added, and waits until it serves.
    pub async fn start(database_url: &str, env: &[(&str, &str)]) -> Result<Self> {
        let mut command = tokio::process::Command::new(std::env::current_exe()?);
        command
            .env(REPLICA_ENV, "1")
            .env("DATABASE_URL", database_url)
            .env("HUB138_LISTEN", "127.0.0.1:0")
            .env("HUB138_JWT_SECRET", TEST_SECRET)
            .env("HUB138_REPLICAS", "2")
            .env("HUB138_LOG_FORMAT", "plain")
            .env("RUST_LOG", "info,sqlx=warn,sea_orm=warn")
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command.spawn().context("start a replica")?;
        let stderr = child.stderr.take().context("the replica's stderr")?;
        let mut lines = BufReader::new(stderr).lines();
        let print = std::env::var_os("TEST_PRINT_LOGS").is_some();
        let marker = "serving GraphQL at ";
        let base = tokio::time::timeout(Duration::from_secs(60), async {
            while let Some(line) = lines.next_line().await? {
                if print {
                    eprintln!("replica: {line}");
                }
                if let Some(i) = line.find(marker) {
                    let url = line[i + marker.len()..]
                        .split(|c: char| c.is_whitespace() || c == '\u{1b}')
                        .next()
                        .unwrap_or_default();
                    return Ok(url.trim_end_matches("/graphql").to_owned());
                }
            }
            bail!("the replica ended before it served")
        })
        .await
        .context("the replica did not serve within 60 s")??;
        // Keep reading its log, so that it never blocks on a full pipe.
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                if print {
                    eprintln!("replica: {line}");
                }
            }
        });
        Ok(Self { base, child })
    }

    /// Asks the replica to stop (SIGTERM), as a service manager does.
    pub async fn terminate(&self) -> Result<()> {
        let pid = self.child.id().context("the replica has ended")?;
        let status = tokio::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .await?;
        if !status.success() {
            bail!("kill -TERM {pid} failed");
        }
        Ok(())
    }

    /// Waits for the replica to end, at most `within`; its exit status.
    pub async fn wait(mut self, within: Duration) -> Result<std::process::ExitStatus> {
        Ok(tokio::time::timeout(within, self.child.wait())
            .await
            .context("the replica did not end in time")??)
    }

    /// Kills the replica at once (SIGKILL) and waits for it to end.
    pub async fn kill(mut self) -> Result<()> {
        self.child.kill().await?;
        Ok(())
    }
}

/// Serves as `hub138 serve` does, configured by the environment: what a
/// [`Replica`] runs.
pub fn serve_as_replica() -> Result<()> {
    use clap::Parser;
    let cli = hub138::config::Cli::try_parse_from(["hub138", "serve"])?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let _telemetry = hub138::telemetry::init(cli.config.log_format)?;
        hub138::server::serve(cli.config).await
    })
}

/// A PostgreSQL cluster of the test's own, on its own port, that a test may
/// stop and start (the shared server is never touched). Made with the
/// server's `initdb` and `pg_ctl`, run as the `postgres` user; trust
/// authentication on 127.0.0.1 only. Stopped and removed when dropped.
pub struct Cluster {
    pub port: u16,
    dir: PathBuf,
    bin: PathBuf,
}

impl Cluster {
    /// A new cluster on `port`, started.
    pub async fn start(port: u16) -> Result<Self> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .context("PostgreSQL's server binaries (/usr/lib/postgresql)")?
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .find(|b| b.join("initdb").exists())
            .context("no initdb under /usr/lib/postgresql")?;
        let dir = std::env::temp_dir().join(format!("{}_pg{port}", &*RUN_ID));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let c = Self { port, dir, bin };
        c.run("chown", &["-R", "postgres:postgres", &c.data()])
            .await?;
        c.as_postgres(
            "initdb",
            &[
                "-D",
                &c.data(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
            ],
        )
        .await?;
        c.start_again().await?;
        Ok(c)
    }

    /// A streaming standby of `primary` on `port` (`pg_basebackup -R`),
    /// started: a hot standby that answers queries and replays what the
    /// primary writes.
    pub async fn standby_of(primary: &Cluster, port: u16) -> Result<Self> {
        let dir = std::env::temp_dir().join(format!("{}_pg{port}", &*RUN_ID));
        let _ = std::fs::remove_dir_all(&dir);
        let c = Self {
            port,
            dir,
            bin: primary.bin.clone(),
        };
        std::fs::create_dir_all(&c.dir)?;
        c.run("chown", &["postgres:postgres", &c.data()]).await?;
        c.run("chmod", &["700", &c.data()]).await?;
        c.as_postgres(
            "pg_basebackup",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &primary.port.to_string(),
                "-U",
                "postgres",
                "-D",
                &c.data(),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
            ],
        )
        .await?;
        c.start_again().await?;
        Ok(c)
    }

    /// Runs `sql` as a superuser on this cluster's `db`.
    pub async fn sql(&self, db: &str, sql: &str) -> Result<()> {
        let conn = Database::connect(self.url(db)).await?;
        conn.execute_unprepared(sql).await?;
        conn.close().await?;
        Ok(())
    }

    fn data(&self) -> String {
        self.dir.display().to_string()
    }

    /// `postgres://postgres@127.0.0.1:PORT/db`
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    async fn run(&self, program: &str, args: &[&str]) -> Result<()> {
        let out = tokio::process::Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .await
            .with_context(|| format!("run {program}"))?;
        if !out.status.success() {
            bail!(
                "{program} {args:?}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(())
    }

    async fn as_postgres(&self, tool: &str, args: &[&str]) -> Result<()> {
        let tool = self.bin.join(tool).display().to_string();
        let mut all = vec!["-u", "postgres", "--", tool.as_str()];
        all.extend_from_slice(args);
        self.run("runuser", &all).await
    }

    /// Starts the (stopped) cluster and waits until it accepts connections.
    pub async fn start_again(&self) -> Result<()> {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off",
            self.port,
            self.data()
        );
        let log = self.dir.join("server.log").display().to_string();
        self.as_postgres(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-o",
                &options,
                "-l",
                &log,
                "-w",
                "start",
            ],
        )
        .await
    }

    /// Stops the cluster (`-m fast`: sessions are ended, as at a restart).
    pub async fn stop(&self) -> Result<()> {
        self.as_postgres("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"])
            .await
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let pg_ctl = self.bin.join("pg_ctl");
        let _ = std::process::Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(pg_ctl)
            .args(["-D", &self.data(), "-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
