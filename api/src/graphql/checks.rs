//! Checks of a request before it runs, and the stable codes of the errors
//! that refuse a whole request.
//!
//! - Every request error carries `extensions.code`: `GRAPHQL_PARSE_FAILED`
//!   (the document does not parse), `GRAPHQL_VALIDATION_FAILED` (it does not
//!   validate against the schema, or names no runnable operation),
//!   `BAD_USER_INPUT` (an argument or variable has a wrong value, such as a
//!   malformed date), `TOO_DEEP` (past the depth limit) and
//!   `TOO_COMPLEX` (past the complexity limit, the alias limit or the
//!   directives limit).
//! - Persisted queries (Apollo's protocol: `extensions.persistedQuery`
//!   with the query's SHA-256): an unknown hash is
//!   `PERSISTED_QUERY_NOT_FOUND`, and the client sends the query with its
//!   hash once; the cache is bounded. A persisted mutation over GET is
//!   refused like any mutation over GET. Every check below applies to a
//!   persisted document as to one sent in full.
//! - A document with more than `max_aliases` aliases is refused before
//!   validation (async-graphql has no alias limit of its own).
//! - The depth limit counts the fields of the data, not introspection:
//!   `__schema` and `__type` are metadata about the schema, not rows, so the
//!   standard introspection query of graphql-js (whose `TypeRef` fragment
//!   nests `ofType` eight levels) passes while a query nested too deep into
//!   the data is still refused.
//! - Queries and subscriptions are refused with `BAD_USER_INPUT` when any
//!   string in their arguments or variables holds a control character other
//!   than tab, line feed and carriage return. Mutations are left to the
//!   services, which check every string they are given and answer with the
//!   `INVALID_CHARACTERS` userError instead.

use std::sync::{Arc, OnceLock};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextPrepareRequest, NextRequest,
    NextValidation,
};
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};
use async_graphql::{
    ErrorExtensionValues, Name, Request, Response, ServerError, ServerResult, ValidationResult,
    Value, Variables,
};

use crate::persisted::Manifest;
use crate::service::validate::{forbidden_char, forbidden_message};

pub const PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
pub const VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";
pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
pub const TOO_DEEP: &str = "TOO_DEEP";
pub const TOO_COMPLEX: &str = "TOO_COMPLEX";
pub const PERSISTED_QUERY_NOT_FOUND: &str = "PERSISTED_QUERY_NOT_FOUND";
pub const PERSISTED_QUERY_REQUIRED: &str = "PERSISTED_QUERY_REQUIRED";

/// Marks a request that came over HTTP GET, where mutations are refused.
#[derive(Clone, Copy, Debug)]
pub struct ViaGet;

/// Persisted-only mode: nothing but the trusted documents runs, whichever
/// transport brought it (HTTP names them by id, which `http` resolves to
/// their text; a graphql-ws `subscribe` sends a document's text). Registered
/// before Apollo's persisted queries, which take the text out of a request.
pub struct TrustedOnly(pub Arc<Manifest>);

impl ExtensionFactory for TrustedOnly {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(TrustedOnlyCheck(self.0.clone()))
    }
}

struct TrustedOnlyCheck(Arc<Manifest>);

#[async_graphql::async_trait::async_trait]
impl Extension for TrustedOnlyCheck {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        if !self.0.contains_text(&request.query) {
            return Err(error(
                "this server runs only its trusted documents: name one by documentId".to_owned(),
                PERSISTED_QUERY_REQUIRED,
            ));
        }
        next.run(ctx, request).await
    }
}

/// The extension factory, registered once on the schema.
pub struct RequestChecks {
    pub max_aliases: usize,
    pub max_depth: usize,
    pub max_complexity: usize,
}

impl ExtensionFactory for RequestChecks {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Checks {
            max_aliases: self.max_aliases,
            max_depth: self.max_depth,
            max_complexity: self.max_complexity,
            operation_name: OnceLock::new(),
            complexity: OnceLock::new(),
        })
    }
}

