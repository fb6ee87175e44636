//! Demo periodic reports: quarterly reports of every unit of the seed
//! provinces over several years, with a few late, returned, unreviewed and
//! missing ones, so every rollup and status query shows something real.
//!
//! The numbers are invented but deterministic (a hash of unit code, period
//! and indicator) and consistent along each chain: resolved ≤ received ≤
//! arising, tried ≤ prosecuted ≤ solved ≤ initiated. Half-year and year
//! reports that a plan expects are filled with the sums of their quarters.
//! Nothing here is personal data: counts only.

use std::collections::HashMap;

use anyhow::anyhow;
use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use entities::{committee, committee_closure, report, report_value};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect,
};

use crate::auth::Scope;
use crate::service::enums::{Level, ReportStatus};
use crate::service::period::{Period, PeriodKind};

/// (level, code, a day the unit existed, first quarter, last quarter).
const SPANS: [(Level, &str, &str, &str, &str); 5] = [
    // Tuyên Quang and Hà Giang as they stood until the 2025 reform…
    (Level::Province, "08", "2024-01-01", "2023-Q1", "2025-Q2"),
    (Level::Province, "02", "2024-01-01", "2023-Q1", "2025-Q2"),
    // …and the Tuyên Quang that absorbed both.
    (Level::Province, "08", "2025-07-01", "2025-Q3", "2026-Q3"),
    (Level::Province, "20", "2022-01-01", "2022-Q1", "2022-Q4"),
    (Level::Province, "37", "2026-01-01", "2026-Q1", "2026-Q3"),
];

/// Indicators every unit reports.
const CORE: [&str; 12] = [
    "tips_arising",
    "tips_received",
    "tips_resolved",
    "cases_initiated",
    "cases_investigated_solved",
    "cases_prosecuted",
    "cases_tried",
    "suspects_initiated",
    "victims_identified",
    "victims_supported",
    "communication_events",
    "people_reached",
];

/// FNV-1a: a stable hash for invented numbers.
fn hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(b'|')) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

struct Dice<'a> {
    code: &'a str,
    period: &'a str,
}

impl Dice<'_> {
    /// A number in `0..=max`.
    fn roll(&self, what: &str, max: i64) -> i64 {
        let m = u64::try_from(max.max(0)).unwrap_or(0) + 1;
        i64::try_from(hash(&[self.code, self.period, what]) % m).unwrap_or(0)
    }

    /// `from` minus a little (never below 0).
    fn less(&self, what: &str, from: i64) -> i64 {
        from - self.roll(what, from.min(1 + from / 4))
    }
}

fn values(level: Level, code: &str, period: &str) -> Vec<(&'static str, i64)> {
    let d = Dice { code, period };
    let s = match level {
        Level::Province => 6,
        Level::District => 3,
        _ => 1,
    };
    let arising = d.roll("arising", 2 * s + 1);
    let received = d.less("received", arising);
    let resolved = d.less("resolved", received);
    let initiated = d.roll("initiated", s);
    let solved = d.less("solved", initiated);
    let prosecuted = d.less("prosecuted", solved);
    let tried = d.less("tried", prosecuted);
    let identified = d.roll("identified", s);
    let events = 1 + d.roll("events", 3 * s);
    let mut out = vec![
        ("tips_arising", arising),
        ("tips_received", received),
        ("tips_resolved", resolved),
        ("cases_initiated", initiated),
        ("cases_investigated_solved", solved),
        ("cases_prosecuted", prosecuted),
        ("cases_tried", tried),
        (
            "suspects_initiated",
            initiated + d.roll("suspects", initiated),
        ),
        ("victims_identified", identified),
        ("victims_supported", d.less("supported", identified)),
        ("communication_events", events),
        ("people_reached", events * (30 + d.roll("reach", 90))),
    ];
    debug_assert_eq!(out.len(), CORE.len());
    if level != Level::Commune {
        out.extend([
            (
                "defendants_prosecuted",
                prosecuted + d.roll("defendants", prosecuted),
            ),
            ("victims_rescued", d.less("rescued", identified)),
            ("victims_received", d.roll("received_v", s / 2 + 1)),
            ("victims_repatriated", d.roll("repatriated", s / 3)),
        ]);
    }
    if level == Level::Province {
        out.extend([
            ("cooperation_information_exchange", d.roll("coop_info", 3)),
            ("cooperation_victim_repatriation", d.roll("coop_rep", 2)),
        ]);
    }
    out
}

