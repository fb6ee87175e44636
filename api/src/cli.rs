//! The `user` and `token` commands. Passwords are read from stdin so they
//! stay out of shell history and process lists; tokens are printed once.

use std::io::BufRead;

use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

use crate::auth::Scope;
use crate::config::{PlanCommand, ReportCommand, RollupCommand, TokenCommand, UserCommand};
use crate::error::Error;
use crate::service::account::{self, NewAccount};
use crate::service::audit::{self, Actor, Event, Outcome};
use crate::service::enums::{Level, Role};
use crate::service::write::Notice;
use crate::service::{hierarchy, today};

fn fail(e: Error) -> anyhow::Error {
    match e {
        Error::Invalid(errors) => anyhow::anyhow!(
            "{}",
            errors
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => anyhow::anyhow!(other.message()),
    }
}

fn read_password() -> anyhow::Result<String> {
    eprintln!("password (read from stdin):");
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

#[allow(clippy::print_stdout)]
pub async fn user(db: &DatabaseConnection, cmd: UserCommand) -> anyhow::Result<()> {
    let actor = Actor::cli();
    // The change and its audit event commit together.
    let tx = db.begin().await?;
    let db = &tx;
    match cmd {
        UserCommand::Create {
            username,
            display_name,
            level,
            code,
            role,
        } => {
            let level: Level = level.to_uppercase().parse().map_err(anyhow::Error::msg)?;
            let role: Role = role.to_uppercase().parse().map_err(anyhow::Error::msg)?;
            let committee = hierarchy::by_code(db, &Scope::everything(), level, &code, today())
                .await
                .map_err(fail)?
                .ok_or_else(|| anyhow::anyhow!("no {level} {code} in force today"))?;
            let password = read_password()?;
            let a = account::create(
                db,
                NewAccount {
                    username: &username,
                    display_name: &display_name,
                    committee_id: committee.id,
                    role,
                    password: &password,
                },
            )
            .await
            .map_err(fail)?;
            audit_account(db, &actor, "createAccount", None, &a).await?;
            println!("created {} ({role}) at {}", a.username, committee.name);
        }
        UserCommand::Disable { username } => {
            let a = account::by_username(db, &username).await.map_err(fail)?;
            let before = account::audit_json(&a);
            let a = account::set_active(db, a, false).await.map_err(fail)?;
            audit_account(db, &actor, "disableAccount", Some(before), &a).await?;
            announce(db, Notice::CredentialsChanged(a.id)).await?;
            println!("disabled {}", a.username);
        }
        UserCommand::ResetPassword { username } => {
            let a = account::by_username(db, &username).await.map_err(fail)?;
            let password = read_password()?;
            let a = account::reset_password(db, a, &password)
                .await
                .map_err(fail)?;
            audit_account(db, &actor, "resetPassword", None, &a).await?;
            println!("password reset for {}", a.username);
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Tells the running servers of a change this command makes (delivered when
/// its transaction commits; nothing on SQLite).
async fn announce(db: &impl ConnectionTrait, notice: Notice) -> anyhow::Result<()> {
    crate::service::relay::announce(db, "cli", &[notice]).await?;
    Ok(())
}

async fn audit_account(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    before: Option<serde_json::Value>,
    a: &entities::account::Model,
) -> anyhow::Result<()> {
    audit::record(
        db,
        actor,
        Event {
            action,
            outcome: Outcome::Ok,
            committee_id: Some(a.committee_id),
            object_id: Some(format!("account:{}", a.id)),
            before,
            after: Some(account::audit_json(a)),
        },
    )
    .await
    .map_err(fail)
}

#[allow(clippy::print_stdout)]
pub async fn token(db: &DatabaseConnection, cmd: TokenCommand) -> anyhow::Result<()> {
    let actor = Actor::cli();
    let tx = db.begin().await?;
    let db = &tx;
    match cmd {
        TokenCommand::Create {
            username,
            name,
            days,
        } => {
            let a = account::by_username(db, &username).await.map_err(fail)?;
            let expires = days.map(|d| Utc::now() + Duration::days(d));
            let (plain, t) = account::create_token(db, a.id, &name, expires)
                .await
                .map_err(fail)?;
            audit::record(
                db,
                &actor,
                Event {
                    action: "createApiToken",
                    outcome: Outcome::Ok,
                    committee_id: Some(a.committee_id),
                    object_id: Some(format!("apiToken:{}", t.id)),
                    before: None,
                    after: Some(
                        serde_json::json!({"id": t.id, "name": t.name, "account": a.username}),
                    ),
                },
            )
            .await
            .map_err(fail)?;
            eprintln!("token {} for {} (shown only this once):", t.id, a.username);
            println!("{plain}");
        }
        TokenCommand::Revoke { id } => {
            let t = account::token_by_id(db, id)
                .await
                .map_err(fail)?
                .ok_or_else(|| anyhow::anyhow!("no token {id}"))?;
            let t = account::revoke_token(db, t).await.map_err(fail)?;
            announce(db, Notice::CredentialsChanged(t.account_id)).await?;
            audit::record(
                db,
                &actor,
                Event {
                    action: "revokeApiToken",
                    outcome: Outcome::Ok,
                    committee_id: None,
                    object_id: Some(format!("apiToken:{}", t.id)),
                    before: None,
                    after: Some(serde_json::json!({"id": t.id, "revokedAt": t.revoked_at})),
                },
            )
            .await
            .map_err(fail)?;
            println!("revoked token {}", t.id);
        }
    }
    tx.commit().await?;
    Ok(())
}

/// `hub138 rollup rebuild|check`: whether the kept totals matched the reports.
#[allow(clippy::print_stdout)]
pub async fn rollup(db: &DatabaseConnection, cmd: RollupCommand) -> anyhow::Result<bool> {
    use crate::service::totals;
    let c = match cmd {
        RollupCommand::Rebuild => totals::rebuild(db).await,
        RollupCommand::Check => totals::check(db).await,
    }
    .map_err(fail)?;
    let done = match cmd {
        RollupCommand::Rebuild => "rebuilt from the reports",
        RollupCommand::Check => "nothing changed",
    };
    if c.equal() {
        println!(
            "rollup totals: {} rows, all equal to the reports' sums; {done}",
            c.expected
        );
    } else {
        println!(
            "rollup totals: the reports imply {} rows; {} of them were missing or \
             different, and {} kept rows matched none; {done}",
            c.expected, c.unmatched, c.excess
        );
    }
    Ok(c.equal())
}

/// `hub138 report import FILE --as USERNAME`: the import `importReports`
/// runs, from a terminal. Prints a progress line per sheet, the problems at
/// their cells and the totals; fails (exit 1) when nothing could be written
/// because of them.
#[allow(clippy::print_stdout)]
pub async fn report(
    db: &DatabaseConnection,
    events: &crate::service::events::Events,
    cmd: ReportCommand,
) -> anyhow::Result<()> {
    use crate::service::report_sheet::import::{self, Options, Outcome};
    let ReportCommand::Import {
        file,
        username,
        dry_run,
        partial,
        submit,
    } = cmd;
    let bytes = std::fs::read(&file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let a = account::by_username(db, &username).await.map_err(fail)?;
    if !a.active {
        anyhow::bail!("the account {username} is disabled");
    }
    let viewer = account::viewer_of(db, a, None).await.map_err(fail)?;
    let bytes = bytes::Bytes::from(bytes);
    let read = tokio::task::spawn_blocking(move || import::read(bytes)).await?;
    let read = read.map_err(fail)?;
    let source = read.source().as_str();
    let actor = Actor {
        account_id: Some(viewer.account_id),
        username: Some(username.clone()),
        ..Actor::cli()
    };
    let options = Options {
        dry_run,
        partial,
        submit,
    };
    // Each row's problems are printed as it is checked, and a progress
    // line every 1,000 rows: nothing of a row is kept once it is printed.
    let mut checked = 0usize;
    let mut print = |row: import::RowSummary| {
        for p in &row.problems {
            println!("{}!{}\t{}\t{}", p.sheet, p.cell, p.code, p.message);
        }
        checked += 1;
        if checked.is_multiple_of(1000) {
            eprintln!("{}: {source} sheet, {checked} rows checked", file.display());
        }
    };
    let totals =
        crate::service::write::run(db, events, &viewer, &actor, "importReports", async |w| {
            import::run(w, read, options, &mut print).await
        })
        .await
        .map_err(fail)?;
    let rows = [
        Outcome::Created,
        Outcome::Updated,
        Outcome::Unchanged,
        Outcome::Refused,
    ]
    .map(|o| totals.count(o));
    eprintln!(
        "{}: {source} sheet, {} rows checked",
        file.display(),
        rows.iter().sum::<usize>()
    );
    println!(
        "{} created, {} updated, {} unchanged, {} refused; {}",
        rows[0],
        rows[1],
        rows[2],
        rows[3],
        if totals.written {
            "written"
        } else if dry_run {
            "dry run: nothing written"
        } else {
            "nothing written"
        }
    );
    if !totals.written && !dry_run && rows[3] > 0 {
        anyhow::bail!("refused rows: nothing was written (--partial writes the others)");
    }
    Ok(())
}

/// `hub138 plan import FILE --committee LEVEL:CODE`: the import
/// `importPlanDocument` runs, with the draft as read. Prints each task with
/// its agencies and the warnings (or, with `--json`, the reading and the
/// matches as JSON); exits 1 when the document cannot be imported.
#[allow(clippy::print_stdout)]
pub async fn plan(
    db: &DatabaseConnection,
    events: &crate::service::events::Events,
    cmd: PlanCommand,
) -> anyhow::Result<()> {
    use crate::service::plan_import::{self as import, Match, Pick, Upload};
    let PlanCommand::Import {
        file,
        committee,
        date,
        dry_run,
        json,
        username,
    } = cmd;
    let (level, code) = committee
        .split_once(':')
        .ok_or_else(|| anyhow::anyhow!("--committee is LEVEL:CODE, e.g. PROVINCE:08"))?;
    let level: Level = level
        .to_uppercase()
        .parse()
        .map_err(|_| anyhow::anyhow!("{level} is not CENTRAL, PROVINCE, DISTRICT or COMMUNE"))?;
    let bytes = std::fs::read(&file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let bytes = bytes::Bytes::from(bytes);
    let read_bytes = bytes.clone();
    let (format, reading) = tokio::task::spawn_blocking(move || import::read(&read_bytes))
        .await?
        .map_err(fail)?;
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let on = date
        .or(reading
            .issued_on
            .as_ref()
            .and_then(plandoc::PartialDate::to_date))
        .or(reading.period.as_ref().map(|p| p.from))
        .unwrap_or_else(|| Utc::now().date_naive());
    let change = async |w: &crate::service::write::Write<'_>| {
        let c = hierarchy::by_code(w.tx(), w.scope(), level, code, on)
            .await?
            .ok_or_else(|| {
                crate::service::write::not_found(&["input", "committeeId"], "committee")
            })?;
        let upload = Upload {
            file_name,
            format,
            bytes,
        };
        import::run(w, c.id, date, reading, upload, dry_run, None).await
    };
    let (preview, plan) = match &username {
        Some(username) => {
            let a = account::by_username(db, username).await.map_err(fail)?;
            if !a.active {
                anyhow::bail!("the account {username} is disabled");
            }
            let viewer = account::viewer_of(db, a, None).await.map_err(fail)?;
            let actor = Actor {
                account_id: Some(viewer.account_id),
                username: Some(username.clone()),
                ..Actor::cli()
            };
            crate::service::write::run(db, events, &viewer, &actor, "importPlanDocument", change)
                .await
        }
        None => crate::service::write::as_system(db, change).await,
    }
    .map_err(fail)?;
    let name = |p: &Pick| match p.how {
        Match::New => format!("{} (new)", p.name),
        _ => p.name.clone(),
    };
    if json {
        let tasks: Vec<serde_json::Value> = preview
            .draft
            .tasks
            .iter()
            .map(|t| {
                serde_json::json!({
                    "number": t.number, "section": t.section_number, "title": t.title,
                    "lead": t.lead.iter().map(name).collect::<Vec<_>>(),
                    "coordinating": t.coordinating.iter().map(name).collect::<Vec<_>>(),
                    "allRelevantAgencies": t.all_relevant_agencies,
                    "lines": [t.first_line, t.last_line],
                })
            })
            .collect();
        let out = serde_json::json!({
            "committee": preview.committee.name,
            "reading": preview.reading,
            "tasks": tasks,
            "warnings": preview.warnings.iter().map(|w| serde_json::json!({
                "code": w.code, "message": w.message, "firstLine": w.first_line,
            })).collect::<Vec<_>>(),
            "plan": plan.as_ref().map(|p| crate::ids::encode(crate::ids::Kind::Plan, p.id)),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    for t in &preview.draft.tasks {
        let lead: Vec<String> = t.lead.iter().map(name).collect();
        let coordinating: Vec<String> = t.coordinating.iter().map(name).collect();
        println!(
            "{}\t{}\t{}\t{}",
            t.section_number
                .as_deref()
                .map_or(t.number.clone(), |s| format!("{s} {}", t.number)),
            lead.join("; "),
            coordinating.join("; "),
            t.title
        );
    }
    for w in &preview.warnings {
        println!("warning\t{}\t{}", w.code, w.message);
    }
    println!(
        "{}: {} sections, {} tasks, {} agencies ({} new); {}",
        file.display(),
        preview.draft.sections.len(),
        preview.draft.tasks.len(),
        preview.agencies.len(),
        preview
            .agencies
            .iter()
            .filter(|a| a.how == Match::New)
            .count(),
        match &plan {
            Some(p) => format!(
                "DRAFT plan {} created",
                crate::ids::encode(crate::ids::Kind::Plan, p.id)
            ),
            None => "dry run: nothing written".to_owned(),
        }
    );
    Ok(())
}

/// The demo accounts (public password) present in the database.
pub async fn demo_accounts(db: &DatabaseConnection) -> anyhow::Result<Vec<String>> {
    let mut names = Vec::new();
    for (prefix, _, _) in account::DEMO_PLACES {
        for role in Role::ALL {
            let username = format!("{prefix}.{}", role.as_str().to_lowercase());
            if account::by_username(db, &username).await.is_ok() {
                names.push(username);
            }
        }
    }
    Ok(names)
}

/// Creates the first administrator (ADMIN of the central committee) when no
/// account exists yet; otherwise does nothing. The password is never logged.
pub async fn bootstrap_admin(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
) -> anyhow::Result<Option<entities::account::Model>> {
    if account::count(db).await.map_err(fail)? > 0 {
        tracing::info!("accounts exist: HUB138_BOOTSTRAP_ADMIN is ignored");
        return Ok(None);
    }
    let central = hierarchy::by_code(db, &Scope::everything(), Level::Central, "VN", today())
        .await
        .map_err(fail)?
        .ok_or_else(|| {
            anyhow::anyhow!("the central committee is missing: seed the database first")
        })?;
    let tx = db.begin().await?;
    let a = account::create(
        &tx,
        NewAccount {
            username,
            display_name: "Quản trị viên",
            committee_id: central.id,
            role: Role::Admin,
            password,
        },
    )
    .await
    .map_err(fail)?;
    audit_account(&tx, &Actor::cli(), "bootstrapAdmin", None, &a).await?;
    tx.commit().await?;
    tracing::info!(username = %a.username, "created the first administrator");
    Ok(Some(a))
}

/// Warns, at every start, when the demo accounts (with their public
/// password) exist; says how to make the first administrator when there is
/// no account at all.
pub async fn announce_demo_accounts(db: &DatabaseConnection) -> anyhow::Result<()> {
    if account::count(db).await.map_err(fail)? == 0 {
        tracing::warn!(
            "no accounts yet: create the first administrator with `hub138 user create --level CENTRAL --code VN --role ADMIN …` or HUB138_BOOTSTRAP_ADMIN"
        );
        return Ok(());
    }
    let names = demo_accounts(db).await?;
    if !names.is_empty() {
        tracing::warn!(
            "DEMO ACCOUNTS EXIST with the public password {:?} — never expose this server: {}",
            account::DEMO_PASSWORD,
            names.join(", ")
        );
    }
    Ok(())
}