/// One request's checks.
struct Checks {
    max_aliases: usize,
    max_depth: usize,
    max_complexity: usize,
    operation_name: OnceLock<Option<String>>,
    /// The complexity validation counted, reported as `extensions.cost`.
    complexity: OnceLock<usize>,
}

/// How deep `set` nests fields of the data: a field counts one more than
/// its deepest child; introspection (`__schema`, `__type`, `__typename`)
/// counts nothing. Fragments are followed once per path (a cycle is a
/// validation error of its own).
fn data_depth<'a>(
    doc: &'a ExecutableDocument,
    set: &'a SelectionSet,
    path: &mut Vec<&'a str>,
) -> usize {
    let mut deepest = 0;
    for item in &set.items {
        let depth = match &item.node {
            Selection::Field(f) if f.node.name.node.starts_with("__") => 0,
            Selection::Field(f) => 1 + data_depth(doc, &f.node.selection_set.node, path),
            Selection::InlineFragment(f) => data_depth(doc, &f.node.selection_set.node, path),
            Selection::FragmentSpread(s) => {
                let name = s.node.fragment_name.node.as_str();
                match doc.fragments.get(&s.node.fragment_name.node) {
                    Some(f) if !path.contains(&name) => {
                        path.push(name);
                        let d = data_depth(doc, &f.node.selection_set.node, path);
                        path.pop();
                        d
                    }
                    _ => 0,
                }
            }
        };
        deepest = deepest.max(depth);
    }
    deepest
}

fn depth(doc: &ExecutableDocument) -> usize {
    doc.operations
        .iter()
        .map(|(_, op)| data_depth(doc, &op.node.selection_set.node, &mut Vec::new()))
        .max()
        .unwrap_or(0)
}

/// `err` with `extensions.code` set to `code` unless it has one.
fn with_code(mut err: ServerError, code: &str) -> ServerError {
    let ext = err
        .extensions
        .get_or_insert_with(ErrorExtensionValues::default);
    if ext.get("code").is_none() {
        ext.set("code", code);
    }
    err
}

fn error(message: String, code: &str) -> ServerError {
    with_code(ServerError::new(message, None), code)
}

/// The code of an error from parsing (the recursion and directive limits
/// are checked while parsing).
fn parse_code(message: &str) -> &'static str {
    if message.starts_with("The recursion depth of the query") {
        TOO_DEEP
    } else if message.starts_with("The number of directives") {
        TOO_COMPLEX
    } else {
        PARSE_FAILED
    }
}

/// The code of an error from validation.
fn validation_code(message: &str) -> &'static str {
    if message == "Query is too complex." {
        TOO_COMPLEX
    } else if message == "Query is nested too deep." {
        TOO_DEEP
    } else if message.starts_with("Invalid value for argument")
        || message.starts_with("Invalid default value for argument")
    {
        BAD_USER_INPUT
    } else {
        VALIDATION_FAILED
    }
}

