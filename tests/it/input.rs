//! Bad input: control characters, malformed or far-off dates, unbounded
//! spans and counts — each refused with a stable code and nothing stored.

use anyhow::{Context, Result};
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::ensure_eq;

const CREATE_PLAN: &str = "mutation($input: CreatePlanInput!) { createPlan(input: $input) {
  plan { id fundingNote } userErrors { field code message } } }";

const LOGIN: &str =
    "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) {
  accessToken userErrors { field code } } }";

fn codes(payload: &Value) -> Vec<(Value, Value)> {
    payload["userErrors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| (e["field"].clone(), e["code"].clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// NUL, BEL, ESC, DEL and C1 controls are refused wherever a string enters:
/// a mutation's text field and `login` answer the `INVALID_CHARACTERS`
/// userError, a query's filter `BAD_USER_INPUT`; tab, CR and LF pass.
pub async fn control_characters_are_refused() -> Result<()> {
    let app = TestApp::new().await?;
    let editor = app.session("tuyenquang.editor").await?;
    let tq = app.committee_id("PROVINCE", "08", "2026-01-01").await?;
    let plans = app.rows("plan").await?;
    let events = app.rows("audit_event").await?;
    let plan = |title: &str, note: &str| {
        json!({"input": {"committeeId": tq, "title": title, "kind": "ANNUAL",
            "periodFrom": "2027-01-01", "periodTo": "2027-12-31", "fundingNote": note}})
    };
    // Mutation text fields: every bad string is named, nothing is written.
    let d = editor
        .data(CREATE_PLAN, plan("Kế hoạch\u{0}2027", "ngân sách\u{7}"))
        .await?;
    ensure_eq!(d["createPlan"]["plan"], json!(null));
    ensure_eq!(
        codes(&d["createPlan"]),
        vec![
            (json!(["input", "title"]), json!("INVALID_CHARACTERS")),
            (json!(["input", "fundingNote"]), json!("INVALID_CHARACTERS")),
        ]
    );
    for bad in ["\u{1b}[31m", "x\u{7f}", "x\u{85}", "x\u{9f}", "x\u{b}"] {
        let d = editor.data(CREATE_PLAN, plan(bad, "")).await?;
        ensure_eq!(
            (bad, codes(&d["createPlan"])),
            (
                bad,
                vec![(json!(["input", "title"]), json!("INVALID_CHARACTERS"))]
            )
        );
    }
    ensure_eq!(app.rows("plan").await?, plans);
    let agencies = app.rows("agency").await?;
    let d = app
        .data(
            "mutation($input: CreateAgencyInput!) { createAgency(input: $input) {
               agency { id } userErrors { field code } } }",
            json!({"input": {"committeeId": tq, "name": "Sở\u{0}Tư pháp", "shortName": "\u{1}", "kind": "JUSTICE"}}),
        )
        .await?;
    ensure_eq!(
        codes(&d["createAgency"]),
        vec![
            (json!(["input", "name"]), json!("INVALID_CHARACTERS")),
            (json!(["input", "shortName"]), json!("INVALID_CHARACTERS")),
        ]
    );
    ensure_eq!(app.rows("agency").await?, agencies);
    // Tab, CR and LF are ordinary text.
    let ok = editor
        .mutate(
            CREATE_PLAN,
            "createPlan",
            plan("Kế hoạch\t2027", "dòng 1\r\ndòng 2"),
        )
        .await?;
    ensure_eq!(ok["plan"]["id"].is_string(), true);
    ensure_eq!(app.rows("plan").await?, plans + 1);

    // login: refused before any lookup, throttle or audit.
    let events_before_login = app.rows("audit_event").await?;
    for (u, p, field) in [
        ("tuyenquang.editor\u{0}", "whatever-password", "username"),
        ("tuyenquang.editor", "pass\u{0}word-1234", "password"),
    ] {
        let d = app.anonymous().data(LOGIN, json!({"u": u, "p": p})).await?;
        ensure_eq!(d["login"]["accessToken"], json!(null));
        ensure_eq!(
            codes(&d["login"]),
            vec![(json!(["input", field]), json!("INVALID_CHARACTERS"))]
        );
    }
    ensure_eq!(app.rows("audit_event").await?, events_before_login);
    ensure_eq!(events_before_login > events, true);

    // Queries: filters, search strings and ids, as variables or literals.
    for (query, vars) in [
        (
            "query($s: String) { committees(filter: {nameContains: $s}) { totalCount } }",
            json!({"s": "tuyen\u{0}"}),
        ),
        (
            "query($s: String) { plans(filter: {titleContains: $s}) { totalCount } }",
            json!({"s": "\u{1}"}),
        ),
        (
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": "Q29tbWl0dGVlOjE\u{0}"}),
        ),
        (
            "{ committees(filter: {nameContains: \"tuyen\\u0000\"}) { totalCount } }",
            json!({}),
        ),
        (
            "{ committees(filter: {nameContains: \"x\\u0085\"}) { totalCount } }",
            json!({}),
        ),
    ] {
        let body = app.post(query, vars).await?;
        ensure_eq!(
            (query, body["errors"][0]["extensions"]["code"].clone()),
            (query, json!("BAD_USER_INPUT"))
        );
        ensure_eq!(body.get("data").is_none_or(Value::is_null), true);
    }
    let d = app
        .data(
            "query($s: String) { committees(filter: {nameContains: $s}) { totalCount } }",
            json!({"s": "tuyên\tquang\r\n"}),
        )
        .await?;
    ensure_eq!(d["committees"]["totalCount"].is_i64(), true);
    Ok(())
}

