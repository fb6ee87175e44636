//! The agency registry: demo data and the four mutations.

use anyhow::{Result, bail};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::ensure_eq;

const AGENCIES: &str = "query($id: ID!) { node(id: $id) { ... on Committee {
  standingAgency { name }
  agencies(first: 100, filter: {includeInactive: true}) { totalCount edges { node { id name shortName kind active membership { role } } } }
  memberships(first: 100) { totalCount edges { node { role agency { name } } } } } } }";

const CREATE: &str = "mutation($input: CreateAgencyInput!) { createAgency(input: $input) {
  agency { id name shortName kind active committee { code } membership { role } }
  userErrors { field message code } } }";

const SET_ROLE: &str = "mutation($input: SetMembershipInput!) { setMembership(input: $input) {
  agency { name } membership { role committee { code } } userErrors { field code } } }";

fn names(d: &Value) -> Vec<String> {
    d["node"]["agencies"]["edges"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["node"]["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

pub async fn demo_registry() -> Result<()> {
    let app = TestApp::new().await?;
    // The seed plans' agencies, for their committees as they stood then.
    for (level, code, on, expected) in [
        (
            "PROVINCE",
            "08",
            "2024-01-15",
            vec![
                "Công an tỉnh Tuyên Quang",
                "Viện kiểm sát nhân dân tỉnh Tuyên Quang",
                "Sở Ngoại vụ tỉnh Tuyên Quang",
            ],
        ),
        (
            "PROVINCE",
            "20",
            "2022-07-01",
            vec![
                "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn",
                "Hội Liên hiệp Phụ nữ tỉnh Lạng Sơn",
            ],
        ),
        (
            "PROVINCE",
            "37",
            "2026-03-01",
            vec![
                "Sở Y tế tỉnh Ninh Bình",
                "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Ninh Bình",
            ],
        ),
        (
            "CENTRAL",
            "VN",
            "2026-03-01",
            vec!["Bộ Công an", "Bộ Quốc phòng", "Bộ Ngoại giao"],
        ),
    ] {
        let id = app.committee_id(level, code, on).await?;
        let d = app.data(AGENCIES, json!({"id": id})).await?;
        let have = names(&d);
        for name in expected {
            if !have.iter().any(|n| n == name) {
                bail!("{level} {code} lacks {name}: {have:?}");
            }
        }
        let standing = d["node"]["standingAgency"]["name"]
            .as_str()
            .unwrap_or_default();
        if !standing.starts_with("Công an") && standing != "Bộ Công an" {
            bail!("{level} {code}: standing agency is {standing:?}");
        }
    }
    // Any other unit has its People's Committee and its Police.
    let id = app.committee_id("COMMUNE", "00691", "2026-01-01").await?;
    let d = app.data(AGENCIES, json!({"id": id})).await?;
    ensure_eq!(
        names(&d),
        vec![
            "Công an phường Hà Giang 2".to_owned(),
            "Ủy ban nhân dân phường Hà Giang 2".to_owned()
        ]
    );
    ensure_eq!(d["node"]["memberships"]["totalCount"], json!(2));
    // No committee is left without agencies.
    let empty: Option<i64> = {
        use sea_orm::{ConnectionTrait, Statement};
        let row = app
            .db
            .query_one_raw(Statement::from_string(
                app.db.get_database_backend(),
                "SELECT COUNT(*) AS n FROM committee c WHERE NOT EXISTS \
                 (SELECT 1 FROM agency a WHERE a.committee_id = c.id)",
            ))
            .await?;
        row.map(|r| r.try_get::<i64>("", "n")).transpose()?
    };
    ensure_eq!(empty, Some(0));
    Ok(())
}

pub async fn create_update_deactivate() -> Result<()> {
    let app = TestApp::new().await?;
    let tq = app.committee_id("PROVINCE", "08", "2026-01-01").await?;
    let d = app
        .data(
            CREATE,
            json!({"input": {"committeeId": tq, "name": "  Bộ Chỉ huy Bộ đội Biên phòng tỉnh Tuyên Quang ",
                             "shortName": "BĐBP tỉnh", "kind": "BORDER_GUARD"}}),
        )
        .await?;
    let p = &d["createAgency"];
    ensure_eq!(p["userErrors"], json!([]));
    ensure_eq!(
        p["agency"]["name"],
        json!("Bộ Chỉ huy Bộ đội Biên phòng tỉnh Tuyên Quang")
    );
    ensure_eq!(p["agency"]["committee"]["code"], json!("08"));
    ensure_eq!(p["agency"]["membership"], json!(null));
    ensure_eq!(p["agency"]["active"], json!(true));
    let agency = p["agency"]["id"].clone();

    // The same name again, spelled differently, is a duplicate.
    let d = app
        .data(
            CREATE,
            json!({"input": {"committeeId": tq, "name": "BO CHI HUY BO DOI BIEN PHONG TINH TUYEN QUANG", "kind": "BORDER_GUARD"}}),
        )
        .await?;
    ensure_eq!(d["createAgency"]["agency"], json!(null));
    ensure_eq!(
        d["createAgency"]["userErrors"][0]["code"],
        json!("DUPLICATE")
    );
    ensure_eq!(
        d["createAgency"]["userErrors"][0]["field"],
        json!(["input", "name"])
    );

    // Make it a member; then update it.
    let d = app
        .data(
            SET_ROLE,
            json!({"input": {"agencyId": agency, "role": "MEMBER"}}),
        )
        .await?;
    ensure_eq!(d["setMembership"]["membership"]["role"], json!("MEMBER"));
    let d = app
        .data(
            "mutation($input: UpdateAgencyInput!) { updateAgency(input: $input) {
               agency { name shortName kind } userErrors { code } } }",
            json!({"input": {"id": agency, "name": "Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "shortName": null}}),
        )
        .await?;
    ensure_eq!(
        d["updateAgency"]["agency"],
        json!({"name": "Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "shortName": null, "kind": "BORDER_GUARD"})
    );

    // Deactivated: hidden by default, membership ended, history kept.
    let d = app
        .data(
            "mutation($id: ID!) { deactivateAgency(input: {id: $id}) {
               agency { active membership { role } } userErrors { code } } }",
            json!({"id": agency}),
        )
        .await?;
    ensure_eq!(
        d["deactivateAgency"]["agency"],
        json!({"active": false, "membership": null})
    );
    let d = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Committee {
               active: agencies { totalCount } all: agencies(filter: {includeInactive: true}) { totalCount } } } }",
            json!({"id": tq}),
        )
        .await?;
    ensure_eq!(d["node"]["active"]["totalCount"], json!(2));
    ensure_eq!(d["node"]["all"]["totalCount"], json!(3));
    // An inactive agency cannot become a member.
    let d = app
        .data(
            SET_ROLE,
            json!({"input": {"agencyId": agency, "role": "MEMBER"}}),
        )
        .await?;
    ensure_eq!(
        d["setMembership"]["userErrors"][0]["code"],
        json!("INACTIVE")
    );
    Ok(())
}

async fn agency_rows(app: &TestApp) -> Result<i64> {
    use sea_orm::{ConnectionTrait, Statement};
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM agency",
        ))
        .await?;
    Ok(row
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0))
}