/// Every selection set of the document, operations and fragments alike.
fn selection_sets(doc: &ExecutableDocument) -> Vec<&SelectionSet> {
    let mut stack: Vec<&SelectionSet> = doc
        .operations
        .iter()
        .map(|(_, op)| &op.node.selection_set.node)
        .chain(doc.fragments.values().map(|f| &f.node.selection_set.node))
        .collect();
    let mut all = Vec::new();
    while let Some(set) = stack.pop() {
        all.push(set);
        for item in &set.items {
            match &item.node {
                Selection::Field(f) => stack.push(&f.node.selection_set.node),
                Selection::InlineFragment(f) => stack.push(&f.node.selection_set.node),
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    all
}

fn count_aliases(doc: &ExecutableDocument) -> usize {
    selection_sets(doc)
        .iter()
        .flat_map(|set| set.items.iter())
        .filter(|item| matches!(&item.node, Selection::Field(f) if f.node.alias.is_some()))
        .count()
}

/// The type of the operation the request runs, if the document has it.
fn operation_type(doc: &ExecutableDocument, operation_name: Option<&str>) -> Option<OperationType> {
    match operation_name {
        Some(name) => doc
            .operations
            .iter()
            .find(|(n, _)| n.map(Name::as_str) == Some(name))
            .map(|(_, op)| op.node.ty),
        None => doc.operations.iter().next().map(|(_, op)| op.node.ty),
    }
}

/// Whether the operation the request runs is a mutation.
fn runs_mutation(doc: &ExecutableDocument, operation_name: Option<&str>) -> bool {
    operation_type(doc, operation_name) == Some(OperationType::Mutation)
}

/// The first forbidden character in a string of `values`, with the string's
/// argument or variable name.
fn forbidden_in<'a>(
    values: impl IntoIterator<Item = (&'a str, &'a Value)>,
) -> Option<(String, char)> {
    let mut stack: Vec<(&str, &Value)> = values.into_iter().collect();
    while let Some((name, value)) = stack.pop() {
        match value {
            Value::String(s) => {
                if let Some(c) = forbidden_char(s) {
                    return Some((name.to_owned(), c));
                }
            }
            Value::List(items) => stack.extend(items.iter().map(|v| (name, v))),
            Value::Object(map) => {
                for (k, v) in map {
                    if let Some(c) = forbidden_char(k) {
                        return Some((name.to_owned(), c));
                    }
                    stack.push((name, v));
                }
            }
            _ => {}
        }
    }
    None
}

/// The first forbidden character in the literal arguments of the document.
fn forbidden_in_document(doc: &ExecutableDocument) -> Option<(String, char)> {
    for set in selection_sets(doc) {
        for item in &set.items {
            let (arguments, directives) = match &item.node {
                Selection::Field(f) => (f.node.arguments.as_slice(), &f.node.directives),
                Selection::InlineFragment(f) => (&[][..], &f.node.directives),
                Selection::FragmentSpread(f) => (&[][..], &f.node.directives),
            };
            let literals = arguments
                .iter()
                .chain(directives.iter().flat_map(|d| d.node.arguments.iter()))
                .filter_map(|(name, value)| {
                    // Literals only: variables are checked with the variables.
                    let v = value.node.clone().into_const_with(|_| Err(())).ok()?;
                    Some((name.node.to_string(), v))
                })
                .collect::<Vec<_>>();
            if let Some(hit) = forbidden_in(literals.iter().map(|(n, v)| (n.as_str(), v))) {
                return Some(hit);
            }
        }
    }
    let defaults = doc
        .operations
        .iter()
        .flat_map(|(_, op)| op.node.variable_definitions.iter())
        .filter_map(|d| {
            d.node
                .default_value
                .as_ref()
                .map(|v| (d.node.name.node.as_str(), &v.node))
        })
        .collect::<Vec<_>>();
    forbidden_in(defaults)
}

fn forbidden_in_variables(variables: &Variables) -> Option<(String, char)> {
    forbidden_in(variables.iter().map(|(k, v)| (k.as_str(), v)))
}

#[async_graphql::async_trait::async_trait]
impl Extension for Checks {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        if let Some(&complexity) = self.complexity.get() {
            report_cost(&mut response, complexity, self.max_complexity);
        }
        code_errors(&mut response);
        response
    }

    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let _ = self.operation_name.set(request.operation_name.clone());
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await.map_err(|e| {
            let code = parse_code(&e.message);
            with_code(e, code)
        })?;
        if depth(&doc) > self.max_depth {
            return Err(error("Query is nested too deep.".to_owned(), TOO_DEEP));
        }
        let aliases = count_aliases(&doc);
        if aliases > self.max_aliases {
            return Err(error(
                format!(
                    "the query has {aliases} aliases; at most {} are allowed",
                    self.max_aliases
                ),
                TOO_COMPLEX,
            ));
        }
        let operation_name = self.operation_name.get().cloned().flatten();
        if ctx.data_opt::<ViaGet>().is_some() && runs_mutation(&doc, operation_name.as_deref()) {
            return Err(error(
                "mutations must be sent with POST".to_owned(),
                "BAD_REQUEST",
            ));
        }
        if !runs_mutation(&doc, operation_name.as_deref())
            && let Some((name, c)) =
                forbidden_in_variables(variables).or_else(|| forbidden_in_document(&doc))
        {
            return Err(error(forbidden_message(&name, c), BAD_USER_INPUT));
        }
        if let Some(recorder) = ctx.data_opt::<Recorder>()
            && runs_query(&doc, operation_name.as_deref())
        {
            recorder.document(&doc);
        }
        Ok(doc)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await;
        if let Ok(r) = &result {
            let _ = self.complexity.set(r.complexity);
            if let Some(recorder) = ctx.data_opt::<Recorder>() {
                recorder.complexity(r.complexity);
            }
        }
        result.map_err(|errors| {
            errors
                .into_iter()
                .map(|e| {
                    let code = validation_code(&e.message);
                    with_code(e, code)
                })
                .collect()
        })
    }
}

