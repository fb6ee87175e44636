//! `Agency`: a body in a committee's registry.

use std::borrow::Cow;

use crate::graphql::scalars::DateTime;
use async_graphql::{Context, ID, InputObject, Object, Result};
use entities::agency;

use crate::graphql::agency::Membership;
use crate::graphql::committee::Committee;
use crate::graphql::enums::AgencyKind;
use crate::graphql::ids::{self, NodeKind};
use crate::graphql::loaders::{AgencyId, Loaders, MembershipOfAgency};
use crate::service::agency::AgencyFilter;
use crate::service::page::Columns;

/// An agency and which of its row's columns were read (see [`Columns`]):
/// a compact row answers [`Agency::COMPACT_FIELDS`]; the other fields read
/// the whole row first.
#[derive(Clone, Debug)]
pub struct Agency(pub agency::Model, Columns);

impl From<agency::Model> for Agency {
    fn from(m: agency::Model) -> Self {
        Self::new(m)
    }
}

impl Agency {
    /// The fields a compact agency row answers by itself.
    pub const COMPACT_FIELDS: &[&str] =
        &["id", "name", "kind", "active", "committee", "membership"];

    pub fn new(m: agency::Model) -> Self {
        Self(m, Columns::All)
    }

    /// An agency from a row of which `columns` were read.
    pub fn read(m: agency::Model, columns: Columns) -> Self {
        Self(m, columns)
    }

    /// The whole row: this one, or read by id if this one is compact.
    async fn row(&self, ctx: &Context<'_>) -> Result<Cow<'_, agency::Model>> {
        if self.1 == Columns::All {
            return Ok(Cow::Borrowed(&self.0));
        }
        ctx.data::<Loaders>()?
            .one(AgencyId(self.0.id))
            .await?
            .map(Cow::Owned)
            .ok_or_else(|| crate::error::Error::NotFound("agency".to_owned()).into())
    }
}

/// Filters of a committee's agency list.
#[derive(InputObject, Clone, Debug, Default)]
#[graphql(name = "AgencyFilter")]
pub struct AgencyFilterInput {
    pub kind: Option<AgencyKind>,
    /// Also list deactivated agencies (default false).
    #[graphql(default)]
    pub include_inactive: bool,
    /// Matches the name ignoring case and diacritics.
    pub name_contains: Option<String>,
}

impl From<AgencyFilterInput> for AgencyFilter {
    fn from(f: AgencyFilterInput) -> Self {
        AgencyFilter {
            kind: f.kind.map(Into::into),
            include_inactive: f.include_inactive,
            name_contains: f.name_contains,
        }
    }
}

#[Object]
impl Agency {
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::Agency, self.0.id)
    }

    /// The full name ("Công an tỉnh Tuyên Quang").
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The name documents use inside the committee ("Công an tỉnh").
    async fn short_name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(self.row(ctx).await?.short_name.clone())
    }

    async fn kind(&self) -> AgencyKind {
        self.0.kind.into()
    }

    /// False once the agency is deactivated.
    async fn active(&self) -> bool {
        self.0.active
    }

    /// The committee whose registry holds the agency.
    async fn committee(&self, ctx: &Context<'_>) -> Result<Committee> {
        Committee::of(ctx, self.0.committee_id).await
    }

    /// The agency's membership of its committee, if it is a member.
    async fn membership(&self, ctx: &Context<'_>) -> Result<Option<Membership>> {
        let loaders = ctx.data::<Loaders>()?;
        Ok(loaders
            .one(MembershipOfAgency(self.0.id))
            .await?
            .map(Membership))
    }

    async fn created_at(&self, ctx: &Context<'_>) -> Result<DateTime> {
        Ok(DateTime(self.row(ctx).await?.created_at))
    }

    async fn updated_at(&self, ctx: &Context<'_>) -> Result<DateTime> {
        Ok(DateTime(self.row(ctx).await?.updated_at))
    }
}
