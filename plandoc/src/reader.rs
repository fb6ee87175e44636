//! Reads the paragraphs of a plan for the genre.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::agency::{is_collective, names_at_start, split_list, starts_with_head};
use crate::dates::{self, find_dates};
use crate::fold::{Folded, all_caps, clean, fold, normal_case, re};
use crate::{
    Document, Paragraph, PartialDate, Period, Reading, Reference, Rule, Section, Signatory, Target,
    Task, Warning,
};

/// The kind of a number as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Roman,
    Decimal,
    Dotted(usize),
    Paren,
    NumParen,
    Letter,
    Dash,
    Plus,
    /// An unnumbered paragraph read as a task.
    Para,
    /// A group row of an assignment grid, numbered or not.
    Group,
}

struct Mark {
    kind: Kind,
    written: String,
    rest: String,
}

static MARK: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"^(?:(?P<roman>[IVX]{1,5})\.\s*(?P<r1>\S.*)",
        r"|(?P<dotted>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?P<r2>\S.*)",
        r"|(?P<dec>\d{1,2})\.\s*(?P<r3>\S.*)",
        r"|\((?P<paren>\d{1,2})\)\s*(?P<r4>\S.*)",
        r"|(?P<np>\d{1,2})\)\s*(?P<r5>\S.*)",
        r"|(?P<letter>[a-zđ])\)\s*(?P<r6>\S.*)",
        r"|(?P<dash>[-–—•])\s*(?P<r7>\S.*)",
        r"|(?P<plus>\+)\s*(?P<r8>\S.*))$",
    ))
});

fn mark(text: &str) -> Option<Mark> {
    let c = MARK.captures(text)?;
    let rest = |name: &str| c.name(name).map_or("", |m| m.as_str()).trim().to_owned();
    if let Some(m) = c.name("roman") {
        return Some(Mark {
            kind: Kind::Roman,
            written: format!("{}.", m.as_str()),
            rest: rest("r1"),
        });
    }
    if let Some(m) = c.name("dotted") {
        let depth = m.as_str().matches('.').count() + 1;
        let written = text
            .get(..m.end() + usize::from(text.get(m.end()..).is_some_and(|t| t.starts_with('.'))))
            .unwrap_or(m.as_str());
        return Some(Mark {
            kind: Kind::Dotted(depth),
            written: written.to_owned(),
            rest: rest("r2"),
        });
    }
    let simple = [
        ("dec", "r3", Kind::Decimal),
        ("paren", "r4", Kind::Paren),
        ("np", "r5", Kind::NumParen),
        ("letter", "r6", Kind::Letter),
        ("dash", "r7", Kind::Dash),
        ("plus", "r8", Kind::Plus),
    ];
    for (name, r, kind) in simple {
        if let Some(m) = c.name(name) {
            let written = match kind {
                Kind::Decimal => format!("{}.", m.as_str()),
                Kind::Paren => format!("({})", m.as_str()),
                Kind::NumParen | Kind::Letter => format!("{})", m.as_str()),
                Kind::Dash => "-".to_owned(),
                _ => "+".to_owned(),
            };
            return Some(Mark {
                kind,
                written,
                rest: rest(r),
            });
        }
    }
    None
}

/// Words of section titles → task category; the first that matches wins.
const CATEGORY_WORDS: [(&str, &str); 24] = [
    ("hop tac quoc te", "INTERNATIONAL_COOPERATION"),
    ("truy to", "PROSECUTION_AND_TRIAL"),
    ("xet xu", "PROSECUTION_AND_TRIAL"),
    ("giai cuu", "VICTIM_SUPPORT"),
    ("nan nhan", "VICTIM_SUPPORT"),
    ("phong ngua nghiep vu", "PROFESSIONAL_PREVENTION"),
    ("nghiep vu", "PROFESSIONAL_PREVENTION"),
    ("phong ngua xa hoi", "SOCIAL_PREVENTION"),
    ("thanh tra", "INSPECTION"),
    ("kiem tra, giam sat", "INSPECTION"),
    ("phat hien, xu ly", "ENFORCEMENT"),
    ("dau tranh", "ENFORCEMENT"),
    ("tan cong, tran ap", "ENFORCEMENT"),
    ("hoan thien", "LEGAL_FRAMEWORK"),
    ("phap luat", "LEGAL_FRAMEWORK"),
    ("chinh sach", "LEGAL_FRAMEWORK"),
    ("truyen thong", "COMMUNICATION"),
    ("tuyen truyen", "COMMUNICATION"),
    ("chi dao", "DIRECTION"),
    ("tham muu", "DIRECTION"),
    ("lanh dao", "DIRECTION"),
    ("phong ngua", "SOCIAL_PREVENTION"),
    ("quan ly", "INSPECTION"),
    ("kiem tra", "INSPECTION"),
];

fn category_of(text: &str) -> Option<&'static str> {
    let f = fold(text);
    CATEGORY_WORDS
        .iter()
        .find(|(w, _)| f.contains(w))
        .map(|(_, c)| *c)
}

/// Who does a task.
#[derive(Clone, Debug, Default)]
struct Assign {
    lead: Vec<String>,
    coord: Vec<String>,
    collective: Vec<String>,
    /// Those of `collective` named as leads.
    collective_lead: Vec<String>,
    all_relevant: bool,
    window: Option<(PartialDate, PartialDate)>,
    due: Option<PartialDate>,
}

impl Assign {
    fn is_empty(&self) -> bool {
        self.lead.is_empty() && self.coord.is_empty() && self.collective.is_empty()
    }

    fn add(&mut self, names: Vec<String>, lead: bool) {
        for n in names {
            if is_collective(&n) {
                let f = fold(&n);
                if f.contains("lien quan")
                    || f.starts_with("cac so")
                    || f.starts_with("cac co quan")
                    || f.starts_with("co quan")
                    || f.starts_with("cac don vi")
                    || f.starts_with("cac luc luong")
                    || f.starts_with("cac nganh")
                {
                    self.all_relevant = true;
                }
                if lead && !self.collective_lead.contains(&n) {
                    self.collective_lead.push(n.clone());
                }
                if !self.collective.contains(&n) {
                    self.collective.push(n);
                }
            } else if lead {
                if !self.lead.contains(&n) {
                    self.lead.push(n);
                }
            } else if !self.coord.contains(&n) && !self.lead.contains(&n) {
                self.coord.push(n);
            }
        }
    }
}

static LIST_END: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(?:thuc hien|theo chuc nang|chu tri|trien khai thuc hien)\b"));

/// A list of names in an assignment, up to "thực hiện" / "theo chức năng".
fn list_in(text: &str) -> Vec<String> {
    let f = Folded::new(text);
    let end = LIST_END.find(&f.text).map_or(f.text.len(), |m| m.start());
    split_list(f.orig(0, end))
}

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:(?:co quan|don vi|nganh)\s+(?P<lead>chu tri)|(?:co quan|don vi|nganh)\s+(?P<coord>phoi hop)",
        r"|(?P<gen>phan cong thuc hien|trach nhiem thuc hien|(?:co quan|don vi) thuc hien|phan cong)",
        r"|(?P<time>thoi gian(?: thuc hien| hoan thanh)?))\s*:",
    ))
});

static ASSIGNMENT_START: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"^(?:[-+]\s*)?(?:(?:co quan|don vi|nganh)\s+(?:chu tri|phoi hop|thuc hien)",
        r"|phan cong thuc hien|trach nhiem thuc hien|phan cong nhiem vu|chu tri\s*:|phoi hop\s*:",
        r"|thoi gian(?: thuc hien| hoan thanh)?\s*:)",
    ))
});