/// Adds what the request cost against the limit to the response, as
/// Shopify's API reports it: `extensions.cost { complexity limit }`.
pub fn report_cost(response: &mut Response, complexity: usize, limit: usize) {
    response.extensions.insert(
        "cost".to_owned(),
        Value::Object(
            [
                (Name::new("complexity"), Value::from(complexity as u64)),
                (Name::new("limit"), Value::from(limit as u64)),
            ]
            .into_iter()
            .collect(),
        ),
    );
}

/// Gives every error of `response` a stable code.
pub fn code_errors(response: &mut Response) {
    // A field's argument that does not coerce to its type (a string
    // where an `Upload` goes, say) is reported by async-graphql without
    // a code: the caller's input, so BAD_USER_INPUT. Every error the
    // resolvers raise carries its own code.
    for err in &mut response.errors {
        if !err.path.is_empty()
            && err
                .extensions
                .as_ref()
                .is_none_or(|e| e.get("code").is_none())
        {
            *err = with_code(err.clone(), BAD_USER_INPUT);
        }
    }
    // Errors of the request as a whole that no other hook coded (an
    // unknown operation name, for one).
    for err in &mut response.errors {
        if err.path.is_empty()
            && err
                .extensions
                .as_ref()
                .is_none_or(|e| e.get("code").is_none())
        {
            // Apollo's clients resend the query on this code (or message).
            let code = match err.message.as_str() {
                "PersistedQueryNotFound" => PERSISTED_QUERY_NOT_FOUND,
                m if m.contains("PersistedQuery") || m.starts_with("provided sha") => {
                    BAD_USER_INPUT
                }
                _ => VALIDATION_FAILED,
            };
            *err = with_code(err.clone(), code);
        }
    }
}

/// Whether the operation the request runs is a query.
fn runs_query(doc: &ExecutableDocument, operation_name: Option<&str>) -> bool {
    operation_type(doc, operation_name) == Some(OperationType::Query)
}

/// A query that passed every check of this module and async-graphql's
/// validation: its parsed document and its complexity. Running it again
/// with the same operation name and variables would pass them again, so
/// the HTTP layer keeps it (see [`crate::http`]) and runs the query on the
/// schema without these extensions, which costs less on every field.
#[derive(Clone)]
pub struct Passed {
    pub document: ExecutableDocument,
    pub complexity: usize,
}

/// Request data through which the checks hand back a query that passed:
/// set by the HTTP layer on a query it has not kept yet.
#[derive(Clone, Default)]
pub struct Recorder(Arc<std::sync::Mutex<(Option<ExecutableDocument>, Option<usize>)>>);

impl Recorder {
    fn document(&self, doc: &ExecutableDocument) {
        if let Ok(mut r) = self.0.lock() {
            r.0 = Some(doc.clone());
        }
    }

