//! Agency names: matching keys, kinds, collective references, and splitting
//! lists of names ("Công an tỉnh, Sở Văn hóa, Thể thao và Du lịch và các sở,
//! ngành liên quan").

use std::sync::LazyLock;

use regex::Regex;

use crate::fold::{Folded, fold, re};

/// Abbreviations, matched on the folded name (with `&` kept).
static ABBREVIATIONS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (
            r"\bld\s*-?\s*tb\s*(?:&|va|-)?\s*xh\b",
            "lao dong thuong binh xa hoi",
        ),
        (r"\btt\s*(?:&|va)?\s*tt\b", "thong tin truyen thong"),
        (
            r"\bvh\s*,?\s*-?\s*tt\s*(?:&|va)?\s*dl\b",
            "van hoa the thao du lich",
        ),
        (r"\bvh\s*(?:&|va)\s*tt\b", "van hoa the thao"),
        (r"\bgd\s*(?:&|va)?\s*dt\b", "giao duc dao tao"),
        (r"\bkh\s*(?:&|va)\s*cn\b|\bkhcn\b", "khoa hoc cong nghe"),
        (r"\bkh\s*(?:&|va)\s*dt\b|\bkhdt\b", "ke hoach dau tu"),
        (r"\btn\s*(?:&|va)\s*mt\b|\btnmt\b", "tai nguyen moi truong"),
        (
            r"\bnn\s*(?:&|va)\s*ptnt\b|\bnnptnt\b",
            "nong nghiep phat trien nong thon",
        ),
        (r"\bnn\s*(?:&|va)\s*mt\b", "nong nghiep moi truong"),
        (r"\bubmttq\b", "uy ban mat tran to quoc"),
        (r"\bubnd\b", "uy ban nhan dan"),
        (r"\bhdnd\b", "hoi dong nhan dan"),
        (r"\bbch\b", "bo chi huy"),
        (r"\bbdbp\b", "bo doi bien phong"),
        (r"\bmttq\b", "mat tran to quoc"),
        (r"\bhlhpn\b|\bhoi lhpn\b", "hoi lien hiep phu nu"),
        (r"\bvksnd\b", "vien kiem sat nhan dan"),
        (r"\btand\b", "toa an nhan dan"),
        (r"\bbcd\b", "ban chi dao"),
        (r"\bcqtt\b", "co quan thuong truc"),
        (r"\bbca\b", "bo cong an"),
        (r"\bcat\b", "cong an tinh"),
        (
            r"^ca\s+(tinh|huyen|xa|phuong|thi tran|thanh pho)\b",
            "cong an $1",
        ),
        (r"\bqs\b", "quan su"),
        (r"\bbp\b", "bien phong"),
        (r"\bpt\s*(?:&|va)?\s*th\b", "phat thanh truyen hinh"),
        (r"\bsld\b", "so lao dong"),
    ]
    .into_iter()
    .map(|(p, e)| (re(p), e))
    .collect()
});

static LEVEL_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:\s+(?:tinh|thanh pho|huyen|thi xa|quan|xa|phuong|thi tran|cap tinh|cap huyen|cap xa|cung cap))+$",
    )
});

/// A lenient matching key for an agency name: folded to ASCII lower case,
/// punctuation as spaces, the usual abbreviations expanded, "và"/"-"
/// variants equal, the place names in `places` removed, and a trailing level
/// word ("tỉnh", "thành phố", "huyện") after the agency type removed.
#[must_use]
pub fn agency_key(name: &str, places: &[&str]) -> String {
    let mut s = fold(name);
    for place in places {
        let p = fold(place);
        if !p.is_empty() {
            let pattern = format!(r"\b{}\b", regex::escape(&p));
            s = re(&pattern).replace_all(&s, " ").into_owned();
        }
    }
    for (pattern, expansion) in ABBREVIATIONS.iter() {
        s = pattern.replace_all(&s, *expansion).into_owned();
    }
    let s: String = s
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let words: Vec<&str> = s
        .split_whitespace()
        .filter(|w| *w != "va" && *w != "cac")
        .collect();
    let mut key = words.join(" ");
    key = key.replace("bo chi huy bo doi bien phong", "bo doi bien phong");
    if let Some(rest) = key.strip_prefix("luc luong ") {
        key = rest.to_owned();
    }
    loop {
        let stripped = LEVEL_SUFFIX.replace(&key, "").into_owned();
        if stripped == key || stripped.split_whitespace().count() < 2 {
            break;
        }
        key = stripped;
    }
    key
}