/// Whether a paragraph assigns the tasks before it.
fn is_assignment(text: &str) -> bool {
    let f = fold(text);
    if ASSIGNMENT_START.is_match(&f) {
        return true;
    }
    let t = text.trim();
    t.starts_with('(')
        && (t.ends_with(')') || t.ends_with(").") || t.ends_with(");"))
        && !t.starts_with(|c: char| {
            c == '('
                && t.get(1..2)
                    .is_some_and(|d| d.chars().all(|x| x.is_ascii_digit()))
        })
        && t.len() < 600
        && (f.contains("thuc hien") || f.contains("chu tri") || f.contains("phoi hop"))
        && starts_with_head(t.trim_start_matches('('))
}

/// Reads an assignment block: parenthetical, labelled or "Phân công thực hiện: …".
fn parse_block(text: &str) -> Assign {
    let mut a = Assign::default();
    let t = text.trim();
    let t = t
        .strip_prefix('(')
        .map_or(t, |s| s.trim_end_matches(['.', ';']).trim_end_matches(')'));
    let f = Folded::new(t);
    let labels: Vec<_> = LABEL.captures_iter(&f.text).collect();
    if labels.is_empty() {
        unlabelled(t, &mut a);
    } else {
        let first = labels
            .first()
            .and_then(|c| c.get(0))
            .map_or(0, |m| m.start());
        let before = f.orig(0, first);
        if before.chars().any(char::is_alphabetic) && !fold(before).starts_with('-') {
            unlabelled(before, &mut a);
        }
        for (i, c) in labels.iter().enumerate() {
            let Some(whole) = c.get(0) else { continue };
            let end = labels
                .get(i + 1)
                .and_then(|n| n.get(0))
                .map_or(f.text.len(), |m| m.start());
            let part = f
                .orig(whole.end(), end)
                .trim()
                .trim_end_matches(['-', ';', ' ']);
            if c.name("lead").is_some() {
                a.add(list_in(part), true);
            } else if c.name("coord").is_some() {
                a.add(list_in(part), false);
            } else if c.name("time").is_some() {
                a.window = a.window.or_else(|| dates::window(part));
                a.due = a.due.or_else(|| dates::due(part));
            } else {
                unlabelled(part, &mut a);
            }
        }
    }
    a.window = a.window.or_else(|| dates::window(t));
    a.due = a.due.or_else(|| dates::due(t));
    a
}

static CHU_TRI: LazyLock<Regex> = LazyLock::new(|| re(r"\bchu tri\b"));
static PHOI_HOP: LazyLock<Regex> = LazyLock::new(|| re(r"\bphoi hop(?: chat che)?(?: voi)?\b"));

/// "X chủ trì, phối hợp với Y thực hiện"; "X theo chức năng phối hợp với Y";
/// "X thực hiện".
fn unlabelled(t: &str, a: &mut Assign) {
    let f = Folded::new(t);
    if let Some(m) = CHU_TRI.find(&f.text) {
        a.add(list_in(f.orig(0, m.start())), true);
        let after = &f.text[m.end()..];
        if let Some(p) = PHOI_HOP.find(after) {
            a.add(list_in(f.orig(m.end() + p.end(), f.text.len())), false);
        }
    } else if let Some(p) = PHOI_HOP.find(&f.text) {
        a.add(list_in(f.orig(0, p.start())), true);
        a.add(list_in(f.orig(p.end(), f.text.len())), false);
    } else {
        a.add(list_in(t), true);
    }
}

static GIAO: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:giao|de nghi)\s+"));
static PHOI_HOP_START: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:chu dong\s+)?phoi hop(?: chat che)?(?: voi)?\s+"));
static CHU_TRI_THEN: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^\s*(?:chu tri|la co quan chu tri)\s*,?\s*(?:phoi hop(?: chat che)?(?: voi)?\s+)?")
});

/// The lead (and coordination) a task's own sentence names:
/// "Sở Thông tin và Truyền thông chỉ đạo …", "Giao Sở … chủ trì, phối hợp
/// với … thực hiện", "Phối hợp với Viện kiểm sát … đẩy nhanh …".
fn sentence_assign(text: &str) -> Assign {
    let mut a = Assign::default();
    let f = Folded::new(text);
    let skip = GIAO.find(&f.text).map_or(0, |m| m.end());
    let body = f.orig(skip, f.text.len());
    let fb = Folded::new(body);
    if let Some(m) = PHOI_HOP_START.find(&fb.text) {
        if let Some((names, _)) = names_at_start(fb.orig(m.end(), fb.text.len())) {
            a.add(names, false);
        }
        return a;
    }
    let Some((names, len)) = names_at_start(body) else {
        return a;
    };
    let rest = body.get(len..).unwrap_or("");
    let fr = Folded::new(rest);
    if fr.text.trim().is_empty() {
        return a;
    }
    a.add(names, true);
    if let Some(m) = CHU_TRI_THEN.find(&fr.text) {
        let after = fr.orig(m.end(), fr.text.len());
        if m.as_str().contains("phoi hop")
            && let Some((coord, _)) = names_at_start(after)
        {
            a.add(coord, false);
        }
    }
    a
}

/// A heading that names agencies ("1. Công an tỉnh:", "3. Các lực lượng
/// chức năng, nòng cốt là lực lượng Công an, Bộ đội Biên phòng tỉnh:").
fn agency_heading(rest: &str) -> Option<Vec<String>> {
    let r = rest.trim().trim_end_matches([':', '.']).trim();
    if r.split_whitespace().count() > 25 || r.contains(". ") || !starts_with_head(r) {
        return None;
    }
    let names = split_list(r);
    if names.is_empty() {
        return None;
    }
    let ok = names
        .iter()
        .all(|n| starts_with_head(n) && n.split_whitespace().count() <= 14);
    let agencyish = names.iter().any(|n| {
        let f = fold(n);
        !is_collective(n)
            || [
                "co quan",
                "don vi",
                "so",
                "nganh",
                "luc luong",
                "uy ban",
                "ban chi dao",
                "dia phuong",
            ]
            .iter()
            .any(|w| f.contains(w))
    });
    (ok && agencyish).then_some(names)
}

/// A node of the outline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Node {
    Section(usize),
    Task(usize),
}

#[derive(Clone, Copy, Debug)]
struct Frame {
    kind: Kind,
    node: Node,
    tasks_on: bool,
}

