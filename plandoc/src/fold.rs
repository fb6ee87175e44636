//! Text helpers: NFC cleaning and diacritics folding.

use unicode_normalization::UnicodeNormalization;

/// A regex from a literal pattern of this crate.
#[allow(clippy::expect_used)]
pub fn re(pattern: &str) -> regex::Regex {
    regex::Regex::new(pattern).expect("a valid regex literal")
}

/// NFC, trimmed, whitespace runs collapsed to one space.
pub fn clean(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One ASCII character for one character of `c`'s meaning: "ế" → 'e',
/// "Đ" → 'd', punctuation kept when ASCII, anything else → ' '.
fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    match c {
        'đ' | 'Đ' => 'd',
        '–' | '—' | '‐' | '‑' => '-',
        '“' | '”' | '„' => '"',
        '‘' | '’' => '\'',
        '…' => '.',
        _ => {
            let s: String = std::iter::once(c).collect::<String>().nfd().collect();
            s.chars().next().filter(char::is_ascii).map_or_else(
                || {
                    deunicode::deunicode_char(c)
                        .and_then(|d| d.chars().next())
                        .filter(char::is_ascii_alphanumeric)
                        .map_or(' ', |d| d.to_ascii_lowercase())
                },
                |b| b.to_ascii_lowercase(),
            )
        }
    }
}

/// `s` folded one character for one: the result is ASCII with exactly as
/// many bytes as `s` has characters, so a match at byte `i` of the fold is
/// character `i` of `s`.
pub struct Folded<'a> {
    pub text: String,
    orig: &'a str,
    /// Byte offset in `orig` of each character, and `orig.len()` at the end.
    offsets: Vec<usize>,
}

impl<'a> Folded<'a> {
    pub fn new(orig: &'a str) -> Self {
        let mut text = String::with_capacity(orig.len());
        let mut offsets = Vec::with_capacity(orig.len() + 1);
        for (i, c) in orig.char_indices() {
            offsets.push(i);
            text.push(fold_char(c));
        }
        offsets.push(orig.len());
        Self {
            text,
            orig,
            offsets,
        }
    }

    /// The original text of folded bytes `from..to`.
    pub fn orig(&self, from: usize, to: usize) -> &'a str {
        let a = self.offsets.get(from).copied().unwrap_or(self.orig.len());
        let b = self.offsets.get(to).copied().unwrap_or(self.orig.len());
        self.orig.get(a..b.max(a)).unwrap_or("")
    }
}

/// Lower-case ASCII, diacritics removed, whitespace collapsed.
pub fn fold(s: &str) -> String {
    Folded::new(&clean(s))
        .text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `s` starts with a lower-case letter.
pub fn starts_lower(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_lowercase)
}

/// Whether every letter of `s` is upper case (and there are at least two).
pub fn all_caps(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

/// Normal case for an all-caps name: "ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG" →
/// "Ủy ban nhân dân tỉnh Tuyên Quang" (the words after an administrative
/// level word are a place name and keep capitals).
pub fn normal_case(s: &str) -> String {
    let lower = s.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let levels = [
        "tỉnh",
        "huyện",
        "xã",
        "phường",
        "thị",
        "quận",
        "thành",
        "phố",
        "trấn",
    ];
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut in_place = false;
    for (i, w) in words.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| words.get(j)).copied();
        let after_level =
            prev.is_some_and(|p| levels.contains(&p)) && !matches!(*w, "phố" | "xã" | "trấn");
        if after_level {
            in_place = true;
        }
        let cap = i == 0 || in_place || *w == "việt" || *w == "nam" && prev == Some("việt");
        out.push(if cap { capitalize(w) } else { (*w).to_owned() });
    }
    let mut joined = out.join(" ");
    for (from, to) in [
        ("Ban chỉ đạo", "Ban Chỉ đạo"),
        ("ban chỉ đạo", "Ban Chỉ đạo"),
        ("mặt trận tổ quốc", "Mặt trận Tổ quốc"),
        ("Ủy ban mặt trận", "Ủy ban Mặt trận"),
        ("chính phủ", "Chính phủ"),
    ] {
        joined = joined.replace(from, to);
    }
    joined
}

fn capitalize(w: &str) -> String {
    let mut cs = w.chars();
    cs.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(cs).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_one_for_one() {
        let f = Folded::new("Sở Lao động – Thương binh");
        assert_eq!(f.text, "so lao dong - thuong binh");
        assert_eq!(f.orig(3, 11), "Lao động");
        assert_eq!(fold("ĐỒNG  Tháp"), "dong thap");
    }

    #[test]
    fn normal_case_of_header() {
        assert_eq!(
            normal_case("ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG"),
            "Ủy ban nhân dân tỉnh Tuyên Quang"
        );
        assert_eq!(
            normal_case("BAN CHỈ ĐẠO 138 TỈNH LẠNG SƠN"),
            "Ban Chỉ đạo 138 tỉnh Lạng Sơn"
        );
    }
}
