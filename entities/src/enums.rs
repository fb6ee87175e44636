//! The closed vocabularies stored in the database: SeaORM active enums kept
//! as text (`db_type = "String(StringLen::None)"`, so SQLite and PostgreSQL
//! store the same SCREAMING_CASE names), each column also guarded by a CHECK
//! constraint (migration `m20250801_000001_vocabulary_checks`). A value
//! outside the vocabulary fails to read instead of falling back to a
//! default.

use std::fmt;
use std::str::FromStr;

use sea_orm::entity::prelude::*;

macro_rules! active_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum)]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
        pub enum $name { $($(#[$vmeta])* #[sea_orm(string_value = $text)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every stored name, for the column's CHECK constraint.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!("unknown {} {other:?}", stringify!($name))),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

active_enum! {
    /// A level of the committee tree.
    Level {
        Central => "CENTRAL",
        Province => "PROVINCE",
        District => "DISTRICT",
        Commune => "COMMUNE",
    }
}

active_enum! {
    /// What kind of body an agency is.
    AgencyKind {
        /// The Government, for the central committee.
        Government => "GOVERNMENT",
        PeoplesCommittee => "PEOPLES_COMMITTEE",
        Police => "POLICE",
        BorderGuard => "BORDER_GUARD",
        Military => "MILITARY",
        Procuracy => "PROCURACY",
        Court => "COURT",
        LabourSocialAffairs => "LABOUR_SOCIAL_AFFAIRS",
        Justice => "JUSTICE",
        Health => "HEALTH",
        Education => "EDUCATION",
        Culture => "CULTURE",
        Information => "INFORMATION",
        ForeignAffairs => "FOREIGN_AFFAIRS",
        HomeAffairs => "HOME_AFFAIRS",
        WomensUnion => "WOMENS_UNION",
        FatherlandFront => "FATHERLAND_FRONT",
        Media => "MEDIA",
        Inspection => "INSPECTION",
        Other => "OTHER",
    }
}

active_enum! {
    /// An agency's role in its committee.
    MembershipRole {
        Head => "HEAD",
        Deputy => "DEPUTY",
        Standing => "STANDING",
        Member => "MEMBER",
    }
}

active_enum! {
    /// What kind of plan a document is.
    PlanKind {
        Annual => "ANNUAL",
        /// A multi-year programme.
        Programme => "PROGRAMME",
        /// A campaign, such as the 30 July day against trafficking.
        Campaign => "CAMPAIGN",
        PeakOperation => "PEAK_OPERATION",
        Other => "OTHER",
    }
}

active_enum! {
    /// DRAFT → ISSUED → CLOSED.
    PlanStatus {
        Draft => "DRAFT",
        Issued => "ISSUED",
        Closed => "CLOSED",
    }
}

active_enum! {
    TaskCategory {
        Direction => "DIRECTION",
        Communication => "COMMUNICATION",
        SocialPrevention => "SOCIAL_PREVENTION",
        ProfessionalPrevention => "PROFESSIONAL_PREVENTION",
        Enforcement => "ENFORCEMENT",
        ProsecutionAndTrial => "PROSECUTION_AND_TRIAL",
        VictimSupport => "VICTIM_SUPPORT",
        LegalFramework => "LEGAL_FRAMEWORK",
        InternationalCooperation => "INTERNATIONAL_COOPERATION",
        Inspection => "INSPECTION",
        Other => "OTHER",
    }
}

active_enum! {
    TaskStatus {
        NotStarted => "NOT_STARTED",
        InProgress => "IN_PROGRESS",
        Done => "DONE",
        Blocked => "BLOCKED",
        Cancelled => "CANCELLED",
    }
}

active_enum! {
    /// An agency's part in a task.
    TaskAgencyRole {
        /// Chủ trì.
        Lead => "LEAD",
        /// Phối hợp.
        Coordinating => "COORDINATING",
    }
}

active_enum! {
    Cadence {
        Quarterly => "QUARTERLY",
        Semiannual => "SEMIANNUAL",
        Annual => "ANNUAL",
        OneOff => "ONE_OFF",
    }
}

active_enum! {
    Comparator {
        Eq => "EQ",
        Gt => "GT",
        Gte => "GTE",
        Lt => "LT",
        Lte => "LTE",
    }
}

active_enum! {
    TargetUnit {
        Percent => "PERCENT",
        Count => "COUNT",
    }
}

active_enum! {
    CooperationKind {
        Hotline => "HOTLINE",
        InformationExchange => "INFORMATION_EXCHANGE",
        JointInvestigation => "JOINT_INVESTIGATION",
        VictimRepatriation => "VICTIM_REPATRIATION",
        SuspectHandover => "SUSPECT_HANDOVER",
        JointPatrol => "JOINT_PATROL",
        Meeting => "MEETING",
        Training => "TRAINING",
        Agreement => "AGREEMENT",
        MutualLegalAssistance => "MUTUAL_LEGAL_ASSISTANCE",
        Other => "OTHER",
    }
}

active_enum! {
    /// What an account may do, each role including the ones before it.
    Role {
        /// Reads its scope.
        Viewer => "VIEWER",
        /// Writes its own committee's plans, tasks, progress and records.
        Editor => "EDITOR",
        /// Also cascades plans to direct subordinates and approves their reports.
        Coordinator => "COORDINATOR",
        /// Also manages accounts and agencies in its subtree.
        Admin => "ADMIN",
    }
}

active_enum! {
    /// Where a periodic report stands.
    ReportStatus {
        Draft => "DRAFT",
        Submitted => "SUBMITTED",
        /// Locked: no further change.
        Approved => "APPROVED",
        /// Sent back by the reviewer with a reason; editable and resubmittable.
        Returned => "RETURNED",
    }
}

active_enum! {
    /// Which reports a rollup counts.
    ReportInclusion {
        /// Approved reports only.
        Approved => "APPROVED",
        /// Submitted and approved reports.
        Submitted => "SUBMITTED",
    }
}
