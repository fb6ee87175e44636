//! Authorization: the demo scenario, a matrix of roles × places × read
//! paths and mutations written as tables, and a property test over random
//! viewers and objects.

use std::collections::{BTreeSet, HashMap};

use anyhow::{Context, Result, bail};
use hub138::auth::Scope;
use hub138::service::enums::{CooperationKind, Level, PlanKind, Role};
use hub138::service::write::{self, Write};
use hub138::service::{account, cooperation, hierarchy, plan, report, task};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::common::{Session, TestApp};
use crate::ensure_eq;

fn gid(kind: &str, id: i64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

fn err(e: hub138::error::Error) -> anyhow::Error {
    anyhow::anyhow!("{e:?}")
}

/// The Tuyên Quang provincial editor of today: its communes' plans (of the
/// province it succeeded) and the central plan they implement, and nothing of
/// Lạng Sơn or Ninh Bình by any path. The commune editor cannot touch the
/// province's tasks. Every change shows in the audit.
pub async fn provincial_editor_scope() -> Result<()> {
    let app = TestApp::new().await?;
    let editor = app.session("tuyenquang.editor").await?;
    let d = editor
        .data(
            "{ plans(first: 100) { totalCount edges { node { documentNumber committee { level code } } } } }",
            json!({}),
        )
        .await?;
    let plans: Vec<(Value, Value)> = d["plans"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["node"]["committee"]["level"].clone(),
                e["node"]["documentNumber"].clone(),
            )
        })
        .collect();
    // The province's 2024 plan, its three communes' plans, the central plan.
    ensure_eq!(plans.len(), 5);
    ensure_eq!(plans.iter().filter(|p| p.0 == json!("COMMUNE")).count(), 3);
    ensure_eq!(plans.iter().any(|p| p.1 == json!("19/KH-BCĐ138/CP")), true);
    // Nothing of Lạng Sơn or Ninh Bình, by any path.
    let ls = app.committee_id("PROVINCE", "20", "2022-07-01").await?;
    let nb = app.committee_id("PROVINCE", "37", "2026-03-01").await?;
    let ls_plan = app.plan_of(&ls).await?;
    for (q, vars, path) in [
        (
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": ls}),
            "node",
        ),
        (
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": ls_plan}),
            "node",
        ),
        (
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": nb}),
            "node",
        ),
        (
            "{ committeeByCode(level: PROVINCE, code: \"20\", activeOn: \"2022-07-01\") { id } }",
            json!({}),
            "committeeByCode",
        ),
    ] {
        ensure_eq!(
            (path, editor.data(q, vars).await?[path].clone()),
            (path, json!(null))
        );
    }
    for (q, path) in [
        (
            "{ committees(filter: {nameContains: \"lang son\", activeOn: \"2024-01-01\"}) { totalCount } }",
            "committees",
        ),
        (
            "{ committees(filter: {nameContains: \"ninh binh\"}) { totalCount } }",
            "committees",
        ),
        (
            "{ cooperationRecords { totalCount } }",
            "cooperationRecords",
        ),
        (
            "{ tasks(filter: {category: INTERNATIONAL_COOPERATION}) { totalCount } }",
            "tasks",
        ),
    ] {
        let n = editor.data(q, json!({})).await?[path]["totalCount"].clone();
        if path == "tasks" {
            // Only the central plan's and its own plans' tasks.
            let all = app.data(q, json!({})).await?[path]["totalCount"].clone();
            if n == all {
                bail!("the editor sees every international-cooperation task ({n})");
            }
        } else {
            ensure_eq!((q, n), (q, json!(0)));
        }
    }
    let filtered = editor
        .data("query($c: ID!) { tasks(filter: {committeeId: $c, includeSubtree: true}) { totalCount } }", json!({"c": ls}))
        .await?;
    ensure_eq!(filtered["tasks"]["totalCount"], json!(0));
    // The ancestor chain is visible, not its other children.
    let d = editor
        .data("{ committeeByCode(level: CENTRAL, code: \"VN\") { children(first: 100) { totalCount } } }", json!({}))
        .await?;
    ensure_eq!(d["committeeByCode"]["children"]["totalCount"], json!(1));

    // The commune editor cannot touch the province's tasks.
    let province_task = app
        .data(
            "query($c: ID!) { tasks(filter: {committeeId: $c}, first: 1) { edges { node { id version } } } }",
            json!({"c": app.committee_id("PROVINCE", "08", "2024-06-01").await?}),
        )
        .await?["tasks"]["edges"][0]["node"]
        .clone();
    let report = "mutation($t: ID!, $v: Int!) { reportTaskProgress(input: {taskId: $t, expectedVersion: $v, percent: 10, status: IN_PROGRESS}) { task { id } userErrors { code } } }";
    let commune = app.session("hagiang2.editor").await?;
    let d = commune
        .data(
            report,
            json!({"t": province_task["id"], "v": province_task["version"]}),
        )
        .await?;
    ensure_eq!(
        d["reportTaskProgress"]["userErrors"][0]["code"],
        json!("NOT_FOUND")
    );
    // A commune that carries the plan out reads the task but may not write it.
    let cascaded = app
        .data("{ plans(filter: {status: ISSUED}, first: 100) { edges { node { committee { level code } } } } }", json!({}))
        .await?;
    let code = cascaded["plans"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["node"]["committee"]["level"] == json!("COMMUNE"))
        .and_then(|e| e["node"]["committee"]["code"].as_str().map(str::to_owned))
        .context("no commune plan")?;
    let carrier = app
        .session_at("COMMUNE", &code, "2024-06-01", "EDITOR")
        .await?;
    let seen = carrier
        .data(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": province_task["id"]}),
        )
        .await?;
    ensure_eq!(seen["node"]["id"], province_task["id"]);
    ensure_eq!(
        carrier
            .error_code(
                report,
                json!({"t": province_task["id"], "v": province_task["version"]})
            )
            .await?,
        "FORBIDDEN"
    );
    // Every change shows in the audit, for the province's admin.
    let tq = app.committee_id("PROVINCE", "08", "2026-01-01").await?;
    editor
        .mutate(
            "mutation($c: ID!) { createPlan(input: {committeeId: $c, title: \"Kế hoạch 2027\", kind: ANNUAL, periodFrom: \"2027-01-01\", periodTo: \"2027-12-31\"}) { plan { id } userErrors { code } } }",
            "createPlan",
            json!({"c": tq}),
        )
        .await?;
    let admin = app.session("tuyenquang.admin").await?;
    let d = admin
        .data("{ auditEvents(filter: {action: \"createPlan\"}) { totalCount edges { node { actorUsername after } } } }", json!({}))
        .await?;
    ensure_eq!(d["auditEvents"]["totalCount"], json!(1));
    ensure_eq!(
        d["auditEvents"]["edges"][0]["node"]["actorUsername"],
        json!("tuyenquang.editor")
    );
    Ok(())
}

/// Where an object sits relative to the viewer, today's province of Tuyên
/// Quang: its own committee and commune, the central committee above, another
/// province and its commune, and the pre-reform Tuyên Quang it took in at the
/// reform (ceased), with an old district and an old commune of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Place {
    Own,
    Child,
    Parent,
    Sibling,
    Cousin,
    Old,
    OldChild,
    OldGrandchild,
}

const PLACES: [Place; 8] = [
    Place::Own,
    Place::Child,
    Place::Parent,
    Place::Sibling,
    Place::Cousin,
    Place::Old,
    Place::OldChild,
    Place::OldGrandchild,
];

impl Place {
    /// A committee that has ceased (taken in by the viewer's at the reform).
    fn ceased(self) -> bool {
        matches!(self, Place::Old | Place::OldChild | Place::OldGrandchild)
    }
}

