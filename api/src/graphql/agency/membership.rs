//! `Membership`: an agency's role in its committee.

use crate::graphql::scalars::DateTime;
use async_graphql::{Context, ID, Object, Result};
use entities::membership;

use crate::error::Error;
use crate::graphql::agency::Agency;
use crate::graphql::committee::Committee;
use crate::graphql::enums::MembershipRole;
use crate::graphql::ids::{self, NodeKind};
use crate::graphql::loaders::{AgencyId, Loaders};

#[derive(Clone, Debug)]
pub struct Membership(pub membership::Model);

impl From<membership::Model> for Membership {
    fn from(m: membership::Model) -> Self {
        Self(m)
    }
}

#[Object]
impl Membership {
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::Membership, self.0.id)
    }

    async fn role(&self) -> MembershipRole {
        self.0.role.into()
    }

    async fn agency(&self, ctx: &Context<'_>) -> Result<Agency> {
        let loaders = ctx.data::<Loaders>()?;
        Ok(loaders
            .one(AgencyId(self.0.agency_id))
            .await?
            .map(Agency::new)
            .ok_or_else(|| Error::NotFound("agency".to_owned()))?)
    }

    async fn committee(&self, ctx: &Context<'_>) -> Result<Committee> {
        Committee::of(ctx, self.0.committee_id).await
    }

    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}
