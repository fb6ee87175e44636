//! Cross-border cooperation records and counterparts.

use anyhow::Result;
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::ensure_eq;

const LIST: &str =
    "query($f: CooperationRecordFilter) { cooperationRecords(filter: $f, first: 50) {
  totalCount edges { node { id kind occurredOn title victimsRepatriated suspectsHandedOver
    counterpart { country region bodyName } committee { code } agencies { name }
    plan { kind } task { number } } } } }";

async fn total(app: &TestApp, filter: Value) -> Result<Value> {
    Ok(app.data(LIST, json!({"f": filter})).await?["cooperationRecords"]["totalCount"].clone())
}

pub async fn demo_records_and_filters() -> Result<()> {
    let app = TestApp::new().await?;
    ensure_eq!(total(&app, json!({"country": "CN"})).await?, json!(3));
    ensure_eq!(total(&app, json!({"country": "kr"})).await?, json!(2));
    ensure_eq!(
        total(&app, json!({"kind": "VICTIM_REPATRIATION"})).await?,
        json!(1)
    );
    ensure_eq!(
        total(&app, json!({"from": "2022-08-01", "to": "2022-12-31"})).await?,
        json!(2)
    );
    let central = app.committee_id("CENTRAL", "VN", "2026-01-01").await?;
    ensure_eq!(
        total(
            &app,
            json!({"committeeId": central, "includeSubtree": true})
        )
        .await?,
        json!(5)
    );
    ensure_eq!(
        total(&app, json!({"committeeId": central})).await?,
        json!(0)
    );
    let d = app
        .data(LIST, json!({"f": {"kind": "VICTIM_REPATRIATION"}}))
        .await?;
    let r = &d["cooperationRecords"]["edges"][0]["node"];
    ensure_eq!(r["victimsRepatriated"], json!(6));
    ensure_eq!(
        r["counterpart"],
        json!({"country": "CN", "region": "Quảng Tây", "bodyName": "Công an Khu tự trị dân tộc Choang Quảng Tây"})
    );
    ensure_eq!(r["committee"]["code"], json!("20"));
    ensure_eq!(r["plan"]["kind"], json!("CAMPAIGN"));
    ensure_eq!(r["task"]["number"], json!("5"));
    ensure_eq!(
        r["agencies"],
        json!([{"name": "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn"}, {"name": "Sở Lao động - Thương binh và Xã hội tỉnh Lạng Sơn"}])
    );
    Ok(())
}

const CREATE: &str =
    "mutation($input: CreateCooperationRecordInput!) { createCooperationRecord(input: $input) {
  cooperationRecord { id title victimsRepatriated agencies { name } plan { id } task { id } }
  userErrors { field code } } }";