pub async fn validation_leaves_nothing_behind() -> Result<()> {
    let app = TestApp::new().await?;
    let tq = app.committee_id("PROVINCE", "08", "2026-01-01").await?;
    let before = agency_rows(&app).await?;
    let unknown_committee = URL_SAFE_NO_PAD.encode("Committee:99999999");
    let agency_id = URL_SAFE_NO_PAD.encode("Agency:1");
    for (input, field, code) in [
        (
            json!({"committeeId": tq, "name": "   ", "kind": "OTHER"}),
            json!(["input", "name"]),
            "REQUIRED",
        ),
        (
            json!({"committeeId": tq, "name": "x".repeat(256), "kind": "OTHER"}),
            json!(["input", "name"]),
            "TOO_LONG",
        ),
        (
            json!({"committeeId": tq, "name": "Sở mới", "shortName": "y".repeat(101), "kind": "OTHER"}),
            json!(["input", "shortName"]),
            "TOO_LONG",
        ),
        (
            json!({"committeeId": "garbage", "name": "Sở mới", "kind": "OTHER"}),
            json!(["input", "committeeId"]),
            "INVALID_ID",
        ),
        (
            json!({"committeeId": agency_id, "name": "Sở mới", "kind": "OTHER"}),
            json!(["input", "committeeId"]),
            "INVALID_ID",
        ),
        (
            json!({"committeeId": unknown_committee, "name": "Sở mới", "kind": "OTHER"}),
            json!(["input", "committeeId"]),
            "NOT_FOUND",
        ),
        (
            json!({"committeeId": tq, "name": "Công an tỉnh Tuyên Quang", "kind": "POLICE"}),
            json!(["input", "name"]),
            "DUPLICATE",
        ),
    ] {
        let d = app.data(CREATE, json!({"input": input})).await?;
        ensure_eq!(d["createAgency"]["agency"], json!(null));
        ensure_eq!(
            (
                d["createAgency"]["userErrors"][0]["field"].clone(),
                d["createAgency"]["userErrors"][0]["code"].clone()
            ),
            (field, json!(code))
        );
    }
    // An unknown enum value is a GraphQL validation error, not a userError.
    let body = app
        .post(
            CREATE,
            json!({"input": {"committeeId": tq, "name": "X", "kind": "SPACE_AGENCY"}}),
        )
        .await?;
    ensure_eq!(body["data"], json!(null));
    ensure_eq!(body["errors"].is_array(), true);
    // Unknown agency ids in the other mutations.
    let unknown = URL_SAFE_NO_PAD.encode("Agency:99999999");
    let d = app
        .data(
            SET_ROLE,
            json!({"input": {"agencyId": unknown, "role": "HEAD"}}),
        )
        .await?;
    ensure_eq!(
        d["setMembership"]["userErrors"][0]["code"],
        json!("NOT_FOUND")
    );
    let d = app
        .data(
            "mutation($id: ID!) { deactivateAgency(input: {id: $id}) { agency { id } userErrors { code field } } }",
            json!({"id": unknown}),
        )
        .await?;
    ensure_eq!(
        d["deactivateAgency"]["userErrors"],
        json!([{"code": "NOT_FOUND", "field": ["input", "id"]}])
    );
    ensure_eq!(agency_rows(&app).await?, before);
    Ok(())
}

