//! Relay pagination: page sizes, cursors, both directions.

use anyhow::{Result, bail};
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::ensure_eq;

const PAGE: &str = "query($first: Int, $after: String, $last: Int, $before: String, $level: CommitteeLevel, $on: Date) {
  committees(filter: {level: $level, activeOn: $on}, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { code } } } }";

fn codes(d: &Value) -> Vec<String> {
    d["committees"]["edges"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["node"]["code"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

pub async fn edges_of_pages() -> Result<()> {
    let app = TestApp::new().await?;
    let communes = json!({"level": "COMMUNE", "on": "2026-01-01"});
    let with = |extra: Value| {
        let mut v = communes.clone();
        if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        v
    };
    // first: 0 is an empty page that still counts.
    let d = app.data(PAGE, with(json!({"first": 0}))).await?;
    ensure_eq!(codes(&d).len(), 0);
    ensure_eq!(d["committees"]["totalCount"], json!(3321));
    ensure_eq!(d["committees"]["pageInfo"]["hasNextPage"], json!(false));
    // first: 100 is the largest page.
    let d = app.data(PAGE, with(json!({"first": 100}))).await?;
    ensure_eq!(codes(&d).len(), 100);
    ensure_eq!(d["committees"]["pageInfo"]["hasNextPage"], json!(true));
    ensure_eq!(d["committees"]["pageInfo"]["hasPreviousPage"], json!(false));
    // first: 101 is refused, naming the limit.
    let body = app.post(PAGE, with(json!({"first": 101}))).await?;
    ensure_eq!(
        body["errors"][0]["extensions"]["code"],
        json!("BAD_USER_INPUT")
    );
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    if !message.contains("100") {
        bail!("the error does not name the limit: {message}");
    }
    ensure_eq!(body["data"], json!(null));
    let body = app.post(PAGE, with(json!({"last": 101}))).await?;
    ensure_eq!(
        body["errors"][0]["extensions"]["code"],
        json!("BAD_USER_INPUT")
    );
    let body = app.post(PAGE, with(json!({"first": -1}))).await?;
    ensure_eq!(
        body["errors"][0]["extensions"]["code"],
        json!("BAD_USER_INPUT")
    );
    let body = app.post(PAGE, with(json!({"first": 5, "last": 5}))).await?;
    ensure_eq!(
        body["errors"][0]["extensions"]["code"],
        json!("BAD_USER_INPUT")
    );
    let body = app
        .post(PAGE, with(json!({"first": 5, "after": "not-a-cursor"})))
        .await?;
    ensure_eq!(
        body["errors"][0]["extensions"]["code"],
        json!("BAD_USER_INPUT")
    );
    // After the last cursor: an empty page with nothing next.
    let d = app.data(PAGE, with(json!({"last": 1}))).await?;
    let last_cursor = d["committees"]["pageInfo"]["endCursor"].clone();
    ensure_eq!(d["committees"]["pageInfo"]["hasPreviousPage"], json!(true));
    let d = app
        .data(PAGE, with(json!({"first": 10, "after": last_cursor})))
        .await?;
    ensure_eq!(codes(&d).len(), 0);
    ensure_eq!(d["committees"]["pageInfo"]["hasNextPage"], json!(false));
    ensure_eq!(d["committees"]["pageInfo"]["hasPreviousPage"], json!(true));
    Ok(())
}

pub async fn walk_forward_and_backward() -> Result<()> {
    let app = TestApp::new().await?;
    let provinces = |extra: Value| {
        let mut v = json!({"level": "PROVINCE", "on": "2024-06-01"});
        if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        v
    };
    let all = codes(&app.data(PAGE, provinces(json!({"first": 100}))).await?);
    ensure_eq!(all.len(), 63);
    let mut sorted = all.clone();
    sorted.sort();
    ensure_eq!(all, sorted);

    // Forward in pages of 10.
    let mut forward = Vec::new();
    let mut after = Value::Null;
    loop {
        let d = app
            .data(PAGE, provinces(json!({"first": 10, "after": after})))
            .await?;
        forward.extend(codes(&d));
        let info = &d["committees"]["pageInfo"];
        if info["hasNextPage"] != json!(true) {
            break;
        }
        after = info["endCursor"].clone();
    }
    ensure_eq!(forward, all);

    // Backward in pages of 10 from the end.
    let mut backward: Vec<Vec<String>> = Vec::new();
    let mut before = Value::Null;
    loop {
        let d = app
            .data(PAGE, provinces(json!({"last": 10, "before": before})))
            .await?;
        backward.push(codes(&d));
        let info = &d["committees"]["pageInfo"];
        if info["hasPreviousPage"] != json!(true) {
            break;
        }
        before = info["startCursor"].clone();
    }
    ensure_eq!(backward.len(), 7);
    ensure_eq!(backward[0].len(), 10);
    ensure_eq!(backward[6].len(), 3);
    let flat: Vec<String> = backward.into_iter().rev().flatten().collect();
    ensure_eq!(flat, all);

    // Ordered by name, descending, with a cursor in the middle.
    let q =
        "query($after: String) { committees(filter: {level: PROVINCE, activeOn: \"2026-01-01\"},
        orderBy: {field: NAME, direction: DESC}, first: 20, after: $after) {
        pageInfo { endCursor } edges { node { unitShortName } } } }";
    let names = |d: &Value| -> Vec<String> {
        d["committees"]["edges"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["node"]["unitShortName"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let d1 = app.data(q, json!({})).await?;
    let d2 = app
        .data(
            q,
            json!({"after": d1["committees"]["pageInfo"]["endCursor"]}),
        )
        .await?;
    let mut both = names(&d1);
    both.extend(names(&d2));
    ensure_eq!(both.len(), 34);
    ensure_eq!(both.first().map(String::as_str), Some("Vĩnh Long"));
    ensure_eq!(both.last().map(String::as_str), Some("An Giang"));
    Ok(())
}

/// Nested pages (many parents in one statement) know whether each parent's
/// list goes on, from the row after the page, forward and backward, with
/// compact and whole rows: `hasNextPage` (or `hasPreviousPage` for `last`)
/// exactly when the parent has more than the page, never the other one.
pub async fn nested_pages_know_when_they_go_on() -> Result<()> {
    let app = TestApp::new().await?;
    for (size, fields) in [("first: 3", "code"), ("last: 3", "code unitName")] {
        let q = format!(
            "{{ committees(filter: {{level: PROVINCE, activeOn: \"2024-06-01\"}}, first: 100) {{ nodes {{
              code
              children(activeOn: \"2024-06-01\", {size}) {{ totalCount
                pageInfo {{ hasNextPage hasPreviousPage }} nodes {{ {fields} }} }}
              agencies({size}) {{ totalCount
                pageInfo {{ hasNextPage hasPreviousPage }} nodes {{ name }} }}
            }} }} }}"
        );
        let d = app.data(&q, json!({})).await?;
        let provinces = d["committees"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        ensure_eq!(provinces.len(), 63);
        let (mut longer, mut shorter) = (0, 0);
        for p in &provinces {
            for list in [&p["children"], &p["agencies"]] {
                let total = list["totalCount"].as_i64().unwrap_or(-1);
                let shown = list["nodes"].as_array().map_or(0, Vec::len);
                let goes_on = total > 3;
                if goes_on {
                    longer += 1;
                } else {
                    shorter += 1;
                }
                ensure_eq!(i64::try_from(shown)?, total.min(3));
                let info = &list["pageInfo"];
                let (towards, away) = if size.starts_with("first") {
                    ("hasNextPage", "hasPreviousPage")
                } else {
                    ("hasPreviousPage", "hasNextPage")
                };
                ensure_eq!(
                    (&info[towards], &info[away]),
                    (&json!(goes_on), &json!(false))
                );
            }
        }
        // Both cases occur: every province has more than 3 districts, and
        // few committees have more than 3 agencies in the demo data.
        if longer == 0 || shorter == 0 {
            bail!("{size}: {longer} lists longer than the page, {shorter} not");
        }
    }
    Ok(())
}