/// The agency kind a name suggests.
#[must_use]
pub fn guess_kind(name: &str) -> &'static str {
    let k = agency_key(name, &[]);
    let has = |w: &str| contains_words(&k, w);
    let starts = |w: &str| k.starts_with(w);
    if has("bien phong") {
        "BORDER_GUARD"
    } else if has("cong an") || has("canh sat") {
        "POLICE"
    } else if has("quan su") || has("quoc phong") {
        "MILITARY"
    } else if has("vien kiem sat") {
        "PROCURACY"
    } else if has("toa an") {
        "COURT"
    } else if starts("bao ") || starts("dai ") || k == "bao" {
        "MEDIA"
    } else if has("lao dong") {
        "LABOUR_SOCIAL_AFFAIRS"
    } else if has("tu phap") {
        "JUSTICE"
    } else if has("y te") {
        "HEALTH"
    } else if has("giao duc") {
        "EDUCATION"
    } else if has("van hoa") {
        "CULTURE"
    } else if has("thong tin") || has("truyen thong") {
        "INFORMATION"
    } else if has("ngoai vu") || has("ngoai giao") {
        "FOREIGN_AFFAIRS"
    } else if has("noi vu") {
        "HOME_AFFAIRS"
    } else if has("phu nu") {
        "WOMENS_UNION"
    } else if has("mat tran") {
        "FATHERLAND_FRONT"
    } else if has("thanh tra") {
        "INSPECTION"
    } else if has("uy ban nhan dan") {
        "PEOPLES_COMMITTEE"
    } else {
        "OTHER"
    }
}

fn contains_words(hay: &str, needle: &str) -> bool {
    let padded = format!(" {hay} ");
    padded.contains(&format!(" {needle} "))
}

static COLLECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"^(?:cac|moi|tat ca|nhung)\b",
        r"|\blien quan\b|\bthanh vien\b|\bcac cap\b|\bcung cap\b|\bcac\b",
        r"|\b(?:huyen|xa|phuong|thi tran|thanh pho|thi xa|quan)\s*,\s*(?:huyen|xa|phuong|thi tran|thanh pho|thi xa|quan)\b",
        r"|^(?:co quan|don vi|so|ban|nganh|dia phuong|to chuc)\s*,",
        r"|\bco quan co tham quyen\b|\bluc luong chuc nang\b|\bdoan the\b",
    ))
});

/// Whether a name is a collective reference ("các sở, ngành, địa phương",
/// "Ủy ban nhân dân các xã", "các đơn vị thành viên Ban Chỉ đạo"), not one
/// agency.
#[must_use]
pub fn is_collective(name: &str) -> bool {
    COLLECTIVE.is_match(&fold(name))
}

/// Words that start an agency name. `true` when the next word must be
/// capitalised for it to be a name ("Bộ Công an", not "bộ phận").
const HEADS: [(&str, bool); 48] = [
    ("so", true),
    ("cong an", false),
    ("bo chi huy", false),
    ("bo doi bien phong", false),
    ("bo tu lenh", false),
    ("vien kiem sat", false),
    ("toa an", false),
    ("uy ban nhan dan", false),
    ("uy ban mat tran", false),
    ("uy ban", true),
    ("ubnd", false),
    ("ub mttq", false),
    ("thanh tra tinh", false),
    ("thanh tra huyen", false),
    ("thanh tra so", false),
    ("thanh tra", true),
    ("hoi", true),
    ("doan", true),
    ("tinh doan", false),
    ("huyen doan", false),
    ("lien doan", true),
    ("ban chi dao", false),
    ("ban", true),
    ("bao", true),
    ("dai", true),
    ("van phong", true),
    ("cuc", true),
    ("chi cuc", true),
    ("phong", true),
    ("trung tam", true),
    ("mat tran", true),
    ("bo", true),
    ("ngan hang", true),
    ("kho bac", true),
    ("hai quan", false),
    ("bao hiem xa hoi", false),
    ("benh vien", true),
    ("truong", true),
    ("don bien phong", false),
    ("tinh uy", false),
    ("huyen uy", false),
    ("cac", false),
    ("co quan", false),
    ("doanh nghiep", false),
    ("lanh dao", true),
    ("thuong truc", false),
    ("hdnd", false),
    ("bcd", false),
];

