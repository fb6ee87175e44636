//! Paragraphs of a text (or markdown) document.
//!
//! Text copied out of a PDF is hard-wrapped at the page width and often has
//! a blank line after every line, so blank lines do not end paragraphs there.
//! A line continues the previous one unless it starts a numbered item or a
//! bullet, or the previous line ends a sentence or heading (or is clearly
//! shorter than the page width) and this one starts like a new paragraph. In
//! text that is not hard-wrapped (each paragraph on one line), a line break
//! ends a paragraph unless the next line starts in lower case (a page break in
//! the middle of a sentence).

use std::sync::LazyLock;

use regex::Regex;

use crate::Paragraph;
use crate::fold::{all_caps, clean, re, starts_lower};

static ITEM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:[IVX]{1,5}\.\s|\d{1,2}(?:\.\d{1,2})*\.\s|\d{1,2}(?:\.\d{1,2})+\s|\(\d{1,2}\)|\d{1,2}\)\s|[a-zđ]\)\s|[-–—•+*]\s*\S|#)",
    )
});

struct Line<'a> {
    text: &'a str,
    no: u32,
    /// Blank lines just before this one.
    blanks: usize,
}

/// Splits `s` into paragraphs.
pub fn paragraphs(s: &str) -> Vec<Paragraph> {
    let mut lines: Vec<Line<'_>> = Vec::new();
    let mut blanks = 0;
    for (i, raw) in s.lines().enumerate() {
        let t = raw.trim();
        if t.is_empty() {
            blanks += 1;
            continue;
        }
        lines.push(Line {
            text: t,
            no: u32::try_from(i + 1).unwrap_or(u32::MAX),
            blanks,
        });
        blanks = 0;
    }
    let mut lens: Vec<usize> = lines.iter().map(|l| l.text.chars().count()).collect();
    lens.sort_unstable();
    let median = lens.get(lens.len() / 2).copied().unwrap_or(0);
    let width = lens.get(lens.len() * 3 / 4).copied().unwrap_or(0);
    let continued = lines
        .windows(2)
        .filter(|w| w.get(1).is_some_and(|l| starts_lower(l.text)))
        .count();
    let wrapped = median > 0 && median < 120 && continued * 4 >= lines.len();
    let short = width * 4 / 5;

    let grids = markdown_grids(&lines);
    let mut out: Vec<Paragraph> = Vec::new();
    let mut bold_open = false;
    let mut prev: Option<&Line<'_>> = None;
    for (i, line) in lines.iter().enumerate() {
        if let Some((start, end, paras)) = grids.iter().find(|g| g.0 <= i && i < g.1) {
            if *start == i {
                out.extend(paras.iter().cloned());
            }
            if i + 1 == *end {
                prev = None;
            }
            continue;
        }
        let (text, bold, open_after) = strip_markdown(line.text, bold_open);
        bold_open = open_after;
        let text = clean(&text);
        if text.is_empty() {
            continue;
        }
        let new = match (prev, out.last()) {
            (Some(p), Some(last)) => starts_new(p, &last.text, line, &text, wrapped, short),
            _ => true,
        };
        match out.last_mut() {
            Some(last) if !new => {
                last.text.push(' ');
                last.text.push_str(&text);
                last.last_line = line.no;
                last.bold = last.bold && bold;
            }
            _ => out.push(Paragraph {
                text,
                first_line: line.no,
                last_line: line.no,
                numbering: None,
                bold,
                in_table: false,
                group: false,
            }),
        }
        prev = Some(line);
    }
    out
}

/// The markdown tables among `lines` that are assignment grids (`grid`):
/// (first line index, end, their paragraphs).
fn markdown_grids(lines: &[Line<'_>]) -> Vec<(usize, usize, Vec<Paragraph>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        let mut rows = Vec::new();
        let mut nos = Vec::new();
        while let Some(cells) = lines
            .get(j)
            .and_then(|l| crate::grid::markdown_cells(l.text))
        {
            if !cells.is_empty() {
                rows.push(cells);
                nos.push(lines.get(j).map_or(0, |l| l.no));
            }
            j += 1;
        }
        if j == i {
            i += 1;
            continue;
        }
        if let Some(list) = crate::grid::paragraphs(&rows) {
            let paras = list
                .into_iter()
                .map(|(text, heading, row)| {
                    let no = nos.get(row).copied().unwrap_or(0);
                    Paragraph {
                        text,
                        first_line: no,
                        last_line: no,
                        numbering: None,
                        bold: heading,
                        in_table: true,
                        group: heading,
                    }
                })
                .collect();
            out.push((i, j, paras));
        }
        i = j;
    }
    out
}

fn starts_new(
    prev: &Line<'_>,
    prev_para: &str,
    line: &Line<'_>,
    text: &str,
    wrapped: bool,
    short: usize,
) -> bool {
    if ITEM.is_match(text) && !text.starts_with('*') {
        return true;
    }
    if starts_lower(text) {
        return false;
    }
    if !wrapped {
        return true;
    }
    // A wrapped copy has one blank line after every line; more is a break.
    if line.blanks >= 2 {
        return true;
    }
    let ends = prev_para.trim_end();
    let ended = ends.ends_with(['.', ':', ';', '!', '?', '…'])
        || ends.ends_with(".)")
        || ends.ends_with(')') && prev_para.starts_with('(');
    if ended {
        return true;
    }
    if all_caps(prev.text) && !all_caps(text) {
        return true;
    }
    prev.text.chars().count() < short
}

/// The line without markdown markers: `# `, `**`, `__`; bullets `* ` become
/// `- `. Gives the text, whether it is bold, and whether a `**` is still open.
fn strip_markdown(line: &str, bold_open: bool) -> (String, bool, bool) {
    let mut t = line.trim_start_matches('#').trim_start();
    let heading = t.len() != line.len();
    let mut bullet = false;
    if let Some(rest) = t.strip_prefix("* ").or_else(|| t.strip_prefix("+ ")) {
        t = rest;
        bullet = line.trim_start().starts_with('*');
    }
    let marks = t.matches("**").count();
    let bold = heading || bold_open || marks > 0;
    let open_after = bold_open ^ (marks % 2 == 1);
    let mut s = t.replace("**", "").replace("__", "");
    if bullet {
        s.insert_str(0, "- ");
    } else if line.trim_start().starts_with("+ ") {
        s.insert_str(0, "+ ");
    }
    (s, bold, open_after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_wrapped_lines() {
        let s = "I. MỤC TIÊU \n\n1. Tiếp tục phát huy sức mạnh của cả hệ thống chính trị và toàn dân tham gia \n\nphòng, chống mua bán người; xác định rõ nhiệm vụ, trách nhiệm các cấp, các ngành và \n\nnâng cao hiệu quả. \n\n2. Phấn đấu giảm.\n";
        let ps = paragraphs(s);
        assert_eq!(ps.len(), 3, "{ps:#?}");
        assert_eq!(ps[0].text, "I. MỤC TIÊU");
        assert!(ps[1].text.ends_with("nâng cao hiệu quả."));
        assert_eq!((ps[1].first_line, ps[1].last_line), (3, 7));
    }

    #[test]
    fn markdown_markers() {
        let ps = paragraphs("# KẾ HOẠCH\n\n* một\n\n**TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH**\n");
        assert_eq!(ps[0].text, "KẾ HOẠCH");
        assert!(ps[0].bold);
        assert_eq!(ps[1].text, "- một");
        assert_eq!(ps[2].text, "TM. ỦY BAN NHÂN DÂN");
        assert_eq!(ps[3].text, "CHỦ TỊCH");
        assert!(ps[3].bold);
    }
}