#[derive(Clone, Debug, Default)]
struct TaskMeta {
    kind: Option<Kind>,
    parent: Option<Node>,
    has_children: bool,
    block: Option<Assign>,
    sentence: Assign,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Region {
    Goals,
    Tasks,
    Organisation,
    Other,
}

fn region_of(title: &str) -> Region {
    let f = fold(title);
    if [
        "nhiem vu",
        "noi dung",
        "giai phap",
        "phan cong",
        "hoat dong",
        "chuong trinh hanh dong",
    ]
    .iter()
    .any(|w| f.contains(w))
    {
        Region::Tasks
    } else if ["muc tieu", "muc dich", "yeu cau", "chi tieu"]
        .iter()
        .any(|w| f.contains(w))
    {
        Region::Goals
    } else if [
        "to chuc thuc hien",
        "kinh phi",
        "che do bao cao",
        "trach nhiem",
    ]
    .iter()
    .any(|w| f.contains(w))
    {
        Region::Organisation
    } else {
        Region::Other
    }
}

struct Outline {
    sections: Vec<Section>,
    tasks: Vec<Task>,
    meta: Vec<TaskMeta>,
    /// Children of each node, in order (None: the top).
    children: HashMap<Option<Node>, Vec<Node>>,
    /// Region of each paragraph of the body.
    regions: Vec<(usize, Region)>,
    warnings: Vec<Warning>,
}

fn is_end_of_body(p: &Paragraph) -> bool {
    let f = fold(&p.text);
    f.starts_with("noi nhan")
        || (all_caps(&p.text)
            && (f.starts_with("tm.")
                || f.starts_with("kt.")
                || f.starts_with("tm ")
                || f.starts_with("q.")
                || f.starts_with("tl.")))
}

fn outline(paras: &[Paragraph], body: std::ops::Range<usize>) -> Outline {
    let mut o = Outline {
        sections: Vec::new(),
        tasks: Vec::new(),
        meta: Vec::new(),
        children: HashMap::new(),
        regions: Vec::new(),
        warnings: Vec::new(),
    };
    let slice = paras.get(body.clone()).unwrap_or(&[]);
    let any_task_region = slice.iter().any(|p| {
        mark(&p.text).is_some_and(|m| m.kind == Kind::Roman && region_of(&m.rest) == Region::Tasks)
    });
    let mut stack: Vec<Frame> = Vec::new();
    let mut region = if any_task_region {
        Region::Other
    } else {
        Region::Tasks
    };
    let mut last_task: Option<usize> = None;
    let mut block: Vec<&Paragraph> = Vec::new();
    for (offset, p) in slice.iter().enumerate() {
        let i = body.start + offset;
        if is_assignment(&p.text) {
            block.push(p);
            o.regions.push((i, region));
            continue;
        }
        if !block.is_empty() {
            flush_block(&mut o, &block, last_task);
            block.clear();
        }
        let m = if p.group {
            Some(match mark(&p.text) {
                Some(m) => Mark {
                    kind: Kind::Group,
                    ..m
                },
                None => Mark {
                    kind: Kind::Group,
                    written: String::new(),
                    rest: p.text.clone(),
                },
            })
        } else {
            mark(&p.text)
        };
        let next = slice.get(offset + 1);
        match m {
            Some(m) => {
                if stack.last().is_some_and(|f| f.kind == Kind::Para) {
                    stack.pop();
                }
                if let Some(pos) = stack.iter().position(|f| f.kind == m.kind) {
                    stack.truncate(pos);
                }
                if m.kind == Kind::Roman {
                    stack.clear();
                    region = region_of(&m.rest);
                }
                let parent = stack.last().copied();
                let tasks_on = match parent {
                    None => {
                        region == Region::Tasks
                            || (!any_task_region
                                && region != Region::Goals
                                && region != Region::Organisation)
                    }
                    Some(f) => {
                        f.tasks_on
                            || matches!(f.node, Node::Section(s) if o.sections.get(s).is_some_and(|s| !s.agencies.is_empty()))
                    }
                };
                o.regions.push((i, region));
                let agencies = if m.kind == Kind::Roman {
                    None
                } else {
                    agency_heading(&m.rest)
                };
                let heading = matches!(m.kind, Kind::Roman | Kind::Group)
                    || agencies.is_some()
                    || looks_like_heading(&m, next, &stack);
                if heading || !tasks_on {
                    let parent_section = parent.and_then(|f| section_of(&o, f.node));
                    let idx = o.sections.len();
                    o.sections.push(Section {
                        number: m.written.clone(),
                        title: m.rest.trim_end_matches(':').trim().to_owned(),
                        depth: u8::try_from(stack.len()).unwrap_or(u8::MAX),
                        parent: parent_section,
                        agencies: agencies.unwrap_or_default(),
                        first_line: p.first_line,
                        last_line: p.last_line,
                    });
                    let node = Node::Section(idx);
                    o.children
                        .entry(parent.map(|f| f.node))
                        .or_default()
                        .push(node);
                    stack.push(Frame {
                        kind: m.kind,
                        node,
                        tasks_on: tasks_on && heading,
                    });
                    last_task = None;
                } else {
                    let idx = new_task(&mut o, parent, m.kind, &m.written, &m.rest, p);
                    stack.push(Frame {
                        kind: m.kind,
                        node: Node::Task(idx),
                        tasks_on,
                    });
                    last_task = Some(idx);
                }
            }
            None => {
                o.regions.push((i, region));
                match stack.last().copied() {
                    Some(Frame {
                        node: Node::Task(t),
                        ..
                    }) => {
                        if let Some(task) = o.tasks.get_mut(t) {
                            task.text.push('\n');
                            task.text.push_str(&p.text);
                            task.last_line = p.last_line;
                        }
                    }
                    Some(f) if f.tasks_on => {
                        let idx = new_task(&mut o, Some(f), Kind::Para, "", &p.text, p);
                        stack.push(Frame {
                            kind: Kind::Para,
                            node: Node::Task(idx),
                            tasks_on: true,
                        });
                        last_task = Some(idx);
                    }
                    _ => {}
                }
            }
        }
    }
    if !block.is_empty() {
        flush_block(&mut o, &block, last_task);
    }
    // Section spans run to the paragraph before the next section at the same or a shallower depth.
    let n = o.sections.len();
    for s in 0..n {
        let depth = o.sections[s].depth;
        let end = o.sections[s + 1..]
            .iter()
            .find(|x| x.depth <= depth)
            .map(|x| x.first_line.saturating_sub(1));
        let last_task_line = o
            .tasks
            .iter()
            .filter(|t| {
                t.first_line >= o.sections[s].first_line && end.is_none_or(|e| t.first_line <= e)
            })
            .map(|t| t.last_line)
            .max();
        o.sections[s].last_line = end
            .or(last_task_line)
            .unwrap_or(o.sections[s].last_line)
            .max(o.sections[s].first_line);
    }
    o
}

fn section_of(o: &Outline, node: Node) -> Option<usize> {
    match node {
        Node::Section(s) => Some(s),
        Node::Task(t) => o.tasks.get(t).and_then(|t| t.section),
    }
}

fn looks_like_heading(m: &Mark, next: Option<&Paragraph>, stack: &[Frame]) -> bool {
    let r = m.rest.trim();
    if matches!(m.kind, Kind::Dash | Kind::Plus) {
        return false;
    }
    if r.split_whitespace().count() > 30
        || r.ends_with(['.', ';', ':', ','])
        || r.contains(". ")
        || r.contains("; ")
    {
        return false;
    }
    let Some(next) = next else { return false };
    if is_assignment(&next.text) {
        return false;
    }
    match mark(&next.text) {
        Some(n) => n.kind != m.kind && !stack.iter().any(|f| f.kind == n.kind),
        None => true,
    }
}

fn new_task(
    o: &mut Outline,
    parent: Option<Frame>,
    kind: Kind,
    written: &str,
    rest: &str,
    p: &Paragraph,
) -> usize {
    let parent_node = parent.map(|f| f.node);
    let siblings = o.children.entry(parent_node).or_default();
    let number = match kind {
        Kind::Dash | Kind::Plus | Kind::Para => {
            let same = siblings
                .iter()
                .filter(|n| matches!(n, Node::Task(t) if o.meta.get(*t).is_some_and(|m| m.kind == Some(kind))))
                .count();
            let sign = match kind {
                Kind::Dash => "-",
                Kind::Plus => "+",
                _ => "¶",
            };
            format!("{sign}{}", same + 1)
        }
        Kind::Decimal | Kind::Dotted(_) => written.trim_end_matches('.').to_owned(),
        _ => written.to_owned(),
    };
    let idx = o.tasks.len();
    siblings.push(Node::Task(idx));
    if let Some(Node::Task(pt)) = parent_node
        && let Some(pm) = o.meta.get_mut(pt)
    {
        pm.has_children = true;
    }
    let section = parent_node.and_then(|n| section_of(o, n));
    o.tasks.push(Task {
        number,
        text: rest.to_owned(),
        section,
        category: None,
        lead: Vec::new(),
        coordinating: Vec::new(),
        all_relevant: false,
        collective: Vec::new(),
        collective_lead: Vec::new(),
        window_from: None,
        window_to: None,
        due_on: None,
        partners: Vec::new(),
        first_line: p.first_line,
        last_line: p.last_line,
    });
    o.meta.push(TaskMeta {
        kind: Some(kind),
        parent: parent_node,
        has_children: false,
        block: None,
        sentence: trailing_assignment(rest).map_or_else(|| sentence_assign(rest), parse_block),
    });
    idx
}

/// The assignment a task's own paragraph ends with: "Tổ chức … (Công an
/// tỉnh chủ trì, phối hợp với … thực hiện)."
fn trailing_assignment(text: &str) -> Option<&str> {
    let t = text.trim_end().trim_end_matches(['.', ';']).trim_end();
    if !t.ends_with(')') {
        return None;
    }
    // The '(' that opens the last bracket.
    let mut depth = 0usize;
    let mut open = None;
    for (i, c) in t.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    open = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let inner = t.get(open?..)?;
    (open? > 0 && is_assignment(inner)).then_some(inner)
}

/// Applies an assignment block to the tasks it closes: the last task and
/// the siblings of the same kind before it, back to the previous assignment,
/// a heading or a task with tasks of its own.
fn flush_block(o: &mut Outline, block: &[&Paragraph], last_task: Option<usize>) {
    let text = block
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    let first = block.first().map(|p| p.first_line);
    let last = block.last().map(|p| p.last_line);
    let a = parse_block(&text);
    if a.is_empty() && a.window.is_none() && a.due.is_none() {
        o.warnings.push(Warning {
            code: "UNREAD_ASSIGNMENT".to_owned(),
            message: format!("an assignment names no agency that could be read: {text}"),
            first_line: first,
            last_line: last,
        });
        return;
    }
    let Some(t) = last_task else {
        o.warnings.push(Warning {
            code: "UNREAD_ASSIGNMENT".to_owned(),
            message: format!("an assignment follows no task: {text}"),
            first_line: first,
            last_line: last,
        });
        return;
    };
    let (kind, parent) = match o.meta.get(t) {
        Some(m) => (m.kind, m.parent),
        None => return,
    };
    let siblings = o.children.get(&parent).cloned().unwrap_or_default();
    let Some(pos) = siblings.iter().position(|n| *n == Node::Task(t)) else {
        return;
    };
    let only_time = a.is_empty();
    for node in siblings[..=pos].iter().rev() {
        let Node::Task(s) = *node else { break };
        let Some(m) = o.meta.get_mut(s) else { break };
        if m.kind != kind || (m.has_children && s != t) {
            break;
        }
        if only_time {
            let mut merged = m.block.clone().unwrap_or_default();
            merged.window = a.window;
            merged.due = a.due;
            m.block = Some(merged);
            break;
        }
        // A task that names its own lead is not covered by a later block.
        if m.block.is_some() || (s != t && !m.sentence.lead.is_empty()) {
            break;
        }
        m.block = Some(a.clone());
    }
}

static FOREIGN: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:(?:Khu tự trị dân tộc Choang|Khu tự trị|tỉnh|các tỉnh|thành phố|các địa phương của|địa phương của|các địa phương|chính quyền)\s+)?",
        r"\b(?:Quảng Tây|Vân Nam|Quảng Đông|Hải Nam|Trung Quốc|Lào|Campuchia|Savannakhet|Salavan|Khammouane|Khăm Muồn|Bolikhamxay|Bôlykhămxay|Champasak|Chămpasắc|Hủa Phăn|Luang Prabang|Luông Pha Băng|Xiêng Khoảng|Attapeu|Sekong|Phongsaly|Phông Sa Lỳ|Oudomxay|Udomxay|Bokeo|Hàn Quốc|Nhật Bản|Đài Loan|Thái Lan|Myanmar|Malaysia|Singapore|Hồng Kông|Philippines|Indonesia|Ratanakiri|Stung Treng|Kampot|Takeo|Svay Rieng|Prey Veng|Kandal)\b",
        r"(?:,\s*(?:Trung Quốc|Lào|Campuchia|Hàn Quốc))?",
    ))
});

