//! The committee tree through GraphQL: counts, the 2025 reform, search.

use anyhow::Result;
use serde_json::json;

use crate::common::TestApp;
use crate::ensure_eq;

const COUNT: &str = "query($level: CommitteeLevel, $on: Date) {
  committees(filter: {level: $level, activeOn: $on}) { totalCount } }";

async fn count(app: &TestApp, level: &str, on: &str) -> Result<i64> {
    let d = app.data(COUNT, json!({"level": level, "on": on})).await?;
    d["committees"]["totalCount"]
        .as_i64()
        .ok_or_else(|| anyhow::anyhow!("no totalCount in {d}"))
}

pub async fn unit_counts() -> Result<()> {
    let app = TestApp::new().await?;
    for (level, on, expected) in [
        ("CENTRAL", "2025-12-31", 1),
        ("PROVINCE", "2025-12-31", 34),
        ("COMMUNE", "2025-12-31", 3321),
        ("DISTRICT", "2025-12-31", 0),
        ("PROVINCE", "2024-06-01", 63),
        ("DISTRICT", "2024-06-01", 696),
        ("COMMUNE", "2024-06-01", 10051),
        ("CENTRAL", "2024-06-01", 1),
        // The last day of the old tree and the first of the new.
        ("PROVINCE", "2025-06-30", 63),
        ("PROVINCE", "2025-07-01", 34),
    ] {
        ensure_eq!(
            (level, on, count(&app, level, on).await?),
            (level, on, expected)
        );
    }
    // Without activeOn the list is as of today: the current structure.
    let d = app
        .data(
            "{ committees(filter: {level: PROVINCE}) { totalCount } }",
            json!({}),
        )
        .await?;
    ensure_eq!(d["committees"]["totalCount"], json!(34));
    Ok(())
}

pub async fn reform_as_of_queries() -> Result<()> {
    let app = TestApp::new().await?;
    let q = "query($code: String!, $on: Date) {
      committeeByCode(level: PROVINCE, code: $code, activeOn: $on) {
        name unitName validFrom validTo
        successors { partial effectiveOn committee { name code validFrom } }
        predecessors { committee { name code } } } }";
    let d = app
        .data(q, json!({"code": "02", "on": "2024-06-01"}))
        .await?;
    let ha_giang = &d["committeeByCode"];
    ensure_eq!(ha_giang["name"], json!("Ban Chỉ đạo 138 tỉnh Hà Giang"));
    ensure_eq!(ha_giang["unitName"], json!("Tỉnh Hà Giang"));
    ensure_eq!(ha_giang["validTo"], json!("2025-06-30"));
    ensure_eq!(
        ha_giang["successors"],
        json!([{"partial": false, "effectiveOn": "2025-07-01",
                "committee": {"name": "Ban Chỉ đạo 138 tỉnh Tuyên Quang", "code": "08", "validFrom": "2025-07-01"}}])
    );
    let d = app
        .data(q, json!({"code": "02", "on": "2025-12-31"}))
        .await?;
    ensure_eq!(d["committeeByCode"], json!(null));

    // Today's Tuyên Quang took in Hà Giang and the old Tuyên Quang.
    let d = app
        .data(q, json!({"code": "08", "on": "2025-12-31"}))
        .await?;
    let preds: Vec<_> = d["committeeByCode"]["predecessors"]
        .as_array()
        .map(|a| a.iter().map(|p| p["committee"]["code"].clone()).collect())
        .unwrap_or_default();
    ensure_eq!(preds, vec![json!("02"), json!("08")]);

    // Commune 00691: under the district of Hà Giang city in 2024, directly
    // under the province of Tuyên Quang in 2026.
    let q = "query($on: Date) { committeeByCode(level: COMMUNE, code: \"00691\", activeOn: $on) {
      unitName parent { level code unitName } ancestors { edges { node { level code } } } } }";
    let d = app.data(q, json!({"on": "2024-06-01"})).await?;
    ensure_eq!(
        d["committeeByCode"]["parent"],
        json!({"level": "DISTRICT", "code": "024", "unitName": "Thành phố Hà Giang"})
    );
    ensure_eq!(
        d["committeeByCode"]["ancestors"]["edges"],
        json!([{"node": {"level": "CENTRAL", "code": "VN"}},
               {"node": {"level": "PROVINCE", "code": "02"}},
               {"node": {"level": "DISTRICT", "code": "024"}}])
    );
    let d = app.data(q, json!({"on": "2026-06-01"})).await?;
    ensure_eq!(
        d["committeeByCode"]["parent"],
        json!({"level": "PROVINCE", "code": "08", "unitName": "Tỉnh Tuyên Quang"})
    );
    Ok(())
}

