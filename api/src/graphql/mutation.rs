//! Mutation roots: each takes one `input` and returns a payload with
//! `userErrors`. Resolvers only decode ids, call a service and map.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};

use crate::graphql::guard::writer;
use crate::graphql::ids::{NodeKind, input_id};
use crate::graphql::types::agency::Agency;
use crate::graphql::types::enums::{AgencyKind, MembershipRole};
use crate::graphql::types::membership::Membership;
use crate::graphql::types::payload::{UserError, split};
use crate::service::agency::{self as agencies, AgencyChanges, NewAgency};
use crate::service::audit::json;

#[derive(InputObject)]
pub struct CreateAgencyInput {
    pub committee_id: ID,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: AgencyKind,
}

#[derive(SimpleObject)]
pub struct CreateAgencyPayload {
    pub agency: Option<Agency>,
    pub user_errors: Vec<UserError>,
}

/// Changes to an agency; absent fields stay as they are, `shortName: null` clears it.
#[derive(InputObject)]
pub struct UpdateAgencyInput {
    pub id: ID,
    pub name: Option<String>,
    pub short_name: MaybeUndefined<String>,
    pub kind: Option<AgencyKind>,
}

#[derive(SimpleObject)]
pub struct UpdateAgencyPayload {
    pub agency: Option<Agency>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct DeactivateAgencyInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct DeactivateAgencyPayload {
    pub agency: Option<Agency>,
    pub user_errors: Vec<UserError>,
}

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
        let w = writer(ctx)?;
        let db = &w.loaders.db;
        let result = async {
            let committee_id = input_id(&input.committee_id, NodeKind::Committee, "committeeId")?;
            w.committee(committee_id, "committeeId").await?;
            w.administer(committee_id).await?;
            let created = agencies::create(
                db,
                NewAgency {
                    committee_id,
                    name: &input.name,
                    short_name: input.short_name.as_deref(),
                    kind: input.kind.into(),
                },
            )
            .await?;
            w.audit(
                "createAgency",
                Some(committee_id),
                Some((NodeKind::Agency, created.id)),
                None,
                json(&created),
            )
            .await?;
            Ok(created)
        }
        .await;
        let (agency, user_errors) = split(result)?;
        Ok(CreateAgencyPayload {
            agency: agency.map(Agency),
            user_errors,
        })
    }

    /// Renames an agency or changes its kind.
    async fn update_agency(
        &self,
        ctx: &Context<'_>,
        input: UpdateAgencyInput,
    ) -> Result<UpdateAgencyPayload> {
        let w = writer(ctx)?;
        let db = &w.loaders.db;
        let result = async {
            let id = input_id(&input.id, NodeKind::Agency, "id")?;
            let before = w.agency(id, "id").await?;
            w.administer(before.committee_id).await?;
            let short_name = match &input.short_name {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(s) => Some(Some(s.as_str())),
            };
            let updated = agencies::update(
                db,
                id,
                AgencyChanges {
                    name: input.name.as_deref(),
                    short_name,
                    kind: input.kind.map(Into::into),
                },
            )
            .await?;
            w.audit(
                "updateAgency",
                Some(updated.committee_id),
                Some((NodeKind::Agency, id)),
                json(&before),
                json(&updated),
            )
            .await?;
            Ok(updated)
        }
        .await;
        let (agency, user_errors) = split(result)?;
        Ok(UpdateAgencyPayload {
            agency: agency.map(Agency),
            user_errors,
        })
    }

    /// Marks an agency inactive and ends its membership; its history stays.
    async fn deactivate_agency(
        &self,
        ctx: &Context<'_>,
        input: DeactivateAgencyInput,
    ) -> Result<DeactivateAgencyPayload> {
        let w = writer(ctx)?;
        let db = &w.loaders.db;
        let result = async {
            let id = input_id(&input.id, NodeKind::Agency, "id")?;
            let before = w.agency(id, "id").await?;
            w.administer(before.committee_id).await?;
            let after = agencies::deactivate(db, id).await?;
            w.audit(
                "deactivateAgency",
                Some(after.committee_id),
                Some((NodeKind::Agency, id)),
                json(&before),
                json(&after),
            )
            .await?;
            Ok(after)
        }
        .await;
        let (agency, user_errors) = split(result)?;
        Ok(DeactivateAgencyPayload {
            agency: agency.map(Agency),
            user_errors,
        })
    }

    /// Sets an agency's role. Making one STANDING turns the previous standing
    /// agency of the committee into a MEMBER, in the same transaction.
    async fn set_membership(
        &self,
        ctx: &Context<'_>,
        input: SetMembershipInput,
    ) -> Result<SetMembershipPayload> {
        let w = writer(ctx)?;
        let db = &w.loaders.db;
        let result = async {
            let id = input_id(&input.agency_id, NodeKind::Agency, "agencyId")?;
            let agency = w.agency(id, "agencyId").await?;
            w.administer(agency.committee_id).await?;
            let (agency, membership) =
                agencies::set_membership(db, id, input.role.map(Into::into)).await?;
            w.audit(
                "setMembership",
                Some(agency.committee_id),
                Some((NodeKind::Agency, id)),
                None,
                Some(serde_json::json!({ "role": membership.as_ref().map(|m| m.role.clone()) })),
            )
            .await?;
            Ok((agency, membership))
        }
        .await;
        let (value, user_errors) = split(result)?;
        let (agency, membership) = match value {
            Some((a, m)) => (Some(Agency(a)), m.map(Membership)),
            None => (None, None),
        };
        Ok(SetMembershipPayload {
            agency,
            membership,
            user_errors,
        })
    }
}