fn partners(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in FOREIGN.find_iter(text) {
        let s = m.as_str().trim().to_owned();
        if !out.iter().any(|o| o.contains(&s)) {
            out.push(s);
        }
    }
    out
}

/// The paragraph that says "KẾ HOẠCH".
fn find_ke_hoach(paras: &[Paragraph]) -> Option<usize> {
    paras.iter().take(40).position(|p| {
        let f = fold(&p.text);
        f.starts_with("ke hoach")
            && all_caps(
                p.text
                    .get(
                        ..p.text
                            .find(|c: char| c.is_lowercase())
                            .unwrap_or(p.text.len()),
                    )
                    .unwrap_or(""),
            )
            && p.text
                .chars()
                .take(12)
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
    })
}

static NUMBER: LazyLock<Regex> = LazyLock::new(|| re(r"^(?i:số)\s*:?\s*(\S*)"));
static PLACE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?P<place>[\p{L} .'-]*?)\s*,\s*(?i:ngày)\s*(?:\d{0,2}|\.{0,6}|…*)\s*(?i:tháng)\s*(?:\d{0,2}|\.{0,6}|…*)\s*(?i:năm)\s*\d{4}",
    )
});

static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?P<type>Kế hoạch liên ngành|Kế hoạch|Quyết định|Công văn|Nghị quyết|Chỉ thị|Kết luận|Thông tư liên tịch|Thông tư|Nghị định|Hướng dẫn|Quy chế phối hợp|Quy chế|Chương trình|Thông báo|Văn bản|Công điện)",
        r"\s+(?i:số)\s*:?\s*(?P<number>\d[\p{L}\d/\-_.&]*[\p{L}\d])",
    ))
});

