//! Trusted documents: the operations a production deployment agrees to run.
//!
//! A manifest is the JSON object of id → document that relay-compiler's
//! `persistConfig` and graphql-codegen's client preset emit. A request names
//! a document by `documentId` (the GraphQL-over-HTTP proposal), `doc_id` or
//! `id` (Relay's usual network layers), or by the SHA-256 of its text in
//! `extensions.persistedQuery.sha256Hash` (Apollo's protocol). With
//! `HUB138_PERSISTED_ONLY=true` nothing else runs: a document outside the
//! manifest is refused with `PERSISTED_QUERY_REQUIRED`, an unknown id with
//! `PERSISTED_QUERY_NOT_FOUND`.

use std::collections::HashMap;
use std::path::Path;

use sha2::{Digest, Sha256};

#[derive(Clone, Debug, Default)]
pub struct Manifest {
    by_id: HashMap<String, String>,
    /// The SHA-256 (hex) of each document's text → the text.
    by_hash: HashMap<String, String>,
}

fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The reference portal's documents, as relay-compiler wrote them
/// (`portal/persisted-documents.json`): always trusted, so the portal works
/// on a persisted-only server too.
const PORTAL_DOCUMENTS: &str = include_str!("../../portal/persisted-documents.json");

impl Manifest {
    /// The documents every server trusts: the reference portal's.
    pub fn builtin() -> Self {
        // A checked-in file, parsed by a test (`portal_documents_are_trusted`).
        Self::from_json(PORTAL_DOCUMENTS).unwrap_or_default()
    }

    /// This manifest and `other`'s documents (an id in both: `other`'s).
    pub fn merged(mut self, other: Self) -> Self {
        self.by_id.extend(other.by_id);
        self.by_hash.extend(other.by_hash);
        self
    }

    /// Reads a manifest file (a JSON object of id → document text).
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("persisted-operation manifest {}: {e}", path.display()))?;
        Self::from_json(&text)
            .map_err(|e| anyhow::anyhow!("persisted-operation manifest {}: {e}", path.display()))
    }

    pub fn from_json(json: &str) -> anyhow::Result<Self> {
        let by_id: HashMap<String, String> = serde_json::from_str(json)?;
        let by_hash = by_id
            .values()
            .map(|text| (sha256(text), text.clone()))
            .collect();
        Ok(Self { by_id, by_hash })
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// The document with this id, or whose text has this SHA-256.
    pub fn document(&self, id: &str) -> Option<&str> {
        self.by_id
            .get(id)
            .or_else(|| self.by_hash.get(id))
            .map(String::as_str)
    }

    /// Whether `text` is one of the manifest's documents.
    pub fn contains_text(&self, text: &str) -> bool {
        self.by_hash.contains_key(&sha256(text))
    }
}
