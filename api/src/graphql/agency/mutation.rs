//! Mutation roots: each takes one `input` and returns a payload with
//! `userErrors`. Resolvers only decode ids, call a service and map.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};

use crate::graphql::agency::Agency;
use crate::graphql::agency::Membership;
use crate::graphql::enums::{AgencyKind, MembershipRole};
use crate::graphql::ids::{NodeKind, input_id};
use crate::graphql::payload::UserError;
use crate::graphql::write::{mutate, patch, payload};
use crate::service::agency::{self as agencies, AgencyChanges, NewAgency};

#[derive(InputObject)]
pub struct CreateAgencyInput {
    pub committee_id: ID,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: AgencyKind,
}

payload!(CreateAgencyPayload { agency: Agency });

/// Changes to an agency; absent fields stay as they are, `shortName: null` clears it.
#[derive(InputObject)]
pub struct UpdateAgencyInput {
    pub id: ID,
    pub name: Option<String>,
    pub short_name: MaybeUndefined<String>,
    pub kind: Option<AgencyKind>,
}

payload!(UpdateAgencyPayload { agency: Agency });

#[derive(InputObject)]
pub struct DeactivateAgencyInput {
    pub id: ID,
}

payload!(DeactivateAgencyPayload { agency: Agency });

/// Sets an agency's role in its committee; `role: null` ends the membership.
#[derive(InputObject)]
pub struct SetMembershipInput {
    pub agency_id: ID,
    pub role: Option<MembershipRole>,
}

#[derive(SimpleObject)]
pub struct SetMembershipPayload {
    pub agency: Option<Agency>,
    /// The membership after the change; null when it was ended.
    pub membership: Option<Membership>,
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct AgencyMutation;

#[Object]
impl AgencyMutation {
    /// Adds an agency to a committee's registry.
    async fn create_agency(
        &self,
        ctx: &Context<'_>,
        input: CreateAgencyInput,
    ) -> Result<CreateAgencyPayload> {
        Ok(mutate(ctx, "createAgency", async |w| {
            let new = NewAgency {
                committee_id: input_id(&input.committee_id, NodeKind::Committee, "committeeId")?,
                name: &input.name,
                short_name: input.short_name.as_deref(),
                kind: input.kind.into(),
            };
            agencies::create(w, new).await
        })
        .await?
        .into())
    }

    /// Renames an agency or changes its kind.
    async fn update_agency(
        &self,
        ctx: &Context<'_>,
        input: UpdateAgencyInput,
    ) -> Result<UpdateAgencyPayload> {
        Ok(mutate(ctx, "updateAgency", async |w| {
            let id = input_id(&input.id, NodeKind::Agency, "id")?;
            let short_name = patch(input.short_name);
            let changes = AgencyChanges {
                name: input.name.as_deref(),
                short_name: short_name.as_ref().map(|s| s.as_deref()),
                kind: input.kind.map(Into::into),
            };
            agencies::update(w, id, changes).await
        })
        .await?
        .into())
    }

    /// Marks an agency inactive and ends its membership; its history stays.
    async fn deactivate_agency(
        &self,
        ctx: &Context<'_>,
        input: DeactivateAgencyInput,
    ) -> Result<DeactivateAgencyPayload> {
        Ok(mutate(ctx, "deactivateAgency", async |w| {
            agencies::deactivate(w, input_id(&input.id, NodeKind::Agency, "id")?).await
        })
        .await?
        .into())
    }

    /// Sets an agency's role. Making one STANDING turns the previous standing
    /// agency of the committee into a MEMBER, in the same transaction.
    async fn set_membership(
        &self,
        ctx: &Context<'_>,
        input: SetMembershipInput,
    ) -> Result<SetMembershipPayload> {
        let (value, user_errors) = mutate(ctx, "setMembership", async |w| {
            let id = input_id(&input.agency_id, NodeKind::Agency, "agencyId")?;
            agencies::set_membership(w, id, input.role.map(Into::into)).await
        })
        .await?;
        let (agency, membership) = match value {
            Some((a, m)) => (Some(Agency::new(a)), m.map(Membership)),
            None => (None, None),
        };
        Ok(SetMembershipPayload {
            agency,
            membership,
            user_errors,
        })
    }
}