/// Objects of every type at one place.
struct Fixture {
    committee: i64,
    agency: i64,
    membership: i64,
    plan: i64,
    task: i64,
    progress: i64,
    record: i64,
    report: i64,
    account: String,
    child: Option<i64>,
}

async fn scalar(app: &TestApp, sql: &str) -> Result<i64> {
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            sql.to_owned(),
        ))
        .await?
        .context("no row")?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

async fn fixture(
    app: &TestApp,
    committee: i64,
    child: Option<i64>,
    counterpart: i64,
    n: usize,
) -> Result<Fixture> {
    let db = &app.db;
    let agency = scalar(
        app,
        &format!("SELECT MIN(id) FROM agency WHERE committee_id = {committee}"),
    )
    .await?;
    let membership = scalar(
        app,
        &format!("SELECT MIN(id) FROM membership WHERE committee_id = {committee}"),
    )
    .await?;
    let tx = sea_orm::TransactionTrait::begin(db).await?;
    let w = Write::system(&tx);
    let p = plan::create_in(
        &w,
        committee,
        plan::PlanFields {
            document_number: None,
            title: format!("Kế hoạch thử {n}"),
            kind: PlanKind::Annual,
            issued_on: None,
            period_from: "2024-01-01".parse()?,
            period_to: "2024-12-31".parse()?,
            orientation_year: None,
            signatory_name: None,
            signatory_title: None,
            funding_note: None,
            implements_plan_ids: vec![],
            references: vec![],
            targets: vec![],
            reporting_rules: vec![],
        },
    )
    .await
    .map_err(err)?;
    let t = task::create_in(
        &w,
        task::NewTask {
            plan_id: p.id,
            section_number: None,
            number: "1".into(),
            title: "Nhiệm vụ thử".into(),
            description: None,
            category: hub138::service::enums::TaskCategory::Other,
            lead_agency_ids: vec![],
            coordinating_agency_ids: vec![],
            all_relevant_agencies: true,
            window_from: None,
            window_to: None,
            due_on: None,
            implements_task_id: None,
        },
    )
    .await
    .map_err(err)?;
    let (t, progress) = task::report_progress_in(
        &tx,
        task::Progress {
            task_id: t.id,
            expected_version: t.version,
            percent: 10,
            status: hub138::service::enums::TaskStatus::InProgress,
            note: None,
        },
    )
    .await
    .map_err(err)?;
    let record = cooperation::create_in(
        &w,
        cooperation::RecordFields {
            committee_id: committee,
            counterpart_id: counterpart,
            kind: CooperationKind::Meeting,
            occurred_on: "2024-05-01".parse()?,
            title: "Họp thử".into(),
            summary: None,
            agency_ids: vec![],
            victims_repatriated: 0,
            suspects_handed_over: 0,
            plan_id: None,
            task_id: None,
        },
    )
    .await
    .map_err(err)?;
    drop(w);
    tx.commit().await?;
    // Issued, so that cascading it is possible.
    write::as_system(db, async |w| {
        plan::transition(w, p.id, hub138::service::enums::PlanStatus::Issued, None).await
    })
    .await
    .map_err(err)?;
    // A submitted report, awaiting review.
    let save = report::SaveReport {
        committee_id: committee,
        period: "2021-Q2".parse().map_err(anyhow::Error::msg)?,
        narrative: None,
        values: vec![("tips_received".into(), 1)],
        expected_version: None,
        on_behalf: false,
    };
    let r = write::as_system(db, async |w| {
        let r = report::save(w, save).await?;
        report::submit(w, r.id, None).await
    })
    .await
    .map_err(err)?;
    let username = format!("fixture{n}");
    account::create(
        db,
        account::NewAccount {
            username: &username,
            display_name: "Fixture",
            committee_id: committee,
            role: Role::Viewer,
            password: "fixture-password-1",
        },
    )
    .await
    .map_err(err)?;
    Ok(Fixture {
        committee,
        agency,
        membership,
        plan: p.id,
        task: t.id,
        progress: progress.id,
        record: record.id,
        report: r.id,
        account: username,
        child,
    })
}

/// Committees at each place around today's province of Tuyên Quang.
async fn places(app: &TestApp) -> Result<HashMap<Place, Fixture>> {
    let all = Scope::everything();
    let by = |level: Level, code: &'static str, on: &'static str| {
        let db = app.db.clone();
        let all = all.clone();
        async move {
            let on: chrono::NaiveDate = on.parse()?;
            hierarchy::by_code(&db, &all, level, code, on)
                .await
                .map_err(err)?
                .with_context(|| format!("no {level} {code} on {on}"))
        }
    };
    let own = by(Level::Province, "08", "2026-06-01").await?;
    let sibling = by(Level::Province, "20", "2026-06-01").await?;
    let central = by(Level::Central, "VN", "2026-06-01").await?;
    let old = by(Level::Province, "08", "2024-06-01").await?;
    let first_child = |parent: i64| {
        let app = &app;
        async move {
            scalar(
                app,
                &format!("SELECT MIN(id) FROM committee WHERE parent_id = {parent}"),
            )
            .await
        }
    };
    let child = first_child(own.id).await?;
    let cousin = first_child(sibling.id).await?;
    let old_child = first_child(old.id).await?;
    let old_grandchild = first_child(old_child).await?;
    let counterpart = scalar(app, "SELECT MIN(id) FROM counterpart").await?;
    let mut out = HashMap::new();
    for (i, (place, c, child_of)) in [
        (Place::Own, own.id, Some(child)),
        (Place::Child, child, None),
        (Place::Parent, central.id, Some(own.id)),
        (Place::Sibling, sibling.id, Some(cousin)),
        (Place::Cousin, cousin, None),
        (Place::Old, old.id, Some(old_child)),
        (Place::OldChild, old_child, Some(old_grandchild)),
        (Place::OldGrandchild, old_grandchild, None),
    ]
    .into_iter()
    .enumerate()
    {
        out.insert(place, fixture(app, c, child_of, counterpart, i).await?);
    }
    Ok(out)
}

/// Which places of each type a viewer at the province reads. A type without
/// a row fails the test.
fn read_table() -> HashMap<&'static str, Vec<Place>> {
    use Place::*;
    let subtree = || vec![Own, Child, Old, OldChild, OldGrandchild];
    let visible = || vec![Own, Child, Parent, Old, OldChild, OldGrandchild];
    HashMap::from([
        ("Committee", visible()),
        ("Agency", visible()),
        ("Membership", visible()),
        ("Plan", subtree()),
        ("Task", subtree()),
        ("ProgressUpdate", subtree()),
        ("CooperationRecord", subtree()),
        // Reports flow up: the committees above do not read them downwards.
        ("Report", subtree()),
        // Foreign counterparts are shared reference data: readable by every account.
        ("Counterpart", PLACES.to_vec()),
    ])
}

fn object_id(kind: &str, f: &Fixture) -> Option<String> {
    let id = match kind {
        "Committee" => f.committee,
        "Agency" => f.agency,
        "Membership" => f.membership,
        "Plan" => f.plan,
        "Task" => f.task,
        "ProgressUpdate" => f.progress,
        "CooperationRecord" => f.record,
        "Report" => f.report,
        _ => return None,
    };
    Some(gid(kind, id))
}

