//! Word (.docx) paragraphs, read natively from the zip: `word/document.xml`
//! for paragraphs, runs and tables, `word/numbering.xml` for automatic
//! numbering.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::fold::clean;
use crate::{DocError, MAX_SIZE, Paragraph};

type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

fn open(bytes: &[u8]) -> Result<Archive<'_>, DocError> {
    zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocError::Corrupt(e.to_string()))
}

/// Whether the zip holds `word/document.xml`.
pub fn has_document_xml(bytes: &[u8]) -> Result<bool, DocError> {
    let archive = open(bytes)?;
    Ok(archive.index_for_name("word/document.xml").is_some())
}

/// Refuses archives whose entries declare more than [`MAX_SIZE`] unpacked.
fn check_declared(archive: &mut Archive<'_>) -> Result<(), DocError> {
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| DocError::Corrupt(e.to_string()))?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_SIZE {
        return Err(DocError::TooLarge(format!(
            "its parts unpack to {total} bytes, more than {MAX_SIZE}"
        )));
    }
    Ok(())
}

/// Reads one entry, refusing to unpack more than [`MAX_SIZE`] bytes.
fn read_entry(archive: &mut Archive<'_>, name: &str) -> Result<Option<String>, DocError> {
    let Some(index) = archive.index_for_name(name) else {
        return Ok(None);
    };
    let entry = archive
        .by_index(index)
        .map_err(|e| DocError::Corrupt(e.to_string()))?;
    let mut buf = Vec::new();
    entry
        .take(MAX_SIZE + 1)
        .read_to_end(&mut buf)
        .map_err(|e| DocError::Corrupt(e.to_string()))?;
    if buf.len() as u64 > MAX_SIZE {
        return Err(DocError::TooLarge(format!(
            "{name} unpacks to more than {MAX_SIZE} bytes"
        )));
    }
    String::from_utf8(buf)
        .map(Some)
        .map_err(|e| DocError::Corrupt(format!("{name} is not UTF-8: {e}")))
}

fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let key = a.key.as_ref();
        let name = key.rsplit(':').next().unwrap_or(key);
        (name == local).then(|| a.value.into_owned())
    })
}

fn local(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_owned()
}

/// One level of a numbering definition.
#[derive(Clone, Debug, Default)]
struct Level {
    start: u32,
    format: String,
    text: String,
}

#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, HashMap<u8, Level>>,
    /// numId → (abstractNumId, start overrides per level).
    nums: HashMap<String, (String, HashMap<u8, u32>)>,
}

fn parse_numbering(xml: &str) -> Numbering {
    let mut n = Numbering::default();
    let mut reader = Reader::from_str(xml);
    let mut abs: Option<String> = None;
    let mut num: Option<String> = None;
    let mut lvl: Option<u8> = None;
    let mut level = Level::default();
    let mut override_lvl: Option<u8> = None;
    loop {
        let ev = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(ev) => ev,
        };
        match ev {
            Event::Start(e) | Event::Empty(e) => match local(&e).as_str() {
                "abstractNum" => abs = attr(&e, "abstractNumId"),
                "num" => {
                    num = attr(&e, "numId");
                    if let Some(id) = &num {
                        n.nums.entry(id.clone()).or_default();
                    }
                }
                "abstractNumId" => {
                    if let (Some(id), Some(v)) = (&num, attr(&e, "val")) {
                        n.nums.entry(id.clone()).or_default().0 = v;
                    }
                }
                "lvlOverride" => override_lvl = attr(&e, "ilvl").and_then(|v| v.parse().ok()),
                "startOverride" => {
                    if let (Some(id), Some(l), Some(v)) = (
                        &num,
                        override_lvl,
                        attr(&e, "val").and_then(|v| v.parse().ok()),
                    ) {
                        n.nums.entry(id.clone()).or_default().1.insert(l, v);
                    }
                }
                "lvl" if abs.is_some() => {
                    lvl = attr(&e, "ilvl").and_then(|v| v.parse().ok());
                    level = Level {
                        start: 1,
                        ..Level::default()
                    };
                }
                "start" if lvl.is_some() => {
                    level.start = attr(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(1);
                }
                "numFmt" if lvl.is_some() => level.format = attr(&e, "val").unwrap_or_default(),
                "lvlText" if lvl.is_some() => level.text = attr(&e, "val").unwrap_or_default(),
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "lvl" => {
                    if let (Some(a), Some(l)) = (&abs, lvl) {
                        n.abstracts
                            .entry(a.clone())
                            .or_default()
                            .insert(l, std::mem::take(&mut level));
                    }
                    lvl = None;
                }
                "abstractNum" => abs = None,
                "num" => num = None,
                "lvlOverride" => override_lvl = None,
                _ => {}
            },
            _ => {}
        }
    }
    n
}

