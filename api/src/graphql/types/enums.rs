//! GraphQL enums mirroring the service vocabularies one to one.

use async_graphql::Enum;

use crate::service::enums as svc;
use crate::service::hierarchy as h;

/// A level of the committee tree.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(name = "CommitteeLevel", remote = "svc::Level")]
pub enum Level {
    /// Ban Chỉ đạo 138/CP, the national committee.
    Central,
    /// A province or centrally-run city.
    Province,
    /// A district (pre-2025 units only).
    District,
    /// A commune, ward, township or special zone.
    Commune,
}

/// What kind of body an agency is.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "svc::AgencyKind")]
pub enum AgencyKind {
    Government,
    PeoplesCommittee,
    Police,
    BorderGuard,
    Military,
    Procuracy,
    Court,
    LabourSocialAffairs,
    Justice,
    Health,
    Education,
    Culture,
    Information,
    ForeignAffairs,
    HomeAffairs,
    WomensUnion,
    FatherlandFront,
    Media,
    Inspection,
    Other,
}

/// An agency's role in its committee.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "svc::MembershipRole")]
pub enum MembershipRole {
    Head,
    Deputy,
    /// The standing agency (cơ quan thường trực); at most one per committee.
    Standing,
    Member,
}

/// Sort fields of committee lists.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "h::CommitteeOrderField")]
pub enum CommitteeOrderField {
    /// The administrative-unit code.
    Code,
    /// The name, ignoring case and diacritics.
    Name,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OrderDirection {
    #[default]
    Asc,
    Desc,
}
