//! Plans: the demo plans from the seed documents, the life cycle, frozen
//! fields, validation that leaves nothing behind.

use anyhow::{Result, bail};
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::ensure_eq;

const PLAN: &str = "query($id: ID!) { node(id: $id) { ... on Plan {
  id title status kind documentNumber issuedOn periodFrom periodTo orientationYear fundingNote
  signatory { name title }
  document { fileName contentType }
  committee { code level }
  implements { documentNumber committee { level } }
  references { document issuedOn issuer }
  targets { indicatorCode comparator value unit sourceText }
  reportingRules { cadence deadlineMonthDay deadlineDate addresseeAgency { name } }
  sections { number title parentNumber }
  tasks(first: 100) { totalCount edges { node { id number title category allRelevantAgencies
    windowFrom windowTo dueOn leadAgencies { id name } coordinatingAgencies { name }
    implements { number plan { documentNumber } } } } }
} } }";

async fn plan_of(app: &TestApp, level: &str, code: &str, on: &str) -> Result<Value> {
    let c = app.committee_id(level, code, on).await?;
    let id = app.plan_of(&c).await?;
    Ok(app.data(PLAN, json!({"id": id})).await?["node"].clone())
}

fn tasks(p: &Value) -> Vec<Value> {
    p["tasks"]["edges"]
        .as_array()
        .map(|a| a.iter().map(|e| e["node"].clone()).collect())
        .unwrap_or_default()
}