fn references(text: &str) -> Vec<Reference> {
    let mut out = Vec::new();
    let ms: Vec<_> = REFERENCE.captures_iter(text).collect();
    for (i, c) in ms.iter().enumerate() {
        let (Some(whole), Some(ty), Some(number)) = (c.get(0), c.name("type"), c.name("number"))
        else {
            continue;
        };
        let until = ms
            .get(i + 1)
            .and_then(|n| n.get(0))
            .map_or(text.len(), |m| m.start());
        let mut rest = text.get(whole.end()..until).unwrap_or("");
        let mut date = None;
        let trimmed = rest.trim_start_matches([',', ' ']);
        if fold(trimmed).starts_with("ngay")
            && let Some(f) = find_dates(trimmed)
                .into_iter()
                .next()
                .filter(|f| f.start < 8)
        {
            date = Some(f.date);
            rest = trimmed.get(f.end..).unwrap_or("");
        }
        let mut issuer = None;
        let r = rest.trim_start_matches([',', ' ']);
        let fr = Folded::new(r);
        for lead in ["cua ", "do "] {
            if let Some(after) = fr.text.strip_prefix(lead) {
                let end = [
                    " ve ",
                    " v/v",
                    ";",
                    " nham ",
                    " tren ",
                    " ban hanh",
                    " phe duyet",
                    " quy dinh",
                    " huong dan",
                ]
                .iter()
                .filter_map(|s| after.find(s))
                .chain(after.find(" va ").into_iter().filter(|&v| {
                    REFERENCE.is_match(
                        fr.orig(lead.len() + v, fr.text.len())
                            .get(..40)
                            .unwrap_or(""),
                    )
                }))
                .min()
                .unwrap_or(after.len());
                // "… của Ban Chỉ đạo 138/CP, Ủy ban nhân dân tỉnh ban hành Kế
                // hoạch": the clause after the comma is the plan's own issuer.
                let own = [" ban hanh", " xay dung"]
                    .iter()
                    .any(|v| after.get(end..).is_some_and(|t| t.starts_with(v)));
                let end = match after.get(..end).and_then(|a| a.rfind(", ")) {
                    Some(comma) if own => comma,
                    _ => end,
                };
                let s = fr
                    .orig(lead.len(), lead.len() + end)
                    .trim()
                    .trim_end_matches([',', '.'])
                    .to_owned();
                if !s.is_empty() && s.chars().count() <= 120 {
                    issuer = Some(s);
                }
            }
        }
        let document = format!("{} số {}", ty.as_str(), number.as_str());
        let end = whole.end();
        out.push(Reference {
            text: text
                .get(whole.start()..until.min(end + 160))
                .unwrap_or("")
                .trim()
                .to_owned(),
            document,
            number: Some(number.as_str().to_owned()),
            date,
            issuer,
        });
    }
    out
}

static PERCENT: LazyLock<Regex> = LazyLock::new(|| re(r"(\d+(?:[.,]\d+)?)\s*%"));
static CLAUSE_BREAK: LazyLock<Regex> =
    LazyLock::new(|| re(r"[;.]\s+|[;.]$|,\s+(?:(?i:tỷ lệ)|\d+(?:[.,]\d+)?\s*%)"));

fn targets(text: &str) -> Vec<Target> {
    let mut out = Vec::new();
    // Clauses: split at ";", ". " and at ", " before "tỷ lệ" or a percentage.
    let mut clauses: Vec<&str> = Vec::new();
    let mut start = 0;
    for m in CLAUSE_BREAK.find_iter(text) {
        let cut = if m.as_str().starts_with(',') {
            m.start() + 1
        } else {
            m.end()
        };
        clauses.push(text.get(start..m.start()).unwrap_or(""));
        start = if m.as_str().starts_with(',') {
            cut
        } else {
            m.end()
        };
    }
    clauses.push(text.get(start..).unwrap_or(""));
    for clause in clauses {
        let clause = clause.trim().trim_end_matches(['.', ';', ',']);
        let Some(c) = PERCENT.captures(clause) else {
            continue;
        };
        let (Some(whole), Some(v)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let Ok(value) = v.as_str().replace(',', ".").parse::<f64>() else {
            continue;
        };
        let before = fold(clause.get(..whole.start()).unwrap_or(""));
        let after = fold(clause.get(whole.end()..).unwrap_or(""));
        let tail: String = before
            .split_whitespace()
            .rev()
            .take(3)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join(" ");
        let comparator = if tail.ends_with("it nhat")
            || tail.ends_with("toi thieu")
            || tail.ends_with("khong duoi")
            || tail.ends_with("khong thap hon")
            || after.trim_start().starts_with("tro len")
        {
            "GTE"
        } else if tail.ends_with("tren") || tail.ends_with("hon") || tail.ends_with("vuot") {
            "GT"
        } else if tail.ends_with("khong qua")
            || tail.ends_with("toi da")
            || tail.ends_with("khong vuot qua")
        {
            "LTE"
        } else if tail.ends_with("duoi") {
            "LT"
        } else {
            "EQ"
        };
        let f = fold(clause);
        let indicator = if f.contains("xet xu") {
            Some("cases_tried_rate")
        } else if f.contains("truy to") {
            Some("cases_prosecuted_rate")
        } else if f.contains("kham pha") || (f.contains("dieu tra") && f.contains("vu an")) {
            Some("cases_investigated_solved_rate")
        } else if (f.contains("to giac") || f.contains("tin bao")) && f.contains("tiep nhan") {
            Some("tips_received_rate")
        } else if f.contains("giai quyet") && !f.contains("vu an") {
            Some("tips_resolved_rate")
        } else {
            None
        };
        let start = if let Some(i) = f.find("ty le") {
            i
        } else {
            before.rfind(", ").map_or(0, |i| i + 2)
        };
        let start_byte = clause.char_indices().nth(start).map_or(0, |(b, _)| b);
        out.push(Target {
            text: clause.get(start_byte..).unwrap_or(clause).trim().to_owned(),
            indicator: indicator.map(str::to_owned),
            comparator: comparator.to_owned(),
            value,
            unit: "PERCENT".to_owned(),
        });
    }
    out
}

static CADENCE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?P<q>(?:hang|moi|tung) quy|quy)\b|\b(?P<s>(?:0?6|sau) thang)\b|\b(?P<m>hang thang|moi thang)\b|\b(?P<y>(?:hang|moi|01|1|mot) nam|nam)\b(?P<yy>\s*\d{4})?",
    )
});
static TO: LazyLock<Regex> = LazyLock::new(|| re(r"\b(?:gui )?ve\s+"));

fn reporting(text: &str) -> Vec<Rule> {
    let f = Folded::new(text);
    if !f.text.contains("bao cao") {
        return Vec::new();
    }
    let to = f.text.find("bao cao").and_then(|b| {
        let after = &f.text[b..];
        TO.find(after).map(|m| {
            let s = b + m.end();
            let rest = &f.text[s..];
            let end = [" de ", " truoc ngay", ";", ". ", " theo quy dinh", " chậm"]
                .iter()
                .filter_map(|x| rest.find(x))
                .min()
                .unwrap_or(rest.len());
            f.orig(s, s + end)
                .trim()
                .trim_end_matches(['.', ','])
                .to_owned()
        })
    });
    let mut rules = Vec::new();
    let clean_text = text.trim().to_owned();
    if let Some(d) = f.text.find("dinh ky") {
        let region_end = f.text[d..].find("bao cao").map_or(f.text.len(), |i| d + i);
        let region = &f.text[d..region_end];
        let marks: Vec<(usize, &'static str)> = CADENCE
            .captures_iter(region)
            .filter(|c| c.name("yy").is_none())
            .filter_map(|c| {
                let m = c.get(0)?;
                let cadence = if c.name("q").is_some() {
                    "QUARTERLY"
                } else if c.name("s").is_some() {
                    "SEMIANNUAL"
                } else if c.name("m").is_some() {
                    "MONTHLY"
                } else {
                    "ANNUAL"
                };
                Some((m.start(), cadence))
            })
            .collect();
        let mut found: Vec<Vec<PartialDate>> = Vec::with_capacity(marks.len());
        for (k, (at, _)) in marks.iter().enumerate() {
            let end = marks.get(k + 1).map_or(region.len(), |n| n.0);
            let part = f.orig(d + at, d + end);
            let mut ds = dates::deadlines(part);
            if ds.is_empty() && marks.len() == 1 {
                ds = dates::due(f.orig(d + region_end - d, f.text.len()))
                    .into_iter()
                    .collect();
            }
            found.push(ds);
        }
        // "định kỳ 06 tháng, năm … trước ngày 15/6 và 15/12": the cadences
        // listed first take the deadlines listed after them, in order.
        let n = found.len();
        if n > 1
            && found.iter().take(n - 1).all(Vec::is_empty)
            && found.last().is_some_and(|l| l.len() == n)
        {
            let last = found.pop().unwrap_or_default();
            found = last.into_iter().map(|d| vec![d]).collect();
        }
        for ((_, cadence), ds) in marks.iter().zip(found) {
            if ds.is_empty() {
                rules.push(rule(cadence, None, to.clone(), &clean_text));
            }
            for date in ds {
                rules.push(rule(cadence, Some(date), to.clone(), &clean_text));
            }
        }
    }
    if rules.is_empty()
        && let Some(d) = dates::due(text)
    {
        rules.push(rule("ONE_OFF", Some(d), to, &clean_text));
    }
    rules.sort_by_key(|r| r.deadline.clone());
    rules
}

fn rule(cadence: &str, date: Option<PartialDate>, to: Option<String>, text: &str) -> Rule {
    Rule {
        cadence: cadence.to_owned(),
        deadline: date.and_then(|d| Some(format!("{:02}-{:02}", d.month?, d.day?))),
        due_on: date.filter(|d| d.year.is_some()),
        to,
        text: text.to_owned(),
    }
}

static STANDING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:\d+\.\s*)?(?:giao\s+)?(?P<name>.+?)\s*(?:-|–|,|\(|\blà\b|\blam\b|\bla\b)\s*(?:là\s+)?(?:co quan|don vi) thuong truc",
    )
});

