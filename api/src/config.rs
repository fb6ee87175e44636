//! Configuration: command-line flags, each with an environment variable,
//! parsed and validated once at startup.

use std::net::SocketAddr;
use std::time::Duration;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

use crate::auth::proxy::TrustedProxies;

/// The database used when `DATABASE_URL` is not set: a SQLite file under `./data/`.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/hub138.sqlite?mode=rwc";

/// Hub138: the GraphQL API of Vietnam's anti-trafficking steering committees.
#[derive(Parser, Debug, Clone)]
#[command(name = "hub138", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Migrate, load the demo data into an empty database, and serve (the default).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Migrate and load the reference and demo data if the database is empty.
    Seed,
    /// Print the GraphQL schema (SDL) to stdout.
    Schema,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Periodic reports from spreadsheets.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Plans from their documents.
    #[command(subcommand)]
    Plan(PlanCommand),
    /// Write a consistent copy of the embedded SQLite database to FILE
    /// (while the server runs; FILE must not exist).
    Backup { file: std::path::PathBuf },
    /// Put a backup made by `hub138 backup` back in place of the embedded
    /// SQLite database (stop the server first).
    Restore { file: std::path::PathBuf },
    /// The kept rollup totals.
    #[command(subcommand)]
    Rollup(RollupCommand),
}

#[derive(Subcommand, Debug, Clone, Copy, PartialEq, Eq)]
pub enum RollupCommand {
    /// Recompute the rollup totals from the reports, in one transaction,
    /// and say whether the kept ones differed (exit status 3 if they did).
    Rebuild,
    /// Compare the kept rollup totals with the reports, changing nothing
    /// (exit status 3 if they differ).
    Check,
}

#[derive(Subcommand, Debug, Clone, PartialEq, Eq)]
pub enum PlanCommand {
    /// Import a plan document (.docx, .txt, .md) as a DRAFT plan, as
    /// `importPlanDocument` does with the draft as read.
    Import {
        /// The plan document.
        file: std::path::PathBuf,
        /// The committee the plan is created in, `LEVEL:CODE` (`PROVINCE:08`),
        /// the one in force on the plan's date.
        #[arg(long, value_name = "LEVEL:CODE")]
        committee: String,
        /// The plan's date when the document gives none (`YYYY-MM-DD`).
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
        /// Read and resolve, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the reading as JSON.
        #[arg(long)]
        json: bool,
        /// The account the import runs as (its rules and scope, audited under
        /// it); without it, as the system with the operator's access.
        #[arg(long = "as", value_name = "USERNAME")]
        username: Option<String>,
    },
}

#[derive(Subcommand, Debug, Clone, PartialEq, Eq)]
pub enum ReportCommand {
    /// Import a filled report template (XLSX or CSV), as `importReports`
    /// does, with the rules and the scope of the account named by --as.
    Import {
        /// The filled template.
        file: std::path::PathBuf,
        /// The account the import runs as (it is audited under it).
        #[arg(long = "as", value_name = "USERNAME")]
        username: String,
        /// Check everything, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Write the rows without problems even when others have some.
        #[arg(long)]
        partial: bool,
        /// Submit each written report.
        #[arg(long)]
        submit: bool,
    },
}

#[derive(Subcommand, Debug, Clone, PartialEq, Eq)]
pub enum UserCommand {
    /// Create an account; the password is read from stdin.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
        /// CENTRAL, PROVINCE, DISTRICT or COMMUNE.
        #[arg(long)]
        level: String,
        /// The administrative-unit code of the home committee (VN for central).
        #[arg(long)]
        code: String,
        /// VIEWER, EDITOR, COORDINATOR or ADMIN.
        #[arg(long)]
        role: String,
    },
    /// Disable an account; its tokens stop working.
    Disable {
        #[arg(long)]
        username: String,
    },
    /// Set a new password, read from stdin.
    ResetPassword {
        #[arg(long)]
        username: String,
    },
}

#[derive(Subcommand, Debug, Clone, PartialEq, Eq)]
pub enum TokenCommand {
    /// Create an API token for an account and print it (shown only once).
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
        /// Days until it expires; none for no expiry.
        #[arg(long)]
        days: Option<i64>,
    },
    /// Revoke an API token by its number.
    Revoke {
        #[arg(long)]
        id: i64,
    },
}

#[derive(Args, Debug, Clone)]
pub struct Config {
    /// Database URL: `sqlite://path?mode=rwc` or `postgres://user@host/db`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,

    /// A PostgreSQL read replica (a streaming standby of `DATABASE_URL`) for
    /// GraphQL queries; mutations, subscriptions and sign-in stay on the
    /// primary, and a caller who just wrote reads the primary until the
    /// replica has caught up.
    #[arg(long, env = "DATABASE_READ_URL", global = true, hide_env_values = true)]
    pub database_read_url: Option<String>,

    /// Address to listen on.
    #[arg(
        long,
        env = "HUB138_LISTEN",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub listen: SocketAddr,

