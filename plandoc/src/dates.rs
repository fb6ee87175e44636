//! Dates as plans write them: "15/01/2024", "ngày 15 tháng 01 năm 2024",
//! "ngày   tháng 5 năm 2024" (a blank day), "15/12" (the plan's year).

use std::sync::LazyLock;

use regex::Regex;

use crate::PartialDate;
use crate::fold::re;

static SLASH: LazyLock<Regex> =
    LazyLock::new(|| re(r"(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?"));
static WORDS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)ngày\s*(\d{0,2})\s*tháng\s*(\d{0,2})\s*năm\s*(\d{4})"));

/// A date found in a text, with its byte span.
#[derive(Clone, Copy, Debug)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub date: PartialDate,
}

fn num<T: std::str::FromStr>(m: Option<regex::Match<'_>>) -> Option<T> {
    m.and_then(|m| m.as_str().parse().ok())
}

/// Every date in `s`, in order.
pub fn find_dates(s: &str) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    for c in WORDS.captures_iter(s) {
        let Some(whole) = c.get(0) else { continue };
        out.push(Found {
            start: whole.start(),
            end: whole.end(),
            date: PartialDate {
                year: num(c.get(3)),
                month: num::<u8>(c.get(2)).filter(|m| (1..=12).contains(m)),
                day: num::<u8>(c.get(1)).filter(|d| (1..=31).contains(d)),
            },
        });
    }
    for c in SLASH.captures_iter(s) {
        let Some(whole) = c.get(0) else { continue };
        let before = s.get(..whole.start()).and_then(|b| b.chars().next_back());
        let after = s.get(whole.end()..).unwrap_or("");
        if before.is_some_and(|b| b.is_alphanumeric() || b == '/' || b == '-') {
            continue;
        }
        if after.starts_with(|c: char| {
            c.is_alphanumeric() || c == '/' || c == '-' && !after.starts_with("- ")
        }) {
            continue;
        }
        let day: Option<u8> = num(c.get(1));
        let month: Option<u8> = num(c.get(2));
        let (Some(day), Some(month)) = (day, month) else {
            continue;
        };
        if !(1..=31).contains(&day) || !(1..=12).contains(&month) {
            continue;
        }
        if out
            .iter()
            .any(|f| f.start <= whole.start() && whole.start() < f.end)
        {
            continue;
        }
        out.push(Found {
            start: whole.start(),
            end: whole.end(),
            date: PartialDate {
                year: num(c.get(3)),
                month: Some(month),
                day: Some(day),
            },
        });
    }
    out.sort_by_key(|f| f.start);
    out
}

/// The first date at the start of `s` (after spaces).
pub fn date_at_start(s: &str) -> Option<PartialDate> {
    let lead = s.len() - s.trim_start().len();
    find_dates(s)
        .into_iter()
        .next()
        .filter(|f| f.start == lead)
        .map(|f| f.date)
}

static WINDOW: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)từ\s+(?:ngày\s+)?(\d{1,2}/\d{1,2}(?:/\d{4})?)\s*(?:đến|-|–|tới)\s*(?:hết\s+)?(?:ngày\s+)?(\d{1,2}/\d{1,2}(?:/\d{4})?)",
    )
});
static DUE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?:trước|chậm nhất|hạn chót|xong trước)\s+(?:ngày\s+)?(\d{1,2}/\d{1,2}(?:/\d{4})?)")
});

/// A window "từ ngày 01/7/2024 đến hết 30/9/2024" / "từ ngày 01/7 - 30/9/2022";
/// the start takes the end's year when it has none.
pub fn window(s: &str) -> Option<(PartialDate, PartialDate)> {
    let c = WINDOW.captures(s)?;
    let from = date_at_start(c.get(1)?.as_str())?;
    let to = date_at_start(c.get(2)?.as_str())?;
    Some((from.with_year(to.year), to.with_year(from.year)))
}

/// A deadline "trước ngày 15/12".
pub fn due(s: &str) -> Option<PartialDate> {
    let c = DUE.captures(s)?;
    date_at_start(c.get(1)?.as_str())
}

/// The day-month dates of a deadline list "trước ngày 29/3 và 10/9".
pub fn deadlines(s: &str) -> Vec<PartialDate> {
    find_dates(s).into_iter().map(|f| f.date).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_day_is_partial() {
        let f = find_dates("Ninh Bình, ngày   tháng 3 năm 2026");
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].date,
            PartialDate {
                year: Some(2026),
                month: Some(3),
                day: None
            }
        );
    }

    #[test]
    fn slashes_but_not_numbers() {
        let f = find_dates(
            "Kế hoạch số 19/KH-BCĐ138/CP ngày 15/01/2024 của BCĐ 138/CP; Nghị quyết 02/2019/NQ-HĐTP",
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            f[0].date.to_date().map(|d| d.to_string()),
            Some("2024-01-15".to_owned())
        );
    }

    #[test]
    fn windows_and_deadlines() {
        let (a, b) =
            window("(thời gian từ ngày 01/7 - 30/9/2022)").unwrap_or_else(|| panic!("no window"));
        assert_eq!(a.year, Some(2022));
        assert_eq!((b.month, b.day), (Some(9), Some(30)));
        let d = deadlines("trước ngày 29/3 và 10/9");
        assert_eq!(d.len(), 2);
        assert_eq!((d[1].month, d[1].day, d[1].year), (Some(9), Some(10), None));
        assert_eq!(
            due("hoàn thành trước ngày 15/12").and_then(|d| d.day),
            Some(15)
        );
    }
}
