//! Accounts, sign-in and API tokens.

use chrono::{DateTime, Utc};
use entities::{account, api_token, committee};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, QueryFilter,
};

use crate::auth::cache::{AccountAuth, AuthCache, TokenAuth};
use crate::auth::policy::in_force;
use crate::auth::throttle::Throttle;
use crate::auth::token::{self, API_TOKEN_PREFIX, Signer};
use crate::auth::{Scope, Viewer, password};
use crate::error::UserErrorCode;
use crate::error::{Error, Result};
use crate::service::audit::{self, Actor, Event, Outcome};
use crate::service::enums::Role;
use crate::service::validate::Check;
use crate::service::write::{Notice, Write};

/// What an account looks like in the audit trail: never the password hash.
pub fn audit_json(a: &account::Model) -> serde_json::Value {
    serde_json::json!({
        "id": a.id, "username": a.username, "displayName": a.display_name,
        "committeeId": a.committee_id, "role": a.role, "active": a.active,
    })
}

/// The viewer of an active account.
pub async fn viewer_of(
    db: &impl ConnectionTrait,
    a: account::Model,
    token_id: Option<i64>,
) -> Result<Viewer> {
    let scope = Scope::of(db, a.committee_id).await?;
    Ok(Viewer {
        account_id: a.id,
        role: a.role,
        username: a.username,
        committee_id: a.committee_id,
        token_id,
        scope: scope.into(),
    })
}

/// The viewer behind a bearer token: an access token or an API token.
/// Anything invalid, expired, revoked or disabled is UNAUTHENTICATED.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    signer: &Signer,
    cache: &AuthCache,
    bearer: &str,
) -> Result<Viewer> {
    authenticate_until(db, signer, cache, bearer)
        .await
        .map(|(v, _)| v)
}

/// [`authenticate`], with when the token expires (none for an API token
/// without expiry). The account, the API token and the committee's scope
/// come from `cache` when it has them (see [`crate::auth::cache`]): a
/// signed-in request then asks the database nothing.
pub async fn authenticate_until(
    db: &impl ConnectionTrait,
    signer: &Signer,
    cache: &AuthCache,
    bearer: &str,
) -> Result<(Viewer, Option<DateTime<Utc>>)> {
    let bearer = bearer.trim();
    let (account_id, token_id, expires_at) = if bearer.starts_with(API_TOKEN_PREFIX) {
        let hash = token::hash_api_token(bearer);
        let t = match cache.token(&hash) {
            Some(t) => t,
            None => {
                let seen = cache.generation();
                let t = api_token::Entity::find()
                    .filter(api_token::Column::TokenHash.eq(hash.clone()))
                    .one(db)
                    .await?
                    .ok_or(Error::Unauthenticated)?;
                let found = TokenAuth {
                    id: t.id,
                    account_id: t.account_id,
                    expires_at: t.expires_at,
                    revoked: t.revoked_at.is_some(),
                };
                cache.keep_token(hash, found, seen)
            }
        };
        let expired = t.expires_at.is_some_and(|e| e <= Utc::now());
        if t.revoked || expired {
            return Err(Error::Unauthenticated);
        }
        (t.account_id, Some(t.id), t.expires_at)
    } else {
        let (account_id, exp) = signer.verify_until(bearer).ok_or(Error::Unauthenticated)?;
        (account_id, None, Some(exp))
    };
    let a = match cache.account(account_id) {
        Some(a) => a,
        None => {
            let seen = cache.generation();
            let a = account::Entity::find_by_id(account_id)
                .one(db)
                .await?
                .ok_or(Error::Unauthenticated)?;
            let found = AccountAuth {
                username: a.username,
                committee_id: a.committee_id,
                role: a.role,
                active: a.active,
            };
            cache.keep_account(account_id, found, seen)
        }
    };
    if !a.active {
        return Err(Error::Unauthenticated);
    }
    let scope = match cache.scope(a.committee_id) {
        Some(s) => s,
        None => {
            let seen = cache.generation();
            let s = Scope::of(db, a.committee_id).await?;
            cache.keep_scope(a.committee_id, s, seen)
        }
    };
    let viewer = Viewer {
        account_id,
        role: a.role,
        username: a.username.clone(),
        committee_id: a.committee_id,
        token_id,
        scope,
    };
    Ok((viewer, expires_at))
}

