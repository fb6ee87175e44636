//! Scores the reader against three plans a person read by hand
//! (`data/demo/plans/*.json` beside the texts, at the workspace's root).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use plandoc::{Reading, Task, agency_key, extract, is_collective, read};
use serde_json::Value;

const SEEDS: [&str; 3] = [
    "000_a9bae549e9344898",
    "001_9287ca284f051039",
    "002_fafc0a697c43e3cd",
];
const PLACES: [&str; 3] = ["Tuyên Quang", "Lạng Sơn", "Ninh Bình"];

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../data/demo/plans")
        .join(name)
}

fn fold(s: &str) -> String {
    deunicode::deunicode(s)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn keys<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    names.into_iter().map(|n| agency_key(n, &PLACES)).collect()
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Whether our names match the person's: the same single agencies (by
/// key), and every collective reference of theirs is among ours (a
/// collective is never an agency here, though the person listed some as
/// leads).
fn same_agencies(theirs: &[&str], ours: &[String], our_collective: &[String]) -> bool {
    let their_single = keys(theirs.iter().copied().filter(|n| !is_collective(n)));
    let our_single = keys(ours.iter().map(String::as_str));
    let their_coll = keys(theirs.iter().copied().filter(|n| is_collective(n)));
    let our_all: BTreeSet<String> =
        keys(ours.iter().chain(our_collective.iter()).map(String::as_str));
    their_single == our_single && their_coll.is_subset(&our_all)
}

#[derive(Default, Debug)]
pub struct Score {
    tasks: (usize, usize),
    lead: (usize, usize),
    coord: (usize, usize),
    targets: (usize, usize),
    reporting: (usize, usize),
    implements: (usize, usize),
    header: (usize, usize),
}

fn comparator(c: &str) -> &str {
    match c {
        "=" | "==" => "EQ",
        ">" => "GT",
        ">=" | "≥" => "GTE",
        "<" => "LT",
        "<=" | "≤" => "LTE",
        other => other,
    }
}

fn find_task<'a>(ours: &'a [Task], text: &str, from: usize) -> Option<(usize, &'a Task)> {
    let want: String = fold(text).chars().take(60).collect();
    ours.iter()
        .enumerate()
        .skip(from)
        .find(|(_, t)| fold(&t.text).starts_with(&want))
}

fn score(seed: &str, r: &Reading, misses: &mut Vec<String>) -> Score {
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(data(&format!("{seed}.json"))).unwrap())
            .unwrap();
    let mut s = Score::default();
    let mut from = 0;
    for section in json["sections"].as_array().unwrap() {
        for t in section["tasks"].as_array().unwrap() {
            let number = t["number"].as_str().unwrap();
            let text = t["text_vi"].as_str().unwrap();
            s.tasks.1 += 1;
            s.lead.1 += 1;
            s.coord.1 += 1;
            let Some((i, ours)) = find_task(&r.tasks, text, from) else {
                misses.push(format!("{seed} {number}: not found ({text:.50})"));
                continue;
            };
            from = i + 1;
            if ours.number == number {
                s.tasks.0 += 1;
            } else {
                misses.push(format!("{seed} {number}: numbered {}", ours.number));
            }
            let lead = strs(&t["lead_agencies"]);
            if same_agencies(&lead, &ours.lead, &ours.collective) {
                s.lead.0 += 1;
            } else {
                misses.push(format!(
                    "{seed} {number}: lead {:?} / {:?}, want {lead:?}",
                    ours.lead, ours.collective
                ));
            }
            let coord = strs(&t["coordinating_agencies"]);
            if same_agencies(&coord, &ours.coordinating, &ours.collective) {
                s.coord.0 += 1;
            } else {
                misses.push(format!(
                    "{seed} {number}: coordinating {:?} / {:?}, want {coord:?}",
                    ours.coordinating, ours.collective
                ));
            }
        }
    }
    if r.tasks.len() != s.tasks.1 {
        misses.push(format!(
            "{seed}: {} tasks read, {} expected: {:?}",
            r.tasks.len(),
            s.tasks.1,
            r.tasks
                .iter()
                .map(|t| t.number.as_str())
                .collect::<Vec<_>>()
        ));
        s.tasks.1 = s.tasks.1.max(r.tasks.len());
    }

    let want: Vec<(String, String, i64)> = json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["indicator"].as_str().unwrap_or("").to_owned(),
                comparator(t["comparator"].as_str().unwrap()).to_owned(),
                t["value"].as_f64().unwrap().round() as i64,
            )
        })
        .collect();
    let got: Vec<(String, String, i64)> = r
        .targets
        .iter()
        .map(|t| {
            (
                t.indicator.clone().unwrap_or_default(),
                t.comparator.clone(),
                t.value.round() as i64,
            )
        })
        .collect();
    s.targets = (usize::from(want == got), 1);
    if want != got {
        misses.push(format!("{seed}: targets {got:?}, want {want:?}"));
    }

    let mut want: Vec<(String, Option<String>)> = json["reporting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let d = r["deadline"].as_str().map(|d| d[d.len() - 5..].to_owned());
            (r["cadence"].as_str().unwrap().to_owned(), d)
        })
        .collect();
    let mut got: Vec<(String, Option<String>)> = r
        .reporting
        .iter()
        .map(|r| (r.cadence.clone(), r.deadline.clone()))
        .collect();
    want.sort();
    got.sort();
    s.reporting = (usize::from(want == got), 1);
    if want != got {
        misses.push(format!("{seed}: reporting {got:?}, want {want:?}"));
    }

    let want: Vec<(String, Option<String>)> = json["implements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let doc = i["document"].as_str().unwrap();
            let number = doc.split(" số ").nth(1).unwrap_or(doc).to_owned();
            (number, i["date"].as_str().map(str::to_owned))
        })
        .collect();
    let got: Vec<(String, Option<String>)> = r
        .implements
        .iter()
        .map(|i| {
            (
                i.number.clone().unwrap_or_default(),
                i.date.and_then(|d| d.to_date()).map(|d| d.to_string()),
            )
        })
        .collect();
    s.implements = (usize::from(want == got), 1);
    if want != got {
        misses.push(format!("{seed}: implements {got:?}, want {want:?}"));
    }

    let number_ok = json["document_number"].as_str() == r.document_number.as_deref();
    let date = r.issued_on.map(|d| match (d.year, d.month, d.day) {
        (Some(y), Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
        (Some(y), Some(m), None) => format!("{y:04}-{m:02}"),
        (Some(y), None, _) => format!("{y:04}"),
        _ => String::new(),
    });
    let date_ok = json["issued_on"].as_str() == date.as_deref();
    let title_ok = json["title"].as_str().map(fold) == r.title.as_deref().map(fold);
    let funding_ok = json["funding"].as_str().map(fold) == r.funding.as_deref().map(fold);
    s.header = (
        usize::from(number_ok)
            + usize::from(date_ok)
            + usize::from(title_ok)
            + usize::from(funding_ok),
        4,
    );
    if s.header.0 != 4 {
        misses.push(format!(
            "{seed}: header number {:?} date {date:?} title {:?} funding {:?}",
            r.document_number, r.title, r.funding
        ));
    }
    s
}