pub async fn demo_plans_from_seed_documents() -> Result<()> {
    let app = TestApp::new().await?;
    // Tuyên Quang 2024: 24 tasks, five targets, quarterly/half-year/year reporting.
    let tq = plan_of(&app, "PROVINCE", "08", "2024-06-01").await?;
    ensure_eq!(tq["status"], json!("ISSUED"));
    // Imported from its document, which is kept with it.
    ensure_eq!(
        tq["document"],
        json!({"fileName": "000_a9bae549e9344898.txt", "contentType": "text/plain; charset=utf-8"})
    );
    ensure_eq!(tq["kind"], json!("ANNUAL"));
    ensure_eq!(tq["periodFrom"], json!("2024-01-01"));
    ensure_eq!(tq["tasks"]["totalCount"], json!(24));
    ensure_eq!(tq["targets"].as_array().map(Vec::len), Some(5));
    ensure_eq!(
        tq["targets"][1],
        json!({"indicatorCode": "tips_resolved_rate", "comparator": "GT",
        "value": 90.0, "unit": "PERCENT", "sourceText": "tỷ lệ giải quyết đạt trên 90%"})
    );
    ensure_eq!(tq["reportingRules"][0]["cadence"], json!("QUARTERLY"));
    ensure_eq!(tq["reportingRules"][0]["deadlineMonthDay"], json!("03-29"));
    ensure_eq!(
        tq["reportingRules"][0]["addresseeAgency"]["name"],
        json!("Công an tỉnh Tuyên Quang")
    );
    ensure_eq!(
        tq["signatory"],
        json!({"name": "Hoàng Việt Phương", "title": "PHÓ CHỦ TỊCH"})
    );
    // It implements the central plan inside Hub138, and cites the rest.
    ensure_eq!(
        tq["implements"],
        json!([{"documentNumber": "19/KH-BCĐ138/CP", "committee": {"level": "CENTRAL"}}])
    );
    ensure_eq!(
        tq["references"][0]["document"],
        json!("Nghị quyết số 113-NQ/TU")
    );
    // Sections nest by number.
    let sections = tq["sections"].as_array().cloned().unwrap_or_default();
    let s = sections.iter().find(|s| s["number"] == json!("II.2.1"));
    ensure_eq!(s.map(|s| s["parentNumber"].clone()), Some(json!("II.2")));
    // Every task carries out a central task.
    let list = tasks(&tq);
    for t in &list {
        if t["implements"]["plan"]["documentNumber"] != json!("19/KH-BCĐ138/CP") {
            bail!("task {} implements nothing central", t["number"]);
        }
    }
    // Spelling variants of one agency resolve to one agency: the plan writes
    // "Sở Lao động Thương binh và Xã hội" and "Sở Lao động, Thương binh và Xã hội".
    let labour: Vec<&Value> = list
        .iter()
        .flat_map(|t| t["leadAgencies"].as_array().into_iter().flatten())
        .filter(|a| {
            a["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("Sở Lao động"))
        })
        .collect();
    ensure_eq!(labour.len(), 2);
    ensure_eq!(labour[0]["id"], labour[1]["id"]);
    // The peak crackdown window.
    let peak = list.iter().find(|t| t["windowFrom"] == json!("2024-07-01"));
    ensure_eq!(
        peak.map(|t| t["windowTo"].clone()),
        Some(json!("2024-09-30"))
    );

    // Lạng Sơn 2022: a campaign; "Công an" and "Công an tỉnh" are one agency.
    let ls = plan_of(&app, "PROVINCE", "20", "2022-07-01").await?;
    ensure_eq!(ls["kind"], json!("CAMPAIGN"));
    ensure_eq!(ls["tasks"]["totalCount"], json!(15));
    ensure_eq!(ls["reportingRules"][0]["deadlineDate"], json!("2022-08-05"));
    // The funding paragraph ("2. Kinh phí tổ chức các hoạt động được bố trí …").
    ensure_eq!(
        ls["fundingNote"].as_str().is_some_and(|f| f
            .starts_with("Kinh phí tổ chức các hoạt động được bố trí")
            && f.ends_with("theo quy định của pháp luật.")),
        true
    );
    let police: std::collections::HashSet<String> = tasks(&ls)
        .iter()
        .flat_map(|t| t["leadAgencies"].as_array().cloned().unwrap_or_default())
        .filter(|a| a["name"] == json!("Công an tỉnh Lạng Sơn"))
        .filter_map(|a| a["id"].as_str().map(str::to_owned))
        .collect();
    ensure_eq!(police.len(), 1);
    let led_by_police = tasks(&ls)
        .iter()
        .filter(|t| {
            t["leadAgencies"].as_array().is_some_and(|a| {
                a.iter()
                    .any(|a| a["name"] == json!("Công an tỉnh Lạng Sơn"))
            })
        })
        .count();
    ensure_eq!(led_by_police, 6);

    // Ninh Bình 2026–2030, orientation to 2035, on today's province.
    let nb = plan_of(&app, "PROVINCE", "37", "2026-03-01").await?;
    ensure_eq!(nb["kind"], json!("PROGRAMME"));
    ensure_eq!(nb["orientationYear"], json!(2035));
    ensure_eq!(nb["tasks"]["totalCount"], json!(42));
    ensure_eq!(nb["committee"], json!({"code": "37", "level": "PROVINCE"}));
    Ok(())
}

const CREATE: &str = "mutation($input: CreatePlanInput!) { createPlan(input: $input) {
  plan { id title status periodFrom periodTo targets { indicatorCode } reportingRules { addresseeAgency { name } } }
  userErrors { field code message } } }";