    /// Load the demo data (and its accounts with their public password) when
    /// `serve` or `seed` finds the database empty. Unset: only on the
    /// embedded default database; any other starts with the reference data.
    #[arg(long, env = "HUB138_DEMO_DATA", action = ArgAction::Set, global = true)]
    pub demo_data: Option<bool>,

    /// Username of the first administrator (ADMIN at the central committee),
    /// created at start when no account exists yet. Its password comes from
    /// `HUB138_BOOTSTRAP_ADMIN_PASSWORD` or the file named by
    /// `HUB138_BOOTSTRAP_ADMIN_PASSWORD_FILE`, and is never logged.
    #[arg(long, env = "HUB138_BOOTSTRAP_ADMIN", global = true)]
    pub bootstrap_admin: Option<String>,

    /// The first administrator's password (prefer the `_FILE` form).
    #[arg(
        long,
        env = "HUB138_BOOTSTRAP_ADMIN_PASSWORD",
        global = true,
        hide_env_values = true
    )]
    pub bootstrap_admin_password: Option<Secret>,

    /// A file holding the first administrator's password (one line).
    #[arg(long, env = "HUB138_BOOTSTRAP_ADMIN_PASSWORD_FILE", global = true)]
    pub bootstrap_admin_password_file: Option<std::path::PathBuf>,

    /// Log format on stderr.
    #[arg(long, env = "HUB138_LOG_FORMAT", value_enum, default_value_t = LogFormat::Plain, global = true)]
    pub log_format: LogFormat,

    /// Size of the database connection pool.
    #[arg(
        long,
        env = "HUB138_DB_MAX_CONNECTIONS",
        default_value_t = 10,
        global = true
    )]
    pub db_max_connections: u32,

    /// How long a request waits for a database connection (all busy, or the
    /// database not answering) before it is answered 503 `UNAVAILABLE`, in
    /// seconds.
    #[arg(
        long,
        env = "HUB138_DB_ACQUIRE_TIMEOUT_SECS",
        default_value_t = 5,
        global = true
    )]
    pub db_acquire_timeout_secs: u64,

    /// Deliver webhooks from this process (every replica may; each
    /// delivery is taken by one).
    #[arg(long, env = "HUB138_WEBHOOK_DELIVERY", action = ArgAction::Set, default_value_t = true, global = true)]
    pub webhook_delivery: bool,

    /// How many replicas of this server may serve the same database at once
    /// (behind one load balancer). Above 1, `serve` refuses to start without
    /// `HUB138_JWT_SECRET` (every replica must accept every other's tokens)
    /// or on SQLite (one process only).
    #[arg(long, env = "HUB138_REPLICAS", default_value_t = 1, global = true)]
    pub replicas: u32,

    /// Secret that signs access tokens. Unset: a random one per process
    /// (tokens die with it) — allowed only with `HUB138_REPLICAS=1`.
    #[arg(long, env = "HUB138_JWT_SECRET", global = true, hide_env_values = true)]
    pub jwt_secret: Option<Secret>,

    /// Lifetime of an access token from `login`, in minutes.
    #[arg(
        long,
        env = "HUB138_TOKEN_TTL_MINUTES",
        default_value_t = 60,
        global = true
    )]
    pub token_ttl_minutes: i64,

    /// Reverse proxies whose `X-Forwarded-For` names the client:
    /// comma-separated IPs or CIDR ranges (`10.0.0.0/8,::1`). Empty (the
    /// default): the peer address is the client and the header is ignored.
    #[arg(
        long,
        env = "HUB138_TRUSTED_PROXIES",
        default_value = "",
        global = true
    )]
    pub trusted_proxies: TrustedProxies,

    /// How long a signed-in request trusts what it read of an account, an
    /// API token and a committee's scope without asking the database, in
    /// seconds (0: ask on every request). A change through the API takes
    /// effect at once regardless; one made by another process within this.
    #[arg(
        long,
        env = "HUB138_AUTH_CACHE_SECONDS",
        default_value_t = 10,
        global = true
    )]
    pub auth_cache_seconds: u64,

    #[command(flatten)]
    pub limits: Limits,
}

impl Config {
    /// The connection pool as configured.
    pub fn pool(&self) -> crate::db::Pool {
        crate::db::Pool {
            max_connections: self.db_max_connections,
            acquire_timeout: Duration::from_secs(self.db_acquire_timeout_secs.max(1)),
        }
    }

    /// What `serve` and `seed` load into an empty database: the demo only
    /// when asked for, or on the embedded default database.
    pub fn seed(&self) -> crate::Seed {
        match self.demo_data {
            Some(true) => crate::Seed::Demo,
            Some(false) => crate::Seed::Reference,
            None if self.database_url == DEFAULT_DATABASE_URL => crate::Seed::Demo,
            None => crate::Seed::Reference,
        }
    }