fn reading(seed: &str) -> Reading {
    let bytes = std::fs::read(data(&format!("{seed}.txt"))).unwrap();
    read(&extract(&bytes).unwrap())
}

#[test]
fn seeds_score() {
    let mut misses = Vec::new();
    let mut total = Score::default();
    eprintln!(
        "{:<22} {:>9} {:>9} {:>9} {:>8} {:>10} {:>11} {:>7}",
        "document", "tasks", "lead", "coord", "targets", "reporting", "implements", "header"
    );
    for seed in SEEDS {
        let r = reading(seed);
        let s = score(seed, &r, &mut misses);
        let cell = |(a, b): (usize, usize)| format!("{a}/{b}");
        eprintln!(
            "{:<22} {:>9} {:>9} {:>9} {:>8} {:>10} {:>11} {:>7}",
            seed,
            cell(s.tasks),
            cell(s.lead),
            cell(s.coord),
            cell(s.targets),
            cell(s.reporting),
            cell(s.implements),
            cell(s.header)
        );
        let add = |t: &mut (usize, usize), x: (usize, usize)| {
            t.0 += x.0;
            t.1 += x.1;
        };
        add(&mut total.tasks, s.tasks);
        add(&mut total.lead, s.lead);
        add(&mut total.coord, s.coord);
        add(&mut total.targets, s.targets);
        add(&mut total.reporting, s.reporting);
        add(&mut total.implements, s.implements);
        add(&mut total.header, s.header);
    }
    for m in &misses {
        eprintln!("  miss: {m}");
    }
    let pct = |(a, b): (usize, usize)| {
        if b == 0 {
            100.0
        } else {
            a as f64 * 100.0 / b as f64
        }
    };
    eprintln!(
        "total: tasks {:.1}%, lead {:.1}%, coordinating {:.1}%",
        pct(total.tasks),
        pct(total.lead),
        pct(total.coord)
    );
    assert!(pct(total.tasks) >= 95.0, "tasks {:?}", total.tasks);
    assert!(pct(total.lead) >= 95.0, "lead {:?}", total.lead);
    assert!(pct(total.coord) >= 95.0, "coordinating {:?}", total.coord);
    assert_eq!(total.targets.0, total.targets.1, "targets");
    assert_eq!(total.reporting.0, total.reporting.1, "reporting");
    assert_eq!(total.implements.0, total.implements.1, "implements");
    assert_eq!(total.header.0, total.header.1, "header");
}

#[test]
fn seeds_other_fields() {
    let r = reading(SEEDS[0]);
    assert_eq!(r.kind, "ANNUAL");
    assert_eq!(r.standing_agency.as_deref(), Some("Công an tỉnh"));
    let sig = r.signatory.unwrap();
    assert_eq!(sig.name, "Hoàng Việt Phương");
    assert_eq!(sig.title.as_deref(), Some("PHÓ CHỦ TỊCH"));
    let peak = r.tasks.iter().find(|t| t.window_from.is_some()).unwrap();
    assert_eq!(
        peak.window_to
            .and_then(|d| d.to_date())
            .map(|d| d.to_string()),
        Some("2024-09-30".to_owned())
    );

    let r = reading(SEEDS[1]);
    assert_eq!(r.kind, "CAMPAIGN");
    assert_eq!(r.signatory.unwrap().name, "Dương Xuân Huyên");
    let t5 = r.tasks.iter().find(|t| t.number == "5").unwrap();
    assert!(
        t5.partners.iter().any(|p| p.contains("Quảng Tây")),
        "{:?}",
        t5.partners
    );

    let r = reading(SEEDS[2]);
    assert_eq!(r.kind, "PROGRAMME");
    assert_eq!(r.orientation_year, Some(2035));
    assert_eq!(r.place.as_deref(), Some("Ninh Bình"));
    let p = r.period.unwrap();
    assert_eq!(
        (p.from.to_string(), p.to.to_string()),
        ("2026-01-01".to_owned(), "2030-12-31".to_owned())
    );
    assert_eq!(r.issued_on.and_then(|d| d.day), None);
    assert_eq!(r.standing_agency.as_deref(), Some("Công an tỉnh"));
    assert_eq!(
        r.issuer.as_deref().map(fold),
        Some(fold("Ủy ban nhân dân tỉnh Ninh Bình"))
    );
}