/// How the plan is funded: the first paragraph outside the tasks that
/// begins "Kinh phí …" as a sentence ("2. Kinh phí tổ chức các hoạt động
/// được bố trí …", or the paragraph under "III. KINH PHÍ THỰC HIỆN"), not a
/// heading.
fn funding(paras: &[&Paragraph]) -> Option<String> {
    paras.iter().find_map(|p| {
        let t = p
            .text
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
        let f = fold(t);
        let sentence = f.split_whitespace().count() >= 8 && t.chars().any(char::is_lowercase);
        (f.starts_with("kinh phi ") && sentence).then(|| clean(t))
    })
}

fn standing_agency(paras: &[&Paragraph]) -> Option<String> {
    for p in paras {
        let f = Folded::new(&p.text);
        if let Some(c) = STANDING.captures(&f.text)
            && let Some(m) = c.name("name")
        {
            let name = f.orig(m.start(), m.end());
            if let Some((names, _)) = names_at_start(name)
                && let Some(n) = names.into_iter().next()
            {
                return Some(n);
            }
            let n = clean(name);
            if starts_with_head(&n) {
                return Some(n);
            }
        }
    }
    for p in paras {
        let t = p
            .text
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
        let f = fold(t);
        if f.starts_with("giao ")
            && (f.contains("theo doi") || f.contains("don doc"))
            && let Some(rest) = t.get("giao ".len()..)
            && let Some((names, _)) = names_at_start(rest)
        {
            return names.into_iter().next();
        }
    }
    None
}

fn signatory(paras: &[Paragraph]) -> Option<Signatory> {
    let from = paras.len().saturating_sub(60);
    let tail = paras.get(from..)?;
    let start = tail.iter().position(|p| {
        let f = fold(&p.text);
        all_caps(&p.text)
            && ["tm.", "kt.", "q.", "tl.", "tuq.", "tm ", "kt "]
                .iter()
                .any(|s| f.starts_with(s))
    })?;
    let mut capacity = Vec::new();
    let mut titles = Vec::new();
    let mut name = None;
    for p in &tail[start..] {
        let t = p.text.trim();
        let f = fold(t);
        if all_caps(t) {
            if ["tm.", "kt.", "q.", "tl.", "tuq.", "tm ", "kt "]
                .iter()
                .any(|s| f.starts_with(s))
                && titles.is_empty()
            {
                capacity.push(t.to_owned());
            } else if !f.starts_with("noi nhan") {
                titles.push(t.to_owned());
            }
            continue;
        }
        let words: Vec<&str> = t.split_whitespace().collect();
        let name_like = (2..=6).contains(&words.len())
            && words
                .iter()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase))
            && !t
                .chars()
                .any(|c| c.is_ascii_digit() || matches!(c, ':' | ';' | '(' | '/'));
        if name_like && !titles.is_empty() {
            name = Some(t.to_owned());
            break;
        }
    }
    Some(Signatory {
        name: name?,
        title: (!titles.is_empty()).then(|| titles.join(", ")),
        capacity: (!capacity.is_empty()).then(|| capacity.join("; ")),
    })
}

static RANGE: LazyLock<Regex> =
    LazyLock::new(|| re(r"giai doan\s*(\d{4})\s*-\s*(\d{4})|\b(\d{4})\s*-\s*(\d{4})\b"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| re(r"\bnam\s+(\d{4})\b"));
static ORIENTATION: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:dinh huong|tam nhin)\s+(?:den\s+)?(?:nam\s+)?(\d{4})"));

fn year_period(from: i32, to: i32) -> Option<Period> {
    Some(Period {
        from: NaiveDate::from_ymd_opt(from, 1, 1)?,
        to: NaiveDate::from_ymd_opt(to, 12, 31)?,
    })
}

fn place_fix(s: &str) -> String {
    s.trim_matches(|c: char| !c.is_alphanumeric()).to_owned()
}