pub async fn names_and_search() -> Result<()> {
    let app = TestApp::new().await?;
    let q = "query($s: String, $level: CommitteeLevel, $on: Date) {
      committees(filter: {nameContains: $s, level: $level, activeOn: $on}, first: 100) {
        totalCount edges { node { name unitShortName } } } }";
    let d = app
        .data(q, json!({"s": "tuyen quang", "level": "PROVINCE"}))
        .await?;
    ensure_eq!(
        d["committees"]["edges"],
        json!([{"node": {"name": "Ban Chỉ đạo 138 tỉnh Tuyên Quang", "unitShortName": "Tuyên Quang"}}])
    );
    // Case, diacritics and "Đ"/"d" do not matter; every spelling finds the same units.
    let mut totals = Vec::new();
    for s in ["Điện Biên", "điện biên", "DIEN BIEN", "dien  bien"] {
        let d = app.data(q, json!({"s": s, "on": "2024-06-01"})).await?;
        totals.push(d["committees"]["totalCount"].clone());
    }
    ensure_eq!(totals.len(), 4);
    if totals.iter().any(|t| *t != totals[0]) || totals[0].as_i64().unwrap_or(0) < 3 {
        anyhow::bail!("search results differ by spelling: {totals:?}");
    }
    // LIKE wildcards are taken literally.
    let d = app.data(q, json!({"s": "%"})).await?;
    ensure_eq!(d["committees"]["totalCount"], json!(0));
    // The central committee goes by several names.
    let d = app
        .data(q, json!({"s": "phong, chong toi pham chinh phu"}))
        .await?;
    ensure_eq!(
        d["committees"]["edges"][0]["node"]["name"],
        json!("Ban Chỉ đạo 138/CP")
    );
    Ok(())
}

pub async fn tree_walks() -> Result<()> {
    let app = TestApp::new().await?;
    let tq = app.committee_id("PROVINCE", "08", "2026-01-01").await?;
    let q = "query($id: ID!) { node(id: $id) { ... on Committee {
        children { totalCount }
        communes: descendants(level: COMMUNE) { totalCount }
        old: descendants(activeOn: \"2024-06-01\") { totalCount }
        parent { level }
    } } }";
    let d = app.data(q, json!({"id": tq})).await?;
    ensure_eq!(d["node"]["children"]["totalCount"], json!(124));
    ensure_eq!(d["node"]["communes"]["totalCount"], json!(124));
    // Asked explicitly for a day before it existed, it has no subtree.
    ensure_eq!(d["node"]["old"]["totalCount"], json!(0));
    ensure_eq!(d["node"]["parent"]["level"], json!("CENTRAL"));

    // The old Hà Giang: read as it stood, by default on its last day.
    let hg = app.committee_id("PROVINCE", "02", "2024-06-01").await?;
    let q = "query($id: ID!) { node(id: $id) { ... on Committee {
        children { totalCount }
        districts: descendants(level: DISTRICT) { totalCount }
        communes: descendants(level: COMMUNE) { totalCount }
        all: descendants { totalCount }
        none: descendants(activeOn: \"2026-01-01\") { totalCount }
    } } }";
    let d = app.data(q, json!({"id": hg})).await?;
    let n = &d["node"];
    ensure_eq!(n["children"]["totalCount"], json!(11));
    ensure_eq!(n["districts"]["totalCount"], json!(11));
    let communes = n["communes"]["totalCount"].as_i64().unwrap_or(0);
    ensure_eq!(n["all"]["totalCount"].as_i64(), Some(communes + 11));
    ensure_eq!(n["none"]["totalCount"], json!(0));
    Ok(())
}

/// The pre-order numbers say what the closure table says: `d` is in `a`'s
/// subtree exactly when `a.lft <= d.lft <= a.rgt`, for every pair of the
/// real tree across the reform.
pub async fn preorder_ranges_are_the_closure() -> Result<()> {
    use sea_orm::{ConnectionTrait, Statement};
    let app = TestApp::new().await?;
    let ranges = "SELECT a.id AS ancestor_id, d.id AS descendant_id FROM committee a \
                  JOIN committee d ON d.lft BETWEEN a.lft AND a.rgt";
    let closure = "SELECT ancestor_id, descendant_id FROM committee_closure";
    let n = |sql: String| {
        let db = app.db.clone();
        async move {
            let row = db
                .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
                .await?;
            anyhow::Ok(
                row.map(|r| r.try_get::<i64>("", "n"))
                    .transpose()?
                    .unwrap_or(-1),
            )
        }
    };
    let pairs = n(format!("SELECT COUNT(*) AS n FROM ({closure}) c")).await?;
    ensure_eq!(pairs > 14_000, true);
    ensure_eq!(
        n(format!(
            "SELECT COUNT(*) AS n FROM ({ranges} EXCEPT {closure}) x"
        ))
        .await?,
        0
    );
    ensure_eq!(
        n(format!(
            "SELECT COUNT(*) AS n FROM ({closure} EXCEPT {ranges}) x"
        ))
        .await?,
        0
    );
    Ok(())
}