pub async fn life_cycle_and_frozen_fields() -> Result<()> {
    let admin = TestApp::new().await?;
    let app = admin.session("tuyenquang.editor").await?;
    let app = &app;
    let tq = admin.committee_id("PROVINCE", "08", "2026-01-01").await?;
    let police = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Committee { standingAgency { id } } } }",
            json!({"id": tq}),
        )
        .await?["node"]["standingAgency"]["id"]
        .clone();
    // Decomposed Vietnamese (e + combining marks) is stored as NFC.
    let decomposed = "Ke\u{0302}\u{0301} hoa\u{0323}ch 2027";
    let p = app
        .mutate(
            CREATE,
            "createPlan",
            json!({"input": {"committeeId": tq, "title": decomposed, "kind": "ANNUAL",
                "periodFrom": "2027-01-01", "periodTo": "2027-12-31",
                "targets": [{"indicatorCode": "cases_prosecuted_rate", "comparator": "GTE", "value": 95, "unit": "PERCENT"}],
                "reportingRules": [{"cadence": "QUARTERLY", "deadlineMonthDay": "03-29", "addresseeAgencyId": police}]}}),
        )
        .await?;
    ensure_eq!(p["plan"]["title"], json!("Kế hoạch 2027"));
    ensure_eq!(p["plan"]["status"], json!("DRAFT"));
    ensure_eq!(
        p["plan"]["reportingRules"][0]["addresseeAgency"]["name"],
        json!("Công an tỉnh Tuyên Quang")
    );
    let id = p["plan"]["id"].clone();
    let update = "mutation($input: UpdatePlanInput!) { updatePlan(input: $input) {
        plan { title documentNumber } userErrors { field code message } } }";
    // A draft may be corrected.
    let u = app
        .mutate(
            update,
            "updatePlan",
            json!({"input": {"id": id, "documentNumber": "12/KH-BCĐ138"}}),
        )
        .await?;
    ensure_eq!(u["plan"]["documentNumber"], json!("12/KH-BCĐ138"));
    // Issued: frozen, with a clear userError.
    app.mutate(
        "mutation($id: ID!) { issuePlan(input: {id: $id, issuedOn: \"2027-01-10\"}) { plan { status issuedOn } userErrors { code } } }",
        "issuePlan",
        json!({"id": id}),
    )
    .await?;
    let d = app
        .data(update, json!({"input": {"id": id, "title": "Sửa tiêu đề"}}))
        .await?;
    ensure_eq!(d["updatePlan"]["plan"], json!(null));
    ensure_eq!(d["updatePlan"]["userErrors"][0]["code"], json!("FROZEN"));
    ensure_eq!(
        d["updatePlan"]["userErrors"][0]["field"],
        json!(["input", "title"])
    );
    // Tasks may still be added.
    app.mutate(
        "mutation($p: ID!) { addPlanSection(input: {planId: $p, number: \"II\", title: \"Nhiệm vụ\"}) { section { number } userErrors { code } } }",
        "addPlanSection",
        json!({"p": id}),
    )
    .await?;
    let create_task = "mutation($input: CreateTaskInput!) { createTask(input: $input) {
        task { id number status percent version section { number } } userErrors { field code message } } }";
    let t = app
        .mutate(
            create_task,
            "createTask",
            json!({"input": {"planId": id, "sectionNumber": "II", "number": "1", "title": "Tuyên truyền",
                   "category": "COMMUNICATION", "leadAgencyIds": [police], "dueOn": "2027-06-30"}}),
        )
        .await?;
    ensure_eq!(t["task"]["status"], json!("NOT_STARTED"));
    ensure_eq!(t["task"]["version"], json!(1));
    ensure_eq!(t["task"]["section"]["number"], json!("II"));
    // Closed: no more tasks; the same transition twice is refused.
    let close = "mutation($id: ID!) { closePlan(input: {id: $id}) { plan { status } userErrors { code } } }";
    app.mutate(close, "closePlan", json!({"id": id})).await?;
    let d = app.data(close, json!({"id": id})).await?;
    ensure_eq!(
        d["closePlan"]["userErrors"][0]["code"],
        json!("INVALID_TRANSITION")
    );
    let d = app
        .data(
            create_task,
            json!({"input": {"planId": id, "number": "2", "title": "X", "category": "OTHER"}}),
        )
        .await?;
    ensure_eq!(d["createTask"]["userErrors"][0]["code"], json!("CLOSED"));
    Ok(())
}