/// Whether `s` starts with an agency name (or a collective reference).
pub fn starts_with_head(s: &str) -> bool {
    let s = s.trim_start_matches(|c: char| !c.is_alphanumeric());
    let f = Folded::new(s);
    for (head, needs_capital) in HEADS {
        let Some(rest) = f.text.strip_prefix(head) else {
            continue;
        };
        if !(rest.is_empty() || rest.starts_with([' ', ',', ';', '.', ')', ':'])) {
            continue;
        }
        if !needs_capital {
            return true;
        }
        let after = f.orig(head.len(), f.text.len()).trim_start();
        if after.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()) {
            return true;
        }
    }
    false
}

/// Phrases that end an agency name in running text: a verb, or the
/// "theo chức năng" of an assignment.
static NAME_END: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\b(?:chu tri|phoi hop|thuc hien|chi dao|tiep tuc|trien khai|tang cuong|huong dan",
        r"|xay dung|tham muu|nghien cuu|day manh|ra soat|chiu trach nhiem|co trach nhiem",
        r"|theo doi|bo tri|phat huy|nang cao|lam tot|quan ly|cung cap|duy tri|dinh huong",
        r"|dam bao|bao dam|theo chuc nang|theo nhiem vu|la co quan|lam dau moi|huong ung|tuyen truyen",
        r"|ket hop|chu dong|khan truong|thuong xuyen|dong thoi|de|nham|trong|ve|tai|theo|cung cap|giup",
        r"|kiem tra|phoi, ket hop|tap trung|day nhanh|to chuc (?:cac|trien|thuc|tuyen|hoi|lop|tap|kiem|mit|so|tong|dot|chien)",
        r"|tong hop|bao cao|gui|can cu)\b",
    ))
});

/// The agency name at the start of `s` in running text: up to the first verb.
/// Gives the names (one or a list) and the byte length of `s` they take.
pub fn names_at_start(s: &str) -> Option<(Vec<String>, usize)> {
    if !starts_with_head(s) {
        return None;
    }
    let f = Folded::new(s);
    let end = NAME_END.find(&f.text).map_or(f.text.len(), |m| m.start());
    let prefix = f.orig(0, end);
    if prefix.trim().is_empty() || prefix.chars().count() > 220 {
        return None;
    }
    let names = split_list(prefix);
    if names.is_empty() {
        return None;
    }
    Some((names, prefix.len()))
}

static FILLER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:\s*(?:va|de nghi|nong cot la|trong do|gom|nhat la|giao|voi|luc luong(?: cua)?|cung|dac biet la)\b)+\s*",
    )
});

/// Splits a list of agency names. Commas inside names ("Sở Văn hóa, Thể
/// thao và Du lịch") are kept: a part that does not start with an agency
/// word belongs to the name before it. "và" splits only before an agency
/// word.
pub fn split_list(text: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth <= 0 && (c == ',' || c == ';') {
            parts.push(std::mem::take(&mut cur));
            if c == ';' {
                parts.push(";".to_owned());
            }
        } else {
            cur.push(c);
        }
    }
    parts.push(cur);
    let mut names: Vec<String> = Vec::new();
    let mut hard_break = true;
    for part in parts {
        if part == ";" {
            hard_break = true;
            continue;
        }
        let p = strip_filler(part.trim());
        if p.is_empty() {
            continue;
        }
        match names.last_mut() {
            Some(last) if !hard_break && !starts_with_head(&p) => {
                last.push_str(", ");
                last.push_str(&p);
            }
            _ => names.push(p),
        }
        hard_break = false;
    }
    let mut out: Vec<String> = Vec::new();
    for name in names {
        for piece in split_and(&name) {
            let piece = tidy(&piece);
            if !piece.is_empty() && !out.contains(&piece) {
                out.push(piece);
            }
        }
    }
    out
}

