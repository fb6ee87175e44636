//! Loading the reference and demo data into an empty database: the real
//! committee tree (the current two-tier units and the pre-2025 three-tier
//! ones, linked by the 2025 merges) and the agency registry.
//!
//! The data files live in the repository's `data/` folder and are embedded in
//! the binary, so the server starts the same way from any directory. The
//! demo (plans, tasks, reports, cooperation, accounts) is in [`demo`]; it
//! goes through the same service functions as the API.

pub mod demo;
pub mod demo_reports;

use std::collections::{BTreeSet, HashMap};

use chrono::{NaiveDate, Utc};
use entities::{agency, agency_alias, committee, committee_succession, membership};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, TransactionTrait,
};
use serde::Deserialize;

use crate::service::enums::{AgencyKind, Level, MembershipRole};
use crate::service::text;

const UNITS_2025: &str = include_str!("../../../data/vn-admin-units/units-2025.json");
const UNITS_LEGACY: &str = include_str!("../../../data/vn-admin-units/units-legacy.json");
const MERGES_2025: &str = include_str!("../../../data/vn-admin-units/merges-2025.json");
use demo::AGENCIES as DEMO_AGENCIES;

/// The day the two-tier structure took effect.
pub fn reform_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default()
}

/// The last day of the three-tier structure.
pub fn legacy_last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 30).unwrap_or_default()
}

/// The code of the central committee.
pub const CENTRAL_CODE: &str = "VN";

#[derive(Deserialize)]
struct Unit {
    code: String,
    name: String,
    short_name: String,
    #[serde(rename = "type")]
    unit_type: String,
    level: String,
    parent_code: Option<String>,
}

#[derive(Deserialize)]
struct Merge {
    level: String,
    old_code: String,
    old_district_code: Option<String>,
    new_codes: Vec<String>,
    partial: bool,
}

#[derive(Deserialize)]
struct DemoFile {
    committees: Vec<DemoCommittee>,
}

#[derive(Deserialize)]
struct DemoCommittee {
    level: String,
    code: String,
    on: NaiveDate,
    agencies: Vec<DemoAgency>,
}

#[derive(Deserialize)]
struct DemoAgency {
    name: String,
    short_name: Option<String>,
    kind: String,
    role: Option<String>,
    #[serde(default = "yes")]
    active: bool,
    /// Other names the documents use for it.
    #[serde(default)]
    aliases: Vec<String>,
}

fn yes() -> bool {
    true
}

/// What was loaded, for the log.
#[derive(Debug, Default, Clone, Copy)]
pub struct SeedReport {
    pub committees: usize,
    pub successions: usize,
    pub agencies: usize,
    pub memberships: usize,
}