pub async fn validation_leaves_nothing_behind() -> Result<()> {
    let app = TestApp::new().await?;
    let tq_editor = app.session("tuyenquang.editor").await?;
    let nb_editor = app
        .session_at("PROVINCE", "37", "2026-03-01", "EDITOR")
        .await?;
    let tq = app.committee_id("PROVINCE", "08", "2026-01-01").await?;
    let ln = app.committee_id("PROVINCE", "20", "2026-01-01").await?;
    let ln_police = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Committee { standingAgency { id } } } }",
            json!({"id": ln}),
        )
        .await?["node"]["standingAgency"]["id"]
        .clone();
    // The central committee's agencies are visible to a province, and foreign to its plans.
    let central_police = crate::common::central_standing_agency(&app).await?;
    let before = (
        app.rows("plan").await?,
        app.rows("plan_target").await?,
        app.rows("reporting_rule").await?,
    );
    let base = json!({"committeeId": tq, "title": "Kế hoạch", "kind": "ANNUAL",
                      "periodFrom": "2027-01-01", "periodTo": "2027-12-31"});
    let with = |extra: Value| {
        let mut v = base.clone();
        if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        json!({"input": v})
    };
    for (input, field, code) in [
        (
            with(json!({"periodTo": "2026-12-31"})),
            json!(["input", "periodTo"]),
            "INVALID_RANGE",
        ),
        (
            with(json!({"title": " "})),
            json!(["input", "title"]),
            "REQUIRED",
        ),
        (
            with(json!({"title": "x".repeat(501)})),
            json!(["input", "title"]),
            "TOO_LONG",
        ),
        (
            // Another province's agency answers as one that does not exist.
            with(
                json!({"reportingRules": [{"cadence": "QUARTERLY", "addresseeAgencyId": ln_police}]}),
            ),
            json!(["input", "reportingRules", "0", "addresseeAgencyId"]),
            "NOT_FOUND",
        ),
        (
            with(
                json!({"reportingRules": [{"cadence": "QUARTERLY", "addresseeAgencyId": central_police}]}),
            ),
            json!(["input", "reportingRules", "0", "addresseeAgencyId"]),
            "FOREIGN_AGENCY",
        ),
        (
            with(
                json!({"reportingRules": [{"cadence": "QUARTERLY", "deadlineMonthDay": "02-30"}]}),
            ),
            json!(["input", "reportingRules", "0", "deadlineMonthDay"]),
            "INVALID_DATE",
        ),
        (
            with(json!({"reportingRules": [{"cadence": "ONE_OFF"}]})),
            json!(["input", "reportingRules", "0", "deadlineDate"]),
            "REQUIRED",
        ),
        (
            with(
                json!({"targets": [{"indicatorCode": "cases_prosecuted_rate", "comparator": "GT", "value": 120, "unit": "PERCENT"}]}),
            ),
            json!(["input", "targets", "0", "value"]),
            "OUT_OF_RANGE",
        ),
        (
            with(json!({"committeeId": "nope"})),
            json!(["input", "committeeId"]),
            "INVALID_ID",
        ),
    ] {
        let d = tq_editor.data(CREATE, input).await?;
        ensure_eq!(d["createPlan"]["plan"], json!(null));
        ensure_eq!(
            (
                d["createPlan"]["userErrors"][0]["field"].clone(),
                d["createPlan"]["userErrors"][0]["code"].clone()
            ),
            (field, json!(code))
        );
    }
    let after = (
        app.rows("plan").await?,
        app.rows("plan_target").await?,
        app.rows("reporting_rule").await?,
    );
    ensure_eq!(before, after);

    // A task led by another committee's agency, on an issued plan.
    let plan = app
        .plan_of(&app.committee_id("PROVINCE", "37", "2026-03-01").await?)
        .await?;
    let tasks_before = app.rows("task").await?;
    let d = nb_editor
        .data(
            "mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id } userErrors { field code } } }",
            json!({"input": {"planId": plan, "number": "9", "title": "X", "category": "OTHER",
                   "leadAgencyIds": [central_police], "coordinatingAgencyIds": [ln_police],
                   "windowFrom": "2026-05-01", "windowTo": "2026-04-01"}}),
        )
        .await?;
    ensure_eq!(
        d["createTask"]["userErrors"],
        json!([{"field": ["input", "windowTo"], "code": "INVALID_RANGE"},
               {"field": ["input", "leadAgencyIds", "0"], "code": "FOREIGN_AGENCY"},
               {"field": ["input", "coordinatingAgencyIds", "0"], "code": "NOT_FOUND"}])
    );
    ensure_eq!(app.rows("task").await?, tasks_before);
    Ok(())
}