fn roman(mut n: u32) -> String {
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in table {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

fn letter(n: u32) -> String {
    let n = n.max(1) - 1;
    let c = char::from(b'a' + u8::try_from(n % 26).unwrap_or(0));
    std::iter::repeat_n(c, usize::try_from(n / 26 + 1).unwrap_or(1)).collect()
}

fn format_counter(format: &str, n: u32) -> String {
    match format {
        "lowerLetter" => letter(n),
        "upperLetter" => letter(n).to_uppercase(),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        "decimalZero" => format!("{n:02}"),
        "none" => String::new(),
        _ => n.to_string(),
    }
}

/// Numbering counters as Word keeps them while the document is read.
struct Counters<'a> {
    defs: &'a Numbering,
    /// (abstractNumId) → counters per level.
    counts: HashMap<String, [u32; 9]>,
    /// numIds seen, so a new num restarts at its start overrides.
    seen: HashMap<String, bool>,
}

impl Counters<'_> {
    fn next(&mut self, num_id: &str, ilvl: u8) -> Option<String> {
        let (abs_id, overrides) = self.defs.nums.get(num_id)?;
        let levels = self.defs.abstracts.get(abs_id)?;
        let level = levels.get(&ilvl)?;
        let counts = self.counts.entry(abs_id.clone()).or_insert([0; 9]);
        let li = usize::from(ilvl.min(8));
        if !self.seen.contains_key(num_id) {
            self.seen.insert(num_id.to_owned(), true);
            if !overrides.is_empty() {
                for (l, start) in overrides {
                    if let Some(c) = counts.get_mut(usize::from(*l)) {
                        *c = start.saturating_sub(1);
                    }
                }
            }
        }
        let start_of = |l: usize| {
            levels
                .get(&u8::try_from(l).unwrap_or(0))
                .map_or(1, |lv| lv.start)
        };
        counts[li] = if counts[li] == 0 {
            start_of(li)
        } else {
            counts[li] + 1
        };
        for (deeper, c) in counts.iter_mut().enumerate().skip(li + 1) {
            let _ = deeper;
            *c = 0;
        }
        if level.format == "bullet" {
            let t = level.text.trim();
            return Some(
                if t.chars().all(|c| c.is_alphanumeric() || c.is_whitespace()) || t.is_empty() {
                    "-".to_owned()
                } else if matches!(t, "-" | "–" | "+") {
                    t.replace('–', "-")
                } else {
                    "-".to_owned()
                },
            );
        }
        let mut text = level.text.clone();
        for l in (0..=li).rev() {
            let format = levels
                .get(&u8::try_from(l).unwrap_or(0))
                .map_or("decimal", |lv| lv.format.as_str());
            let value = if counts[l] == 0 {
                start_of(l)
            } else {
                counts[l]
            };
            text = text.replace(&format!("%{}", l + 1), &format_counter(format, value));
        }
        Some(text.trim().to_owned())
    }
}

/// The paragraphs of a .docx.
pub fn paragraphs(bytes: &[u8]) -> Result<Vec<Paragraph>, DocError> {
    let mut archive = open(bytes)?;
    check_declared(&mut archive)?;
    let document = read_entry(&mut archive, "word/document.xml")?
        .ok_or_else(|| DocError::Corrupt("there is no word/document.xml".to_owned()))?;
    let numbering = read_entry(&mut archive, "word/numbering.xml")?
        .map(|x| parse_numbering(&x))
        .unwrap_or_default();
    Ok(parse_document(&document, &numbering))
}

