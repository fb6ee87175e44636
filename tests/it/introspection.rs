//! The standard introspection query, exactly as graphql-js builds it, passes
//! the limits, and the schema built from its answer is `schema.graphql`.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result, bail};
use hub138::graphql::sdl;
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::ensure_eq;

/// `getIntrospectionQuery()` of graphql-js 16.15 and of 17.1: the two
/// build the same text (see `tests/fixtures/README.md`).
const QUERIES: [(&str, &str); 1] = [(
    "graphql-js 16 and 17",
    include_str!("../fixtures/introspection-graphql-js.graphql"),
)];

/// Arguments: name → (type, default).
type Args = BTreeMap<String, (String, Option<String>)>;
/// A field: (type, description, arguments).
type Field = (String, Option<String>, Args);

/// A type as both sides describe it: kind, description, fields (type,
/// description, arguments with type and default), input fields, enum
/// values, interfaces and union members.
#[derive(Debug, Default, PartialEq, Eq)]
struct Shape {
    kind: String,
    description: Option<String>,
    fields: BTreeMap<String, Field>,
    values: BTreeSet<String>,
    interfaces: BTreeSet<String>,
    members: BTreeSet<String>,
}

/// `[ID!]!` from an introspection type reference.
fn type_ref(t: &Value) -> String {
    match t["kind"].as_str() {
        Some("NON_NULL") => format!("{}!", type_ref(&t["ofType"])),
        Some("LIST") => format!("[{}]", type_ref(&t["ofType"])),
        _ => t["name"].as_str().unwrap_or_default().to_owned(),
    }
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned).filter(|s| !s.is_empty())
}

fn args(list: &Value) -> Args {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|a| {
            (
                a["name"].as_str().unwrap_or_default().to_owned(),
                (type_ref(&a["type"]), text(&a["defaultValue"])),
            )
        })
        .collect()
}

fn names(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["name"].as_str().map(str::to_owned))
        .collect()
}

/// What the server says, without the introspection types and the built-in scalars.
fn from_introspection(schema: &Value) -> BTreeMap<String, Shape> {
    const BUILT_IN: [&str; 5] = ["String", "Int", "Float", "Boolean", "ID"];
    schema["types"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| {
            let name = t["name"].as_str()?;
            if name.starts_with("__") || BUILT_IN.contains(&name) {
                return None;
            }
            let mut fields = BTreeMap::new();
            for f in t["fields"]
                .as_array()
                .into_iter()
                .chain(t["inputFields"].as_array())
                .flatten()
            {
                fields.insert(
                    f["name"].as_str().unwrap_or_default().to_owned(),
                    (
                        type_ref(&f["type"]),
                        text(&f["description"]),
                        args(&f["args"]),
                    ),
                );
            }
            // An input field's default goes with its type, as in the SDL.
            for f in t["inputFields"].as_array().into_iter().flatten() {
                if let (Some(entry), Some(d)) = (
                    fields.get_mut(f["name"].as_str().unwrap_or_default()),
                    text(&f["defaultValue"]),
                ) {
                    entry.0 = format!("{} = {d}", entry.0);
                }
            }
            Some((
                name.to_owned(),
                Shape {
                    kind: t["kind"].as_str().unwrap_or_default().to_owned(),
                    description: text(&t["description"]),
                    fields,
                    values: names(&t["enumValues"]),
                    interfaces: names(&t["interfaces"]),
                    members: names(&t["possibleTypes"])
                        .into_iter()
                        .filter(|_| t["kind"] == json!("UNION"))
                        .collect(),
                },
            ))
        })
        .collect()
}

