//! Opaque global ids (Relay Global Object Identification): the type name and
//! the database key, base64url-encoded. Clients must treat them as opaque.

use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::Error;
use crate::error::UserErrorCode;

pub use crate::ids::Kind as NodeKind;

pub fn encode(kind: NodeKind, id: i64) -> ID {
    ID(crate::ids::encode(kind, id))
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

/// Decodes an id in a mutation input; a malformed id or one of another type
/// is a user error on `field`.
pub fn input_id(id: &ID, kind: NodeKind, field: &str) -> Result<i64, Error> {
    match decode_as(id, kind) {
        Ok(Some(key)) => Ok(key),
        Ok(None) | Err(_) => Err(Error::invalid(
            &["input", field],
            UserErrorCode::InvalidId,
            format!("{field} is not the id of a {}", kind.tag()),
        )),
    }
}

/// [`input_id`] for a list; the error names the position.
pub fn input_ids(ids: &[ID], kind: NodeKind, field: &str) -> Result<Vec<i64>, Error> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            decode_as(id, kind).ok().flatten().ok_or_else(|| {
                Error::invalid(
                    &["input", field, &i.to_string()],
                    UserErrorCode::InvalidId,
                    format!("{field}[{i}] is not the id of a {}", kind.tag()),
                )
            })
        })
        .collect()
}

/// Decodes an id used as a filter: malformed is `BAD_USER_INPUT`; an id of
/// another type matches nothing (key 0).
pub fn filter_id(id: &ID, kind: NodeKind) -> Result<i64, Error> {
    Ok(decode_as(id, kind)?.unwrap_or(0))
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
        assert!(decode(&URL_SAFE_NO_PAD.encode("Dossier:1")).is_err());
    }
}