#[derive(Default)]
struct Para {
    text: String,
    num_id: Option<String>,
    ilvl: u8,
    bold_chars: usize,
    chars: usize,
    style_heading: bool,
}

/// A top-level table being read: its cells by row (a cell's paragraphs
/// joined by line breaks; a merged cell's continuation holds the text
/// above it, a spanned column is empty), and its paragraphs as read.
#[derive(Default)]
struct Table {
    rows: Vec<Vec<String>>,
    /// The first and last paragraph index of each row.
    lines: Vec<(u32, u32)>,
    paras: Vec<Paragraph>,
    span: usize,
    continued: bool,
}

impl Table {
    fn cell(&mut self) -> Option<&mut String> {
        self.rows.last_mut()?.last_mut()
    }

    /// Closes the current cell: a vertical merge's continuation takes the
    /// text above it; a horizontal span leaves its other columns empty.
    fn end_cell(&mut self) {
        let (Some(row), prev) = (
            self.rows.len().checked_sub(1),
            self.rows.len().checked_sub(2),
        ) else {
            return;
        };
        if self.continued {
            let col = self.rows.get(row).map_or(0, |r| r.len().saturating_sub(1));
            let above = prev
                .and_then(|p| self.rows.get(p))
                .and_then(|r| r.get(col))
                .cloned()
                .unwrap_or_default();
            if let Some(c) = self.cell()
                && c.trim().is_empty()
            {
                *c = above;
            }
        }
        for _ in 1..self.span {
            if let Some(r) = self.rows.get_mut(row) {
                r.push(String::new());
            }
        }
        self.span = 1;
        self.continued = false;
    }

    /// The table's paragraphs: an assignment grid rewritten as prose
    /// (`grid`), any other table as read.
    fn finish(self, out: &mut Vec<Paragraph>) {
        match crate::grid::paragraphs(&self.rows) {
            Some(list) => out.extend(list.into_iter().map(|(text, heading, row)| {
                let (first_line, last_line) = self.lines.get(row).copied().unwrap_or((0, 0));
                Paragraph {
                    text,
                    first_line,
                    last_line,
                    numbering: None,
                    bold: heading,
                    in_table: true,
                    group: heading,
                }
            })),
            None => out.extend(self.paras),
        }
    }
}