fn strip_filler(s: &str) -> String {
    let f = Folded::new(s);
    let cut = FILLER.find(&f.text).map_or(0, |m| m.end());
    f.orig(cut, f.text.len()).trim().to_owned()
}

/// "Viện kiểm sát nhân dân và Tòa án nhân dân" → two names; "Sở Giáo dục và
/// Đào tạo" stays one.
fn split_and(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = name;
    loop {
        let f = Folded::new(rest);
        let mut cut = None;
        let mut from = 0;
        while let Some(i) = f.text.get(from..).and_then(|t| t.find(" va ")) {
            let at = from + i;
            let after = f.orig(at + 4, f.text.len());
            // "Văn phòng HĐND và UBND huyện" is one office of two bodies.
            let office =
                f.text.starts_with("van phong") && f.text[..at].split_whitespace().count() <= 3;
            if !office && starts_with_head(&strip_filler(after)) {
                cut = Some((at, at + 4));
                break;
            }
            from = at + 4;
        }
        match cut {
            Some((a, b)) => {
                out.push(f.orig(0, a).to_owned());
                rest = &rest[f.orig(0, b).len()..];
                let stripped = strip_filler(rest);
                if stripped.len() != rest.len() {
                    out.push(stripped);
                    if let Some(last) = out.pop() {
                        let again = split_and(&last);
                        out.extend(again);
                    }
                    return out;
                }
            }
            None => {
                out.push(rest.to_owned());
                return out;
            }
        }
    }
}