    fn complexity(&self, complexity: usize) {
        if let Ok(mut r) = self.0.lock() {
            r.1 = Some(complexity);
        }
    }

    /// The query, if it passed parsing, the checks and validation.
    pub fn passed(&self) -> Option<Passed> {
        let mut r = self.0.lock().ok()?;
        match (r.0.take(), r.1) {
            (Some(document), Some(complexity)) => Some(Passed {
                document,
                complexity,
            }),
            _ => None,
        }
    }
}

/// What decides whether a query passes the checks: its text, the operation
/// it names and its variables (JSON).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct KeptKey {
    query: String,
    operation_name: Option<String>,
    variables: String,
}

/// Queries that passed the checks, and the schema that runs them without
/// the checks' extensions. Bounded in memory: an entry is estimated at eight
/// times its text and variables (the parsed document's nodes).
#[derive(Clone)]
pub struct KeptQueries {
    pub schema: crate::graphql::Hub138Schema,
    cache: moka::sync::Cache<KeptKey, Arc<Passed>>,
}

impl KeptQueries {
    pub fn new(schema: crate::graphql::Hub138Schema, mib: u64) -> Self {
        let cache = moka::sync::Cache::builder()
            .max_capacity(mib.saturating_mul(1024 * 1024))
            .weigher(|k: &KeptKey, _: &Arc<Passed>| {
                let bytes = k.query.len() + k.variables.len();
                u32::try_from(bytes.saturating_mul(8)).unwrap_or(u32::MAX)
            })
            .build();
        Self { schema, cache }
    }

    /// The key of `request`: none for a request that names its query by
    /// hash or carries other extensions (they take the full path).
    fn key(request: &Request) -> Option<KeptKey> {
        if request.query.is_empty() || !request.extensions.is_empty() {
            return None;
        }
        Some(KeptKey {
            query: request.query.clone(),
            operation_name: request.operation_name.clone(),
            variables: serde_json::to_string(&request.variables).ok()?,
        })
    }

    /// `request` ready to run, and what to do with its response
    /// ([`KeptQueries::finish`]): a query that passed before gets its kept
    /// parse and runs on the checked schema ([`Afterwards::checked`]);
    /// another runs with a recorder of what passes.
    pub fn prepare(&self, request: Request) -> (Request, Afterwards) {
        let Some(key) = Self::key(&request) else {
            return (request, Afterwards(After::Nothing));
        };
        match self.cache.get(&key) {
            Some(passed) => {
                let mut request = request;
                request.set_parsed_query(passed.document.clone());
                (request, Afterwards(After::Report(passed.complexity)))
            }
            None => {
                let recorder = Recorder::default();
                let request = request.data(recorder.clone());
                (request, Afterwards(After::Keep(key, recorder)))
            }
        }
    }

    /// Finishes `response` as the checks would have (its cost and error
    /// codes) after a run on the checked schema; after a full run, keeps
    /// what it recorded when the request as a whole passed.
    pub fn finish(&self, afterwards: Afterwards, response: &mut Response, limit: usize) {
        match afterwards.0 {
            After::Nothing => {}
            After::Report(complexity) => {
                report_cost(response, complexity, limit);
                code_errors(response);
            }
            After::Keep(key, recorder) => {
                if response.errors.iter().any(|e| e.path.is_empty()) {
                    return;
                }
                if let Some(passed) = recorder.passed() {
                    self.cache.insert(key, Arc::new(passed));
                }
            }
        }
    }
}

/// What [`KeptQueries::finish`] does with a prepared request's response.
pub struct Afterwards(After);

impl Afterwards {
    /// Whether the request runs on the checked schema.
    pub fn checked(&self) -> bool {
        matches!(self.0, After::Report(_))
    }
}

enum After {
    /// Not kept, and not to be kept.
    Nothing,
    /// Ran on the checked schema: report this complexity as its cost.
    Report(usize),
    /// Ran in full: keep what passes under the key.
    Keep(KeptKey, Recorder),
}
