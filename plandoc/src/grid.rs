//! Assignment grids: a plan's tasks as a table, one row per task —
//! "STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian" — as
//! plans and their appendices ("Phụ lục") often give them.
//!
//! A grid is rewritten into the paragraphs the genre writes in prose, which
//! the reader already knows: a row becomes "1. <nội dung>; thời gian thực
//! hiện: <thời gian> (<chủ trì> chủ trì, phối hợp với <phối hợp> thực
//! hiện)." and a
//! row that only names a group ("I | CÔNG TÁC TRUYỀN THÔNG") a heading.
//! Any other table is left as it was read.

use crate::fold::{all_caps, clean, fold};

/// The columns of a grid.
#[derive(Debug, Default)]
struct Columns {
    number: Option<usize>,
    content: usize,
    lead: usize,
    coordinating: Option<usize>,
    time: Option<usize>,
}

/// A grid's columns from its header rows (the first rows, up to the one
/// naming "chủ trì"; a header may span two rows, "Cơ quan thực hiện" over
/// "Chủ trì | Phối hợp").
fn columns(rows: &[Vec<String>]) -> Option<(Columns, usize)> {
    let at = rows
        .iter()
        .take(3)
        .position(|r| r.iter().any(|c| fold(c).contains("chu tri")))?;
    let width = rows.get(at)?.len();
    let heads: Vec<String> = (0..width)
        .map(|j| {
            rows.iter()
                .take(at + 1)
                .filter_map(|r| r.get(j))
                .map(|c| fold(c))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let find = |words: &[&str]| {
        heads
            .iter()
            .position(|h| words.iter().any(|w| h.contains(w)))
    };
    let lead = heads.iter().position(|h| h.contains("chu tri"))?;
    let content = find(&[
        "noi dung",
        "nhiem vu",
        "hoat dong",
        "cong viec",
        "giai phap",
    ])
    .filter(|&c| c != lead)?;
    let number = heads.iter().position(|h| {
        let first = h.split_whitespace().next().unwrap_or_default();
        first == "stt" || first == "tt" || h.starts_with("so tt")
    });
    let coordinating = heads
        .iter()
        .position(|h| h.contains("phoi hop"))
        .filter(|&c| c != lead);
    let time = find(&["thoi gian", "thoi han", "tien do"]);
    Some((
        Columns {
            number,
            content,
            lead,
            coordinating,
            time,
        },
        at + 1,
    ))
}

/// A row's text: its number, its content, and its assignment in prose.
fn row_text(c: &Columns, row: &[String]) -> Option<(String, bool)> {
    // A cell's paragraphs are one text; in an agency cell, one name each.
    let cell = |i: Option<usize>, join: &str| -> String {
        i.and_then(|i| row.get(i))
            .map(|s| clean(&s.replace('\n', join)))
            .unwrap_or_default()
    };
    let number = cell(c.number, " ");
    let content = cell(Some(c.content), " ");
    let lead = cell(Some(c.lead), ", ");
    let coordinating = cell(c.coordinating, ", ");
    let time = cell(c.time, " ");
    let filled: Vec<String> = row
        .iter()
        .map(|s| clean(&s.replace('\n', " ")))
        .filter(|s| !s.is_empty())
        .collect();
    if content.is_empty() {
        // A row of one cell spanning the table ("I. CÔNG TÁC TRUYỀN THÔNG").
        return match filled.as_slice() {
            [only] => Some((only.clone(), all_caps(only))),
            _ => None,
        };
    }
    let prefix = match number.trim_end_matches(['.', ')']) {
        "" => String::new(),
        n => format!("{n}. "),
    };
    if lead.is_empty() && coordinating.is_empty() && time.is_empty() {
        // A group's heading ("I | CÔNG TÁC TRUYỀN THÔNG"), or a row that
        // spans the table.
        let heading = all_caps(&content) || number.chars().all(|ch| "IVX".contains(ch));
        return Some((format!("{prefix}{content}"), heading));
    }
    let mut text = format!("{prefix}{}", content.trim_end_matches(['.', ';']));
    if !time.is_empty() {
        text.push_str(&format!(
            "; thời gian thực hiện: {}",
            time.trim_end_matches('.')
        ));
    }
    match (lead.is_empty(), coordinating.is_empty()) {
        (false, false) => text.push_str(&format!(
            " ({} chủ trì, phối hợp với {} thực hiện)",
            lead.trim_end_matches(['.', ';']),
            coordinating.trim_end_matches(['.', ';'])
        )),
        (false, true) => text.push_str(&format!(
            " ({} chủ trì thực hiện)",
            lead.trim_end_matches(['.', ';'])
        )),
        (true, false) => text.push_str(&format!(
            " ({} phối hợp thực hiện)",
            coordinating.trim_end_matches(['.', ';'])
        )),
        (true, true) => {}
    }
    text.push('.');
    Some((text, false))
}

/// The paragraphs a grid stands for (text, is a heading, the row's index),
/// or None when `rows` is not a grid.
pub fn paragraphs(rows: &[Vec<String>]) -> Option<Vec<(String, bool, usize)>> {
    let (cols, body) = columns(rows)?;
    Some(
        rows.iter()
            .enumerate()
            .skip(body)
            .filter_map(|(i, r)| {
                // "(1) | (2) | (3)": column numbers under the header.
                if r.iter().all(|c| {
                    let c = c.trim().trim_start_matches('(').trim_end_matches(')');
                    c.is_empty() || c.chars().all(|ch| ch.is_ascii_digit())
                }) {
                    return None;
                }
                row_text(&cols, r).map(|(t, h)| (t, h, i))
            })
            .collect(),
    )
}

/// Cells split from a markdown table's line ("| 1 | Tuyên truyền | Công an tỉnh |"),
/// or None when the line is not one; a separator line ("|---|:--|") gives
/// an empty list.
pub fn markdown_cells(line: &str) -> Option<Vec<String>> {
    let t = line.trim();
    if !(t.starts_with('|') && t.ends_with('|') && t.len() > 1) {
        return None;
    }
    let inner = t.get(1..t.len() - 1)?;
    let cells: Vec<String> = inner.split('|').map(|c| clean(c.trim())).collect();
    if cells
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
    {
        return Some(Vec::new());
    }
    Some(cells)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn a_grid_becomes_prose() {
        let rows = vec![
            row(&[
                "STT",
                "Nội dung nhiệm vụ",
                "Cơ quan thực hiện",
                "",
                "Thời gian",
            ]),
            row(&["", "", "Chủ trì", "Phối hợp", ""]),
            row(&["(1)", "(2)", "(3)", "(4)", "(5)"]),
            row(&["I", "CÔNG TÁC TRUYỀN THÔNG", "", "", ""]),
            row(&[
                "1",
                "Tổ chức tuyên truyền tại các xã biên giới",
                "Sở Văn hóa, Thể thao và Du lịch",
                "Công an tỉnh; Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
                "Quý III/2026",
            ]),
            row(&["2", "Rà soát văn bản", "Sở Tư pháp", "", ""]),
        ];
        let p = paragraphs(&rows).unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!(p[0], ("I. CÔNG TÁC TRUYỀN THÔNG".to_owned(), true, 3));
        assert_eq!(
            p[1].0,
            "1. Tổ chức tuyên truyền tại các xã biên giới; thời gian thực hiện: Quý III/2026 (Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Công an tỉnh; Bộ Chỉ huy Bộ đội Biên phòng tỉnh thực hiện)."
        );
        assert_eq!(p[2].0, "2. Rà soát văn bản (Sở Tư pháp chủ trì thực hiện).");
    }

    #[test]
    fn other_tables_are_not_grids() {
        let header = vec![
            row(&[
                "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            ]),
            row(&["Số: 12/KH-UBND", "Ninh Bình, ngày 01 tháng 3 năm 2026"]),
        ];
        assert!(paragraphs(&header).is_none());
    }

    #[test]
    fn markdown_rows() {
        assert_eq!(
            markdown_cells("| 1 | Tuyên truyền | Công an tỉnh |"),
            Some(row(&["1", "Tuyên truyền", "Công an tỉnh"]))
        );
        assert_eq!(markdown_cells("|---|:---:|---|"), Some(Vec::new()));
        assert_eq!(markdown_cells("1. Tuyên truyền"), None);
    }
}