/// Indicators are data; plan targets refer to them.
pub async fn indicators_and_targets() -> Result<()> {
    let app = TestApp::new().await?;
    let d = app
        .data(
            "{ indicators(first: 100) { totalCount edges { node { code unit aggregation
               numerator { code } denominator { code } } } } }",
            json!({}),
        )
        .await?;
    ensure_eq!(d["indicators"]["totalCount"], json!(28));
    let rate = d["indicators"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["node"]["code"] == json!("tips_resolved_rate"))
        .map(|e| e["node"].clone());
    ensure_eq!(
        rate,
        Some(
            json!({"code": "tips_resolved_rate", "unit": "PERCENT", "aggregation": "RATIO",
                    "numerator": {"code": "tips_resolved"}, "denominator": {"code": "tips_received"}})
        )
    );
    // Every target of the seed plans names a known indicator.
    let d = app
        .data("{ plans(first: 100) { edges { node { targets { indicatorCode indicator { code } } } } } }", json!({}))
        .await?;
    let mut seen = 0;
    for e in d["plans"]["edges"].as_array().into_iter().flatten() {
        for t in e["node"]["targets"].as_array().into_iter().flatten() {
            ensure_eq!(t["indicator"]["code"], t["indicatorCode"]);
            seen += 1;
        }
    }
    if seen < 5 {
        bail!("only {seen} targets");
    }
    // An unknown indicator is refused.
    let editor = app.session("tuyenquang.editor").await?;
    let tq = app.committee_id("PROVINCE", "08", "2026-01-01").await?;
    let d = editor
        .data(
            CREATE,
            json!({"input": {"committeeId": tq, "title": "K", "kind": "ANNUAL", "periodFrom": "2027-01-01", "periodTo": "2027-12-31",
                   "targets": [{"indicatorCode": "happiness_rate", "comparator": "GTE", "value": 90, "unit": "PERCENT"}]}}),
        )
        .await?;
    ensure_eq!(
        d["createPlan"]["userErrors"],
        json!([{"field": ["input", "targets", "0", "indicatorCode"], "code": "UNKNOWN_INDICATOR",
                "message": "there is no indicator \"happiness_rate\""}])
    );
    Ok(())
}

const ASSIGNED: &str = "query($id: ID!, $c: ID!) {
  plan: node(id: $id) { ... on Plan { tasks(first: 100) { nodes { number allRelevantAgencies
    leadAgencies { id } coordinatingAgencies { id } } } } }
  committee: node(id: $c) { ... on Committee { agencies(first: 100) { nodes { id name shortName } } } } }";

/// The seeds: file, province code, date, place name.
const SEEDS: [(&str, &str, &str, &str); 3] = [
    ("000_a9bae549e9344898", "08", "2024-01-15", "Tuyên Quang"),
    ("001_9287ca284f051039", "20", "2022-07-01", "Lạng Sơn"),
    ("002_fafc0a697c43e3cd", "37", "2026-03-01", "Ninh Bình"),
];

