//! Configuration: command-line flags, each with an environment variable,
//! parsed and validated once at startup.

use std::net::SocketAddr;
use std::time::Duration;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

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

    /// Address to listen on.
    #[arg(
        long,
        env = "HUB138_LISTEN",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub listen: SocketAddr,

    /// Load the demo data when `serve` finds the database empty.
    #[arg(long, env = "HUB138_DEMO_DATA", default_value_t = true, action = ArgAction::Set, global = true)]
    pub demo_data: bool,

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

    /// Secret that signs access tokens. Unset: a random one per process
    /// (tokens die with it).
    #[arg(long, env = "HUB138_JWT_SECRET", global = true, hide_env_values = true)]
    pub jwt_secret: Option<String>,

    /// Lifetime of an access token from `login`, in minutes.
    #[arg(
        long,
        env = "HUB138_TOKEN_TTL_MINUTES",
        default_value_t = 60,
        global = true
    )]
    pub token_ttl_minutes: i64,

    #[command(flatten)]
    pub limits: Limits,
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

    /// Time a request may run before it is answered with a timeout error, in seconds.
    #[arg(
        long,
        env = "HUB138_REQUEST_TIMEOUT_SECS",
        default_value_t = 30,
        global = true
    )]
    pub request_timeout_secs: u64,

    /// Answer introspection queries (`__schema`, `__type`).
    #[arg(long, env = "HUB138_INTROSPECTION", default_value_t = true, action = ArgAction::Set, global = true)]
    pub introspection: bool,
}

impl Limits {
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 12,
            max_complexity: 50_000,
            max_directives: 10,
            max_body_bytes: 256 * 1024,
            request_timeout_secs: 30,
            introspection: true,
        }
    }
}
