//! Global object identification: `node`/`nodes` for every type, bad ids.

use anyhow::{Result, bail};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::ensure_eq;

pub async fn round_trip_every_type() -> Result<()> {
    let app = TestApp::new().await?;
    let d = app
        .data(
            "{ committeeByCode(level: PROVINCE, code: \"20\", activeOn: \"2022-07-01\") {
                __typename id name
                agencies(first: 1) { edges { node { __typename id name } } }
                memberships(first: 1) { edges { node { __typename id role } } } } }",
            json!({}),
        )
        .await?;
    let c = &d["committeeByCode"];
    let more = app
        .data(
            "{ plans(first: 1) { edges { node { __typename id title
                tasks(first: 1) { edges { node { __typename id title } } } } } }
               cooperationRecords(first: 1) { edges { node { __typename id title
                counterpart { __typename id } } } }
               tasks(filter: {status: DONE}, first: 1) { edges { node {
                progressUpdates(first: 1) { edges { node { __typename id } } } } } }
               report: committeeByCode(level: PROVINCE, code: \"08\", activeOn: \"2024-06-01\") {
                reports(period: \"2024-Q1\", first: 1) { edges { node { __typename id } } } } }",
            json!({}),
        )
        .await?;
    let plan = &more["plans"]["edges"][0]["node"];
    let record = &more["cooperationRecords"]["edges"][0]["node"];
    let mut plan_only = plan.clone();
    if let Some(o) = plan_only.as_object_mut() {
        o.remove("tasks");
    }
    let mut record_only = record.clone();
    if let Some(o) = record_only.as_object_mut() {
        o.remove("counterpart");
    }
    let objects: Vec<&Value> = vec![
        c,
        &c["agencies"]["edges"][0]["node"],
        &c["memberships"]["edges"][0]["node"],
        &plan_only,
        &plan["tasks"]["edges"][0]["node"],
        &more["tasks"]["edges"][0]["node"]["progressUpdates"]["edges"][0]["node"],
        &record["counterpart"],
        &record_only,
        &more["report"]["reports"]["edges"][0]["node"],
    ];
    let mut types = Vec::new();
    for object in &objects {
        let id = object["id"].clone();
        if !id.is_string() {
            bail!("no id in {object}");
        }
        let back = app
            .data(
                "query($id: ID!) { node(id: $id) { __typename id
                    ... on Committee { name } ... on Agency { name } ... on Membership { role }
                    ... on Plan { title } ... on Task { title } ... on CooperationRecord { title } } }",
                json!({"id": id}),
            )
            .await?;
        let mut expected = json!({});
        for field in ["__typename", "id", "name", "role", "title"] {
            if let Some(v) = object.get(field) {
                expected[field] = v.clone();
            }
        }
        ensure_eq!(back["node"], expected);
        types.push(object["__typename"].clone());
    }
    ensure_eq!(
        types,
        vec![
            json!("Committee"),
            json!("Agency"),
            json!("Membership"),
            json!("Plan"),
            json!("Task"),
            json!("ProgressUpdate"),
            json!("Counterpart"),
            json!("CooperationRecord"),
            json!("Report"),
        ]
    );
    // Every type that implements Node is covered above.
    let intro = app
        .data(
            "{ __type(name: \"Node\") { possibleTypes { name } } }",
            json!({}),
        )
        .await?;
    let mut possible: Vec<Value> = intro["__type"]["possibleTypes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|t| t["name"].clone())
        .collect();
    possible.sort_by_key(|v| v.to_string());
    let mut covered = types.clone();
    covered.sort_by_key(|v| v.to_string());
    ensure_eq!(possible, covered);

    // `nodes` keeps the order and answers null for unknown ids.
    let unknown = URL_SAFE_NO_PAD.encode("Agency:999999999");
    let ids = vec![
        objects[1]["id"].clone(),
        json!(unknown),
        objects[0]["id"].clone(),
    ];
    let d = app
        .data(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({"ids": ids}),
        )
        .await?;
    ensure_eq!(
        d["nodes"],
        json!([{"id": objects[1]["id"]}, null, {"id": objects[0]["id"]}])
    );
    Ok(())
}

pub async fn unknown_and_garbage_ids() -> Result<()> {
    let app = TestApp::new().await?;
    let q = "query($id: ID!) { node(id: $id) { id } }";
    // Well-formed but unknown: null, no error.
    for unknown in ["Committee:987654321", "Membership:424242424"] {
        let d = app
            .data(q, json!({"id": URL_SAFE_NO_PAD.encode(unknown)}))
            .await?;
        ensure_eq!(d["node"], json!(null));
    }
    // Malformed: BAD_USER_INPUT.
    for garbage in [
        "garbage".to_owned(),
        "".to_owned(),
        "!!!".to_owned(),
        URL_SAFE_NO_PAD.encode("Committee:abc"),
        URL_SAFE_NO_PAD.encode("Committee:-1"),
        URL_SAFE_NO_PAD.encode("Dossier:1"),
        URL_SAFE_NO_PAD.encode([0xff, 0xfe, 0x00]),
    ] {
        ensure_eq!(
            (
                garbage.clone(),
                app.error_code(q, json!({"id": garbage})).await?
            ),
            (garbage.clone(), "BAD_USER_INPUT".to_owned())
        );
    }
    // A garbage parentId in a filter is refused too; an id of another type is an empty list.
    let q = "query($p: ID) { committees(filter: {parentId: $p}) { totalCount } }";
    ensure_eq!(
        app.error_code(q, json!({"p": "nope"})).await?,
        "BAD_USER_INPUT"
    );
    let agency = URL_SAFE_NO_PAD.encode("Agency:1");
    let d = app.data(q, json!({"p": agency})).await?;
    ensure_eq!(d["committees"]["totalCount"], json!(0));
    Ok(())
}