/// Whether the account is still active and, for an API token, the token
/// neither revoked nor expired: one query. (An access token's expiry is in
/// the token itself.)
pub async fn still_valid(
    db: &impl ConnectionTrait,
    account_id: i64,
    token_id: Option<i64>,
) -> Result<bool> {
    let mut q = account::Entity::find_by_id(account_id).filter(account::Column::Active.eq(true));
    if let Some(t) = token_id {
        q = q.filter(Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from(api_token::Entity)
                .and_where(api_token::Column::Id.eq(t))
                .and_where(api_token::Column::AccountId.eq(account_id))
                .and_where(api_token::Column::RevokedAt.is_null())
                .cond_where(
                    Condition::any()
                        .add(api_token::Column::ExpiresAt.is_null())
                        .add(api_token::Column::ExpiresAt.gt(Utc::now())),
                )
                .to_owned(),
        ));
    }
    Ok(q.one(db).await?.is_some())
}

/// A signed-in session.
pub struct Session {
    pub access_token: String,
    pub expires_at: DateTime<Utc>,
    pub account: account::Model,
}

/// Checks a username and password. Unknown user and wrong password answer
/// alike and cost the same: one account lookup, one argon2 verification
/// (against [`password::dummy`] when the username is unknown), one audit
/// event. Each attempt is reserved with the throttle before the password is
/// verified (see [`Throttle`] for the limits), so concurrent attempts cannot
/// outrun it. Every attempt is audited: `login`, `loginFailed` or
/// `loginThrottled`, with the client address.
pub async fn login(
    db: &DatabaseConnection,
    signer: &Signer,
    throttle: &Throttle,
    actor: &Actor,
    username: &str,
    password_: &str,
) -> Result<Session> {
    let mut c = Check::new();
    c.plain(&["input", "username"], username);
    c.plain(&["input", "password"], password_);
    c.finish()?;
    let username = username.trim().to_lowercase();
    let address = actor.request.client_address.as_deref();
    let fail = |code: UserErrorCode, message: &str| Error::invalid(&["input"], code, message);
    let Some(attempt) = throttle.reserve(&username, address).await? else {
        audit::record(
            db,
            actor,
            Event {
                action: "loginThrottled",
                outcome: Outcome::Ok,
                committee_id: None,
                object_id: None,
                before: None,
                after: Some(serde_json::json!({"username": username})),
            },
        )
        .await?;
        return Err(fail(
            UserErrorCode::TooManyAttempts,
            "too many failed sign-ins; try again later",
        ));
    };
    let found = account::Entity::find()
        .filter(account::Column::Username.eq(&username))
        .one(db)
        .await?;
    let stored = found
        .as_ref()
        .map_or(password::dummy(), |a| a.password_hash.as_str());
    let matches = password::verify(password_, stored).await?;
    let account = match found {
        Some(a) if matches && a.active => a,
        found => {
            attempt.failed();
            audit::record(
                db,
                actor,
                Event {
                    action: "loginFailed",
                    outcome: Outcome::Ok,
                    committee_id: found.as_ref().map(|a| a.committee_id),
                    object_id: None,
                    before: None,
                    after: Some(serde_json::json!({"username": username})),
                },
            )
            .await?;
            return Err(fail(
                UserErrorCode::InvalidCredentials,
                "unknown username or wrong password",
            ));
        }
    };
    attempt.succeeded().await?;
    let (access_token, expires_at) = signer.issue(account.id)?;
    let who = Actor {
        account_id: Some(account.id),
        username: Some(account.username.clone()),
        ..actor.clone()
    };
    audit::record(
        db,
        &who,
        Event {
            action: "login",
            outcome: Outcome::Ok,
            committee_id: Some(account.committee_id),
            object_id: None,
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(Session {
        access_token,
        expires_at,
        account,
    })
}

pub struct NewAccount<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub committee_id: i64,
    pub role: Role,
    pub password: &'a str,
}

pub async fn create(db: &impl ConnectionTrait, input: NewAccount<'_>) -> Result<account::Model> {
    let mut c = Check::new();
    let username = input.username.trim().to_lowercase();
    let valid = !username.is_empty()
        && username.len() <= 64
        && username
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "._-".contains(ch));
    if !valid {
        c.fail(
            &["input", "username"],
            UserErrorCode::InvalidUsername,
            "a username is 1–64 characters: letters, digits, '.', '_' or '-'",
        );
    }
    let display_name = c.text(&["input", "displayName"], input.display_name, 200);
    if c.plain(&["input", "password"], input.password)
        && input.password.chars().count() < password::MIN_LENGTH
    {
        c.fail(
            &["input", "password"],
            UserErrorCode::TooShort,
            format!(
                "a password has at least {} characters",
                password::MIN_LENGTH
            ),
        );
    }
    if committee::Entity::find_by_id(input.committee_id)
        .one(db)
        .await?
        .is_none()
    {
        c.fail(
            &["input", "committeeId"],
            UserErrorCode::NotFound,
            "no committee with this id",
        );
    }
    if account::Entity::find()
        .filter(account::Column::Username.eq(&username))
        .one(db)
        .await?
        .is_some()
    {
        c.fail(
            &["input", "username"],
            UserErrorCode::Duplicate,
            "the username is taken",
        );
    }
    c.finish()?;
    let now = Utc::now();
    Ok(account::ActiveModel {
        username: Set(username),
        display_name: Set(display_name),
        committee_id: Set(input.committee_id),
        role: Set(input.role),
        active: Set(true),
        password_hash: Set(password::hash(input.password).await?),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn by_username(db: &impl ConnectionTrait, username: &str) -> Result<account::Model> {
    let mut c = Check::new();
    c.plain(&["input", "username"], username);
    c.finish()?;
    account::Entity::find()
        .filter(account::Column::Username.eq(username.trim().to_lowercase()))
        .one(db)
        .await?
        .ok_or_else(|| {
            Error::invalid(
                &["input", "username"],
                UserErrorCode::NotFound,
                "no account with this username",
            )
        })
}

/// How many accounts exist.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64> {
    use sea_orm::PaginatorTrait;
    Ok(account::Entity::find().count(db).await?)
}

pub async fn by_id(db: &impl ConnectionTrait, id: i64) -> Result<Option<account::Model>> {
    Ok(account::Entity::find_by_id(id).one(db).await?)
}

pub async fn set_active(
    db: &impl ConnectionTrait,
    a: account::Model,
    active: bool,
) -> Result<account::Model> {
    let mut m: account::ActiveModel = a.into();
    m.active = Set(active);
    m.updated_at = Set(Utc::now());
    Ok(m.update(db).await?)
}

pub async fn reset_password(
    db: &impl ConnectionTrait,
    a: account::Model,
    new: &str,
) -> Result<account::Model> {
    let mut c = Check::new();
    c.plain(&["input", "password"], new);
    c.finish()?;
    if new.chars().count() < password::MIN_LENGTH {
        return Err(Error::invalid(
            &["input", "password"],
            UserErrorCode::TooShort,
            format!(
                "a password has at least {} characters",
                password::MIN_LENGTH
            ),
        ));
    }
    let mut m: account::ActiveModel = a.into();
    m.password_hash = Set(password::hash(new).await?);
    m.updated_at = Set(Utc::now());
    Ok(m.update(db).await?)
}

/// Creates an API token for an account; the plain token is returned once
/// and only its hash is stored.
pub async fn create_token(
    db: &impl ConnectionTrait,
    account_id: i64,
    name: &str,
    expires_at: Option<DateTime<Utc>>,
) -> Result<(String, api_token::Model)> {
    let mut c = Check::new();
    let name = c.text(&["input", "name"], name, 200);
    if expires_at.is_some_and(|e| e <= Utc::now()) {
        c.fail(
            &["input", "expiresAt"],
            UserErrorCode::InThePast,
            "the expiry is in the past",
        );
    }
    c.finish()?;
    let (plain, hash) = token::new_api_token();
    let saved = api_token::ActiveModel {
        account_id: Set(account_id),
        name: Set(name),
        token_hash: Set(hash),
        created_at: Set(Utc::now()),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((plain, saved))
}

pub async fn token_by_id(db: &impl ConnectionTrait, id: i64) -> Result<Option<api_token::Model>> {
    Ok(api_token::Entity::find_by_id(id).one(db).await?)
}

pub async fn revoke_token(
    db: &impl ConnectionTrait,
    t: api_token::Model,
) -> Result<api_token::Model> {
    if t.revoked_at.is_some() {
        return Ok(t);
    }
    let mut m: api_token::ActiveModel = t.into();
    m.revoked_at = Set(Some(Utc::now()));
    Ok(m.update(db).await?)
}

/// The demo accounts: one per role at the central committee, at today's
/// Tuyên Quang province and at one of its communes. All share
/// [`DEMO_PASSWORD`].
pub const DEMO_PASSWORD: &str = "hub138-demo";

/// (username prefix, level, code) of the demo accounts' committees.
pub const DEMO_PLACES: [(&str, crate::service::enums::Level, &str); 3] = [
    ("central", crate::service::enums::Level::Central, "VN"),
    ("tuyenquang", crate::service::enums::Level::Province, "08"),
    ("hagiang2", crate::service::enums::Level::Commune, "00691"),
];

pub async fn create_demo_accounts(db: &impl ConnectionTrait) -> Result<Vec<account::Model>> {
    let mut out = Vec::new();
    let today = crate::service::today().max(crate::seed::reform_day());
    for (prefix, level, code) in DEMO_PLACES {
        let Some(c) =
            crate::service::hierarchy::by_code(db, &Scope::everything(), level, code, today)
                .await?
        else {
            continue;
        };
        for role in Role::ALL {
            let username = format!("{prefix}.{}", role.as_str().to_lowercase());
            out.push(
                create(
                    db,
                    NewAccount {
                        username: &username,
                        display_name: &format!(
                            "{} ({})",
                            c.unit_short_name,
                            role.as_str().to_lowercase()
                        ),
                        committee_id: c.id,
                        role: *role,
                        password: DEMO_PASSWORD,
                    },
                )
                .await?,
            );
        }
    }
    Ok(out)
}

// --- account and token mutations ---------------------------------------------

/// Creates an account at a committee of the caller's subtree (an ADMIN), with
/// a role no higher than the caller's own. Accounts exist only at committees
/// in force. Usernames are national (they sign in), so a taken one is
/// `DUPLICATE` wherever its account is — the answer names nothing else.
pub async fn create_account(w: &Write<'_>, input: NewAccount<'_>) -> Result<account::Model> {
    let committee = w
        .committee(input.committee_id, &["input", "committeeId"])
        .await?;
    w.may_administer(&committee).await?;
    if !in_force(&committee) {
        return Err(Error::invalid(
            &["input", "committeeId"],
            UserErrorCode::Inactive,
            "accounts exist only at committees in force",
        ));
    }
    if let Some(v) = w.caller() {
        v.may_grant(input.role)?;
    }
    let a = create(w.tx(), input).await?;
    w.audit(Some(a.committee_id), None, None, Some(audit_json(&a)))
        .await?;
    Ok(a)
}

/// Enables or disables an account of the caller's subtree (an ADMIN, of an
/// account whose role is not above its own). An account outside the subtree
/// answers like an unknown username.
pub async fn set_account_active(
    w: &Write<'_>,
    username: &str,
    active: bool,
) -> Result<account::Model> {
    let a = by_username(w.tx(), username).await?;
    if !w.in_subtree(a.committee_id).await? {
        return Err(Error::invalid(
            &["input", "username"],
            UserErrorCode::NotFound,
            "no account with this username",
        ));
    }
    let committee = w.committee(a.committee_id, &["input", "username"]).await?;
    w.may_administer(&committee).await?;
    if let Some(v) = w.caller() {
        v.may_grant(a.role)?;
    }
    let before = audit_json(&a);
    let after = set_active(w.tx(), a, active).await?;
    // Open connections of the account re-check their credentials.
    w.notify(Notice::CredentialsChanged(after.id));
    w.audit(
        Some(after.committee_id),
        None,
        Some(before),
        Some(audit_json(&after)),
    )
    .await?;
    Ok(after)
}

/// A long-lived token for the caller's own account.
pub async fn create_own_token(
    w: &Write<'_>,
    name: &str,
    expires_at: Option<DateTime<Utc>>,
) -> Result<(String, api_token::Model)> {
    let v = w.caller().ok_or(Error::Unauthenticated)?;
    let (plain, t) = create_token(w.tx(), v.account_id, name, expires_at).await?;
    w.audit(
        Some(v.committee_id),
        None,
        None,
        Some(serde_json::json!({"id": t.id, "name": t.name, "expiresAt": t.expires_at})),
    )
    .await?;
    Ok((plain, t))
}

/// Revokes one of the caller's own API tokens (an ADMIN: any token of an
/// account in its subtree). Another's token outside that answers like an
/// unknown one.
pub async fn revoke(w: &Write<'_>, token_id: i64) -> Result<api_token::Model> {
    let v = w.caller().ok_or(Error::Unauthenticated)?;
    let not_found = || {
        Error::invalid(
            &["input", "tokenId"],
            UserErrorCode::NotFound,
            "no token with this id",
        )
    };
    let t = token_by_id(w.tx(), token_id).await?.ok_or_else(not_found)?;
    if t.account_id != v.account_id {
        let owner = by_id(w.tx(), t.account_id).await?.ok_or_else(not_found)?;
        if !w.in_subtree(owner.committee_id).await? {
            return Err(not_found());
        }
        let committee = w
            .committee(owner.committee_id, &["input", "tokenId"])
            .await?;
        w.may_administer(&committee).await?;
    }
    let t = revoke_token(w.tx(), t).await?;
    w.notify(Notice::CredentialsChanged(t.account_id));
    w.audit(
        Some(v.committee_id),
        None,
        None,
        Some(serde_json::json!({"id": t.id, "revokedAt": t.revoked_at})),
    )
    .await?;
    Ok(t)
}