pub async fn create_update_and_validation() -> Result<()> {
    let admin = TestApp::new().await?;
    let editor = admin
        .session_at("PROVINCE", "44", "2026-01-01", "EDITOR")
        .await?;
    let app = &editor;
    let cp = app
        .mutate(
            "mutation { createCounterpart(input: {country: \"la\", region: \"Savannakhet\",
               bodyName: \"Công an tỉnh Savannakhet\"}) { counterpart { id } userErrors { code } } }",
            "createCounterpart",
            json!({}),
        )
        .await?;
    let counterpart = cp["counterpart"]["id"].clone();
    // The same counterpart again is the same record.
    let again = app
        .mutate(
            "mutation { createCounterpart(input: {country: \"LA\", region: \"savannakhet\", bodyName: \"Cong an tinh Savannakhet\"}) { counterpart { id } userErrors { code } } }",
            "createCounterpart",
            json!({}),
        )
        .await?;
    ensure_eq!(again["counterpart"]["id"], counterpart);
    let d = app
        .data(
            "mutation { createCounterpart(input: {country: \"XX\", bodyName: \"?\"}) { counterpart { id } userErrors { field code } } }",
            json!({}),
        )
        .await?;
    ensure_eq!(
        d["createCounterpart"]["userErrors"],
        json!([{"field": ["input", "country"], "code": "INVALID_COUNTRY"}])
    );

    let qt = admin.committee_id("PROVINCE", "44", "2026-01-01").await?;
    let police = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Committee { standingAgency { id } } } }",
            json!({"id": qt}),
        )
        .await?["node"]["standingAgency"]["id"]
        .clone();
    let r = app
        .mutate(
            CREATE,
            "createCooperationRecord",
            json!({"input": {"committeeId": qt, "counterpartId": counterpart, "kind": "JOINT_PATROL",
                   "occurredOn": "2026-05-20", "title": "Tuần tra song phương", "agencyIds": [police]}}),
        )
        .await?;
    let id = r["cooperationRecord"]["id"].clone();
    let u = app
        .mutate(
            "mutation($input: UpdateCooperationRecordInput!) { updateCooperationRecord(input: $input) {
               cooperationRecord { kind victimsRepatriated agencies { name } } userErrors { field code } } }",
            "updateCooperationRecord",
            json!({"input": {"id": id, "kind": "VICTIM_REPATRIATION", "victimsRepatriated": 3}}),
        )
        .await?;
    ensure_eq!(u["cooperationRecord"]["victimsRepatriated"], json!(3));
    ensure_eq!(
        u["cooperationRecord"]["agencies"].as_array().map(Vec::len),
        Some(1)
    );

    // Refused: negative counts; an agency and a plan of another province
    // answer exactly as ids that name nothing. Nothing is stored.
    let before = admin.rows("cooperation_record").await?;
    let ln = admin.committee_id("PROVINCE", "20", "2022-07-01").await?;
    let ln_plan = admin.plan_of(&ln).await?;
    let ln_police = admin
        .data(
            "query($id: ID!) { node(id: $id) { ... on Committee { standingAgency { id } } } }",
            json!({"id": ln}),
        )
        .await?["node"]["standingAgency"]["id"]
        .clone();
    let d = app
        .data(
            CREATE,
            json!({"input": {"committeeId": qt, "counterpartId": counterpart, "kind": "MEETING",
                   "occurredOn": "2026-05-20", "title": "Họp", "agencyIds": [ln_police],
                   "victimsRepatriated": -1, "planId": ln_plan}}),
        )
        .await?;
    ensure_eq!(
        d["createCooperationRecord"]["userErrors"],
        json!([{"field": ["input", "victimsRepatriated"], "code": "OUT_OF_RANGE"},
               {"field": ["input", "agencyIds", "0"], "code": "NOT_FOUND"},
               {"field": ["input", "planId"], "code": "NOT_FOUND"}])
    );
    let full =
        "mutation($input: CreateCooperationRecordInput!) { createCooperationRecord(input: $input) {
        cooperationRecord { id } userErrors { field code message } } }";
    let foreign = app
        .data(
            full,
            json!({"input": {"committeeId": qt, "counterpartId": counterpart, "kind": "MEETING",
                   "occurredOn": "2026-05-20", "title": "Họp", "agencyIds": [ln_police], "planId": ln_plan}}),
        )
        .await?;
    let nowhere = app
        .data(
            full,
            json!({"input": {"committeeId": qt, "counterpartId": counterpart, "kind": "MEETING",
                   "occurredOn": "2026-05-20", "title": "Họp",
                   "agencyIds": [crate::common::global_id("Agency", 987_654_321)],
                   "planId": crate::common::global_id("Plan", 987_654_321)}}),
        )
        .await?;
    // Same codes, same messages, no name.
    ensure_eq!(foreign, nowhere);
    // The business rule still applies to what the editor can read: the
    // central committee's standing agency is visible, and foreign.
    let central_police = crate::common::central_standing_agency(&admin).await?;
    let d = app
        .data(
            CREATE,
            json!({"input": {"committeeId": qt, "counterpartId": counterpart, "kind": "MEETING",
                   "occurredOn": "2026-05-20", "title": "Họp", "agencyIds": [central_police]}}),
        )
        .await?;
    ensure_eq!(
        d["createCooperationRecord"]["userErrors"],
        json!([{"field": ["input", "agencyIds", "0"], "code": "FOREIGN_AGENCY"}])
    );
    ensure_eq!(admin.rows("cooperation_record").await?, before);
    Ok(())
}