pub fn read(doc: &Document) -> Reading {
    let paras = &doc.paragraphs;
    let kh = find_ke_hoach(paras);
    let header_end = kh.unwrap_or_else(|| paras.len().min(8));
    let header = paras.get(..header_end).unwrap_or(&[]);
    let mut warnings = Vec::new();

    // Header: number, place and date, issuer.
    let mut document_number = None;
    let mut place = None;
    let mut issued_on = None;
    let mut issuer_lines: Vec<String> = Vec::new();
    for p in header.iter().chain(
        paras
            .get(header_end..(header_end + 4).min(paras.len()))
            .unwrap_or(&[]),
    ) {
        let t = p.text.trim();
        if let Some(c) = NUMBER.captures(t) {
            let n = c.get(1).map_or("", |m| m.as_str()).trim();
            if document_number.is_none() && n.chars().any(char::is_alphanumeric) {
                document_number = Some(n.to_owned());
            }
        }
        if let Some(c) = PLACE_DATE.captures(t) {
            if issued_on.is_none() {
                let whole = c.get(0).map_or("", |m| m.as_str());
                issued_on = find_dates(whole).into_iter().next().map(|f| f.date);
                place = c
                    .name("place")
                    .map(|m| place_fix(m.as_str()))
                    .filter(|s| !s.is_empty());
            }
            continue;
        }
        let f = fold(t);
        if header.iter().any(|h| std::ptr::eq(h, p))
            && all_caps(t)
            && !f.starts_with("cong hoa")
            && !f.starts_with("doc lap")
            && !f.starts_with("so")
            && !f.starts_with("ke hoach")
        {
            issuer_lines.push(t.to_owned());
        }
    }
    let mut issuer = issuer_lines
        .iter()
        .map(|l| l.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    if issuer_lines.len() >= 2 {
        let first = fold(&issuer_lines[0]);
        let second = fold(&issuer_lines[1]);
        if (first.contains("tinh") || first.contains("huyen") || first.starts_with("ubnd"))
            && (second.starts_with("ban")
                || second.starts_with("so")
                || second.starts_with("cong an")
                || second.starts_with("bcd"))
        {
            let place_words: Vec<&str> = issuer_lines[0]
                .split_whitespace()
                .skip_while(|w| !matches!(fold(w).as_str(), "tinh" | "huyen" | "thanh"))
                .collect();
            issuer = format!("{} {}", issuer_lines[1], place_words.join(" "));
        }
    }
    let mut issuer = (!issuer.trim().is_empty()).then(|| normal_case(issuer.trim()));

    // Title: the paragraph after "KẾ HOẠCH".
    let mut title = None;
    let mut body_start = header_end;
    if let Some(k) = kh {
        let head = paras.get(k).map_or("", |p| p.text.as_str());
        let after_word = head
            .char_indices()
            .nth("KẾ HOẠCH".chars().count())
            .map_or("", |(b, _)| head.get(b..).unwrap_or(""))
            .trim();
        let after_word = after_word
            .strip_prefix("LIÊN NGÀNH")
            .unwrap_or(after_word)
            .trim();
        body_start = k + 1;
        if !after_word.is_empty() && !all_caps(after_word) {
            title = Some(after_word.to_owned());
        } else if let Some(p) = paras.get(k + 1)
            && !is_preamble(&p.text)
            && mark(&p.text).is_none_or(|m| m.kind != Kind::Roman)
        {
            title = Some(p.text.trim().trim_end_matches('.').to_owned());
            body_start = k + 2;
        }
    }
    if title.is_none() {
        warnings.push(Warning {
            code: "NO_TITLE".to_owned(),
            message: "no title after \"KẾ HOẠCH\" could be read".to_owned(),
            first_line: None,
            last_line: None,
        });
    }

    // The body runs to the distribution list or the signature.
    let first_item = paras
        .iter()
        .enumerate()
        .skip(body_start)
        .find(|(_, p)| mark(&p.text).is_some_and(|m| !matches!(m.kind, Kind::Dash | Kind::Plus)))
        .map_or(body_start, |(i, _)| i);
    let body_end = paras
        .iter()
        .enumerate()
        .skip(first_item)
        .find(|(_, p)| is_end_of_body(p))
        .map_or(paras.len(), |(i, _)| i);
    let preamble: Vec<&Paragraph> = paras
        .get(body_start..first_item)
        .unwrap_or(&[])
        .iter()
        .collect();
    let preamble_text = preamble
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let implements = references(&preamble_text);

    if issuer.is_none() {
        static ISSUER: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"((?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Ban Chỉ đạo|Ban chỉ đạo|BCĐ)[^,.;:]{0,80}?)\s+(?:ban hành|xây dựng|triển khai|thống nhất)\s+(?:kế hoạch|Kế hoạch)",
            )
        });
        issuer = ISSUER
            .captures(&preamble_text)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().trim().to_owned());
    }
    let locality = locality(paras, place.as_deref());
    if let (Some(i), Some(loc)) = (issuer.as_mut(), locality.as_deref()) {
        let f = fold(i);
        if (f.ends_with(" tinh") || f.ends_with(" huyen") || f.ends_with(" thanh pho"))
            && !f.contains(&fold(loc))
        {
            i.push(' ');
            i.push_str(loc);
        }
    }

    let o = outline(paras, first_item..body_end);
    warnings.extend(o.warnings.iter().cloned());

    // Kind, period, orientation.
    let title_f = title.as_deref().map(fold).unwrap_or_default();
    let kind = if title_f.contains("cao diem") {
        "PEAK_OPERATION"
    } else if [
        "ngay the gioi",
        "ngay toan dan",
        "thang hanh dong",
        "huong ung",
        "chien dich",
    ]
    .iter()
    .any(|w| title_f.contains(w))
    {
        "CAMPAIGN"
    } else if title_f.contains("giai doan") || RANGE.is_match(&title_f) {
        "PROGRAMME"
    } else if YEAR.is_match(&title_f) {
        "ANNUAL"
    } else {
        "OTHER"
    };
    let orientation_year = ORIENTATION
        .captures(&title_f)
        .and_then(|c| c.get(1))
        .and_then(|m| m.as_str().parse().ok());
    let plan_year = YEAR
        .captures(&title_f)
        .and_then(|c| c.get(1))
        .and_then(|m| m.as_str().parse::<i32>().ok())
        .or_else(|| issued_on.and_then(|d| d.year));
    let period = RANGE
        .captures(&title_f)
        .and_then(|c| {
            let a = c.get(1).or_else(|| c.get(3))?.as_str().parse().ok()?;
            let b = c.get(2).or_else(|| c.get(4))?.as_str().parse().ok()?;
            year_period(a, b)
        })
        .or_else(|| {
            let t = title.as_deref()?;
            let (a, b) = dates::window(t)?;
            Some(Period {
                from: a.with_year(plan_year).to_date()?,
                to: b.with_year(plan_year).to_date()?,
            })
        })
        .or_else(|| {
            let y = YEAR.captures(&title_f)?.get(1)?.as_str().parse().ok()?;
            year_period(y, y)
        });
    if period.is_none() {
        warnings.push(Warning {
            code: "NO_PERIOD".to_owned(),
            message: "the plan's period could not be read from its title".to_owned(),
            first_line: None,
            last_line: None,
        });
    }

    // Targets from the goals; reporting and the standing agency from the rest.
    let in_region = |r: Region| -> Vec<&Paragraph> {
        o.regions
            .iter()
            .filter(|(_, x)| *x == r)
            .filter_map(|(i, _)| paras.get(*i))
            .collect()
    };
    let goals = in_region(Region::Goals);
    let targets: Vec<Target> = goals.iter().flat_map(|p| targets(&p.text)).collect();
    let mut others: Vec<&Paragraph> = o
        .regions
        .iter()
        .filter(|(_, x)| *x != Region::Tasks && *x != Region::Goals)
        .filter_map(|(i, _)| paras.get(*i))
        .collect();
    if others.is_empty() {
        others = paras
            .get(first_item..body_end)
            .unwrap_or(&[])
            .iter()
            .collect();
    }
    let reporting: Vec<Rule> = others
        .iter()
        .filter(|p| {
            let f = fold(&p.text);
            f.contains("bao cao")
                && (f.contains("dinh ky") || f.contains("truoc ngay") || f.contains("hang quy"))
        })
        .flat_map(|p| reporting(&p.text))
        .collect();
    let funding = funding(&others);
    let standing = standing_agency(&others);
    let standing = standing.or_else(|| {
        reporting.iter().find_map(|r| {
            r.to.as_deref()
                .and_then(|t| t.split("(qua ").nth(1))
                .map(|s| s.trim_end_matches(')').to_owned())
        })
    });

    // Tasks: assignments resolved, categories, dates, partners.
    let mut tasks = o.tasks.clone();
    for (i, task) in tasks.iter_mut().enumerate() {
        let Some(meta) = o.meta.get(i) else { continue };
        let mut a = meta.sentence.clone();
        if let Some(b) = &meta.block {
            if !b.is_empty() {
                a = Assign {
                    coord: if b.coord.is_empty() && b.lead.is_empty() {
                        a.coord.clone()
                    } else {
                        b.coord.clone()
                    },
                    ..b.clone()
                };
                if b.lead.is_empty() && b.coord.is_empty() {
                    a.lead = meta.sentence.lead.clone();
                }
            } else {
                a.window = b.window;
                a.due = b.due;
            }
        }
        if a.lead.is_empty() {
            let mut s = task.section;
            while let Some(si) = s {
                let Some(sec) = o.sections.get(si) else { break };
                if !sec.agencies.is_empty() {
                    let mut h = Assign::default();
                    h.add(sec.agencies.clone(), true);
                    a.lead = h.lead;
                    for c in h.collective {
                        if !a.collective_lead.contains(&c) {
                            a.collective_lead.push(c.clone());
                        }
                        if !a.collective.contains(&c) {
                            a.collective.push(c);
                        }
                    }
                    a.all_relevant |= h.all_relevant;
                    break;
                }
                s = sec.parent;
            }
        }
        task.lead = a.lead;
        task.coordinating = a.coord;
        task.collective = a.collective;
        task.collective_lead = a.collective_lead;
        task.all_relevant = a.all_relevant;
        let body = task.text.clone();
        let (wf, wt) = match a.window.or_else(|| dates::window(&body)) {
            Some((f, t)) => (Some(f), Some(t)),
            None => (None, None),
        };
        task.window_from = wf;
        task.window_to = wt;
        task.due_on = a.due.or_else(|| dates::due(&body));
        task.partners = partners(&body);
        let mut s = task.section;
        let mut category = None;
        while let Some(si) = s {
            let Some(sec) = o.sections.get(si) else { break };
            if let Some(c) = category_of(&sec.title) {
                category = Some(c);
                break;
            }
            s = sec.parent;
        }
        task.category = Some(
            category
                .or_else(|| category_of(&body))
                .unwrap_or("OTHER")
                .to_owned(),
        );
        if task.lead.is_empty()
            && task.collective.is_empty()
            && !task.all_relevant
            && !meta.has_children
        {
            warnings.push(Warning {
                code: "NO_LEAD".to_owned(),
                message: format!("task {} names no lead agency", task.number),
                first_line: Some(task.first_line),
                last_line: Some(task.last_line),
            });
        }
        let f = fold(&body);
        if (f.contains("truoc ngay") && task.due_on.is_none())
            || (f.contains("tu ngay") && task.window_from.is_none())
        {
            warnings.push(Warning {
                code: "UNPLACED_DATE".to_owned(),
                message: format!(
                    "task {} gives a date that could not be read as a window or deadline",
                    task.number
                ),
                first_line: Some(task.first_line),
                last_line: Some(task.last_line),
            });
        }
    }
    if tasks.is_empty() {
        warnings.push(Warning {
            code: "NO_TASKS".to_owned(),
            message: "no numbered tasks were found in the plan".to_owned(),
            first_line: None,
            last_line: None,
        });
    }

    Reading {
        document_number,
        place,
        issued_on,
        issuer,
        title,
        kind: kind.to_owned(),
        orientation_year,
        period,
        implements,
        targets,
        reporting,
        sections: o.sections,
        tasks,
        signatory: signatory(paras),
        standing_agency: standing,
        funding,
        warnings,
    }
}