/// `Date` is exactly `YYYY-MM-DD`, a real day from 1945-01-01 to
/// 2100-12-31; `DateTime` is RFC 3339 in the same years; `Period` years too.
pub async fn dates_are_strict_and_bounded() -> Result<()> {
    let app = TestApp::new().await?;
    let q = "query($d: Date) { committees(filter: {activeOn: $d}) { totalCount } }";
    for bad in [
        "+2024-01-01",
        "0000-01-01",
        "2024-1-1",
        "2024-02-30",
        "1944-12-31",
        "2101-01-01",
        "20240101",
        " 2024-01-01",
        "2024-01-01T00:00:00Z",
    ] {
        let code = app.error_code(q, json!({ "d": bad })).await?;
        ensure_eq!((bad, code.as_str()), (bad, "BAD_USER_INPUT"));
        let literal = format!("{{ committees(filter: {{activeOn: \"{bad}\"}}) {{ totalCount }} }}");
        let code = app.error_code(&literal, json!({})).await?;
        ensure_eq!((bad, code.as_str()), (bad, "BAD_USER_INPUT"));
    }
    for good in ["1945-01-01", "2024-02-29", "2100-12-31"] {
        app.data(q, json!({ "d": good })).await?;
    }
    // Periods: four-digit years in range.
    let central = app.committee_id("CENTRAL", "VN", "2024-06-01").await?;
    let p = "query($c: ID!, $p: Period!) { node(id: $c) { ... on Committee {
        reportingStatus(period: $p) { total { expected } } } } }";
    for bad in ["+202", "2101", "1900-Q1", "0000"] {
        let code = app.error_code(p, json!({"c": central, "p": bad})).await?;
        ensure_eq!((bad, code.as_str()), (bad, "BAD_USER_INPUT"));
    }
    // DateTime: RFC 3339 only, 1945..=2100.
    let token =
        "mutation($e: DateTime) { createApiToken(input: {name: \"machine\", expiresAt: $e}) {
        token userErrors { code } } }";
    let tokens = app.rows("api_token").await?;
    for bad in [
        "+002030-01-01T00:00:00Z",
        "2030-01-01",
        "2030-01-01 00:00:00",
        "2101-01-01T00:00:00Z",
        "2030-02-30T00:00:00Z",
    ] {
        let code = app.error_code(token, json!({ "e": bad })).await?;
        ensure_eq!((bad, code.as_str()), (bad, "BAD_USER_INPUT"));
    }
    ensure_eq!(app.rows("api_token").await?, tokens);
    let d = app
        .data(token, json!({"e": "2030-01-01T07:00:00+07:00"}))
        .await?;
    ensure_eq!(d["createApiToken"]["token"].is_string(), true);
    Ok(())
}