fn person_reading(seed: &str) -> Result<Value> {
    let path = format!(
        "{}/../data/demo/plans/{seed}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    Ok(serde_json::from_str(&std::fs::read_to_string(path)?)?)
}

/// The demo plans (imported from their texts, then corrected by their
/// patches) assign every task as the person who read the documents did:
/// the same numbers in the same order, the same lead and coordinating
/// agencies. A change in the importer either shows here or makes the
/// seed's patch fail to apply.
pub async fn demo_plans_are_the_person_reading() -> Result<()> {
    let app = TestApp::new().await?;
    let registry: Value = serde_json::from_str(&std::fs::read_to_string(format!(
        "{}/../data/demo/agencies.json",
        env!("CARGO_MANIFEST_DIR")
    ))?)?;
    let mut misses = Vec::new();
    for (seed, code, on, place) in SEEDS {
        let c = app.committee_id("PROVINCE", code, on).await?;
        let id = app.plan_of(&c).await?;
        let got = app.data(ASSIGNED, json!({"id": id, "c": c})).await?;
        // Every name the registry knows an agency by, as a matching key.
        let aliases: Vec<(String, String)> = registry["committees"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|x| x["code"] == json!(code) && x["level"] == json!("PROVINCE"))
            .flat_map(|x| x["agencies"].as_array().cloned().unwrap_or_default())
            .flat_map(|a| {
                let name = a["name"].as_str().unwrap_or_default().to_owned();
                let list: Vec<String> = a["aliases"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect();
                list.into_iter().map(move |s| (name.clone(), s))
            })
            .collect();
        let key = |n: &str| plandoc::agency_key(n, &[place]);
        let mut ids: std::collections::HashMap<String, String> = Default::default();
        for a in got["committee"]["agencies"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let id = a["id"].as_str().unwrap_or_default().to_owned();
            let name = a["name"].as_str().unwrap_or_default();
            let mut names = vec![name.to_owned()];
            names.extend(a["shortName"].as_str().map(str::to_owned));
            names.extend(
                aliases
                    .iter()
                    .filter(|(n, _)| n == name)
                    .map(|(_, s)| s.clone()),
            );
            for n in names {
                ids.entry(key(&n)).or_insert_with(|| id.clone());
            }
        }
        let want = person_reading(seed)?;
        let want: Vec<&Value> = want["sections"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|s| s["tasks"].as_array().into_iter().flatten())
            .collect();
        let ours = got["plan"]["tasks"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        ensure_eq!(ours.len(), want.len());
        let set = |v: &Value| -> std::collections::BTreeSet<String> {
            v.as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a["id"].as_str().map(str::to_owned))
                .collect()
        };
        for (o, w) in ours.iter().zip(&want) {
            let number = w["number"].as_str().unwrap_or_default();
            ensure_eq!(o["number"], json!(number));
            let resolve = |list: &Value| -> Result<std::collections::BTreeSet<String>> {
                let mut out = std::collections::BTreeSet::new();
                for n in list
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    // "Các đơn vị thành viên Ban Chỉ đạo": every member, not one agency.
                    if key(n).contains("thanh vien ban chi dao") {
                        continue;
                    }
                    match ids.get(&key(n)) {
                        Some(id) => out.insert(id.clone()),
                        None => bail!("{seed} task {number}: {n:?} is not in the registry"),
                    };
                }
                Ok(out)
            };
            let lead = resolve(&w["lead_agencies"])?;
            let coordinating: std::collections::BTreeSet<String> =
                resolve(&w["coordinating_agencies"])?
                    .difference(&lead)
                    .cloned()
                    .collect();
            if set(&o["leadAgencies"]) != lead || set(&o["coordinatingAgencies"]) != coordinating {
                misses.push(format!(
                    "{seed} task {number}: lead {} coordinating {}, the person read {} / {}",
                    o["leadAgencies"],
                    o["coordinatingAgencies"],
                    w["lead_agencies"],
                    w["coordinating_agencies"]
                ));
            }
        }
    }
    if !misses.is_empty() {
        bail!("{} tasks differ:\n{}", misses.len(), misses.join("\n"));
    }
    Ok(())
}
