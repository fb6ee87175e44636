//! Reporting periods (`2024`, `2024-H1`, `2024-Q3`, `2024-07`) and the
//! deadlines a plan's reporting rules give them.
//!
//! Deadline rule: a rule's `MM-DD` names the deadline of the period that
//! contains month `MM` (quarterly "03-29" → Q1 is due on 29 March). The other
//! periods of that cadence are due on the same day of the same month of
//! their own period (Q2 → 29 June, the third month of Q2). Where two rules
//! of one cadence disagree, the one that names a period literally wins, and
//! otherwise the earlier date. A rule without a date makes its periods due
//! [`GRACE_DAYS`] days after they end. One-off rules expect no periodic report.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Duration, NaiveDate};

use crate::service::enums::Cadence;

/// Days after a period's end by which a report is due when no rule says.
pub const GRACE_DAYS: i64 = 15;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PeriodKind {
    Year,
    Half,
    Quarter,
    Month,
}

impl PeriodKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Year => "YEAR",
            PeriodKind::Half => "HALF",
            PeriodKind::Quarter => "QUARTER",
            PeriodKind::Month => "MONTH",
        }
    }

    /// Months in one period of this kind.
    pub fn months(self) -> u32 {
        match self {
            PeriodKind::Year => 12,
            PeriodKind::Half => 6,
            PeriodKind::Quarter => 3,
            PeriodKind::Month => 1,
        }
    }

    /// The kind of period a reporting cadence produces.
    pub fn of_cadence(c: Cadence) -> Option<Self> {
        match c {
            Cadence::Quarterly => Some(PeriodKind::Quarter),
            Cadence::Semiannual => Some(PeriodKind::Half),
            Cadence::Annual => Some(PeriodKind::Year),
            Cadence::OneOff => None,
        }
    }
}

impl FromStr for PeriodKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "YEAR" => Ok(PeriodKind::Year),
            "HALF" => Ok(PeriodKind::Half),
            "QUARTER" => Ok(PeriodKind::Quarter),
            "MONTH" => Ok(PeriodKind::Month),
            other => Err(format!("unknown period kind {other:?}")),
        }
    }
}

/// A reporting period: a year, or the `index`-th (1-based) half, quarter or
/// month of a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub year: i32,
    pub kind: PeriodKind,
    pub index: u32,
}

impl Period {
    pub fn new(year: i32, kind: PeriodKind, index: u32) -> Option<Self> {
        let count = 12 / kind.months();
        ((1900..=2200).contains(&year) && (1..=count).contains(&index)).then_some(Self {
            year,
            kind,
            index,
        })
    }

    pub fn first_month(self) -> u32 {
        (self.index - 1) * self.kind.months() + 1
    }

    pub fn start(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.first_month(), 1).unwrap_or_default()
    }

    pub fn end(self) -> NaiveDate {
        let last = self.first_month() + self.kind.months() - 1;
        let next = if last == 12 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year, last + 1, 1)
        };
        next.unwrap_or_default() - Duration::days(1)
    }

    /// The periods of `kind` inside this one, in order (empty when `kind`
    /// is longer than this period).
    pub fn parts(self, kind: PeriodKind) -> Vec<Period> {
        if kind.months() > self.kind.months() {
            return Vec::new();
        }
        let first = (self.first_month() - 1) / kind.months() + 1;
        let n = self.kind.months() / kind.months();
        (first..first + n)
            .filter_map(|i| Period::new(self.year, kind, i))
            .collect()
    }

    /// The periods of `kind` that lie wholly within `from..=to`.
    pub fn within(kind: PeriodKind, from: NaiveDate, to: NaiveDate) -> Vec<Period> {
        let mut out = Vec::new();
        for year in from.year()..=to.year() {
            for i in 1..=(12 / kind.months()) {
                if let Some(p) = Period::new(year, kind, i)
                    && p.start() >= from
                    && p.end() <= to
                {
                    out.push(p);
                }
            }
        }
        out
    }

    /// The deadline a recurring `MM-DD` gives this period, and whether the
    /// rule names this period literally (month `MM` falls inside it).
    pub fn deadline_from(self, month_day: &str) -> Option<(NaiveDate, bool)> {
        let (m, d) = month_day.split_once('-')?;
        let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
        if !(1..=12).contains(&m) {
            return None;
        }
        let position = (m - 1) % self.kind.months();
        let month = self.first_month() + position;
        let literal = month == m;
        // Clamp the day to the month's length (29 June exists, 31 June not).
        let date = (0..4).find_map(|back| {
            d.checked_sub(back)
                .and_then(|day| NaiveDate::from_ymd_opt(self.year, month, day))
        })?;
        Some((date, literal))
    }

    /// The default deadline: [`GRACE_DAYS`] after the period ends.
    pub fn default_deadline(self) -> NaiveDate {
        self.end() + Duration::days(GRACE_DAYS)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            PeriodKind::Year => write!(f, "{}", self.year),
            PeriodKind::Half => write!(f, "{}-H{}", self.year, self.index),
            PeriodKind::Quarter => write!(f, "{}-Q{}", self.year, self.index),
            PeriodKind::Month => write!(f, "{}-{:02}", self.year, self.index),
        }
    }
}