/// A plan's period spans at most ten years; a cooperation record counts at
/// most 100,000 people of each kind.
pub async fn spans_and_counts_are_bounded() -> Result<()> {
    let app = TestApp::new().await?;
    let editor = app.session("tuyenquang.editor").await?;
    let tq = app.committee_id("PROVINCE", "08", "2026-01-01").await?;
    let plans = (app.rows("plan").await?, app.rows("report").await?);
    let plan = |from: &str, to: &str| {
        json!({"input": {"committeeId": tq, "title": "Chương trình dài hạn", "kind": "PROGRAMME",
            "periodFrom": from, "periodTo": to,
            "reportingRules": [{"cadence": "QUARTERLY", "deadlineMonthDay": "03-29"}]}})
    };
    for (from, to) in [("1950-01-01", "2099-12-31"), ("2021-01-01", "2031-01-01")] {
        let d = editor.data(CREATE_PLAN, plan(from, to)).await?;
        ensure_eq!(
            codes(&d["createPlan"]),
            vec![(json!(["input", "periodTo"]), json!("INVALID_RANGE"))]
        );
    }
    ensure_eq!((app.rows("plan").await?, app.rows("report").await?), plans);
    editor
        .mutate(CREATE_PLAN, "createPlan", plan("2021-01-01", "2030-12-31"))
        .await?;

    // Cooperation counts.
    let qt_editor = app
        .session_at("PROVINCE", "44", "2026-01-01", "EDITOR")
        .await?;
    let qt = app.committee_id("PROVINCE", "44", "2026-01-01").await?;
    let cp = qt_editor
        .mutate(
            "mutation { createCounterpart(input: {country: \"LA\", bodyName: \"Công an tỉnh Savannakhet\"}) {
               counterpart { id } userErrors { code } } }",
            "createCounterpart",
            json!({}),
        )
        .await?["counterpart"]["id"]
        .clone();
    let create =
        "mutation($input: CreateCooperationRecordInput!) { createCooperationRecord(input: $input) {
        cooperationRecord { id } userErrors { field code } } }";
    let records = app.rows("cooperation_record").await?;
    let d = qt_editor
        .data(
            create,
            json!({"input": {"committeeId": qt, "counterpartId": cp, "kind": "VICTIM_REPATRIATION",
                "occurredOn": "2026-05-20", "title": "Tiếp nhận", "victimsRepatriated": 2_147_483_647,
                "suspectsHandedOver": 100_001}}),
        )
        .await?;
    ensure_eq!(
        codes(&d["createCooperationRecord"]),
        vec![
            (
                json!(["input", "victimsRepatriated"]),
                json!("OUT_OF_RANGE")
            ),
            (
                json!(["input", "suspectsHandedOver"]),
                json!("OUT_OF_RANGE")
            ),
        ]
    );
    ensure_eq!(app.rows("cooperation_record").await?, records);
    qt_editor
        .mutate(
            create,
            "createCooperationRecord",
            json!({"input": {"committeeId": qt, "counterpartId": cp, "kind": "VICTIM_REPATRIATION",
                "occurredOn": "2026-05-20", "title": "Tiếp nhận", "victimsRepatriated": 100_000}}),
        )
        .await?;
    Ok(())
}

/// Whether `sql` fails on the test's database.
async fn refused(app: &TestApp, sql: &str) -> bool {
    use sea_orm::ConnectionTrait;
    app.db.execute_unprepared(sql).await.is_err()
}