/// Whether an object is reachable through each read path of its type.
async fn reachable(
    s: &Session<'_>,
    kind: &str,
    f: &Fixture,
    id: &str,
) -> Result<Vec<(&'static str, bool)>> {
    let mut out = Vec::new();
    let node = s
        .data(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": id}),
        )
        .await?;
    out.push(("node", node["node"]["id"] == json!(id)));
    let nodes = s
        .data(
            "query($id: ID!) { nodes(ids: [$id]) { id } }",
            json!({"id": id}),
        )
        .await?;
    out.push(("nodes", nodes["nodes"][0]["id"] == json!(id)));
    let c = gid("Committee", f.committee);
    let edges_contain = |v: &Value, path: &[&str]| -> bool {
        let mut cur = v;
        for p in path {
            cur = &cur[*p];
        }
        cur["edges"]
            .as_array()
            .is_some_and(|a| a.iter().any(|e| e["node"]["id"] == json!(id)))
    };
    match kind {
        "Committee" => {
            let d = s
                .data(
                    "query($c: ID!) { node(id: $c) { ... on Committee { parent {
                       old: children(first: 100, activeOn: \"2024-06-01\") { edges { node { id } } }
                       children(first: 100) { edges { node { id } } } } } } }",
                    json!({"c": c}),
                )
                .await?;
            if d["node"].is_null() {
                out.push(("nested children", false));
            } else if !d["node"]["parent"].is_null() {
                out.push((
                    "nested children",
                    edges_contain(&d, &["node", "parent", "children"])
                        || edges_contain(&d, &["node", "parent", "old"]),
                ));
            }
        }
        "Agency" => {
            let d = s
                .data("query($c: ID!) { node(id: $c) { ... on Committee { agencies(first: 100) { totalCount edges { node { id } } } } } }", json!({"c": c}))
                .await?;
            out.push(("nested agencies", edges_contain(&d, &["node", "agencies"])));
        }
        "Membership" => {
            let d = s
                .data("query($c: ID!) { node(id: $c) { ... on Committee { memberships(first: 100) { edges { node { id } } } } } }", json!({"c": c}))
                .await?;
            out.push((
                "nested memberships",
                edges_contain(&d, &["node", "memberships"]),
            ));
        }
        "Plan" => {
            let d = s
                .data("query($c: ID!) { plans(filter: {committeeId: $c}, first: 100) { totalCount edges { node { id } } } }", json!({"c": c}))
                .await?;
            out.push(("plans filter", edges_contain(&d, &["plans"])));
            // The count is of what the viewer may see: never more than it is shown.
            let shown = d["plans"]["edges"].as_array().map_or(0, Vec::len);
            ensure_eq!(d["plans"]["totalCount"].as_u64(), Some(shown as u64));
        }
        "Task" => {
            let d = s
                .data("query($c: ID!) { tasks(filter: {committeeId: $c}, first: 100) { totalCount edges { node { id } } } }", json!({"c": c}))
                .await?;
            out.push(("tasks filter", edges_contain(&d, &["tasks"])));
            // The count is of what the viewer may see: never more than it is shown.
            let shown = d["tasks"]["edges"].as_array().map_or(0, Vec::len);
            ensure_eq!(d["tasks"]["totalCount"].as_u64(), Some(shown as u64));
        }
        "ProgressUpdate" => {
            let t = gid("Task", f.task);
            let d = s
                .data("query($t: ID!) { node(id: $t) { ... on Task { progressUpdates { edges { node { id } } } } } }", json!({"t": t}))
                .await?;
            out.push((
                "nested progress",
                edges_contain(&d, &["node", "progressUpdates"]),
            ));
        }
        "CooperationRecord" => {
            let d = s
                .data("query($c: ID!) { cooperationRecords(filter: {committeeId: $c}, first: 100) { totalCount edges { node { id } } } }", json!({"c": c}))
                .await?;
            out.push(("records filter", edges_contain(&d, &["cooperationRecords"])));
            // The count is of what the viewer may see: never more than it is shown.
            let shown = d["cooperationRecords"]["edges"]
                .as_array()
                .map_or(0, Vec::len);
            ensure_eq!(
                d["cooperationRecords"]["totalCount"].as_u64(),
                Some(shown as u64)
            );
        }
        "Report" => {
            let d = s
                .data("query($c: ID!) { node(id: $c) { ... on Committee { reports(first: 100) { totalCount edges { node { id } } } } } }", json!({"c": c}))
                .await?;
            out.push(("nested reports", edges_contain(&d, &["node", "reports"])));
        }
        _ => {}
    }
    Ok(out)
}

/// One mutation: the lowest role allowed and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reach {
    /// The viewer's own committee.
    Own,
    /// The viewer's committee and the ones below it.
    Subtree,
    /// Only the committees below the viewer's (reviewing their reports).
    Below,
    /// Wherever: shared reference data or the viewer's own account.
    Anywhere,
    /// Reading out what the viewer may read (exports): its subtree, ceased
    /// committees included, with no write rule.
    Read,
    /// Open to anonymous requests.
    Anonymous,
    /// Entering reports from a spreadsheet: the viewer's own committee (and
    /// ceased ones it took in, as for `saveReport`), and — COORDINATOR and
    /// up, on their behalf — the committees directly below its own.
    OwnAndBelow,
}

fn mutation_table() -> HashMap<&'static str, (Role, Reach)> {
    use Reach::*;
    HashMap::from([
        ("login", (Role::Viewer, Anonymous)),
        ("createAccount", (Role::Admin, Subtree)),
        ("setAccountActive", (Role::Admin, Subtree)),
        ("createApiToken", (Role::Viewer, Anywhere)),
        ("revokeApiToken", (Role::Viewer, Anywhere)),
        ("createAgency", (Role::Admin, Subtree)),
        ("updateAgency", (Role::Admin, Subtree)),
        ("deactivateAgency", (Role::Admin, Subtree)),
        ("setMembership", (Role::Admin, Subtree)),
        ("createPlan", (Role::Editor, Own)),
        ("updatePlan", (Role::Editor, Own)),
        ("issuePlan", (Role::Editor, Own)),
        ("closePlan", (Role::Editor, Own)),
        ("addPlanSection", (Role::Editor, Own)),
        ("createTask", (Role::Editor, Own)),
        ("updateTask", (Role::Editor, Own)),
        ("cascadePlan", (Role::Coordinator, Own)),
        ("reportTaskProgress", (Role::Editor, Own)),
        ("createCounterpart", (Role::Editor, Anywhere)),
        ("createCooperationRecord", (Role::Editor, Own)),
        ("updateCooperationRecord", (Role::Editor, Own)),
        ("saveReport", (Role::Editor, Own)),
        ("submitReport", (Role::Editor, Own)),
        ("approveReport", (Role::Coordinator, Below)),
        ("returnReport", (Role::Coordinator, Below)),
        ("createExport", (Role::Viewer, Read)),
        ("reportTemplate", (Role::Viewer, Read)),
        ("importReports", (Role::Editor, OwnAndBelow)),
        ("importPlanDocument", (Role::Editor, Own)),
        ("createWebhookEndpoint", (Role::Admin, Subtree)),
        ("setWebhookEndpointActive", (Role::Admin, Anywhere)),
    ])
}

