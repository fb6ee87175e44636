//! The agency registry and memberships. Every write is one transaction and is
//! validated before anything is stored.

use std::collections::HashMap;

use chrono::Utc;
use entities::{agency, membership};
use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr,
    EntityTrait, ExprTrait, QueryFilter, QueryResult, QuerySelect, Select,
};

use crate::auth::Scope;
use crate::error::UserErrorCode;
use crate::error::{Error, Result, UserError};
use crate::ids::Kind;
use crate::service::audit::json;
use crate::service::batch;
use crate::service::enums::{AgencyKind, MembershipRole};
use crate::service::page::{self, Columns, Cursor, Decode, Key, Ordering, Page, PageArgs};
use crate::service::text;
use crate::service::write::Write;

pub const MAX_NAME: usize = 255;
pub const MAX_SHORT_NAME: usize = 100;

/// Filters of a committee's agency list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct AgencyFilter {
    pub kind: Option<AgencyKind>,
    pub include_inactive: bool,
    pub name_contains: Option<String>,
}

impl AgencyFilter {
    fn apply(&self, mut select: Select<agency::Entity>) -> Select<agency::Entity> {
        if let Some(kind) = self.kind {
            select = select.filter(agency::Column::Kind.eq(kind.as_str()));
        }
        if !self.include_inactive {
            select = select.filter(agency::Column::Active.eq(true));
        }
        if let Some(needle) = self
            .name_contains
            .as_deref()
            .filter(|s| !s.trim().is_empty())
        {
            select = select.filter(
                Expr::col((agency::Entity, agency::Column::SearchKey))
                    .like(LikeExpr::new(text::like_pattern(needle)).escape('\\')),
            );
        }
        select
    }
}

fn ordering() -> Ordering {
    Ordering {
        key: Expr::col((agency::Entity, agency::Column::SearchKey)),
        id: Expr::col((agency::Entity, agency::Column::Id)),
        desc: false,
    }
}

fn cursor(a: &agency::Model) -> Cursor {
    Cursor {
        key: Key::Str(a.search_key.clone()),
        id: a.id,
    }
}

pub async fn by_ids(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: &[i64],
) -> Result<Vec<agency::Model>> {
    Ok(agency::Entity::find()
        .filter(batch::id_in(db, agency::Column::Id, ids.iter().copied()))
        .filter(scope.committee_visible(Expr::col((agency::Entity, agency::Column::CommitteeId))))
        .all(db)
        .await?)
}

/// `select` reading `columns` of each agency row, and how to decode them. A
/// compact row is the id, committee, name, kind, whether active, and the
/// search key (the sort key), read by position (see [`Decode`]); the short
/// name and the timestamps are placeholders.
fn reading(
    select: Select<agency::Entity>,
    columns: Columns,
) -> (Select<agency::Entity>, Decode<agency::Model>) {
    use agency::Column as C;
    if columns == Columns::All {
        return (select, Decode::Named);
    }
    let select = select.select_only().columns([
        C::Id,
        C::CommitteeId,
        C::Name,
        C::Kind,
        C::Active,
        C::SearchKey,
    ]);
    (
        select,
        Decode::Positional {
            width: 6,
            decode: compact_row,
        },
    )
}

/// A compact agency row (see [`reading`]).
fn compact_row(row: &QueryResult) -> std::result::Result<agency::Model, DbErr> {
    Ok(agency::Model {
        id: row.try_get_by_index(0)?,
        committee_id: row.try_get_by_index(1)?,
        name: row.try_get_by_index(2)?,
        short_name: None,
        kind: row.try_get_by_index(3)?,
        active: row.try_get_by_index(4)?,
        search_key: row.try_get_by_index(5)?,
        created_at: chrono::DateTime::UNIX_EPOCH,
        updated_at: chrono::DateTime::UNIX_EPOCH,
    })
}

/// A page of each committee's agencies, ordered by name, in one statement,
/// reading `columns` of each row.
pub async fn pages_by_committee(
    db: &impl ConnectionTrait,
    committees: &[i64],
    filter: &AgencyFilter,
    args: &PageArgs,
    columns: Columns,
) -> Result<HashMap<i64, Page<agency::Model>>> {
    let select = filter.apply(agency::Entity::find());
    let select = reading(select, columns);
    let partition = Expr::col((agency::Entity, agency::Column::CommitteeId));
    page::fetch_partitioned_decoded(db, select, partition, committees, &ordering(), args, cursor)
        .await
}

