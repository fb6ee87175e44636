//! Text rules for Vietnamese: storage in NFC, and a search key that ignores
//! case and diacritics ("Tuyên Quang" and "tuyen quang" share one key, and
//! "Đ" folds to "d").

use unicode_normalization::UnicodeNormalization;

/// The NFC form of `s`, trimmed, with runs of whitespace collapsed to one space.
pub fn clean(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The search key of `s`: lower-case ASCII, diacritics removed, whitespace collapsed.
pub fn fold(s: &str) -> String {
    let ascii = deunicode::deunicode(&clean(s));
    ascii
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `fold(s)` with the SQL `LIKE` wildcards escaped (escape character `\`).
pub fn like_pattern(s: &str) -> String {
    let folded = fold(s);
    let mut out = String::with_capacity(folded.len() + 2);
    out.push('%');
    for c in folded.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Tuyên Quang"), "tuyen quang");
        assert_eq!(fold("ĐỒNG  Tháp"), "dong thap");
        assert_eq!(fold("Hoà Bình"), fold("Hòa Bình"));
        assert_eq!(like_pattern("50%_x"), "%50\\%\\_x%");
    }

    #[test]
    fn nfc_and_spaces() {
        // "ế" as e + combining circumflex + combining acute.
        assert_eq!(clean("  Huy\u{0065}\u{0302}\u{0301}n  X "), "Huyến X");
    }
}
