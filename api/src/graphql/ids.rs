//! Opaque global ids (Relay Global Object Identification): the type name and
//! the database key, base64url-encoded. Clients must treat them as opaque.

use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::Error;

/// The types that implement `Node`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Committee,
    Agency,
    Membership,
}

impl NodeKind {
    fn tag(self) -> &'static str {
        match self {
            NodeKind::Committee => "Committee",
            NodeKind::Agency => "Agency",
            NodeKind::Membership => "Membership",
        }
    }

    fn from_tag(tag: &str) -> Option<Self> {
        Some(match tag {
            "Committee" => NodeKind::Committee,
            "Agency" => NodeKind::Agency,
            "Membership" => NodeKind::Membership,
            _ => return None,
        })
    }
}

pub fn encode(kind: NodeKind, id: i64) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", kind.tag())))
}

/// Decodes any global id; a malformed one is `BAD_USER_INPUT`.
pub fn decode(id: &str) -> Result<(NodeKind, i64), Error> {
    let invalid = || Error::BadUserInput(format!("{id:?} is not a valid id"));
    let bytes = URL_SAFE_NO_PAD.decode(id.trim()).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (tag, key) = text.split_once(':').ok_or_else(invalid)?;
    let kind = NodeKind::from_tag(tag).ok_or_else(invalid)?;
    let key: i64 = key.parse().map_err(|_| invalid())?;
    if key <= 0 {
        return Err(invalid());
    }
    Ok((kind, key))
}

/// Decodes an id that must name a `kind`; `None` when it names another type.
pub fn decode_as(id: &str, kind: NodeKind) -> Result<Option<i64>, Error> {
    let (k, key) = decode(id)?;
    Ok((k == kind).then_some(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let id = encode(NodeKind::Agency, 42);
        assert_eq!(decode(&id).ok(), Some((NodeKind::Agency, 42)));
        assert!(decode("garbage!").is_err());
        assert!(decode(&URL_SAFE_NO_PAD.encode("Agency:x")).is_err());
        assert!(decode(&URL_SAFE_NO_PAD.encode("Plan:1")).is_err());
    }
}