pub async fn standing_agency_moves() -> Result<()> {
    let app = TestApp::new().await?;
    let ln = app.committee_id("PROVINCE", "20", "2022-07-01").await?;
    let d = app.data(AGENCIES, json!({"id": ln})).await?;
    ensure_eq!(
        d["node"]["standingAgency"]["name"],
        json!("Công an tỉnh Lạng Sơn")
    );
    let border = d["node"]["agencies"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["node"]["kind"] == json!("BORDER_GUARD"))
        .map(|e| e["node"]["id"].clone())
        .ok_or_else(|| anyhow::anyhow!("no border guard"))?;
    // The Lạng Sơn of 2022 has ceased: the ADMIN of today's Lạng Sơn, which
    // succeeded it, corrects its registry.
    let ln_admin = app
        .session_at("PROVINCE", "20", "2026-01-01", "ADMIN")
        .await?;
    let d = ln_admin
        .data(
            SET_ROLE,
            json!({"input": {"agencyId": border, "role": "STANDING"}}),
        )
        .await?;
    ensure_eq!(d["setMembership"]["membership"]["role"], json!("STANDING"));
    let d = app.data(AGENCIES, json!({"id": ln})).await?;
    ensure_eq!(
        d["node"]["standingAgency"]["name"],
        json!("Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn")
    );
    let standing: Vec<&Value> = d["node"]["memberships"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["node"]["role"] == json!("STANDING"))
        .collect();
    ensure_eq!(standing.len(), 1);
    let police_role = d["node"]["agencies"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["node"]["name"] == json!("Công an tỉnh Lạng Sơn"))
        .map(|e| e["node"]["membership"]["role"].clone());
    ensure_eq!(police_role, Some(json!("MEMBER")));
    // Ending a membership.
    let d = ln_admin
        .data(
            SET_ROLE,
            json!({"input": {"agencyId": border, "role": null}}),
        )
        .await?;
    ensure_eq!(d["setMembership"]["membership"], json!(null));
    let d = app.data(AGENCIES, json!({"id": ln})).await?;
    ensure_eq!(d["node"]["standingAgency"], json!(null));
    Ok(())
}
