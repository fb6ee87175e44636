//! The .docx fixture (made by `scripts/plans/make_docx.py` from seed 002
//! with python-docx: Word automatic numbering, bold headings, tables) reads
//! to the same tasks and assignments as the text copy.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use plandoc::{Format, agency_key, extract, read};

/// The .docx fixture is this crate's; the seed texts are the demo's
/// (`data/demo/plans/`).
fn data(name: &str) -> Vec<u8> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = if name.ends_with(".docx") {
        root.join("tests/data/plans")
    } else {
        root.join("../data/demo/plans")
    };
    std::fs::read(dir.join(name)).unwrap()
}

type Row = (String, Vec<String>, Vec<String>, bool);

fn rows(r: &plandoc::Reading) -> Vec<Row> {
    let keys = |v: &[String]| {
        let mut k: Vec<String> = v.iter().map(|n| agency_key(n, &["Ninh Bình"])).collect();
        k.sort();
        k
    };
    r.tasks
        .iter()
        .map(|t| {
            (
                t.number.clone(),
                keys(&t.lead),
                keys(&t.coordinating),
                t.all_relevant,
            )
        })
        .collect()
}

#[test]
fn docx_reads_like_the_text() {
    let doc = extract(&data("002_fafc0a697c43e3cd.docx")).unwrap();
    assert_eq!(doc.format, Format::Docx);
    let numbered: Vec<&str> = doc
        .paragraphs
        .iter()
        .filter_map(|p| p.numbering.as_deref())
        .collect();
    assert!(
        numbered.contains(&"1.") && numbered.contains(&"8."),
        "{numbered:?}"
    );
    assert!(numbered.contains(&"-"));
    let heading = doc
        .paragraphs
        .iter()
        .find(|p| p.text == "1. Công tác lãnh đạo, chỉ đạo")
        .expect("the first task heading, numbered by Word");
    assert!(heading.bold);
    assert!(
        doc.paragraphs
            .iter()
            .any(|p| p.in_table && p.text.starts_with("Số:"))
    );
    assert!(
        doc.paragraphs
            .iter()
            .any(|p| p.bold && p.text.starts_with("II. "))
    );

    let from_docx = read(&doc);
    let from_text = read(&extract(&data("002_fafc0a697c43e3cd.txt")).unwrap());
    assert_eq!(from_docx.tasks.len(), from_text.tasks.len());
    assert_eq!(rows(&from_docx), rows(&from_text));
    assert_eq!(from_docx.title, from_text.title);
    assert_eq!(from_docx.document_number, from_text.document_number);
    assert_eq!(from_docx.issued_on, from_text.issued_on);
    assert_eq!(
        from_docx.issuer.as_deref(),
        Some("Ủy ban nhân dân tỉnh Ninh Bình")
    );
    assert_eq!(from_docx.reporting, from_text.reporting);
    assert_eq!(
        from_docx.signatory.map(|s| s.name),
        Some("Nguyễn Thanh Bình".to_owned())
    );
}

/// A Word assignment grid (`scripts/plans/make_grid_docx.py`): a two-row
/// header with merged cells, group rows spanning the table, agencies as
/// paragraphs of a cell, a lead cell merged down over two tasks.
#[test]
fn a_word_grid_reads_as_tasks() {
    let doc = extract(&data("grid.docx")).unwrap();
    assert_eq!(doc.format, Format::Docx);
    let r = read(&doc);
    let got: Vec<(&str, Vec<&str>, Vec<&str>)> = r
        .tasks
        .iter()
        .map(|t| {
            (
                t.number.as_str(),
                t.lead.iter().map(String::as_str).collect(),
                t.coordinating.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "1",
                vec!["Sở Văn hóa, Thể thao và Du lịch"],
                vec!["Công an tỉnh", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"]
            ),
            ("2", vec!["Công an tỉnh"], vec!["Sở Tư pháp"]),
            (
                "3",
                vec!["Công an tỉnh"],
                vec!["Bộ Chỉ huy Bộ đội Biên phòng tỉnh"]
            ),
            (
                "4",
                vec!["Công an tỉnh"],
                vec!["Viện kiểm sát nhân dân tỉnh"]
            ),
            ("5", vec!["Sở Nội vụ"], vec![]),
        ]
    );
    assert_eq!(r.tasks[1].collective, ["Ủy ban nhân dân các xã, phường"]);
    assert!(r.tasks[4].all_relevant);
    assert_eq!(r.tasks[0].category.as_deref(), Some("COMMUNICATION"));
    assert_eq!(r.tasks[3].category.as_deref(), Some("ENFORCEMENT"));
    // Each task points at the rows it came from.
    assert!(
        r.tasks
            .iter()
            .all(|t| t.first_line > 9 && t.last_line >= t.first_line)
    );
}