pub async fn counts_by_committee(
    db: &impl ConnectionTrait,
    committees: &[i64],
    filter: &AgencyFilter,
) -> Result<HashMap<i64, i64>> {
    let select = filter.apply(agency::Entity::find().filter(batch::id_in(
        db,
        agency::Column::CommitteeId,
        committees.iter().copied(),
    )));
    let partition = Expr::col((agency::Entity, agency::Column::CommitteeId));
    page::count_partitioned(db, select, partition).await
}

/// The membership of each agency that has one.
pub async fn memberships_by_agency(
    db: &impl ConnectionTrait,
    agencies: &[i64],
) -> Result<HashMap<i64, membership::Model>> {
    Ok(membership::Entity::find()
        .filter(batch::id_in(
            db,
            membership::Column::AgencyId,
            agencies.iter().copied(),
        ))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.agency_id, m))
        .collect())
}

pub async fn memberships_by_ids(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: &[i64],
) -> Result<Vec<membership::Model>> {
    Ok(membership::Entity::find()
        .filter(batch::id_in(
            db,
            membership::Column::Id,
            ids.iter().copied(),
        ))
        .filter(scope.committee_visible(Expr::col((
            membership::Entity,
            membership::Column::CommitteeId,
        ))))
        .all(db)
        .await?)
}

/// The standing agency of each committee that has one, in one statement (a
/// membership is always in its agency's own committee).
pub async fn standing_by_committee(
    db: &impl ConnectionTrait,
    committees: &[i64],
    columns: Columns,
) -> Result<HashMap<i64, agency::Model>> {
    let standing = sea_orm::sea_query::Query::select()
        .column(membership::Column::AgencyId)
        .from(membership::Entity)
        .and_where(batch::id_in(
            db,
            membership::Column::CommitteeId,
            committees.iter().copied(),
        ))
        .and_where(membership::Column::Role.eq(MembershipRole::Standing.as_str()))
        .to_owned();
    let select = agency::Entity::find()
        .filter(batch::id_in(
            db,
            agency::Column::CommitteeId,
            committees.iter().copied(),
        ))
        .filter(agency::Column::Id.in_subquery(standing));
    Ok(page::all_decoded(db, reading(select, columns))
        .await?
        .into_iter()
        .map(|a| (a.committee_id, a))
        .collect())
}

/// A page of each committee's memberships, in the order they were made.
pub async fn membership_pages(
    db: &impl ConnectionTrait,
    committees: &[i64],
    args: &PageArgs,
) -> Result<HashMap<i64, Page<membership::Model>>> {
    let select = membership::Entity::find();
    let ordering = Ordering {
        key: Expr::col((membership::Entity, membership::Column::Id)),
        id: Expr::col((membership::Entity, membership::Column::Id)),
        desc: false,
    };
    let partition = Expr::col((membership::Entity, membership::Column::CommitteeId));
    page::fetch_partitioned(db, select, partition, committees, &ordering, args, |m| {
        Cursor {
            key: Key::Int(m.id),
            id: m.id,
        }
    })
    .await
}

pub async fn membership_counts(
    db: &impl ConnectionTrait,
    committees: &[i64],
) -> Result<HashMap<i64, i64>> {
    let select = membership::Entity::find().filter(batch::id_in(
        db,
        membership::Column::CommitteeId,
        committees.iter().copied(),
    ));
    let partition = Expr::col((membership::Entity, membership::Column::CommitteeId));
    page::count_partitioned(db, select, partition).await
}

/// Validated, normalised text fields of an agency.
fn check_names(
    name: Option<&str>,
    short_name: Option<Option<&str>>,
    errors: &mut Vec<UserError>,
) -> (Option<String>, Option<Option<String>>) {
    let forbidden = |field: &str, value: &str, errors: &mut Vec<UserError>| {
        if let Some(c) = crate::service::validate::forbidden_char(value) {
            errors.push(UserError::new(
                &["input", field],
                UserErrorCode::InvalidCharacters,
                crate::service::validate::forbidden_message(field, c),
            ));
        }
    };
    let before = errors.len();
    if let Some(n) = name {
        forbidden("name", n, errors);
    }
    let name_plain = errors.len() == before;
    if let Some(Some(s)) = short_name {
        forbidden("shortName", s, errors);
    }
    let name = name.map(text::clean);
    if let Some(n) = &name
        && name_plain
    {
        if n.is_empty() {
            errors.push(UserError::new(
                &["input", "name"],
                UserErrorCode::Required,
                "name must not be empty",
            ));
        } else if n.chars().count() > MAX_NAME {
            errors.push(UserError::new(
                &["input", "name"],
                UserErrorCode::TooLong,
                format!("name must be at most {MAX_NAME} characters"),
            ));
        }
    }
    let short_name = short_name.map(|s| s.map(text::clean).filter(|s| !s.is_empty()));
    if let Some(Some(s)) = &short_name
        && s.chars().count() > MAX_SHORT_NAME
    {
        errors.push(UserError::new(
            &["input", "shortName"],
            UserErrorCode::TooLong,
            format!("shortName must be at most {MAX_SHORT_NAME} characters"),
        ));
    }
    (name, short_name)
}