/// The request for `mutation` against the objects at one place.
fn mutation_request(name: &str, f: &Fixture, n: usize) -> Option<(String, Value)> {
    let c = gid("Committee", f.committee);
    // Declare only the variables the body uses.
    let q = |body: &str| {
        let used: Vec<String> = ["c", "a", "p", "t", "r", "k", "x"]
            .iter()
            .filter(|v| body.contains(&format!("${v}")))
            .map(|v| format!("${v}: ID!"))
            .collect();
        if used.is_empty() {
            format!("mutation {{ {body} }}")
        } else {
            format!("mutation({}) {{ {body} }}", used.join(", "))
        }
    };
    let vars = json!({
        "c": c, "a": gid("Agency", f.agency), "p": gid("Plan", f.plan), "t": gid("Task", f.task),
        "r": gid("CooperationRecord", f.record), "k": gid("Committee", f.child.unwrap_or(f.committee)),
        "x": gid("Report", f.report),
    });
    let body = match name {
        "createAccount" => format!("createAccount(input: {{username: \"m{n}\", displayName: \"M\", committeeId: $c, role: VIEWER, password: \"matrix-password-1\"}}) {{ userErrors {{ code }} }}"),
        "setAccountActive" => format!("setAccountActive(input: {{username: \"{}\", active: true}}) {{ userErrors {{ code }} }}", f.account),
        "createApiToken" => "createApiToken(input: {name: \"m\"}) { userErrors { code } }".into(),
        "revokeApiToken" => "revokeApiToken(input: {tokenId: \"999999\"}) { userErrors { code } }".into(),
        "createWebhookEndpoint" => "createWebhookEndpoint(input: {committeeId: $c, url: \"http://127.0.0.1:9/hook\", eventTypes: [PLAN_ISSUED]}) { userErrors { code } }".into(),
        "setWebhookEndpointActive" => "setWebhookEndpointActive(input: {endpointId: \"999999\", active: true}) { userErrors { code } }".into(),
        "createAgency" => format!("createAgency(input: {{committeeId: $c, name: \"Cơ quan {n}\", kind: OTHER}}) {{ userErrors {{ code }} }}"),
        "updateAgency" => "updateAgency(input: {id: $a, kind: POLICE}) { userErrors { code } }".into(),
        "deactivateAgency" => "deactivateAgency(input: {id: $a}) { userErrors { code } }".into(),
        "setMembership" => "setMembership(input: {agencyId: $a, role: MEMBER}) { userErrors { code } }".into(),
        "createPlan" => "createPlan(input: {committeeId: $c, title: \"K\", kind: ANNUAL, periodFrom: \"2024-01-01\", periodTo: \"2024-12-31\"}) { userErrors { code } }".into(),
        "updatePlan" => "updatePlan(input: {id: $p, title: \"K2\"}) { userErrors { code } }".into(),
        "issuePlan" => "issuePlan(input: {id: $p}) { userErrors { code } }".into(),
        "closePlan" => "closePlan(input: {id: $p}) { userErrors { code } }".into(),
        "addPlanSection" => format!("addPlanSection(input: {{planId: $p, number: \"S{n}\", title: \"S\"}}) {{ userErrors {{ code }} }}"),
        "createTask" => "createTask(input: {planId: $p, number: \"9\", title: \"T\", category: OTHER}) { userErrors { code } }".into(),
        "updateTask" => "updateTask(input: {id: $t, title: \"T2\"}) { userErrors { code } }".into(),
        "cascadePlan" => "cascadePlan(input: {planId: $p, committeeIds: [$k]}) { userErrors { code } }".into(),
        "reportTaskProgress" => "reportTaskProgress(input: {taskId: $t, expectedVersion: 999, percent: 1, status: IN_PROGRESS}) { userErrors { code } }".into(),
        "createCounterpart" => format!("createCounterpart(input: {{country: \"LA\", bodyName: \"Đối tác {n}\"}}) {{ userErrors {{ code }} }}"),
        "createCooperationRecord" => "createCooperationRecord(input: {committeeId: $c, counterpartId: \"Q291bnRlcnBhcnQ6MQ\", kind: MEETING, occurredOn: \"2024-05-05\", title: \"H\"}) { userErrors { code } }".into(),
        "updateCooperationRecord" => "updateCooperationRecord(input: {id: $r, title: \"H2\"}) { userErrors { code } }".into(),
        "saveReport" => "saveReport(input: {committeeId: $c, period: \"2021-Q3\"}) { userErrors { code } }".into(),
        "submitReport" => "submitReport(input: {id: $x}) { userErrors { code } }".into(),
        "approveReport" => "approveReport(input: {id: $x}) { userErrors { code } }".into(),
        "returnReport" => "returnReport(input: {id: $x, reason: \"Thiếu số liệu\"}) { userErrors { code } }".into(),
        "createExport" => "createExport(input: {definition: \"reporting_completeness\", period: \"2024-Q1\", scopeCommitteeId: $c, format: JSON}) { userErrors { code } }".into(),
        "reportTemplate" => "reportTemplate(input: {committeeId: $c, period: \"2024-Q1\", scope: SELF, format: CSV}) { userErrors { code } }".into(),
        // Sent as multipart (see `import_at`, `import_plan_at`); this names them.
        "importReports" => "importReports".into(),
        "importPlanDocument" => "importPlanDocument".into(),
        _ => return None,
    };
    Some((q(&body), vars))
}

/// Whether the answer says "not allowed": FORBIDDEN, or NOT_FOUND for what
/// is out of reach (which reads as nonexistent).
/// `importReports` of a one-row CSV giving the place's committee a value
/// for a quarter without reports; the answer, shaped so that `denied` reads
/// the row's first problem as a userError.
async fn import_at(s: &Session<'_>, f: &Fixture) -> Result<Value> {
    let csv = format!(
        "committee_id,period,version,code,name,tips_received\n{},2020-Q2,0,x,x,7\n",
        gid("Committee", f.committee)
    );
    let (_, body) = s
        .upload(
            "mutation($input: ImportReportsInput!) { importReports(input: $input) {
               summary { rows { problems { code } } } userErrors { code } } }",
            json!({"dryRun": true}),
            "row.csv",
            csv.into_bytes(),
        )
        .await?;
    if body["errors"].is_array() {
        return Ok(body);
    }
    let problem =
        body["data"]["importReports"]["summary"]["rows"][0]["problems"][0]["code"].clone();
    let errors = if problem.is_null() {
        json!([])
    } else {
        json!([{"code": problem}])
    };
    Ok(json!({"data": {"importReports": {"userErrors": errors}}}))
}

/// `importPlanDocument` of a two-task plan that names no agency, committed.
async fn import_plan_at(s: &Session<'_>, f: &Fixture) -> Result<Value> {
    let text = "KẾ HOẠCH\nTuyên truyền phòng, chống mua bán người năm 2020\n\nI. NHIỆM VỤ\n1. Tuyên truyền tại các thôn (các cơ quan, đơn vị liên quan thực hiện).\n2. Rà soát địa bàn (các cơ quan, đơn vị liên quan thực hiện).\n";
    let (_, body) = s
        .upload(
            "mutation($input: ImportPlanDocumentInput!) { importPlanDocument(input: $input) {
               plan { id } userErrors { code } } }",
            json!({"dryRun": false, "committeeId": gid("Committee", f.committee)}),
            "plan.txt",
            text.as_bytes().to_vec(),
        )
        .await?;
    Ok(body)
}

fn denied(name: &str, body: &Value) -> Result<bool> {
    let code = &body["errors"][0]["extensions"]["code"];
    if body["errors"].is_array() && code.is_null() {
        bail!("{name}: the request itself failed: {body}");
    }
    if code == &json!("FORBIDDEN") || code == &json!("UNAUTHENTICATED") {
        return Ok(true);
    }
    let first = &body["data"][name]["userErrors"][0]["code"];
    // The token in revokeApiToken and the endpoint in
    // setWebhookEndpointActive do not exist for anybody.
    let names_nothing = matches!(name, "revokeApiToken" | "setWebhookEndpointActive");
    Ok((first == &json!("NOT_FOUND") && !names_nothing) || first == &json!("FORBIDDEN"))
}