/// The unit name as it reads inside a sentence: "Tỉnh Tuyên Quang" becomes
/// "tỉnh Tuyên Quang", "Phường 1" becomes "phường 1".
pub(crate) fn in_sentence(unit_name: &str) -> String {
    let mut chars = unit_name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The type word of a unit as documents use it ("tỉnh", "thành phố", "xã").
fn type_word(unit_type: &str) -> &str {
    match unit_type {
        "thành phố trung ương" => "thành phố",
        other => other,
    }
}

fn level_of(level: &str) -> anyhow::Result<Level> {
    match level {
        "province" => Ok(Level::Province),
        "district" => Ok(Level::District),
        "commune" => Ok(Level::Commune),
        other => anyhow::bail!("unknown unit level {other:?}"),
    }
}

struct Tree {
    rows: Vec<committee::Model>,
    /// (level, code) -> id, for the legacy and the current units.
    legacy: HashMap<(Level, String), i64>,
    current: HashMap<(Level, String), i64>,
}

fn committee_row(
    id: i64,
    level: Level,
    unit: &Unit,
    parent_id: Option<i64>,
    depth: i16,
    legacy: bool,
) -> committee::Model {
    let name = format!("Ban Chỉ đạo 138 {}", in_sentence(&unit.name));
    committee::Model {
        id,
        level,
        code: unit.code.clone(),
        // The place name first, so that ordering by name is alphabetical by place.
        search_key: text::fold(&format!("{} | {name} | {}", unit.short_name, unit.name)),
        name,
        unit_name: text::clean(&unit.name),
        unit_short_name: text::clean(&unit.short_name),
        unit_type: unit.unit_type.clone(),
        parent_id,
        depth,
        valid_from: (!legacy).then(reform_day),
        valid_to: legacy.then(legacy_last_day),
        current_id: None,
        lft: 0,
        rgt: 0,
    }
}

/// Numbers the committees in pre-order (see [`migration::preorder`]).
fn number_tree(rows: &mut [committee::Model]) {
    let tree: Vec<(i64, Option<i64>, String)> = rows
        .iter()
        .map(|c| (c.id, c.parent_id, c.code.clone()))
        .collect();
    let places: HashMap<i64, (i64, i64)> = migration::preorder::number(&tree)
        .into_iter()
        .map(|(id, l, r)| (id, (l, r)))
        .collect();
    for c in rows {
        if let Some(&(l, r)) = places.get(&c.id) {
            (c.lft, c.rgt) = (l, r);
        }
    }
}

fn build_tree() -> anyhow::Result<Tree> {
    let legacy_units: Vec<Unit> = serde_json::from_str(UNITS_LEGACY)?;
    let current_units: Vec<Unit> = serde_json::from_str(UNITS_2025)?;
    let central = committee::Model {
        id: 1,
        level: Level::Central,
        code: CENTRAL_CODE.to_owned(),
        name: "Ban Chỉ đạo 138/CP".to_owned(),
        unit_name: "Chính phủ".to_owned(),
        unit_short_name: "Chính phủ".to_owned(),
        unit_type: "chính phủ".to_owned(),
        search_key: text::fold(
            "Chính phủ | Ban Chỉ đạo 138/CP | Ban Chỉ đạo phòng, chống tội phạm Chính phủ | BCĐ 138/CP",
        ),
        parent_id: None,
        depth: 0,
        valid_from: None,
        valid_to: None,
        current_id: None,
        lft: 0,
        rgt: 0,
    };
    let mut tree = Tree {
        rows: vec![central],
        legacy: HashMap::new(),
        current: HashMap::new(),
    };
    let mut next_id = 2_i64;
    // Units come provinces first, then districts, then communes: parents
    // always precede their children.
    for (units, legacy) in [(&legacy_units, true), (&current_units, false)] {
        for unit in units {
            let level = level_of(&unit.level)?;
            let map = if legacy { &tree.legacy } else { &tree.current };
            let (parent_id, depth) = match (level, &unit.parent_code) {
                (Level::Province, _) => (1, 1),
                (Level::District, Some(p)) => (lookup(map, Level::Province, p)?, 2),
                (Level::Commune, Some(p)) if legacy => (lookup(map, Level::District, p)?, 3),
                (Level::Commune, Some(p)) => (lookup(map, Level::Province, p)?, 2),
                _ => anyhow::bail!("unit {} has no parent", unit.code),
            };
            let row = committee_row(next_id, level, unit, Some(parent_id), depth, legacy);
            let map = if legacy {
                &mut tree.legacy
            } else {
                &mut tree.current
            };
            map.insert((level, unit.code.clone()), next_id);
            tree.rows.push(row);
            next_id += 1;
        }
    }
    Ok(tree)
}

fn lookup(map: &HashMap<(Level, String), i64>, level: Level, code: &str) -> anyhow::Result<i64> {
    map.get(&(level, code.to_owned()))
        .copied()
        .ok_or_else(|| anyhow::anyhow!("no {level} with code {code}"))
}

/// Successor links from the merge table. Districts have no rows of their own:
/// a district's successors are the new communes that took in its communes.
fn successions(tree: &Tree) -> anyhow::Result<Vec<committee_succession::Model>> {
    let merges: Vec<Merge> = serde_json::from_str(MERGES_2025)?;
    let mut links: HashMap<(i64, i64), bool> = HashMap::new();
    for m in &merges {
        let level = level_of(&m.level)?;
        // A few old codes are missing from the legacy list; they have no committee.
        let Some(&old) = tree.legacy.get(&(level, m.old_code.clone())) else {
            continue;
        };
        for new_code in &m.new_codes {
            let new = lookup(&tree.current, level, new_code)?;
            links.insert((old, new), m.partial);
            if let Some(district) = &m.old_district_code
                && let Some(&d) = tree.legacy.get(&(Level::District, district.clone()))
            {
                let partial = links.get(&(d, new)).copied().unwrap_or(false) || m.partial;
                links.insert((d, new), partial);
            }
        }
    }
    let effective_on = reform_day();
    let mut rows: Vec<_> = links
        .into_iter()
        .map(
            |((predecessor_id, successor_id), partial)| committee_succession::Model {
                predecessor_id,
                successor_id,
                partial,
                effective_on,
            },
        )
        .collect();
    rows.sort_by_key(|r| (r.predecessor_id, r.successor_id));
    Ok(rows)
}

struct Registry {
    agencies: Vec<agency::Model>,
    memberships: Vec<membership::Model>,
    /// (agency id, alias).
    aliases: Vec<(i64, String)>,
}

fn registry(tree: &Tree) -> anyhow::Result<Registry> {
    let demo: DemoFile = serde_json::from_str(DEMO_AGENCIES)?;
    let now = Utc::now();
    let mut reg = Registry {
        agencies: Vec::new(),
        memberships: Vec::new(),
        aliases: Vec::new(),
    };
    let push = |reg: &mut Registry,
                committee_id: i64,
                name: &str,
                short_name: Option<&str>,
                kind: AgencyKind,
                role: Option<MembershipRole>,
                active: bool| {
        let id = i64::try_from(reg.agencies.len()).unwrap_or(i64::MAX) + 1;
        let name = text::clean(name);
        reg.agencies.push(agency::Model {
            id,
            committee_id,
            search_key: text::fold(&name),
            name,
            short_name: short_name.map(text::clean),
            kind,
            active,
            created_at: now,
            updated_at: now,
        });
        if let Some(role) = role {
            reg.memberships.push(membership::Model {
                id: i64::try_from(reg.memberships.len()).unwrap_or(i64::MAX) + 1,
                committee_id,
                agency_id: id,
                role,
                created_at: now,
                updated_at: now,
            });
        }
    };
    let mut curated = BTreeSet::new();
    for c in &demo.committees {
        let level: Level = c.level.parse().map_err(anyhow::Error::msg)?;
        let id = tree
            .rows
            .iter()
            .find(|r| {
                r.level == level
                    && r.code == c.code
                    && r.valid_from.is_none_or(|f| f <= c.on)
                    && r.valid_to.is_none_or(|t| t >= c.on)
            })
            .map(|r| r.id)
            .ok_or_else(|| anyhow::anyhow!("no {level} {} on {}", c.code, c.on))?;
        curated.insert(id);
        for a in &c.agencies {
            let kind: AgencyKind = a.kind.parse().map_err(anyhow::Error::msg)?;
            let role = a
                .role
                .as_deref()
                .map(str::parse::<MembershipRole>)
                .transpose()
                .map_err(anyhow::Error::msg)?;
            push(
                &mut reg,
                id,
                &a.name,
                a.short_name.as_deref(),
                kind,
                role,
                a.active,
            );
            let agency_id = i64::try_from(reg.agencies.len()).unwrap_or(i64::MAX);
            for alias in &a.aliases {
                reg.aliases.push((agency_id, text::clean(alias)));
            }
        }
    }
    for row in &tree.rows {
        if curated.contains(&row.id) || row.level == Level::Central {
            continue;
        }
        let unit = in_sentence(&row.unit_name);
        let word = type_word(&row.unit_type);
        push(
            &mut reg,
            row.id,
            &format!("Ủy ban nhân dân {unit}"),
            Some(&format!("UBND {word}")),
            AgencyKind::PeoplesCommittee,
            Some(MembershipRole::Head),
            true,
        );
        push(
            &mut reg,
            row.id,
            &format!("Công an {unit}"),
            Some(&format!("Công an {word}")),
            AgencyKind::Police,
            Some(MembershipRole::Standing),
            true,
        );
    }
    Ok(reg)
}

async fn insert_chunks<E, A>(
    db: &impl ConnectionTrait,
    rows: Vec<A>,
    chunk: usize,
) -> anyhow::Result<()>
where
    E: EntityTrait,
    A: sea_orm::ActiveModelTrait<Entity = E> + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<A> = rows.by_ref().take(chunk).collect();
        E::insert_many(batch).exec_without_returning(db).await?;
    }
    Ok(())
}

