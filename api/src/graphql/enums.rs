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

/// What kind of plan a document is.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "svc::PlanKind")]
pub enum PlanKind {
    Annual,
    /// A multi-year programme.
    Programme,
    /// A campaign, such as the 30 July day against trafficking.
    Campaign,
    PeakOperation,
    Other,
}

/// DRAFT → ISSUED → CLOSED. An issued plan's identity fields are frozen.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "svc::PlanStatus")]
pub enum PlanStatus {
    Draft,
    Issued,
    Closed,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "svc::TaskCategory")]
pub enum TaskCategory {
    Direction,
    Communication,
    SocialPrevention,
    ProfessionalPrevention,
    Enforcement,
    ProsecutionAndTrial,
    VictimSupport,
    LegalFramework,
    InternationalCooperation,
    Inspection,
    Other,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "svc::TaskStatus")]
pub enum TaskStatus {
    NotStarted,
    InProgress,
    Done,
    Blocked,
    Cancelled,
}

/// An agency's part in a task.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "svc::TaskAgencyRole")]
pub enum TaskAgencyRole {
    /// Chủ trì.
    Lead,
    /// Phối hợp.
    Coordinating,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "svc::Cadence")]
pub enum Cadence {
    Quarterly,
    Semiannual,
    Annual,
    OneOff,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "svc::Comparator")]
pub enum Comparator {
    Eq,
    Gt,
    Gte,
    Lt,
    Lte,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "svc::TargetUnit")]
pub enum TargetUnit {
    Percent,
    Count,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "svc::CooperationKind")]
pub enum CooperationKind {
    Hotline,
    InformationExchange,
    JointInvestigation,
    VictimRepatriation,
    SuspectHandover,
    JointPatrol,
    Meeting,
    Training,
    Agreement,
    MutualLegalAssistance,
    Other,
}

/// Where a periodic report stands.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "svc::ReportStatus")]
pub enum ReportStatus {
    Draft,
    Submitted,
    /// Approved by the parent committee; locked.
    Approved,
    /// Sent back with a reason; editable and resubmittable.
    Returned,
}

/// Which reports a rollup counts.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "svc::ReportInclusion")]
pub enum ReportInclusion {
    /// Approved reports only.
    Approved,
    /// Submitted and approved reports (not drafts, not returned ones).
    Submitted,
}

/// Which tree a rollup walks.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "svc::Units")]
pub enum Units {
    /// The tree as it stood in the period.
    AsOf,
    /// Today's units: an old unit's values count once, under the unit that absorbed it.
    Current,
}

/// How a rollup breaks down its total.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "svc::RollupGroup")]
pub enum RollupGroup {
    /// One row per child committee, each its whole subtree.
    Child,
    /// One row per level of the committees the values count under.
    Level,
}

/// A kind of reporting period.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::service::period::PeriodKind")]
pub enum PeriodKind {
    Year,
    Half,
    Quarter,
    Month,
}

/// The stable code of a userError.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::error::UserErrorCode")]
pub enum UserErrorCode {
    /// A required value is missing or empty.
    Required,
    /// A text is longer than its limit.
    TooLong,
    /// A text (a password) is shorter than its minimum.
    TooShort,
    /// A list has more items than allowed.
    TooMany,
    /// A string holds a control character other than tab, line feed and carriage return.
    InvalidCharacters,
    /// The value is already taken (a name, username, section number...).
    Duplicate,
    /// The named object does not exist or is out of the viewer's scope.
    NotFound,
    /// An id is malformed or names another type.
    InvalidId,
    /// The named object is inactive (an agency, a committee no longer in force).
    Inactive,
    /// A period ends before it starts, or spans more than allowed.
    InvalidRange,
    /// A date or recurring deadline is not valid.
    InvalidDate,
    /// A code is not of its form.
    InvalidCode,
    /// A number is outside its bounds.
    OutOfRange,
    /// The field can no longer change (an issued plan).
    Frozen,
    /// The plan is closed.
    Closed,
    /// The report is approved and locked.
    Locked,
    /// The report is submitted and awaits review.
    Submitted,
    /// The status cannot change this way.
    InvalidTransition,
    /// The plan is not issued yet.
    NotIssued,
    /// The committee is not directly below this one.
    NotSubordinate,
    /// The plan is not one of a committee above.
    NotUpperPlan,
    /// The task is not one of a plan this plan implements.
    NotUpperTask,
    /// The agency belongs to another committee's registry.
    ForeignAgency,
    /// The plan is not one of this committee or the committees above.
    NotOwnPlan,
    /// Two values that must agree do not.
    Mismatch,
    /// A task is DONE only at 100 %.
    DoneNeeds100,
    /// Not an ISO 3166-1 alpha-2 country code.
    InvalidCountry,
    /// A username is 1–64 letters, digits, '.', '_' or '-'.
    InvalidUsername,
    /// The date or time lies in the past.
    InThePast,
    /// Unknown username or wrong password.
    InvalidCredentials,
    /// Too many failed sign-ins; wait and try again.
    TooManyAttempts,
    /// Not an http:// or https:// URL with a host and no credentials.
    InvalidUrl,
    /// There is no indicator with this code.
    UnknownIndicator,
    /// The indicator is a rate computed from others; report those.
    ComputedIndicator,
    /// There is no export definition with this code.
    UnknownDefinition,
    /// The caller may read this committee but not write its report (a spreadsheet row).
    Forbidden,
    /// The report changed since the template was made (its version is newer); make a new template.
    Conflict,
    /// A spreadsheet cell holds something other than a whole number.
    NotANumber,
    /// A spreadsheet value cell holds a formula; enter the number itself.
    Formula,
    /// The file is not a workbook or CSV Hub138 can read: not XLSX or CSV, merged cells, too many rows or columns.
    InvalidFile,
    /// The workbook is not a Hub138 report template, or its hidden sheet was removed or edited.
    NotATemplate,
    /// No plan tasks were found in the document (`importPlanDocument`).
    NoTasks,
}