pub async fn authorization_matrix() -> Result<()> {
    let app = TestApp::new().await?;
    let fixtures = places(&app).await?;
    let schema = app
        .data(
            "{ node: __type(name: \"Node\") { possibleTypes { name } } m: __type(name: \"Mutation\") { fields { name } } }",
            json!({}),
        )
        .await?;
    // Every Node type and every mutation has a row.
    let reads = read_table();
    for t in schema["node"]["possibleTypes"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let name = t["name"].as_str().unwrap_or_default();
        if !reads.contains_key(name) {
            bail!("type {name} has no row in the read table");
        }
    }
    let writes = mutation_table();
    let mutations: Vec<String> = schema["m"]["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["name"].as_str().map(str::to_owned))
        .collect();
    for m in &mutations {
        if !writes.contains_key(m.as_str()) {
            bail!("mutation {m} has no row in the write table");
        }
    }
    // Reads: the same for every role.
    for role in ["VIEWER", "ADMIN"] {
        let s = app.session_at("PROVINCE", "08", "2026-06-01", role).await?;
        for (kind, visible_at) in &reads {
            for place in PLACES {
                let f = &fixtures[&place];
                let Some(id) = object_id(kind, f) else {
                    // Counterparts: global; checked by node on the shared one.
                    let d = s
                        .data("{ counterparts(first: 1) { totalCount } }", json!({}))
                        .await?;
                    ensure_eq!(
                        (
                            kind,
                            d["counterparts"]["totalCount"].as_i64().map(|n| n > 0)
                        ),
                        (kind, Some(true))
                    );
                    continue;
                };
                let expected = visible_at.contains(&place);
                for (path, seen) in reachable(&s, kind, f, &id).await? {
                    ensure_eq!(
                        (role, *kind, place, path, seen),
                        (role, *kind, place, path, expected)
                    );
                }
            }
        }
    }
    // Writes: every mutation, every role, every place. A ceased committee's
    // records (the old Tuyên Quang's subtree) are written by the coordinators
    // of the committee that took it in.
    let mut n = 0;
    for role in [Role::Viewer, Role::Editor, Role::Coordinator, Role::Admin] {
        let s = app
            .session_at("PROVINCE", "08", "2026-06-01", role.as_str())
            .await?;
        for (name, (min, reach)) in &writes {
            if *reach == Reach::Anonymous {
                continue;
            }
            for place in PLACES {
                n += 1;
                let f = &fixtures[&place];
                let Some((q, vars)) = mutation_request(name, f, n) else {
                    bail!("no request for {name}");
                };
                let body = if *name == "importReports" {
                    import_at(&s, f).await?
                } else if *name == "importPlanDocument" {
                    import_plan_at(&s, f).await?
                } else {
                    s.post(&q, vars).await?
                };
                let where_ok = match reach {
                    Reach::Own => place == Place::Own || place.ceased(),
                    Reach::Subtree | Reach::Read => {
                        matches!(place, Place::Own | Place::Child) || place.ceased()
                    }
                    Reach::Below => {
                        matches!(place, Place::Child | Place::OldChild | Place::OldGrandchild)
                    }
                    Reach::Anywhere | Reach::Anonymous => true,
                    Reach::OwnAndBelow => {
                        matches!(place, Place::Own | Place::Child) || place.ceased()
                    }
                };
                // A plan cascades to a committee below its own: a commune has none.
                let where_ok = where_ok && !(*name == "cascadePlan" && f.child.is_none());
                let needed = match reach {
                    Reach::Own | Reach::Subtree | Reach::OwnAndBelow if place.ceased() => {
                        (*min).max(Role::Coordinator)
                    }
                    Reach::OwnAndBelow if place == Place::Child => Role::Coordinator,
                    _ => *min,
                };
                let expected_allowed = role >= needed && where_ok;
                ensure_eq!(
                    (role, *name, place, !denied(name, &body)?),
                    (role, *name, place, expected_allowed)
                );
            }
        }
    }
    Ok(())
}

/// Random viewers and random objects: nothing out of scope is reachable by
/// `node`, and every list's `totalCount` counts only what the viewer may see.
/// The oracle is computed here from the tree, independently of the server.
pub async fn no_object_out_of_scope() -> Result<()> {
    let app = TestApp::new().await?;
    let committees: Vec<i64> = {
        let rows = app
            .db
            .query_all_raw(Statement::from_string(
                app.db.get_database_backend(),
                "SELECT id FROM committee ORDER BY id".to_owned(),
            ))
            .await?;
        rows.iter()
            .map(|r| r.try_get_by_index::<i64>(0))
            .collect::<Result<_, _>>()?
    };
    let plans: Vec<(i64, i64)> = {
        let rows = app
            .db
            .query_all_raw(Statement::from_string(
                app.db.get_database_backend(),
                "SELECT id, committee_id FROM plan ORDER BY id".to_owned(),
            ))
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get_by_index::<i64>(0)?, r.try_get_by_index::<i64>(1)?)))
            .collect::<Result<_, sea_orm::DbErr>>()?
    };
    let parent: HashMap<i64, Option<i64>> = {
        let rows = app
            .db
            .query_all_raw(Statement::from_string(
                app.db.get_database_backend(),
                "SELECT id, parent_id FROM committee".to_owned(),
            ))
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get_by_index::<i64>(0)?,
                    r.try_get_by_index::<Option<i64>>(1)?,
                ))
            })
            .collect::<Result<_, sea_orm::DbErr>>()?
    };
    // A committee takes in the pre-reform units of its own successor links
    // between units of the same level (not the old districts some of whose
    // communes it absorbed).
    let predecessors: HashMap<i64, Vec<i64>> = {
        let rows = app
            .db
            .query_all_raw(Statement::from_string(
                app.db.get_database_backend(),
                "SELECT s.successor_id, s.predecessor_id FROM committee_succession s \
                 JOIN committee a ON a.id = s.predecessor_id JOIN committee b ON b.id = s.successor_id \
                 WHERE a.level = b.level"
                    .to_owned(),
            ))
            .await?;
        let mut m: HashMap<i64, Vec<i64>> = HashMap::new();
        for r in rows {
            m.entry(r.try_get_by_index::<i64>(0)?)
                .or_default()
                .push(r.try_get_by_index::<i64>(1)?);
        }
        m
    };
    let links: Vec<(i64, i64)> = {
        let rows = app
            .db
            .query_all_raw(Statement::from_string(
                app.db.get_database_backend(),
                "SELECT plan_id, implements_plan_id FROM plan_link".to_owned(),
            ))
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get_by_index::<i64>(0)?, r.try_get_by_index::<i64>(1)?)))
            .collect::<Result<_, sea_orm::DbErr>>()?
    };
    let chain = |mut c: i64| {
        let mut up = vec![];
        while let Some(Some(p)) = parent.get(&c) {
            up.push(*p);
            c = *p;
        }
        up
    };
    let central = committees[0];
    // Viewers: random committees, weighted towards those with plans.
    let interesting: Vec<i64> = plans.iter().map(|p| p.1).collect();
    let mut runner = TestRunner::deterministic();
    let strategy = (
        0..committees.len(),
        0..committees.len(),
        0..plans.len(),
        proptest::bool::ANY,
    );
    for case in 0..40 {
        let (v, o, p, pick_interesting) = strategy
            .new_tree(&mut runner)
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .current();
        let viewer_committee = if pick_interesting {
            interesting[v % interesting.len()]
        } else {
            committees[v]
        };
        // Oracle: roots, subtree membership, ancestors, upper plans.
        let mut roots = vec![viewer_committee];
        let mut i = 0;
        while i < roots.len() {
            for p in predecessors.get(&roots[i]).cloned().unwrap_or_default() {
                if !roots.contains(&p) {
                    roots.push(p);
                }
            }
            i += 1;
        }
        let everything = viewer_committee == central;
        let in_subtree =
            |c: i64| everything || roots.contains(&c) || chain(c).iter().any(|a| roots.contains(a));
        let ancestors: BTreeSet<i64> = roots.iter().flat_map(|r| chain(*r)).collect();
        let mut upper: BTreeSet<i64> = BTreeSet::new();
        let mut frontier: Vec<i64> = plans
            .iter()
            .filter(|p| roots.contains(&p.1))
            .map(|p| p.0)
            .collect();
        while let Some(pl) = frontier.pop() {
            for (from, to) in &links {
                if *from == pl && upper.insert(*to) {
                    frontier.push(*to);
                }
            }
        }
        let plan_committee: HashMap<i64, i64> = plans.iter().copied().collect();
        let upper: BTreeSet<i64> = upper
            .into_iter()
            .filter(|pl| {
                plan_committee
                    .get(pl)
                    .is_some_and(|c| ancestors.contains(c))
            })
            .collect();
        let account = format!("prop{case}");
        account::create(
            &app.db,
            account::NewAccount {
                username: &account,
                display_name: "P",
                committee_id: viewer_committee,
                role: Role::Viewer,
                password: "property-password-1",
            },
        )
        .await
        .map_err(err)?;
        let s = app.session(&account).await?;
        // A random committee by node.
        let object = committees[o];
        let expect = everything || in_subtree(object) || ancestors.contains(&object);
        let d = s
            .data(
                "query($id: ID!) { node(id: $id) { id } }",
                json!({"id": gid("Committee", object)}),
            )
            .await?;
        ensure_eq!(
            (case, viewer_committee, object, !d["node"].is_null()),
            (case, viewer_committee, object, expect)
        );
        // A random plan by node, and the count of every plan.
        let (pl, pc) = plans[p];
        let expect = everything || in_subtree(pc) || upper.contains(&pl);
        let d = s
            .data(
                "query($id: ID!) { node(id: $id) { id } plans { totalCount } }",
                json!({"id": gid("Plan", pl)}),
            )
            .await?;
        ensure_eq!(
            (case, viewer_committee, pl, !d["node"].is_null()),
            (case, viewer_committee, pl, expect)
        );
        let visible = plans
            .iter()
            .filter(|(id, c)| everything || in_subtree(*c) || upper.contains(id))
            .count();
        ensure_eq!(
            (case, d["plans"]["totalCount"].as_u64()),
            (case, Some(visible as u64))
        );
    }
    Ok(())
}