/// Fills the closure table level by level, in SQL.
async fn build_closure(db: &impl ConnectionTrait) -> anyhow::Result<()> {
    db.execute_unprepared(
        "INSERT INTO committee_closure (ancestor_id, descendant_id, distance) \
         SELECT id, id, 0 FROM committee",
    )
    .await?;
    for depth in 1..=3 {
        db.execute_unprepared(&format!(
            "INSERT INTO committee_closure (ancestor_id, descendant_id, distance) \
             SELECT cl.ancestor_id, c.id, cl.distance + 1 \
             FROM committee c JOIN committee_closure cl ON cl.descendant_id = c.parent_id \
             WHERE c.depth = {depth}"
        ))
        .await?;
    }
    Ok(())
}

/// Sets `committee.current_id`, in SQL: today's units map to themselves; an
/// old commune or province to its successor (a whole successor before a
/// partial one, then the lowest id, so each maps to exactly one); an old
/// district to the province of its successor communes; an old unit with no
/// merge record to what its parent maps to.
async fn map_to_current(db: &impl ConnectionTrait) -> anyhow::Result<()> {
    db.execute_unprepared("UPDATE committee SET current_id = id WHERE valid_to IS NULL")
        .await?;
    db.execute_unprepared(&format!(
        "UPDATE committee SET current_id = (\
           SELECT s.successor_id FROM committee_succession s \
           WHERE s.predecessor_id = committee.id \
           ORDER BY s.partial, s.successor_id LIMIT 1) \
         WHERE valid_to IS NOT NULL AND level IN ('{}', '{}')",
        Level::Province.as_str(),
        Level::Commune.as_str()
    ))
    .await?;
    db.execute_unprepared(&format!(
        "UPDATE committee SET current_id = (\
           SELECT n.parent_id FROM committee_succession s \
           JOIN committee n ON n.id = s.successor_id \
           WHERE s.predecessor_id = committee.id \
           ORDER BY s.partial, s.successor_id LIMIT 1) \
         WHERE valid_to IS NOT NULL AND level = '{}'",
        Level::District.as_str()
    ))
    .await?;
    for depth in 1..=3 {
        db.execute_unprepared(&format!(
            "UPDATE committee SET current_id = (\
               SELECT p.current_id FROM committee p WHERE p.id = committee.parent_id) \
             WHERE current_id IS NULL AND depth = {depth}"
        ))
        .await?;
    }
    Ok(())
}