/// What happened to one expected report.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Missing,
    Returned,
    Late,
    Unreviewed,
    OnTime,
}

fn fate(code: &str, period: &str, latest: bool) -> Fate {
    match hash(&[code, period, "fate"]) % 100 {
        0..3 => Fate::Missing,
        3..6 => Fate::Returned,
        6..14 => Fate::Late,
        14..30 if latest => Fate::Unreviewed,
        _ => Fate::OnTime,
    }
}

/// 09:00 in Vietnam on `day`.
fn morning(day: NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_time(NaiveTime::MIN)) + Duration::hours(2)
}

struct Unit {
    id: i64,
    code: String,
    level: Level,
}

/// The units of `root`'s subtree, the root included.
async fn subtree(tx: &DatabaseTransaction, root: i64) -> anyhow::Result<Vec<Unit>> {
    let ids: Vec<i64> = committee_closure::Entity::find()
        .select_only()
        .column(committee_closure::Column::DescendantId)
        .filter(committee_closure::Column::AncestorId.eq(root))
        .into_tuple()
        .all(tx)
        .await?;
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(1000) {
        for c in committee::Entity::find()
            .filter(committee::Column::Id.is_in(chunk.iter().copied()))
            .all(tx)
            .await?
        {
            out.push(Unit {
                id: c.id,
                level: c.level,
                code: c.code,
            });
        }
    }
    out.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(out)
}