/// An id-carrying field of a mutation input: the request that names `$x` in
/// that field (the other ids are the viewer's own objects).
struct IdField {
    input: &'static str,
    field: &'static str,
    kind: &'static str,
    body: &'static str,
}

/// Input fields that carry ids of shared reference data (foreign
/// counterparts): every account reads them, so no scope applies.
/// Id fields of `importPlanDocument` (a multipart request): the input it
/// sends, with `X` where the id goes.
const UPLOAD_ID_FIELDS: [(&str, &str, &str, &str); 3] = [
    (
        "ImportPlanDocumentInput",
        "committeeId",
        "Committee",
        r#"{"committeeId": "X", "dryRun": false}"#,
    ),
    (
        "PlanDraftInput",
        "implementsPlanIds",
        "Plan",
        r#"{"committeeId": "C", "dryRun": false, "draft": {"title": "K", "kind": "ANNUAL", "periodFrom": "2027-01-01", "periodTo": "2027-12-31", "implementsPlanIds": ["X"], "tasks": [{"number": "1", "title": "T", "category": "OTHER"}]}}"#,
    ),
    (
        "DraftAgencyInput",
        "agencyId",
        "Agency",
        r#"{"committeeId": "C", "dryRun": false, "draft": {"title": "K", "kind": "ANNUAL", "periodFrom": "2027-01-01", "periodTo": "2027-12-31", "tasks": [{"number": "1", "title": "T", "category": "OTHER", "lead": [{"agencyId": "X", "name": "A"}]}]}}"#,
    ),
];

const SHARED_ID_FIELDS: [(&str, &str); 2] = [
    ("CreateCooperationRecordInput", "counterpartId"),
    ("UpdateCooperationRecordInput", "counterpartId"),
];