    /// The first administrator to create, if configured: (username, password).
    pub fn bootstrap(&self) -> anyhow::Result<Option<(String, Secret)>> {
        let Some(username) = &self.bootstrap_admin else {
            return Ok(None);
        };
        let password = match (
            &self.bootstrap_admin_password,
            &self.bootstrap_admin_password_file,
        ) {
            (Some(p), _) => p.clone(),
            (None, Some(path)) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    anyhow::anyhow!(
                        "HUB138_BOOTSTRAP_ADMIN_PASSWORD_FILE {}: {e}",
                        path.display()
                    )
                })?;
                Secret(text.trim_end_matches(['\r', '\n']).to_owned())
            }
            (None, None) => anyhow::bail!(
                "HUB138_BOOTSTRAP_ADMIN needs HUB138_BOOTSTRAP_ADMIN_PASSWORD or HUB138_BOOTSTRAP_ADMIN_PASSWORD_FILE"
            ),
        };
        Ok(Some((username.clone(), password)))
    }
}

/// A secret value from the configuration: never shown by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Plain,
    Json,
}

/// Limits on what one request may ask for.
#[derive(Args, Debug, Clone)]
pub struct Limits {
    /// Maximum nesting depth of a query.
    #[arg(long, env = "HUB138_MAX_DEPTH", default_value_t = 12, global = true)]
    pub max_depth: usize,

    /// Maximum complexity of a query (a connection costs its page size times its children).
    #[arg(
        long,
        env = "HUB138_MAX_COMPLEXITY",
        default_value_t = 50_000,
        global = true
    )]
    pub max_complexity: usize,

    /// Maximum number of aliases in one document.
    #[arg(long, env = "HUB138_MAX_ALIASES", default_value_t = 100, global = true)]
    pub max_aliases: usize,

    /// Maximum number of directives on one field.
    #[arg(
        long,
        env = "HUB138_MAX_DIRECTIVES",
        default_value_t = 10,
        global = true
    )]
    pub max_directives: usize,

    /// Maximum size of a request body, in bytes.
    #[arg(long, env = "HUB138_MAX_BODY_BYTES", default_value_t = 256 * 1024, global = true)]
    pub max_body_bytes: usize,

    /// Maximum size of a multipart request (a file upload: `importReports`,
    /// `importPlanDocument`), in bytes: a 10 MiB file and its request.
    #[arg(long, env = "HUB138_MAX_UPLOAD_BYTES", default_value_t = 10 * 1024 * 1024 + 64 * 1024, global = true)]
    pub max_upload_bytes: usize,

    /// Time a request may run before it is answered with a timeout error, in seconds.
    #[arg(
        long,
        env = "HUB138_REQUEST_TIMEOUT_SECS",
        default_value_t = 30,
        global = true
    )]
    pub request_timeout_secs: u64,

    /// Time a client has to send a request's headers, in seconds; then the
    /// connection is closed.
    #[arg(
        long,
        env = "HUB138_HEADER_TIMEOUT_SECS",
        default_value_t = 10,
        global = true
    )]
    pub header_timeout_secs: u64,

    /// Time a client has to send a request's body, in seconds; then it is
    /// answered 408 and the connection is closed.
    #[arg(
        long,
        env = "HUB138_BODY_TIMEOUT_SECS",
        default_value_t = 10,
        global = true
    )]
    pub body_timeout_secs: u64,

    /// Answer introspection queries (`__schema`, `__type`).
    #[arg(long, env = "HUB138_INTROSPECTION", default_value_t = true, action = ArgAction::Set, global = true)]
    pub introspection: bool,

    /// Trusted documents: the JSON manifest (id → document) of the
    /// operations clients may name by id.
    #[arg(long, env = "HUB138_PERSISTED_MANIFEST", global = true)]
    pub persisted_manifest: Option<std::path::PathBuf>,

    /// Run only the operations of the manifest (production portals).
    #[arg(long, env = "HUB138_PERSISTED_ONLY", default_value_t = false, action = ArgAction::Set, global = true)]
    pub persisted_only: bool,

    /// Memory for checked queries (document, operation and variables), in
    /// MiB: a query seen before runs without being parsed and checked again
    /// (0: none kept).
    #[arg(
        long,
        env = "HUB138_DOCUMENT_CACHE_MIB",
        default_value_t = 16,
        global = true
    )]
    pub document_cache_mib: u64,
}

impl Limits {
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }

    pub fn header_timeout(&self) -> Duration {
        Duration::from_secs(self.header_timeout_secs)
    }

    pub fn body_timeout(&self) -> Duration {
        Duration::from_secs(self.body_timeout_secs)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 12,
            max_complexity: 50_000,
            max_aliases: 100,
            max_directives: 10,
            max_body_bytes: 256 * 1024,
            max_upload_bytes: 10 * 1024 * 1024 + 64 * 1024,
            request_timeout_secs: 30,
            header_timeout_secs: 10,
            body_timeout_secs: 10,
            introspection: true,
            persisted_manifest: None,
            persisted_only: false,
            document_cache_mib: 16,
        }
    }
}