/// Fills `committee.current_id` in a database seeded before the column
/// existed (a no-op once every committee has one).
pub async fn backfill_current(db: &DatabaseConnection) -> anyhow::Result<()> {
    let missing = committee::Entity::find()
        .filter(committee::Column::CurrentId.is_null())
        .count(db)
        .await?;
    if missing > 0 {
        let tx = db.begin().await?;
        map_to_current(&tx).await?;
        // Today's units moved: the totals in today's tree with them.
        crate::service::totals::refill(&tx)
            .await
            .map_err(|e| anyhow::anyhow!("rollup totals: {e:?}"))?;
        tx.commit().await?;
    }
    Ok(())
}

/// Loads the reference data (and, with `demo`, the demo data) into an empty
/// database in one transaction. Returns `None` (and changes nothing) when
/// the database already holds committees.
pub async fn seed_if_empty(
    db: &DatabaseConnection,
    demo: bool,
) -> anyhow::Result<Option<SeedReport>> {
    if committee::Entity::find().count(db).await? > 0 {
        return Ok(None);
    }
    let mut tree = build_tree()?;
    number_tree(&mut tree.rows);
    let links = successions(&tree)?;
    let reg = registry(&tree)?;
    let report = SeedReport {
        committees: tree.rows.len(),
        successions: links.len(),
        agencies: reg.agencies.len(),
        memberships: reg.memberships.len(),
    };
    let tx = db.begin().await?;
    let committees: Vec<committee::ActiveModel> = tree
        .rows
        .into_iter()
        .map(|m| committee::ActiveModel {
            id: Set(m.id),
            level: Set(m.level),
            code: Set(m.code),
            name: Set(m.name),
            unit_name: Set(m.unit_name),
            unit_short_name: Set(m.unit_short_name),
            unit_type: Set(m.unit_type),
            search_key: Set(m.search_key),
            parent_id: Set(m.parent_id),
            depth: Set(m.depth),
            valid_from: Set(m.valid_from),
            valid_to: Set(m.valid_to),
            current_id: Set(m.current_id),
            lft: Set(m.lft),
            rgt: Set(m.rgt),
        })
        .collect();
    insert_chunks(&tx, committees, 1000).await?;
    build_closure(&tx).await?;
    let links: Vec<committee_succession::ActiveModel> = links
        .into_iter()
        .map(|m| committee_succession::ActiveModel {
            predecessor_id: Set(m.predecessor_id),
            successor_id: Set(m.successor_id),
            partial: Set(m.partial),
            effective_on: Set(m.effective_on),
        })
        .collect();
    insert_chunks(&tx, links, 2000).await?;
    map_to_current(&tx).await?;
    let agencies: Vec<agency::ActiveModel> = reg
        .agencies
        .into_iter()
        .map(|m| agency::ActiveModel {
            id: Set(m.id),
            committee_id: Set(m.committee_id),
            name: Set(m.name),
            short_name: Set(m.short_name),
            kind: Set(m.kind),
            active: Set(m.active),
            search_key: Set(m.search_key),
            created_at: Set(m.created_at),
            updated_at: Set(m.updated_at),
        })
        .collect();
    insert_chunks(&tx, agencies, 1000).await?;
    let aliases: Vec<agency_alias::ActiveModel> = reg
        .aliases
        .into_iter()
        .map(|(agency_id, alias)| agency_alias::ActiveModel {
            agency_id: Set(agency_id),
            search_key: Set(text::fold(&alias)),
            alias: Set(alias),
            ..Default::default()
        })
        .collect();
    insert_chunks(&tx, aliases, 1000).await?;
    let memberships: Vec<membership::ActiveModel> = reg
        .memberships
        .into_iter()
        .map(|m| membership::ActiveModel {
            id: Set(m.id),
            committee_id: Set(m.committee_id),
            agency_id: Set(m.agency_id),
            role: Set(m.role),
            created_at: Set(m.created_at),
            updated_at: Set(m.updated_at),
        })
        .collect();
    insert_chunks(&tx, memberships, 1500).await?;
    crate::service::indicator::load(&tx).await?;
    if demo {
        demo::load(&tx).await?;
    }
    // The demo's reports are loaded in bulk, past the services' write path.
    crate::service::totals::refill(&tx)
        .await
        .map_err(|e| anyhow::anyhow!("rollup totals: {e:?}"))?;
    if tx.get_database_backend() == DbBackend::Postgres {
        for table in ["committee", "agency", "membership", "report"] {
            tx.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 (SELECT COALESCE(MAX(id), 1) FROM {table}))"
            ))
            .await?;
        }
    }
    tx.commit().await?;
    Ok(Some(report))
}