async fn ensure_unique_name(
    db: &impl ConnectionTrait,
    committee_id: i64,
    search_key: &str,
    except: Option<i64>,
) -> Result<()> {
    let mut q = agency::Entity::find()
        .filter(agency::Column::CommitteeId.eq(committee_id))
        .filter(agency::Column::SearchKey.eq(search_key));
    if let Some(id) = except {
        q = q.filter(agency::Column::Id.ne(id));
    }
    if q.one(db).await?.is_some() {
        return Err(Error::invalid(
            &["input", "name"],
            UserErrorCode::Duplicate,
            "the committee already has an agency with this name",
        ));
    }
    Ok(())
}

pub struct NewAgency<'a> {
    pub committee_id: i64,
    pub name: &'a str,
    pub short_name: Option<&'a str>,
    pub kind: AgencyKind,
}

/// Adds an agency to a committee's registry (an ADMIN of the committee's subtree).
pub async fn create(w: &Write<'_>, input: NewAgency<'_>) -> Result<agency::Model> {
    let committee = w
        .committee(input.committee_id, &["input", "committeeId"])
        .await?;
    w.may_administer(&committee).await?;
    let mut errors = Vec::new();
    let (name, short_name) = check_names(Some(input.name), Some(input.short_name), &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let created = insert_checked(
        w,
        committee.id,
        &name.unwrap_or_default(),
        short_name.flatten(),
        input.kind,
        &["input", "name"],
    )
    .await?;
    w.audit(
        Some(committee.id),
        Some((Kind::Agency, created.id)),
        None,
        json(&created),
    )
    .await?;
    Ok(created)
}

/// Adds an agency named in an imported document to a committee the caller
/// administers (checked by the caller); `field` names it in errors.
pub async fn insert(
    w: &Write<'_>,
    committee_id: i64,
    name: &str,
    kind: AgencyKind,
    field: &[&str],
) -> Result<agency::Model> {
    let mut errors = Vec::new();
    let (name, _) = check_names(Some(name), None, &mut errors);
    if let Some(e) = errors.into_iter().next() {
        return Err(Error::invalid(field, e.code, e.message));
    }
    insert_checked(
        w,
        committee_id,
        &name.unwrap_or_default(),
        None,
        kind,
        field,
    )
    .await
}

async fn insert_checked(
    w: &Write<'_>,
    committee_id: i64,
    name: &str,
    short_name: Option<String>,
    kind: AgencyKind,
    field: &[&str],
) -> Result<agency::Model> {
    let search_key = text::fold(name);
    ensure_unique_name(w.tx(), committee_id, &search_key, None)
        .await
        .map_err(|e| match e {
            Error::Invalid(mut errors) if field != ["input", "name"] => {
                let e = errors.remove(0);
                Error::invalid(field, e.code, e.message)
            }
            other => other,
        })?;
    let now = Utc::now();
    Ok(agency::ActiveModel {
        committee_id: Set(committee_id),
        name: Set(name.to_owned()),
        short_name: Set(short_name),
        kind: Set(kind),
        active: Set(true),
        search_key: Set(search_key),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(w.tx())
    .await?)
}

pub struct AgencyChanges<'a> {
    pub name: Option<&'a str>,
    /// `Some(None)` clears the short name.
    pub short_name: Option<Option<&'a str>>,
    pub kind: Option<AgencyKind>,
}

/// The agency `id` and its committee, for an ADMIN who may manage them.
async fn administered(w: &Write<'_>, id: i64, field: &str) -> Result<agency::Model> {
    let agency = w.agency(id, &["input", field]).await?;
    let committee = w.committee(agency.committee_id, &["input", field]).await?;
    w.may_administer(&committee).await?;
    Ok(agency)
}

/// Renames an agency or changes its kind.
pub async fn update(w: &Write<'_>, id: i64, changes: AgencyChanges<'_>) -> Result<agency::Model> {
    let before = administered(w, id, "id").await?;
    let mut errors = Vec::new();
    let (name, short_name) = check_names(changes.name, changes.short_name, &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let committee_id = before.committee_id;
    let mut model: agency::ActiveModel = before.clone().into();
    if let Some(name) = name {
        let key = text::fold(&name);
        ensure_unique_name(w.tx(), committee_id, &key, Some(id)).await?;
        model.search_key = Set(key);
        model.name = Set(name);
    }
    if let Some(short_name) = short_name {
        model.short_name = Set(short_name);
    }
    if let Some(kind) = changes.kind {
        model.kind = Set(kind);
    }
    model.updated_at = Set(Utc::now());
    let updated = model.update(w.tx()).await?;
    w.audit(
        Some(committee_id),
        Some((Kind::Agency, id)),
        json(&before),
        json(&updated),
    )
    .await?;
    Ok(updated)
}

/// Marks an agency inactive and ends its membership: an inactive agency is
/// kept for history but is no longer a member of its committee.
pub async fn deactivate(w: &Write<'_>, id: i64) -> Result<agency::Model> {
    let before = administered(w, id, "id").await?;
    membership::Entity::delete_many()
        .filter(membership::Column::AgencyId.eq(id))
        .exec(w.tx())
        .await?;
    let mut model: agency::ActiveModel = before.clone().into();
    model.active = Set(false);
    model.updated_at = Set(Utc::now());
    let after = model.update(w.tx()).await?;
    w.audit(
        Some(after.committee_id),
        Some((Kind::Agency, id)),
        json(&before),
        json(&after),
    )
    .await?;
    Ok(after)
}

/// Sets (or with `None` removes) an agency's role in its committee. Making an
/// agency STANDING moves the previous standing agency to MEMBER in the same
/// transaction, so a committee always has at most one.
pub async fn set_membership(
    w: &Write<'_>,
    agency_id: i64,
    role: Option<MembershipRole>,
) -> Result<(agency::Model, Option<membership::Model>)> {
    let agency = administered(w, agency_id, "agencyId").await?;
    let (agency, saved) = set_membership_in(w.tx(), agency, role).await?;
    w.audit(
        Some(agency.committee_id),
        Some((Kind::Agency, agency_id)),
        None,
        Some(serde_json::json!({ "role": saved.as_ref().map(|m| m.role) })),
    )
    .await?;
    Ok((agency, saved))
}

async fn set_membership_in(
    tx: &DatabaseTransaction,
    agency: agency::Model,
    role: Option<MembershipRole>,
) -> Result<(agency::Model, Option<membership::Model>)> {
    let agency_id = agency.id;
    if !agency.active && role.is_some() {
        return Err(Error::invalid(
            &["input", "agencyId"],
            UserErrorCode::Inactive,
            "an inactive agency cannot be a member",
        ));
    }
    let existing = membership::Entity::find()
        .filter(membership::Column::AgencyId.eq(agency_id))
        .one(tx)
        .await?;
    let Some(role) = role else {
        if let Some(m) = existing {
            membership::Entity::delete_by_id(m.id).exec(tx).await?;
        }
        return Ok((agency, None));
    };
    let now = Utc::now();
    if role == MembershipRole::Standing {
        membership::Entity::update_many()
            .col_expr(
                membership::Column::Role,
                Expr::value(MembershipRole::Member.as_str()),
            )
            .col_expr(membership::Column::UpdatedAt, Expr::value(now))
            .filter(membership::Column::CommitteeId.eq(agency.committee_id))
            .filter(membership::Column::Role.eq(MembershipRole::Standing.as_str()))
            .filter(membership::Column::AgencyId.ne(agency_id))
            .exec(tx)
            .await?;
    }
    let saved = match existing {
        Some(m) => {
            let mut m: membership::ActiveModel = m.into();
            m.role = Set(role);
            m.updated_at = Set(now);
            m.update(tx).await?
        }
        None => {
            membership::ActiveModel {
                committee_id: Set(agency.committee_id),
                agency_id: Set(agency_id),
                role: Set(role),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(tx)
            .await?
        }
    };
    Ok((agency, Some(saved)))
}