fn tidy(s: &str) -> String {
    let mut t = s
        .trim()
        .trim_matches(|c: char| matches!(c, '.' | ':' | ';' | ',' | '-' | '–') || c.is_whitespace())
        .to_owned();
    if t.starts_with('(') && !t.contains(')') {
        t.remove(0);
    }
    if t.ends_with(')') && !t.contains('(') {
        t.pop();
    }
    let f = Folded::new(&t);
    for tail in [" cung cap", " co lien quan tren dia ban"] {
        if f.text.ends_with(tail) {
            let cut = f.text.len() - tail.len();
            return f.orig(0, cut).trim().to_owned();
        }
    }
    t.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_lenient() {
        let places = ["Tuyên Quang"];
        let k = agency_key("Sở Lao động - Thương binh và Xã hội", &places);
        assert_eq!(k, "so lao dong thuong binh xa hoi");
        assert_eq!(agency_key("Sở LĐ-TB&XH", &places), k);
        assert_eq!(agency_key("Sở LĐTBXH", &places), k);
        assert_eq!(agency_key("Sở Lao động Thương binh - Xã hội", &places), k);
        assert_eq!(
            agency_key(
                "Sở Lao động, Thương binh và Xã hội tỉnh Tuyên Quang",
                &places
            ),
            k
        );
        assert_eq!(
            agency_key("Sở TT&TT", &places),
            agency_key("Sở Thông tin và Truyền thông", &places)
        );
        assert_eq!(
            agency_key("Sở VH,TT&DL", &places),
            agency_key("Sở Văn hóa, Thể thao và Du lịch", &places)
        );
        assert_eq!(
            agency_key("UBND tỉnh", &places),
            agency_key("Ủy ban nhân dân tỉnh Tuyên Quang", &places)
        );
        assert_eq!(
            agency_key("BCH BĐBP tỉnh", &places),
            agency_key("Bộ đội Biên phòng tỉnh", &places)
        );
        assert_eq!(
            agency_key("BĐBP", &places),
            agency_key("Bộ Chỉ huy Bộ đội Biên phòng tỉnh", &places)
        );
        assert_eq!(
            agency_key("Ủy ban MTTQ Việt Nam tỉnh", &places),
            agency_key("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", &places)
        );
        assert_eq!(
            agency_key("CA tỉnh", &places),
            agency_key("Công an tỉnh", &places)
        );
        assert_eq!(agency_key("Công an tỉnh Tuyên Quang", &places), "cong an");
        assert_eq!(
            agency_key("Viện Kiểm sát nhân dân", &places),
            agency_key("Viện kiểm sát nhân dân tỉnh", &places)
        );
    }

    #[test]
    fn kinds() {
        assert_eq!(guess_kind("Công an tỉnh"), "POLICE");
        assert_eq!(
            guess_kind("Bộ Chỉ huy Bộ đội Biên phòng tỉnh"),
            "BORDER_GUARD"
        );
        assert_eq!(guess_kind("BĐBP tỉnh"), "BORDER_GUARD");
        assert_eq!(guess_kind("Bộ Chỉ huy Quân sự tỉnh"), "MILITARY");
        assert_eq!(guess_kind("Viện kiểm sát nhân dân tỉnh"), "PROCURACY");
        assert_eq!(guess_kind("Tòa án nhân dân tỉnh"), "COURT");
        assert_eq!(guess_kind("Sở LĐ-TB&XH"), "LABOUR_SOCIAL_AFFAIRS");
        assert_eq!(guess_kind("Sở Tư pháp"), "JUSTICE");
        assert_eq!(guess_kind("Sở Y tế"), "HEALTH");
        assert_eq!(guess_kind("Sở Giáo dục và Đào tạo"), "EDUCATION");
        assert_eq!(guess_kind("Sở Văn hóa, Thể thao và Du lịch"), "CULTURE");
        assert_eq!(guess_kind("Sở Thông tin và Truyền thông"), "INFORMATION");
        assert_eq!(guess_kind("Sở Ngoại vụ"), "FOREIGN_AFFAIRS");
        assert_eq!(guess_kind("Sở Nội vụ"), "HOME_AFFAIRS");
        assert_eq!(guess_kind("Hội Liên hiệp Phụ nữ tỉnh"), "WOMENS_UNION");
        assert_eq!(guess_kind("Ủy ban MTTQ Việt Nam tỉnh"), "FATHERLAND_FRONT");
        assert_eq!(guess_kind("Báo Tuyên Quang"), "MEDIA");
        assert_eq!(guess_kind("Đài Phát thanh và Truyền hình tỉnh"), "MEDIA");
        assert_eq!(guess_kind("Thanh tra tỉnh"), "INSPECTION");
        assert_eq!(guess_kind("UBND huyện Bắc Quang"), "PEOPLES_COMMITTEE");
        assert_eq!(guess_kind("Ban Chỉ đạo 138 tỉnh"), "OTHER");
    }

    #[test]
    fn collectives() {
        for c in [
            "các sở, ngành, địa phương",
            "Ủy ban nhân dân các xã",
            "Ủy ban nhân dân các xã, phường",
            "các đơn vị thành viên Ban Chỉ đạo",
            "Cơ quan, tổ chức có liên quan",
            "Ban Chỉ đạo 138 huyện, thành phố",
            "các cơ quan, đơn vị, địa phương có liên quan",
            "Công an xã, phường, thị trấn",
        ] {
            assert!(is_collective(c), "{c}");
        }
        for a in [
            "Công an tỉnh",
            "Sở Văn hóa, Thể thao và Du lịch",
            "Ủy ban nhân dân tỉnh",
            "Sở Lao động, Thương binh và Xã hội",
        ] {
            assert!(!is_collective(a), "{a}");
        }
    }

    #[test]
    fn splits_lists() {
        assert_eq!(
            split_list(
                "Công an tỉnh, Sở Văn hóa, Thể thao và Du lịch, Sở Lao động, Thương binh và Xã hội và các cơ quan, đơn vị liên quan"
            ),
            vec![
                "Công an tỉnh",
                "Sở Văn hóa, Thể thao và Du lịch",
                "Sở Lao động, Thương binh và Xã hội",
                "các cơ quan, đơn vị liên quan"
            ]
        );
        assert_eq!(
            split_list("Viện Kiểm sát nhân dân và Tòa án nhân dân cùng cấp"),
            vec!["Viện Kiểm sát nhân dân", "Tòa án nhân dân"]
        );
        assert_eq!(
            split_list(
                "Các sở, ban, ngành, Ủy ban nhân dân các xã, phường và đề nghị Viện kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh"
            ),
            vec![
                "Các sở, ban, ngành",
                "Ủy ban nhân dân các xã, phường",
                "Viện kiểm sát nhân dân tỉnh",
                "Tòa án nhân dân tỉnh"
            ]
        );
        assert_eq!(
            split_list("Công an tỉnh; Bộ Chỉ huy Quân sự tỉnh"),
            vec!["Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh"]
        );
    }
}