/// Every vocabulary column has its CHECK constraint on both backends: a
/// corrupt value written straight into the database is refused, so it can
/// never be read back as another value (a corrupt plan status as DRAFT).
pub async fn corrupt_vocabulary_is_refused_by_the_database() -> Result<()> {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let app = TestApp::new().await?;
    ensure_eq!(
        refused(
            &app,
            "UPDATE plan SET status = 'DRAFTED' WHERE id = (SELECT MIN(id) FROM plan)"
        )
        .await,
        true
    );
    ensure_eq!(
        refused(
            &app,
            "UPDATE committee SET level = 'WARD' WHERE id = (SELECT MAX(id) FROM committee)"
        )
        .await,
        true
    );
    let backend = app.db.get_database_backend();
    for (table, column, values) in migration::VOCABULARIES {
        let name = migration::constraint_name(table, column);
        let sql = match backend {
            DbBackend::Sqlite => format!(
                "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '{table}' AND sql LIKE '%\"{name}\"%'"
            ),
            _ => format!(
                "SELECT COUNT(*) AS n FROM pg_constraint WHERE conname = '{name}' AND contype = 'c'"
            ),
        };
        let n = app
            .db
            .query_one_raw(Statement::from_string(backend, sql))
            .await?
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()?
            .unwrap_or(0);
        ensure_eq!((name.as_str(), n), (name.as_str(), 1));
        if app.rows(table).await? > 0 {
            let bogus = format!(
                "UPDATE \"{table}\" SET \"{column}\" = 'NOT_{}' WHERE \"{column}\" = '{}'",
                values[0], values[0]
            );
            let any = format!(
                "UPDATE \"{table}\" SET \"{column}\" = 'lower' WHERE \"{column}\" IN ({})",
                values
                    .iter()
                    .map(|v| format!("'{v}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            ensure_eq!(
                (bogus.as_str(), refused(&app, &any).await),
                (bogus.as_str(), true)
            );
            // Refused or a no-op (no row holds the first value).
            let _ = refused(&app, &bogus).await;
        }
    }
    // Nothing changed: the demo plans still read as they were.
    let d = app
        .data(
            "{ plans(first: 100) { edges { node { status kind } } } }",
            json!({}),
        )
        .await?;
    ensure_eq!(
        d["plans"]["edges"]
            .as_array()
            .is_some_and(|e| e.iter().all(|e| e["node"]["status"].is_string())),
        true
    );
    Ok(())
}

/// The migration's lists are the entities' enums, value for value.
pub async fn vocabularies_match_the_entities() -> Result<()> {
    use entities::enums as e;
    let expected: &[(&str, &str, &[&str])] = &[
        ("committee", "level", e::Level::NAMES),
        ("agency", "kind", e::AgencyKind::NAMES),
        ("membership", "role", e::MembershipRole::NAMES),
        ("plan", "kind", e::PlanKind::NAMES),
        ("plan", "status", e::PlanStatus::NAMES),
        ("plan_target", "comparator", e::Comparator::NAMES),
        ("plan_target", "unit", e::TargetUnit::NAMES),
        ("reporting_rule", "cadence", e::Cadence::NAMES),
        ("task", "category", e::TaskCategory::NAMES),
        ("task", "status", e::TaskStatus::NAMES),
        ("task_progress", "status", e::TaskStatus::NAMES),
        ("task_agency", "role", e::TaskAgencyRole::NAMES),
        ("cooperation_record", "kind", e::CooperationKind::NAMES),
        ("account", "role", e::Role::NAMES),
        ("report", "status", e::ReportStatus::NAMES),
        ("export", "include", e::ReportInclusion::NAMES),
    ];
    for (table, column, names) in expected {
        let found = migration::VOCABULARIES
            .iter()
            .find(|(t, c, _)| t == table && c == column)
            .map(|(_, _, v)| v.to_vec());
        ensure_eq!(
            (table, column, found),
            (table, column, Some(names.to_vec()))
        );
    }
    Ok(())
}

/// A database created before the CHECK constraints, with the reference
/// and demo data in it, migrates with every row kept; one holding a value
/// outside a vocabulary is not migrated, and says which.
pub async fn existing_databases_migrate() -> Result<()> {
    use migration::{Migrator, MigratorTrait};
    use sea_orm::ConnectionTrait;
    let url = crate::common::empty_database().await?;
    let db = hub138::db::connect(&url, 2).await?;
    let before_checks = Migrator::migrations()
        .iter()
        .position(|m| m.name().contains("vocabulary_checks"))
        .context("the vocabulary-checks migration")?;
    Migrator::up(&db, Some(u32::try_from(before_checks)?)).await?;
    // Later migrations add columns today's entities (and so the seed) use;
    // add them as they would, so the data can be loaded at this point.
    db.execute_unprepared("ALTER TABLE report ADD COLUMN entered_by_committee_id BIGINT")
        .await?;
    // (and tables: the agency aliases and the plans' documents, as their
    // migrations create them if missing).
    let schema = sea_orm::Schema::new(db.get_database_backend());
    db.execute(&schema.create_table_from_entity(entities::agency_alias::Entity))
        .await?;
    db.execute(&schema.create_table_from_entity(entities::plan_document::Entity))
        .await?;
    // (and the pre-order numbers and the rollup totals, which the seed fills).
    for column in ["lft", "rgt"] {
        db.execute_unprepared(&format!(
            "ALTER TABLE committee ADD COLUMN {column} BIGINT NOT NULL DEFAULT 0"
        ))
        .await?;
    }
    db.execute_unprepared(
        "CREATE TABLE rollup_total (units VARCHAR(8) NOT NULL, inclusion VARCHAR(10) NOT NULL, \
         committee_id BIGINT NOT NULL, period VARCHAR(8) NOT NULL, \
         indicator_code VARCHAR(64) NOT NULL, total DOUBLE PRECISION NOT NULL, \
         reports BIGINT NOT NULL, PRIMARY KEY (units, inclusion, committee_id, indicator_code, period))",
    )
    .await?;
    hub138::seed::backfill_current(&db).await?;
    hub138::seed::seed_if_empty(&db, true).await?;
    // As a database from before those columns and totals: unnumbered, none kept.
    db.execute_unprepared("UPDATE committee SET lft = 0, rgt = 0")
        .await?;
    db.execute_unprepared("DELETE FROM rollup_total").await?;
    let tables = [
        "committee",
        "agency",
        "membership",
        "plan",
        "task",
        "task_agency",
        "report",
        "report_value",
        "indicator",
    ];
    let count = |table: &'static str| {
        let db = db.clone();
        async move {
            use sea_orm::Statement;
            let row = db
                .query_one_raw(Statement::from_string(
                    db.get_database_backend(),
                    format!("SELECT COUNT(*) AS n FROM {table}"),
                ))
                .await?;
            anyhow::Ok(
                row.map(|r| r.try_get::<i64>("", "n"))
                    .transpose()?
                    .unwrap_or(0),
            )
        }
    };
    let mut counts = Vec::new();
    for t in tables {
        counts.push(count(t).await?);
    }
    ensure_eq!(counts.iter().all(|n| *n > 0), true);

    // A corrupt value stops the migration, named.
    db.execute_unprepared(
        "UPDATE plan SET status = 'DRAFTED' WHERE id = (SELECT MIN(id) FROM plan)",
    )
    .await?;
    let err = Migrator::up(&db, None).await.err().map(|e| e.to_string());
    ensure_eq!(
        err.as_deref()
            .is_some_and(|e| e.contains("plan.status holds \"DRAFTED\"")),
        true
    );
    ensure_eq!(
        Migrator::get_pending_migrations(&db).await?.len(),
        Migrator::migrations().len() - before_checks
    );
    db.execute_unprepared("UPDATE plan SET status = 'DRAFT' WHERE status = 'DRAFTED'")
        .await?;

    Migrator::up(&db, None).await?;
    let mut after = Vec::new();
    for t in tables {
        after.push(count(t).await?);
    }
    ensure_eq!(after, counts);
    // The tree is numbered in pre-order, and the totals equal the reports.
    ensure_eq!(
        count("committee").await?,
        counts.first().copied().unwrap_or(-1)
    );
    let unnumbered = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM committee WHERE lft < 1 OR rgt < lft".to_owned(),
        ))
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?;
    ensure_eq!(unnumbered, Some(0));
    let kept = hub138::service::totals::check(&db)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    ensure_eq!((kept.expected > 0, kept.equal()), (true, true));
    if db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        let broken = db
            .query_all_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Sqlite,
                "PRAGMA foreign_key_check".to_owned(),
            ))
            .await?;
        ensure_eq!(broken.len(), 0);
    }
    ensure_eq!(
        db.execute_unprepared("UPDATE plan SET status = 'DRAFTED'")
            .await
            .is_err(),
        true
    );
    // The migrated database starts as before, with nothing pending.
    db.close().await?;
    let db = hub138::prepare(&url, 2, hub138::Seed::Nothing).await?;
    ensure_eq!(Migrator::get_pending_migrations(&db).await?.len(), 0);
    db.close().await?;
    Ok(())
}