fn is_preamble(text: &str) -> bool {
    let f = fold(text);
    f.starts_with("can cu") || (f.starts_with("thuc hien") && REFERENCE.is_match(text))
}

static LOCALITY: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(?:tỉnh|huyện|thành phố)\s+(\p{Lu}\p{Ll}*(?:\s+\p{Lu}\p{Ll}*){0,2})"));

/// The plan's locality: the place of its date line, or the place most often
/// named after "tỉnh"/"huyện".
fn locality(paras: &[Paragraph], place: Option<&str>) -> Option<String> {
    if let Some(p) = place {
        return Some(p.to_owned());
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    for p in paras {
        for c in LOCALITY.captures_iter(&p.text) {
            if let Some(m) = c.get(1) {
                *counts.entry(m.as_str().to_owned()).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .max_by_key(|(k, n)| (*n, k.len()))
        .map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reporting_one_rule_per_deadline() {
        let r = reporting(
            "Định kỳ hằng quý (trước ngày 29/3 và 10/9), 6 tháng (trước ngày 10/6) và năm (trước ngày 10/12), các sở, ngành báo cáo kết quả thực hiện về Ủy ban nhân dân tỉnh (qua Công an tỉnh) để tổng hợp.",
        );
        let got: Vec<(String, Option<String>)> = r
            .iter()
            .map(|r| (r.cadence.clone(), r.deadline.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("QUARTERLY".to_owned(), Some("03-29".to_owned())),
                ("SEMIANNUAL".to_owned(), Some("06-10".to_owned())),
                ("QUARTERLY".to_owned(), Some("09-10".to_owned())),
                ("ANNUAL".to_owned(), Some("12-10".to_owned())),
            ]
        );
        assert_eq!(
            r[0].to.as_deref(),
            Some("Ủy ban nhân dân tỉnh (qua Công an tỉnh)")
        );
    }

    #[test]
    fn assignments_in_parentheses() {
        let a = parse_block(
            "(Công an tỉnh chủ trì, phối hợp với Sở Giáo dục và Đào tạo, các các cơ quan, đơn vị, địa phương có liên quan thực hiện)",
        );
        assert_eq!(a.lead, vec!["Công an tỉnh"]);
        assert_eq!(a.coord, vec!["Sở Giáo dục và Đào tạo"]);
        assert!(a.all_relevant);
        let a = parse_block(
            "(Công an tỉnh, Viện kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh theo chức năng, nhiệm vụ phối hợp với cơ quan, đơn vị, địa phương có liên quan thực hiện).",
        );
        assert_eq!(a.lead.len(), 3);
        assert!(a.coord.is_empty());
        let a = parse_block(
            "Phân công thực hiện:; - Cơ quan chủ trì: Đề nghị Tòa án nhân dân tỉnh chủ trì.; - Cơ quan phối hợp: Viện kiểm sát nhân dân tỉnh, Công an tỉnh, cơ quan, tổ chức có liên quan.",
        );
        assert_eq!(a.lead, vec!["Tòa án nhân dân tỉnh"]);
        assert_eq!(a.coord, vec!["Viện kiểm sát nhân dân tỉnh", "Công an tỉnh"]);
    }

    #[test]
    fn assignment_ending_the_task() {
        let t = "Tổ chức tuyên truyền tại các thôn (Công an xã chủ trì, phối hợp với Hội Liên hiệp Phụ nữ xã thực hiện).";
        let a = parse_block(trailing_assignment(t).unwrap_or_default());
        assert_eq!(a.lead, vec!["Công an xã"]);
        assert_eq!(a.coord, vec!["Hội Liên hiệp Phụ nữ xã"]);
        assert!(trailing_assignment("Rà soát các đối tượng (trừ trẻ em).").is_none());
    }

    #[test]
    fn sentence_leads() {
        let a = sentence_assign(
            "Sở Văn hóa, Thể thao và Du lịch chỉ đạo lồng ghép nội dung tuyên truyền",
        );
        assert_eq!(a.lead, vec!["Sở Văn hóa, Thể thao và Du lịch"]);
        let a = sentence_assign(
            "Giao Sở Tư pháp chủ trì, phối hợp với Công an tỉnh và các cơ quan liên quan tổ chức tập huấn",
        );
        assert_eq!(a.lead, vec!["Sở Tư pháp"]);
        assert_eq!(a.coord, vec!["Công an tỉnh"]);
        let a = sentence_assign("Tổ chức triển khai các hoạt động hưởng ứng");
        assert!(a.is_empty());
        let a = sentence_assign("Ban hành văn bản chỉ đạo");
        assert!(a.is_empty());
    }
}
