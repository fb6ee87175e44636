//! CHECK constraints on every vocabulary column, so a value outside its
//! vocabulary cannot be stored by any writer (the API, a script, `psql`).
//!
//! PostgreSQL adds each constraint with `ALTER TABLE … ADD CONSTRAINT`.
//! SQLite cannot add a constraint to a table, so each table is rebuilt the
//! way its documentation describes: copy the rows aside, drop the table,
//! create it again from its own stored `CREATE TABLE` text with the
//! constraints appended, copy the rows back and recreate its indexes — in
//! one transaction, with foreign keys checked at commit
//! (`PRAGMA defer_foreign_keys`), since foreign keys cannot be switched off
//! inside a transaction. No foreign key of the schema has an ON DELETE
//! action, so dropping a parent table deletes nothing else.
//!
//! A database holding a value outside a vocabulary is not migrated: the
//! migration stops and names the table, column and values to correct.
//!
//! The lists are this migration's own (a later change of a vocabulary is a
//! new migration); a test checks them against the entities' enums.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Table, column and the values the column may hold.
pub const VOCABULARIES: &[(&str, &str, &[&str])] = &[
    (
        "committee",
        "level",
        &["CENTRAL", "PROVINCE", "DISTRICT", "COMMUNE"],
    ),
    (
        "agency",
        "kind",
        &[
            "GOVERNMENT",
            "PEOPLES_COMMITTEE",
            "POLICE",
            "BORDER_GUARD",
            "MILITARY",
            "PROCURACY",
            "COURT",
            "LABOUR_SOCIAL_AFFAIRS",
            "JUSTICE",
            "HEALTH",
            "EDUCATION",
            "CULTURE",
            "INFORMATION",
            "FOREIGN_AFFAIRS",
            "HOME_AFFAIRS",
            "WOMENS_UNION",
            "FATHERLAND_FRONT",
            "MEDIA",
            "INSPECTION",
            "OTHER",
        ],
    ),
    (
        "membership",
        "role",
        &["HEAD", "DEPUTY", "STANDING", "MEMBER"],
    ),
    (
        "plan",
        "kind",
        &["ANNUAL", "PROGRAMME", "CAMPAIGN", "PEAK_OPERATION", "OTHER"],
    ),
    ("plan", "status", &["DRAFT", "ISSUED", "CLOSED"]),
    (
        "plan_target",
        "comparator",
        &["EQ", "GT", "GTE", "LT", "LTE"],
    ),
    ("plan_target", "unit", &["PERCENT", "COUNT"]),
    (
        "reporting_rule",
        "cadence",
        &["QUARTERLY", "SEMIANNUAL", "ANNUAL", "ONE_OFF"],
    ),
    (
        "task",
        "category",
        &[
            "DIRECTION",
            "COMMUNICATION",
            "SOCIAL_PREVENTION",
            "PROFESSIONAL_PREVENTION",
            "ENFORCEMENT",
            "PROSECUTION_AND_TRIAL",
            "VICTIM_SUPPORT",
            "LEGAL_FRAMEWORK",
            "INTERNATIONAL_COOPERATION",
            "INSPECTION",
            "OTHER",
        ],
    ),
    (
        "task",
        "status",
        &["NOT_STARTED", "IN_PROGRESS", "DONE", "BLOCKED", "CANCELLED"],
    ),
    (
        "task_progress",
        "status",
        &["NOT_STARTED", "IN_PROGRESS", "DONE", "BLOCKED", "CANCELLED"],
    ),
    ("task_agency", "role", &["LEAD", "COORDINATING"]),
    (
        "cooperation_record",
        "kind",
        &[
            "HOTLINE",
            "INFORMATION_EXCHANGE",
            "JOINT_INVESTIGATION",
            "VICTIM_REPATRIATION",
            "SUSPECT_HANDOVER",
            "JOINT_PATROL",
            "MEETING",
            "TRAINING",
            "AGREEMENT",
            "MUTUAL_LEGAL_ASSISTANCE",
            "OTHER",
        ],
    ),
    (
        "account",
        "role",
        &["VIEWER", "EDITOR", "COORDINATOR", "ADMIN"],
    ),
    (
        "report",
        "status",
        &["DRAFT", "SUBMITTED", "APPROVED", "RETURNED"],
    ),
    (
        "report",
        "period_kind",
        &["YEAR", "HALF", "QUARTER", "MONTH"],
    ),
    ("export", "format", &["XLSX", "CSV", "JSON"]),
    ("export", "include", &["APPROVED", "SUBMITTED"]),
    ("indicator", "unit", &["COUNT", "PERCENT"]),
    ("indicator", "aggregation", &["SUM", "RATIO"]),
    ("audit_event", "outcome", &["OK", "FORBIDDEN", "NOT_FOUND"]),
];

