//! Opaque global ids (Relay Global Object Identification): the type name and
//! the database key, base64url-encoded. The API hands them out; the audit
//! trail records them. Clients must treat them as opaque.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The types that implement `Node`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Committee,
    Agency,
    Membership,
    Plan,
    Task,
    ProgressUpdate,
    Counterpart,
    CooperationRecord,
    Report,
}

impl Kind {
    pub fn tag(self) -> &'static str {
        match self {
            Kind::Committee => "Committee",
            Kind::Agency => "Agency",
            Kind::Membership => "Membership",
            Kind::Plan => "Plan",
            Kind::Task => "Task",
            Kind::ProgressUpdate => "ProgressUpdate",
            Kind::Counterpart => "Counterpart",
            Kind::CooperationRecord => "CooperationRecord",
            Kind::Report => "Report",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Self> {
        Some(match tag {
            "Committee" => Kind::Committee,
            "Agency" => Kind::Agency,
            "Membership" => Kind::Membership,
            "Plan" => Kind::Plan,
            "Task" => Kind::Task,
            "ProgressUpdate" => Kind::ProgressUpdate,
            "Counterpart" => Kind::Counterpart,
            "CooperationRecord" => Kind::CooperationRecord,
            "Report" => Kind::Report,
            _ => return None,
        })
    }
}

/// The kind and key of a global id, if it is one.
pub fn decode(id: &str) -> Option<(Kind, i64)> {
    let raw = URL_SAFE_NO_PAD.decode(id.trim()).ok()?;
    let text = std::str::from_utf8(&raw).ok()?;
    let (tag, key) = text.split_once(':')?;
    Some((Kind::from_tag(tag)?, key.parse().ok()?))
}

pub fn encode(kind: Kind, id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{id}", kind.tag()))
}