impl FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("{s:?} is not a period (2024, 2024-H1, 2024-Q3 or 2024-07)");
        let (year, rest) = match s.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (s, None),
        };
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        let (kind, index) = match rest {
            None => (PeriodKind::Year, Some(1)),
            Some(r) if r.len() == 2 && r.starts_with('H') => {
                (PeriodKind::Half, r[1..].parse().ok())
            }
            Some(r) if r.len() == 2 && r.starts_with('Q') => {
                (PeriodKind::Quarter, r[1..].parse().ok())
            }
            Some(r) if r.len() == 2 && r.bytes().all(|b| b.is_ascii_digit()) => {
                (PeriodKind::Month, r.parse().ok())
            }
            Some(_) => return Err(bad()),
        };
        index
            .and_then(|i| Period::new(year, kind, i))
            .ok_or_else(bad)
    }
}

/// One rule of a plan, as the deadline computation needs it.
pub struct Rule<'a> {
    pub cadence: Cadence,
    pub month_day: Option<&'a str>,
}

/// The periods a plan running `from..=to` expects under `rules`, each with
/// its deadline (see the module docs).
pub fn expected(rules: &[Rule<'_>], from: NaiveDate, to: NaiveDate) -> Vec<(Period, NaiveDate)> {
    let mut best: std::collections::BTreeMap<Period, (NaiveDate, bool)> = Default::default();
    for rule in rules {
        let Some(kind) = PeriodKind::of_cadence(rule.cadence) else {
            continue;
        };
        for p in Period::within(kind, from, to) {
            let found = match rule.month_day {
                Some(md) => p.deadline_from(md),
                None => None,
            }
            .unwrap_or((p.default_deadline(), false));
            best.entry(p)
                .and_modify(|cur| {
                    let better = (found.1 && !cur.1) || (found.1 == cur.1 && found.0 < cur.0);
                    if better {
                        *cur = found;
                    }
                })
                .or_insert(found);
        }
    }
    best.into_iter().map(|(p, (d, _))| (p, d)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn parses_and_prints() {
        for s in ["2024", "2024-H2", "2024-Q3", "2024-07"] {
            assert_eq!(s.parse::<Period>().map(|p| p.to_string()), Ok(s.to_owned()));
        }
        for s in ["24", "2024-H3", "2024-Q0", "2024-13", "2024-x", "2024-7"] {
            assert!(s.parse::<Period>().is_err(), "{s}");
        }
        let q = Period::new(2024, PeriodKind::Quarter, 1).unwrap_or_else(|| unreachable!());
        assert_eq!((q.start(), q.end()), (d("2024-01-01"), d("2024-03-31")));
    }

    #[test]
    fn parts_of_a_year() {
        let y: Period = "2024".parse().unwrap_or_else(|_| unreachable!());
        assert_eq!(y.parts(PeriodKind::Quarter).len(), 4);
        let h: Period = "2024-H2".parse().unwrap_or_else(|_| unreachable!());
        let qs: Vec<String> = h
            .parts(PeriodKind::Quarter)
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(qs, ["2024-Q3", "2024-Q4"]);
        assert!(h.parts(PeriodKind::Year).is_empty());
    }

    #[test]
    fn deadlines_of_the_tuyen_quang_plan() {
        // Quarterly before 29/3 and 10/9, half-year before 10/6, year before 10/12.
        let rules = [
            Rule {
                cadence: Cadence::Quarterly,
                month_day: Some("03-29"),
            },
            Rule {
                cadence: Cadence::Semiannual,
                month_day: Some("06-10"),
            },
            Rule {
                cadence: Cadence::Quarterly,
                month_day: Some("09-10"),
            },
            Rule {
                cadence: Cadence::Annual,
                month_day: Some("12-10"),
            },
        ];
        let got: Vec<(String, NaiveDate)> = expected(&rules, d("2024-01-01"), d("2024-12-31"))
            .into_iter()
            .map(|(p, dl)| (p.to_string(), dl))
            .collect();
        let want = [
            ("2024", "2024-12-10"),
            ("2024-H1", "2024-06-10"),
            ("2024-H2", "2024-12-10"),
            ("2024-Q1", "2024-03-29"),
            ("2024-Q2", "2024-06-10"),
            ("2024-Q3", "2024-09-10"),
            ("2024-Q4", "2024-12-10"),
        ];
        let want: Vec<(String, NaiveDate)> =
            want.iter().map(|(p, x)| (p.to_string(), d(x))).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn no_date_means_after_the_period() {
        let rules = [Rule {
            cadence: Cadence::Semiannual,
            month_day: None,
        }];
        let got = expected(&rules, d("2026-01-01"), d("2026-12-31"));
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].1, d("2026-07-15"));
    }
}