/// Loads the demo reports (after the demo plans, whose expectations they fill).
pub async fn load(tx: &DatabaseTransaction) -> anyhow::Result<usize> {
    let mut next_id: i64 = report::Entity::find()
        .select_only()
        .column_as(report::Column::Id.max(), "m")
        .into_tuple::<Option<i64>>()
        .one(tx)
        .await?
        .flatten()
        .unwrap_or(0)
        + 1;
    let now = Utc::now();
    let mut rows: Vec<report::ActiveModel> = Vec::new();
    let mut vals: Vec<report_value::ActiveModel> = Vec::new();
    let mut replaced: Vec<i64> = Vec::new();
    for (level, code, on, from, to) in SPANS {
        let on: NaiveDate = on.parse()?;
        let root = crate::service::hierarchy::by_code(tx, &Scope::everything(), level, code, on)
            .await
            .map_err(|e| anyhow!("{e:?}"))?
            .ok_or_else(|| anyhow!("no {level} {code} on {on}"))?;
        let (from, to): (Period, Period) = (
            from.parse().map_err(anyhow::Error::msg)?,
            to.parse().map_err(anyhow::Error::msg)?,
        );
        let quarters = Period::within(PeriodKind::Quarter, from.start(), to.end());
        let units = subtree(tx, root.id).await?;
        let ids: Vec<i64> = units.iter().map(|u| u.id).collect();
        // What the plans already expect of these units, by (unit, period).
        let mut expected: HashMap<(i64, String), report::Model> = HashMap::new();
        for chunk in ids.chunks(1000) {
            for r in report::Entity::find()
                .filter(report::Column::CommitteeId.is_in(chunk.iter().copied()))
                .all(tx)
                .await?
            {
                expected.insert((r.committee_id, r.period.clone()), r);
            }
        }
        // Quarters first, then the longer periods a plan expects.
        let mut periods: Vec<Period> = quarters.clone();
        let mut longer: Vec<Period> = expected
            .keys()
            .filter_map(|(_, p)| p.parse::<Period>().ok())
            .filter(|p| {
                p.kind != PeriodKind::Quarter && p.start() >= from.start() && p.end() <= to.end()
            })
            .collect();
        longer.sort();
        longer.dedup();
        periods.extend(longer);
        let last = quarters.last().copied();
        for unit in &units {
            for p in &periods {
                let name = p.to_string();
                let plan = expected.remove(&(unit.id, name.clone()));
                if let Some(r) = &plan {
                    replaced.push(r.id);
                }
                let deadline = plan
                    .as_ref()
                    .and_then(|r| r.deadline)
                    .unwrap_or_else(|| p.default_deadline());
                // Only the newest reports may still await review.
                let latest = last.is_some_and(|l| p.end() >= l.start());
                let f = fate(&unit.code, &name, latest);
                let id = next_id;
                next_id += 1;
                let lead = 1 + i64::try_from(hash(&[&unit.code, &name, "lead"]) % 9).unwrap_or(0);
                let submitted = match f {
                    Fate::Missing => None,
                    Fate::Late => Some(morning(deadline + Duration::days(lead))),
                    _ => Some(morning(deadline - Duration::days(lead))),
                };
                let reviewed = match f {
                    Fate::Missing | Fate::Unreviewed => None,
                    _ => submitted.map(|s| s + Duration::days(3)),
                };
                let status = match f {
                    Fate::Missing => ReportStatus::Draft,
                    Fate::Returned => ReportStatus::Returned,
                    Fate::Unreviewed => ReportStatus::Submitted,
                    Fate::Late | Fate::OnTime => ReportStatus::Approved,
                };
                rows.push(report::ActiveModel {
                    id: Set(id),
                    committee_id: Set(unit.id),
                    period: Set(name.clone()),
                    period_kind: Set(p.kind.as_str().to_owned()),
                    period_start: Set(p.start()),
                    period_end: Set(p.end()),
                    plan_id: Set(plan.as_ref().and_then(|r| r.plan_id)),
                    deadline: Set(Some(deadline)),
                    status: Set(status),
                    narrative: Set((f != Fate::Missing).then(|| {
                        format!(
                            "Báo cáo kết quả công tác phòng, chống mua bán người {}.",
                            period_words(*p)
                        )
                    })),
                    submitted_at: Set(submitted),
                    late: Set(f == Fate::Late),
                    reviewed_at: Set(reviewed),
                    return_reason: Set((f == Fate::Returned).then(|| {
                        "Số liệu tiếp nhận tố giác chưa khớp với số liệu của Công an; đề nghị rà soát, báo cáo lại.".to_owned()
                    })),
                    version: Set(match f {
                        Fate::Missing => 1,
                        Fate::Unreviewed => 2,
                        _ => 3,
                    }),
                    created_at: Set(now),
                    updated_at: Set(now),
                    // Left out of the INSERT, so databases migrated only
                    // up to the vocabulary checks load the demo too.
                    entered_by_committee_id: sea_orm::ActiveValue::NotSet,
                });
                if f == Fate::Missing {
                    continue;
                }
                let numbers: Vec<(&str, i64)> = if p.kind == PeriodKind::Quarter {
                    values(unit.level, &unit.code, &name)
                } else {
                    // A longer report carries the sums of its quarters.
                    let mut sum: Vec<(&str, i64)> = Vec::new();
                    for q in p.parts(PeriodKind::Quarter) {
                        for (k, v) in values(unit.level, &unit.code, &q.to_string()) {
                            match sum.iter_mut().find(|(c, _)| *c == k) {
                                Some(e) => e.1 += v,
                                None => sum.push((k, v)),
                            }
                        }
                    }
                    sum
                };
                for (k, v) in numbers {
                    #[allow(clippy::cast_precision_loss)]
                    vals.push(report_value::ActiveModel {
                        report_id: Set(id),
                        indicator_code: Set(k.to_owned()),
                        value: Set(v as f64),
                    });
                }
            }
        }
    }
    for chunk in replaced.chunks(1000) {
        report::Entity::delete_many()
            .filter(report::Column::Id.is_in(chunk.iter().copied()))
            .exec(tx)
            .await?;
    }
    let n = rows.len();
    while !rows.is_empty() {
        let rest = rows.split_off(rows.len().min(1000));
        let chunk = std::mem::replace(&mut rows, rest);
        report::Entity::insert_many(chunk)
            .exec_without_returning(tx)
            .await?;
    }
    while !vals.is_empty() {
        let rest = vals.split_off(vals.len().min(3000));
        let chunk = std::mem::replace(&mut vals, rest);
        report_value::Entity::insert_many(chunk)
            .exec_without_returning(tx)
            .await?;
    }
    Ok(n)
}

fn period_words(p: Period) -> String {
    match p.kind {
        PeriodKind::Year => format!("năm {}", p.year),
        PeriodKind::Half => format!(
            "6 tháng {} năm {}",
            if p.index == 1 { "đầu" } else { "cuối" },
            p.year
        ),
        PeriodKind::Quarter => format!(
            "quý {} năm {}",
            ["I", "II", "III", "IV"][(p.index as usize).saturating_sub(1).min(3)],
            p.year
        ),
        PeriodKind::Month => format!("tháng {} năm {}", p.index, p.year),
    }
}