/// Two writers racing past a service's own check meet the unique
/// constraint: the loser gets the `DUPLICATE` userError, never INTERNAL.
/// The race is made certain: the test holds an uncommitted row with the
/// same username while the request checks (and finds nothing), then
/// commits while the request waits to insert.
pub async fn unique_violation_is_duplicate() -> Result<()> {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, TransactionTrait};
    let app = TestApp::new().await?;
    let tq = app.committee_id("PROVINCE", "08", "2026-01-01").await?;
    let home = hub138::service::account::by_username(&app.db, "tuyenquang.editor")
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let accounts = app.rows("account").await?;
    let tx = app.db.begin().await?;
    let now = chrono::Utc::now();
    entities::account::ActiveModel {
        username: Set("race.editor".to_owned()),
        display_name: Set("Race".to_owned()),
        committee_id: Set(home.committee_id),
        role: Set(entities::enums::Role::Editor),
        active: Set(true),
        password_hash: Set("x".to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let q = "mutation($input: CreateAccountInput!) { createAccount(input: $input) {
        account { username } userErrors { field code } } }";
    let input = json!({"input": {"username": "race.editor", "displayName": "Race",
        "committeeId": tq, "role": "EDITOR", "password": "a-long-enough-password"}});
    let request = app.post(q, input);
    let commit = async {
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        tx.commit().await
    };
    let (answer, committed) = tokio::join!(request, commit);
    committed?;
    let answer = answer?;
    ensure_eq!(answer.get("errors").is_none(), true);
    ensure_eq!(answer["data"]["createAccount"]["account"], json!(null));
    ensure_eq!(
        answer["data"]["createAccount"]["userErrors"][0]["code"],
        json!("DUPLICATE")
    );
    ensure_eq!(app.rows("account").await?, accounts + 1);
    Ok(())
}