fn id_fields() -> Vec<IdField> {
    let row = |input, field, kind, body| IdField {
        input,
        field,
        kind,
        body,
    };
    vec![
        row(
            "CreateAgencyInput",
            "committeeId",
            "Committee",
            "createAgency(input: {committeeId: $x, name: \"Cơ quan mới\", kind: OTHER}) { agency { id } userErrors { field code message } }",
        ),
        row(
            "UpdateAgencyInput",
            "id",
            "Agency",
            "updateAgency(input: {id: $x, kind: POLICE}) { agency { id } userErrors { field code message } }",
        ),
        row(
            "DeactivateAgencyInput",
            "id",
            "Agency",
            "deactivateAgency(input: {id: $x}) { agency { id } userErrors { field code message } }",
        ),
        row(
            "SetMembershipInput",
            "agencyId",
            "Agency",
            "setMembership(input: {agencyId: $x, role: MEMBER}) { agency { id } userErrors { field code message } }",
        ),
        row(
            "CreatePlanInput",
            "committeeId",
            "Committee",
            "createPlan(input: {committeeId: $x, title: \"K\", kind: ANNUAL, periodFrom: \"2027-01-01\", periodTo: \"2027-12-31\"}) { plan { id } userErrors { field code message } }",
        ),
        row(
            "CreatePlanInput",
            "implementsPlanIds",
            "Plan",
            "createPlan(input: {committeeId: $c, title: \"K\", kind: ANNUAL, periodFrom: \"2027-01-01\", periodTo: \"2027-12-31\", implementsPlanIds: [$x]}) { plan { id } userErrors { field code message } }",
        ),
        row(
            "ReportingRuleInput",
            "addresseeAgencyId",
            "Agency",
            "createPlan(input: {committeeId: $c, title: \"K\", kind: ANNUAL, periodFrom: \"2027-01-01\", periodTo: \"2027-12-31\", reportingRules: [{cadence: QUARTERLY, addresseeAgencyId: $x}]}) { plan { id } userErrors { field code message } }",
        ),
        row(
            "UpdatePlanInput",
            "id",
            "Plan",
            "updatePlan(input: {id: $x, title: \"K2\"}) { plan { id } userErrors { field code message } }",
        ),
        row(
            "UpdatePlanInput",
            "implementsPlanIds",
            "Plan",
            "updatePlan(input: {id: $d, implementsPlanIds: [$x]}) { plan { id } userErrors { field code message } }",
        ),
        row(
            "IssuePlanInput",
            "id",
            "Plan",
            "issuePlan(input: {id: $x}) { plan { id } userErrors { field code message } }",
        ),
        row(
            "ClosePlanInput",
            "id",
            "Plan",
            "closePlan(input: {id: $x}) { plan { id } userErrors { field code message } }",
        ),
        row(
            "AddPlanSectionInput",
            "planId",
            "Plan",
            "addPlanSection(input: {planId: $x, number: \"Z\", title: \"Z\"}) { section { number } userErrors { field code message } }",
        ),
        row(
            "CreateTaskInput",
            "planId",
            "Plan",
            "createTask(input: {planId: $x, number: \"9\", title: \"T\", category: OTHER}) { task { id } userErrors { field code message } }",
        ),
        row(
            "CreateTaskInput",
            "leadAgencyIds",
            "Agency",
            "createTask(input: {planId: $p, number: \"9\", title: \"T\", category: OTHER, leadAgencyIds: [$x]}) { task { id } userErrors { field code message } }",
        ),
        row(
            "CreateTaskInput",
            "coordinatingAgencyIds",
            "Agency",
            "createTask(input: {planId: $p, number: \"9\", title: \"T\", category: OTHER, coordinatingAgencyIds: [$x]}) { task { id } userErrors { field code message } }",
        ),
        row(
            "CreateTaskInput",
            "implementsTaskId",
            "Task",
            "createTask(input: {planId: $p, number: \"9\", title: \"T\", category: OTHER, implementsTaskId: $x}) { task { id } userErrors { field code message } }",
        ),
        row(
            "UpdateTaskInput",
            "id",
            "Task",
            "updateTask(input: {id: $x, title: \"T2\"}) { task { id } userErrors { field code message } }",
        ),
        row(
            "UpdateTaskInput",
            "leadAgencyIds",
            "Agency",
            "updateTask(input: {id: $t, leadAgencyIds: [$x]}) { task { id } userErrors { field code message } }",
        ),
        row(
            "UpdateTaskInput",
            "coordinatingAgencyIds",
            "Agency",
            "updateTask(input: {id: $t, coordinatingAgencyIds: [$x]}) { task { id } userErrors { field code message } }",
        ),
        row(
            "UpdateTaskInput",
            "implementsTaskId",
            "Task",
            "updateTask(input: {id: $t, implementsTaskId: $x}) { task { id } userErrors { field code message } }",
        ),
        row(
            "CascadePlanInput",
            "planId",
            "Plan",
            "cascadePlan(input: {planId: $x, committeeIds: [$k]}) { plans { id } userErrors { field code message } }",
        ),
        row(
            "CascadePlanInput",
            "committeeIds",
            "Committee",
            "cascadePlan(input: {planId: $p, committeeIds: [$x]}) { plans { id } userErrors { field code message } }",
        ),
        row(
            "ReportTaskProgressInput",
            "taskId",
            "Task",
            "reportTaskProgress(input: {taskId: $x, expectedVersion: 1, percent: 1, status: IN_PROGRESS}) { task { id } userErrors { field code message } }",
        ),
        row(
            "CreateCooperationRecordInput",
            "committeeId",
            "Committee",
            "createCooperationRecord(input: {committeeId: $x, counterpartId: $cp, kind: MEETING, occurredOn: \"2026-05-05\", title: \"H\"}) { cooperationRecord { id } userErrors { field code message } }",
        ),
        row(
            "CreateCooperationRecordInput",
            "agencyIds",
            "Agency",
            "createCooperationRecord(input: {committeeId: $c, counterpartId: $cp, kind: MEETING, occurredOn: \"2026-05-05\", title: \"H\", agencyIds: [$x]}) { cooperationRecord { id } userErrors { field code message } }",
        ),
        row(
            "CreateCooperationRecordInput",
            "planId",
            "Plan",
            "createCooperationRecord(input: {committeeId: $c, counterpartId: $cp, kind: MEETING, occurredOn: \"2026-05-05\", title: \"H\", planId: $x}) { cooperationRecord { id } userErrors { field code message } }",
        ),
        row(
            "CreateCooperationRecordInput",
            "taskId",
            "Task",
            "createCooperationRecord(input: {committeeId: $c, counterpartId: $cp, kind: MEETING, occurredOn: \"2026-05-05\", title: \"H\", taskId: $x}) { cooperationRecord { id } userErrors { field code message } }",
        ),
        row(
            "UpdateCooperationRecordInput",
            "id",
            "CooperationRecord",
            "updateCooperationRecord(input: {id: $x, title: \"H2\"}) { cooperationRecord { id } userErrors { field code message } }",
        ),
        row(
            "UpdateCooperationRecordInput",
            "agencyIds",
            "Agency",
            "updateCooperationRecord(input: {id: $r, agencyIds: [$x]}) { cooperationRecord { id } userErrors { field code message } }",
        ),
        row(
            "UpdateCooperationRecordInput",
            "planId",
            "Plan",
            "updateCooperationRecord(input: {id: $r, planId: $x}) { cooperationRecord { id } userErrors { field code message } }",
        ),
        row(
            "UpdateCooperationRecordInput",
            "taskId",
            "Task",
            "updateCooperationRecord(input: {id: $r, taskId: $x}) { cooperationRecord { id } userErrors { field code message } }",
        ),
        row(
            "SaveReportInput",
            "committeeId",
            "Committee",
            "saveReport(input: {committeeId: $x, period: \"2027-Q1\"}) { report { id } userErrors { field code message } }",
        ),
        row(
            "SubmitReportInput",
            "id",
            "Report",
            "submitReport(input: {id: $x}) { report { id } userErrors { field code message } }",
        ),
        row(
            "ApproveReportInput",
            "id",
            "Report",
            "approveReport(input: {id: $x}) { report { id } userErrors { field code message } }",
        ),
        row(
            "ReturnReportInput",
            "id",
            "Report",
            "returnReport(input: {id: $x, reason: \"Thiếu\"}) { report { id } userErrors { field code message } }",
        ),
        row(
            "CreateExportInput",
            "scopeCommitteeId",
            "Committee",
            "createExport(input: {definition: \"reporting_completeness\", period: \"2026-Q1\", scopeCommitteeId: $x, format: JSON}) { export { url } userErrors { field code message } }",
        ),
        row(
            "ReportTemplateInput",
            "committeeId",
            "Committee",
            "reportTemplate(input: {committeeId: $x, period: \"2026-Q1\", scope: SELF, format: CSV}) { export { url } userErrors { field code message } }",
        ),
        row(
            "CreateAccountInput",
            "committeeId",
            "Committee",
            "createAccount(input: {username: \"matrix.new\", displayName: \"M\", committeeId: $x, role: VIEWER, password: \"matrix-password-1\"}) { account { id } userErrors { field code message } }",
        ),
        row(
            "RevokeApiTokenInput",
            "tokenId",
            "ApiToken",
            "revokeApiToken(input: {tokenId: $x}) { revoked userErrors { field code message } }",
        ),
        row(
            "CreateWebhookEndpointInput",
            "committeeId",
            "Committee",
            "createWebhookEndpoint(input: {committeeId: $x, url: \"http://127.0.0.1:9/hook\", eventTypes: [PLAN_ISSUED]}) { endpoint { id } secret userErrors { field code message } }",
        ),
        row(
            "SetWebhookEndpointActiveInput",
            "endpointId",
            "WebhookEndpoint",
            "setWebhookEndpointActive(input: {endpointId: $x, active: false}) { endpoint { id } userErrors { field code message } }",
        ),
    ]
}

/// The `ID` fields of every input type a mutation takes, as (type, field).
async fn mutation_id_fields(app: &TestApp) -> Result<BTreeSet<(String, String)>> {
    let d = app
        .data(
            "{ __schema { mutationType { fields { args { type { ...T } } } }
                types { name kind inputFields { name type { ...T } } } } }
             fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }",
            json!({}),
        )
        .await?;
    fn base(t: &Value) -> (String, String) {
        let mut t = t;
        while !t["ofType"].is_null() {
            t = &t["ofType"];
        }
        (
            t["kind"].as_str().unwrap_or_default().to_owned(),
            t["name"].as_str().unwrap_or_default().to_owned(),
        )
    }
    let types: HashMap<String, Value> = d["__schema"]["types"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["kind"] == json!("INPUT_OBJECT"))
        .filter_map(|t| Some((t["name"].as_str()?.to_owned(), t.clone())))
        .collect();
    let mut todo: Vec<String> = d["__schema"]["mutationType"]["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|f| f["args"].as_array().cloned().unwrap_or_default())
        .map(|a| base(&a["type"]))
        .filter(|(k, _)| k == "INPUT_OBJECT")
        .map(|(_, n)| n)
        .collect();
    let mut seen = BTreeSet::new();
    let mut out = BTreeSet::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        for f in types
            .get(&name)
            .and_then(|t| t["inputFields"].as_array())
            .into_iter()
            .flatten()
        {
            let (kind, ty) = base(&f["type"]);
            let field = f["name"].as_str().unwrap_or_default().to_owned();
            if kind == "INPUT_OBJECT" {
                todo.push(ty);
            } else if ty == "ID" {
                out.insert((name.clone(), field));
            }
        }
    }
    Ok(out)
}