/// What `schema.graphql` says.
fn from_sdl(sdl: &str) -> Result<BTreeMap<String, Shape>> {
    use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
    let doc = async_graphql::parser::parse_schema(sdl)?;
    let mut out = BTreeMap::new();
    for def in doc.definitions {
        let TypeSystemDefinition::Type(t) = def else {
            continue;
        };
        let t = t.node;
        let mut shape = Shape {
            description: t.description.map(|d| d.node).filter(|s| !s.is_empty()),
            ..Shape::default()
        };
        let field_defs = |fields: Vec<
            async_graphql::Positioned<async_graphql::parser::types::FieldDefinition>,
        >| {
            fields
                .into_iter()
                .map(|f| {
                    let f = f.node;
                    let args = f
                        .arguments
                        .into_iter()
                        .map(|a| {
                            let a = a.node;
                            (
                                a.name.node.to_string(),
                                (
                                    a.ty.node.to_string(),
                                    a.default_value.map(|d| d.node.to_string()),
                                ),
                            )
                        })
                        .collect();
                    (
                        f.name.node.to_string(),
                        (
                            f.ty.node.to_string(),
                            f.description.map(|d| d.node).filter(|s| !s.is_empty()),
                            args,
                        ),
                    )
                })
                .collect::<BTreeMap<_, _>>()
        };
        match t.kind {
            TypeKind::Scalar => shape.kind = "SCALAR".into(),
            TypeKind::Object(o) => {
                shape.kind = "OBJECT".into();
                shape.interfaces = o.implements.iter().map(|n| n.node.to_string()).collect();
                shape.fields = field_defs(o.fields);
            }
            TypeKind::Interface(i) => {
                shape.kind = "INTERFACE".into();
                shape.interfaces = i.implements.iter().map(|n| n.node.to_string()).collect();
                shape.fields = field_defs(i.fields);
            }
            TypeKind::Union(u) => {
                shape.kind = "UNION".into();
                shape.members = u.members.iter().map(|n| n.node.to_string()).collect();
            }
            TypeKind::Enum(e) => {
                shape.kind = "ENUM".into();
                shape.values = e
                    .values
                    .iter()
                    .map(|v| v.node.value.node.to_string())
                    .collect();
            }
            TypeKind::InputObject(i) => {
                shape.kind = "INPUT_OBJECT".into();
                shape.fields = i
                    .fields
                    .into_iter()
                    .map(|f| {
                        let f = f.node;
                        let ty = match f.default_value {
                            Some(d) => format!("{} = {}", f.ty.node, d.node),
                            None => f.ty.node.to_string(),
                        };
                        (
                            f.name.node.to_string(),
                            (
                                ty,
                                f.description.map(|d| d.node).filter(|s| !s.is_empty()),
                                BTreeMap::new(),
                            ),
                        )
                    })
                    .collect();
            }
        }
        out.insert(t.name.node.to_string(), shape);
    }
    Ok(out)
}

pub async fn standard_introspection_builds_the_schema() -> Result<()> {
    let app = TestApp::new().await?;
    let checked_in =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql"))
            .context("schema.graphql")?;
    ensure_eq!(checked_in, sdl());
    let expected = from_sdl(&checked_in)?;
    // Every type of the schema, with its descriptions, is compared.
    if expected.len() < 100 || expected.values().all(|s| s.description.is_none()) {
        bail!("schema.graphql read as {} types", expected.len());
    }
    for (who, query) in QUERIES {
        // Anonymous, as a tool fetching the schema would be.
        let body = app.anonymous().post(query, json!({})).await?;
        if body["errors"].is_array() {
            bail!(
                "{who}: the introspection query is refused: {}",
                body["errors"]
            );
        }
        let schema = &body["data"]["__schema"];
        ensure_eq!(
            (
                who,
                schema["queryType"]["name"].clone(),
                schema["mutationType"]["name"].clone()
            ),
            (who, json!("Query"), json!("Mutation"))
        );
        let got = from_introspection(schema);
        let missing: Vec<&String> = expected.keys().filter(|k| !got.contains_key(*k)).collect();
        let extra: Vec<&String> = got.keys().filter(|k| !expected.contains_key(*k)).collect();
        ensure_eq!(
            (who, missing, extra),
            (who, Vec::<&String>::new(), Vec::<&String>::new())
        );
        for (name, shape) in &expected {
            ensure_eq!((who, name, got.get(name)), (who, name, Some(shape)));
        }
    }
    // The limits still hold for the data: a query nested past the depth
    // limit into committees is refused, introspection nested in it or not.
    let mut deep = String::from("id");
    for _ in 0..14 {
        deep = format!("parent {{ {deep} }}");
    }
    let q =
        format!("{{ committeeByCode(level: COMMUNE, code: \"00691\") {{ {deep} __typename }} }}");
    ensure_eq!(app.error_code(&q, json!({})).await?, "TOO_DEEP");
    Ok(())
}