/// The name of the constraint on `table.column`.
pub fn constraint_name(table: &str, column: &str) -> String {
    format!("ck_{table}_{column}")
}

fn check_sql(table: &str, column: &str, values: &[&str]) -> String {
    let list = values
        .iter()
        .map(|v| format!("'{v}'"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "CONSTRAINT \"{}\" CHECK (\"{column}\" IN ({list}))",
        constraint_name(table, column)
    )
}

fn tables() -> Vec<&'static str> {
    let mut out: Vec<&str> = Vec::new();
    for (t, _, _) in VOCABULARIES {
        if !out.contains(t) {
            out.push(t);
        }
    }
    out
}

/// Refuses to migrate a database holding values outside a vocabulary.
async fn ensure_clean(conn: &impl ConnectionTrait) -> Result<(), DbErr> {
    let backend = conn.get_database_backend();
    let mut problems = Vec::new();
    for (table, column, values) in VOCABULARIES {
        let list = values
            .iter()
            .map(|v| format!("'{v}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = conn
            .query_all_raw(Statement::from_string(
                backend,
                format!(
                    "SELECT DISTINCT CAST(\"{column}\" AS TEXT) AS v FROM \"{table}\" \
                     WHERE \"{column}\" NOT IN ({list}) ORDER BY 1"
                ),
            ))
            .await?;
        if !rows.is_empty() {
            let found = rows
                .iter()
                .map(|r| r.try_get::<String>("", "v").unwrap_or_default())
                .map(|v| format!("{v:?}"))
                .collect::<Vec<_>>()
                .join(", ");
            problems.push(format!("{table}.{column} holds {found}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(DbErr::Migration(format!(
            "values outside their vocabularies; correct them and migrate again: {}",
            problems.join("; ")
        )))
    }
}

async fn sqlite_rebuild(conn: &impl ConnectionTrait, table: &str) -> Result<(), DbErr> {
    let backend = DbBackend::Sqlite;
    let one = |sql: String| Statement::from_sql_and_values(backend, sql, []);
    let create = conn
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
            [table.into()],
        ))
        .await?
        .ok_or_else(|| DbErr::Migration(format!("no table {table}")))?
        .try_get::<String>("", "sql")?;
    let indexes: Vec<String> = conn
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            [table.into()],
        ))
        .await?
        .iter()
        .map(|r| r.try_get::<String>("", "sql"))
        .collect::<Result<_, _>>()?;
    let end = create
        .rfind(')')
        .ok_or_else(|| DbErr::Migration(format!("unexpected definition of {table}")))?;
    let checks = VOCABULARIES
        .iter()
        .filter(|(t, _, _)| *t == table)
        .map(|(t, c, v)| check_sql(t, c, v))
        .collect::<Vec<_>>()
        .join(", ");
    let rebuilt = format!("{}, {checks}{}", &create[..end], &create[end..]);
    let copy = format!("_{table}_rows");
    conn.execute_raw(one(format!(
        "CREATE TABLE \"{copy}\" AS SELECT * FROM \"{table}\""
    )))
    .await?;
    conn.execute_raw(one(format!("DROP TABLE \"{table}\"")))
        .await?;
    conn.execute_raw(one(rebuilt)).await?;
    conn.execute_raw(one(format!(
        "INSERT INTO \"{table}\" SELECT * FROM \"{copy}\""
    )))
    .await?;
    conn.execute_raw(one(format!("DROP TABLE \"{copy}\"")))
        .await?;
    for index in indexes {
        conn.execute_raw(one(index)).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// One transaction on both backends, so a SQLite rebuild is all or nothing.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        ensure_clean(conn).await?;
        match conn.get_database_backend() {
            DbBackend::Sqlite => {
                conn.execute_unprepared("PRAGMA defer_foreign_keys = ON")
                    .await?;
                for table in tables() {
                    sqlite_rebuild(conn, table).await?;
                }
            }
            _ => {
                for (table, column, values) in VOCABULARIES {
                    conn.execute_unprepared(&format!(
                        "ALTER TABLE \"{table}\" ADD {}",
                        check_sql(table, column, values)
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }
}
