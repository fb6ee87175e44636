//! The closed vocabularies of the domain, stored as their SCREAMING_CASE names.

use std::fmt;
use std::str::FromStr;

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

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
    };
}

string_enum! {
    /// A level of the committee tree.
    Level {
        Central => "CENTRAL",
        Province => "PROVINCE",
        District => "DISTRICT",
        Commune => "COMMUNE",
    }
}

string_enum! {
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

string_enum! {
    /// An agency's role in its committee.
    MembershipRole {
        Head => "HEAD",
        Deputy => "DEPUTY",
        Standing => "STANDING",
        Member => "MEMBER",
    }
}

string_enum! {
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

string_enum! {
    /// DRAFT → ISSUED → CLOSED.
    PlanStatus {
        Draft => "DRAFT",
        Issued => "ISSUED",
        Closed => "CLOSED",
    }
}

string_enum! {
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

string_enum! {
    TaskStatus {
        NotStarted => "NOT_STARTED",
        InProgress => "IN_PROGRESS",
        Done => "DONE",
        Blocked => "BLOCKED",
        Cancelled => "CANCELLED",
    }
}

string_enum! {
    /// An agency's part in a task.
    TaskAgencyRole {
        /// Chủ trì.
        Lead => "LEAD",
        /// Phối hợp.
        Coordinating => "COORDINATING",
    }
}

string_enum! {
    Cadence {
        Quarterly => "QUARTERLY",
        Semiannual => "SEMIANNUAL",
        Annual => "ANNUAL",
        OneOff => "ONE_OFF",
    }
}

string_enum! {
    Comparator {
        Eq => "EQ",
        Gt => "GT",
        Gte => "GTE",
        Lt => "LT",
        Lte => "LTE",
    }
}

string_enum! {
    TargetUnit {
        Percent => "PERCENT",
        Count => "COUNT",
    }
}

string_enum! {
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

string_enum! {
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

string_enum! {
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

string_enum! {
    /// Which reports a rollup counts.
    ReportInclusion {
        /// Approved reports only.
        Approved => "APPROVED",
        /// Submitted and approved reports.
        Submitted => "SUBMITTED",
    }
}

string_enum! {
    /// Which tree a rollup walks.
    Units {
        /// The tree as it stood in the period.
        AsOf => "AS_OF",
        /// Today's units: an old unit's values count under the unit that absorbed it.
        Current => "CURRENT",
    }
}

string_enum! {
    /// How a rollup breaks down its total.
    RollupGroup {
        /// One row per child committee (its whole subtree).
        Child => "CHILD",
        /// One row per level of the reporting committees.
        Level => "LEVEL",
    }
}