fn parse_document(xml: &str, numbering: &Numbering) -> Vec<Paragraph> {
    let mut counters = Counters {
        defs: numbering,
        counts: HashMap::new(),
        seen: HashMap::new(),
    };
    let mut out = Vec::new();
    let mut reader = Reader::from_str(xml);
    let mut table_depth = 0u32;
    let mut table: Option<Table> = None;
    let mut para: Option<Para> = None;
    let mut in_ppr = false;
    let mut in_rpr = false;
    let mut run_bold = false;
    let mut in_text = false;
    let mut index = 0u32;
    loop {
        let ev = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(ev) => ev,
        };
        let empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                let name = local(&e);
                match name.as_str() {
                    "tbl" if !empty => {
                        table_depth += 1;
                        if table_depth == 1 {
                            table = Some(Table::default());
                        }
                    }
                    "tr" if !empty && table_depth == 1 => {
                        if let Some(t) = table.as_mut() {
                            t.rows.push(Vec::new());
                            t.lines.push((index + 1, index + 1));
                        }
                    }
                    "tc" if !empty && table_depth == 1 => {
                        if let Some(t) = table.as_mut()
                            && let Some(r) = t.rows.last_mut()
                        {
                            r.push(String::new());
                            t.span = 1;
                            t.continued = false;
                        }
                    }
                    "gridSpan" if table_depth == 1 => {
                        if let Some(t) = table.as_mut() {
                            t.span = attr(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(1);
                        }
                    }
                    "vMerge" if table_depth == 1 => {
                        if let Some(t) = table.as_mut() {
                            t.continued = attr(&e, "val").is_none_or(|v| v == "continue");
                        }
                    }
                    "p" => {
                        para = Some(Para::default());
                        if empty {
                            para = None;
                        }
                    }
                    "pPr" if !empty => in_ppr = true,
                    "rPr" if !empty => in_rpr = true,
                    "r" => run_bold = false,
                    "numId" if in_ppr => {
                        if let Some(p) = para.as_mut() {
                            p.num_id = attr(&e, "val").filter(|v| v != "0");
                        }
                    }
                    "ilvl" if in_ppr => {
                        if let Some(p) = para.as_mut() {
                            p.ilvl = attr(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(0);
                        }
                    }
                    "pStyle" if in_ppr => {
                        if let Some(p) = para.as_mut() {
                            let v = attr(&e, "val").unwrap_or_default().to_lowercase();
                            p.style_heading = v.starts_with("heading") || v == "title";
                        }
                    }
                    "b" if in_rpr && !in_ppr => {
                        run_bold =
                            !matches!(attr(&e, "val").as_deref(), Some("0" | "false" | "off"));
                    }
                    "t" if !empty => in_text = true,
                    "tab" if !in_ppr => {
                        if let Some(p) = para.as_mut() {
                            p.text.push(' ');
                        }
                    }
                    "br" | "cr" => {
                        if let Some(p) = para.as_mut() {
                            p.text.push(' ');
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_text => {
                if let Some(p) = para.as_mut() {
                    let s: &str = &t;
                    push_run(p, s, run_bold);
                }
            }
            Event::GeneralRef(r) if in_text => {
                let s: &str = r.as_ref();
                let c = r.resolve_char_ref().ok().flatten().or(match s {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    _ => None,
                });
                if let (Some(p), Some(c)) = (para.as_mut(), c) {
                    push_run(p, &c.to_string(), run_bold);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "tbl" => {
                    table_depth = table_depth.saturating_sub(1);
                    if table_depth == 0
                        && let Some(t) = table.take()
                    {
                        t.finish(&mut out);
                    }
                }
                "tc" if table_depth == 1 => {
                    if let Some(t) = table.as_mut() {
                        t.end_cell();
                    }
                }
                "pPr" => in_ppr = false,
                "rPr" => in_rpr = false,
                "t" => in_text = false,
                "p" => {
                    index += 1;
                    if let Some(p) = para.take() {
                        let text = clean(&p.text);
                        let numbering = p
                            .num_id
                            .as_deref()
                            .and_then(|id| counters.next(id, p.ilvl))
                            .filter(|n| !n.is_empty());
                        if text.is_empty() {
                            continue;
                        }
                        let full = match &numbering {
                            Some(n) => format!("{n} {text}"),
                            None => text,
                        };
                        let paragraph = Paragraph {
                            text: full,
                            first_line: index,
                            last_line: index,
                            numbering,
                            bold: p.style_heading || (p.chars > 0 && p.bold_chars * 2 > p.chars),
                            in_table: table_depth > 0,
                            group: false,
                        };
                        match table.as_mut() {
                            Some(t) => {
                                if let Some(c) = t.cell() {
                                    if !c.is_empty() {
                                        c.push('\n');
                                    }
                                    c.push_str(&paragraph.text);
                                }
                                if let Some(l) = t.lines.last_mut() {
                                    l.1 = index;
                                }
                                t.paras.push(paragraph);
                            }
                            None => out.push(paragraph),
                        }
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    out
}

fn push_run(p: &mut Para, s: &str, bold: bool) {
    let n = s.chars().filter(|c| !c.is_whitespace()).count();
    p.chars += n;
    if bold {
        p.bold_chars += n;
    }
    p.text.push_str(s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_render_like_word() {
        let xml = r#"<w:numbering xmlns:w="x">
          <w:abstractNum w:abstractNumId="0">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="(%1)"/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>
          </w:abstractNum>
          <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
          <w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
        </w:numbering>"#;
        let n = parse_numbering(xml);
        let mut c = Counters {
            defs: &n,
            counts: HashMap::new(),
            seen: HashMap::new(),
        };
        assert_eq!(c.next("1", 0).as_deref(), Some("(1)"));
        assert_eq!(c.next("1", 1).as_deref(), Some("a)"));
        assert_eq!(c.next("1", 1).as_deref(), Some("b)"));
        assert_eq!(c.next("1", 0).as_deref(), Some("(2)"));
        assert_eq!(c.next("2", 0).as_deref(), Some("(1)"));
        assert_eq!(roman(14), "XIV");
    }
}