/// Every id a mutation input names is looked up through the caller's scope:
/// an object of another province answers exactly as an id that names
/// nothing — the same body, code and message, no name. A row per
/// id-carrying input field; a field without a row fails the test. The same
/// holds for usernames in `setAccountActive`.
pub async fn input_ids_out_of_scope_answer_as_nonexistent() -> Result<()> {
    let app = TestApp::new().await?;
    let fixtures = places(&app).await?;
    let rows = id_fields();
    // Completeness: every ID field of every mutation input has a row.
    let covered: BTreeSet<(String, String)> = rows
        .iter()
        .map(|r| (r.input.to_owned(), r.field.to_owned()))
        .chain(
            SHARED_ID_FIELDS
                .iter()
                .map(|(i, f)| ((*i).to_owned(), (*f).to_owned())),
        )
        .chain(
            UPLOAD_ID_FIELDS
                .iter()
                .map(|(i, f, _, _)| ((*i).to_owned(), (*f).to_owned())),
        )
        .collect();
    for f in mutation_id_fields(&app).await? {
        if !covered.contains(&f) {
            bail!("input field {}.{} carries an id and has no row", f.0, f.1);
        }
    }
    let own = &fixtures[&Place::Own];
    let draft = write::as_system(&app.db, async |w| {
        plan::create_in(
            w,
            own.committee,
            plan::PlanFields {
                document_number: None,
                title: "Kế hoạch nháp".into(),
                kind: PlanKind::Annual,
                issued_on: None,
                period_from: "2027-01-01"
                    .parse()
                    .map_err(hub138::error::Error::internal)?,
                period_to: "2027-12-31"
                    .parse()
                    .map_err(hub138::error::Error::internal)?,
                orientation_year: None,
                signatory_name: None,
                signatory_title: None,
                funding_note: None,
                implements_plan_ids: vec![],
                references: vec![],
                targets: vec![],
                reporting_rules: vec![],
            },
        )
        .await
    })
    .await
    .map_err(err)?;
    // API tokens of an account out of scope, and of nobody.
    let foreign_account = account::by_username(&app.db, &fixtures[&Place::Sibling].account)
        .await
        .map_err(err)?;
    let (_, foreign_token) = account::create_token(&app.db, foreign_account.id, "t", None)
        .await
        .map_err(err)?;
    // A webhook endpoint of a committee out of scope.
    let foreign_endpoint = {
        use sea_orm::{ActiveModelTrait, Set};
        let now = chrono::Utc::now();
        entities::webhook_endpoint::ActiveModel {
            committee_id: Set(fixtures[&Place::Sibling].committee),
            url: Set("http://127.0.0.1:9/hook".into()),
            secret: Set("whsec_AAAA".into()),
            event_types: Set(",plan.issued,".into()),
            active: Set(true),
            consecutive_failures: Set(0),
            disabled_reason: Set(None),
            created_by: Set(foreign_account.id),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&app.db)
        .await?
    };
    let admin = app
        .session_at("PROVINCE", "08", "2026-06-01", "ADMIN")
        .await?;
    let counterpart = scalar(&app, "SELECT MIN(id) FROM counterpart").await?;
    let vars = |x: String| {
        json!({
            "x": x, "c": gid("Committee", own.committee), "p": gid("Plan", own.plan),
            "t": gid("Task", own.task), "r": gid("CooperationRecord", own.record),
            "k": gid("Committee", own.child.unwrap_or(own.committee)), "d": gid("Plan", draft.id),
            "cp": gid("Counterpart", counterpart),
        })
    };
    let declare = |body: &str| {
        let used: Vec<&str> = ["x", "c", "p", "t", "r", "k", "d", "cp"]
            .into_iter()
            .filter(|v| {
                body.contains(&format!("${v},"))
                    || body.contains(&format!("${v}]"))
                    || body.contains(&format!("${v}}}"))
            })
            .collect();
        let decl: Vec<String> = used.iter().map(|v| format!("${v}: ID!")).collect();
        format!("mutation({}) {{ {body} }}", decl.join(", "))
    };
    let before = app.rows("audit_event").await?;
    let mut asked = 0;
    for r in &rows {
        for place in [Place::Sibling, Place::Cousin] {
            let f = &fixtures[&place];
            let (foreign, nowhere) = if r.kind == "ApiToken" {
                (foreign_token.id.to_string(), "987654321".to_owned())
            } else if r.kind == "WebhookEndpoint" {
                (foreign_endpoint.id.to_string(), "987654321".to_owned())
            } else {
                let Some(id) = object_id(r.kind, f) else {
                    bail!("no {} at {place:?}", r.kind);
                };
                (id, gid(r.kind, 987_654_321))
            };
            let q = declare(r.body);
            let a = admin.post(&q, vars(foreign)).await?;
            let b = admin.post(&q, vars(nowhere)).await?;
            ensure_eq!(
                (r.input, r.field, place, a),
                (r.input, r.field, place, b.clone())
            );
            // And it is refused, not silently accepted.
            let text = b.to_string();
            if !text.contains("NOT_FOUND") && !text.contains("FORBIDDEN") {
                bail!(
                    "{}.{}: neither NOT_FOUND nor FORBIDDEN: {b}",
                    r.input,
                    r.field
                );
            }
            asked += 2;
        }
    }
    // The same for the ids of a plan document's import.
    let plan_text = "KẾ HOẠCH\nTuyên truyền năm 2027\n\nI. NHIỆM VỤ\n1. Tuyên truyền tại các thôn (các cơ quan, đơn vị liên quan thực hiện).\n";
    for (input, field, kind, template) in UPLOAD_ID_FIELDS {
        for place in [Place::Sibling, Place::Cousin] {
            let Some(foreign) = object_id(kind, &fixtures[&place]) else {
                bail!("no {kind} at {place:?}");
            };
            let mut answers = Vec::new();
            for x in [foreign, gid(kind, 987_654_321)] {
                let body = template
                    .replace("\"X\"", &format!("\"{x}\""))
                    .replace("\"C\"", &format!("\"{}\"", gid("Committee", own.committee)));
                let (_, answer) = admin
                    .upload(
                        "mutation($input: ImportPlanDocumentInput!) { importPlanDocument(input: $input) { plan { id } userErrors { field code message } } }",
                        serde_json::from_str(&body)?,
                        "plan.txt",
                        plan_text.as_bytes().to_vec(),
                    )
                    .await?;
                answers.push(answer);
            }
            ensure_eq!(
                (input, field, place, answers[0].clone()),
                (input, field, place, answers[1].clone())
            );
            if !answers[1].to_string().contains("NOT_FOUND") {
                bail!("{input}.{field}: not NOT_FOUND: {}", answers[1]);
            }
            asked += 2;
        }
    }
    // Every refused attempt is in the audit trail.
    ensure_eq!(app.rows("audit_event").await? - before, asked);
    // Usernames: an account of another province reads as no account.
    let q = "mutation($u: String!) { setAccountActive(input: {username: $u, active: false}) { account { id } userErrors { field code message } } }";
    let a = admin
        .post(q, json!({"u": fixtures[&Place::Sibling].account}))
        .await?;
    let b = admin.post(q, json!({"u": "nobody.at.all"})).await?;
    ensure_eq!(a, b);
    Ok(())
}