/// Two first saves of the same report race: the one that loses (it read
/// no report, then found one created meanwhile) is a `CONFLICT`, as any
/// stale save is — never a `DUPLICATE` or a second report.
pub async fn racing_first_saves_conflict() -> Result<()> {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, TransactionTrait};
    let app = TestApp::new().await?;
    let tq = app.committee_id("PROVINCE", "08", "2026-01-01").await?;
    let home = hub138::service::account::by_username(&app.db, "tuyenquang.editor")
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let editor = app.session("tuyenquang.editor").await?;
    let reports = app.rows("report").await?;
    let tx = app.db.begin().await?;
    let now = chrono::Utc::now();
    let quarter = chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap_or_default();
    entities::report::ActiveModel {
        committee_id: Set(home.committee_id),
        period: Set("2026-Q4".to_owned()),
        period_kind: Set("QUARTER".to_owned()),
        period_start: Set(quarter),
        period_end: Set(quarter + chrono::Duration::days(91)),
        status: Set(entities::enums::ReportStatus::Draft),
        late: Set(false),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let request = editor.post(
        "mutation($input: SaveReportInput!) { saveReport(input: $input) { report { id } userErrors { code } } }",
        json!({"input": {"committeeId": tq, "period": "2026-Q4", "expectedVersion": 0,
               "values": [{"indicator": "tips_received", "value": 3}]}}),
    );
    let commit = async {
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        tx.commit().await
    };
    let (answer, committed) = tokio::join!(request, commit);
    committed?;
    let answer = answer?;
    ensure_eq!(answer["errors"][0]["extensions"]["code"], json!("CONFLICT"));
    ensure_eq!(app.rows("report").await?, reports + 1);
    Ok(())
}

/// The schema's `UserErrorCode` enum holds every code of the service layer.
pub async fn schema_lists_every_user_error_code() -> Result<()> {
    let app = TestApp::new().await?;
    let d = app
        .data(
            "{ __type(name: \"UserErrorCode\") { kind enumValues { name } } }",
            json!({}),
        )
        .await?;
    ensure_eq!(d["__type"]["kind"], json!("ENUM"));
    let mut names: Vec<String> = d["__type"]["enumValues"]
        .as_array()
        .map(|v| {
            v.iter()
                .filter_map(|e| e["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut codes: Vec<String> = hub138::error::UserErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    codes.sort();
    ensure_eq!(names, codes);
    let sdl = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql"))?;
    ensure_eq!(sdl.contains("enum UserErrorCode {"), true);
    ensure_eq!(sdl.contains("\tcode: UserErrorCode!"), true);
    Ok(())
}
