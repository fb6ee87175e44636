//! The HTTP surface: GraphQL over HTTP (POST and GET, per the
//! GraphQL-over-HTTP spec), GraphiQL for browsers, and health probes.
//!
//! Status codes: a request that is not a well-formed GraphQL-over-HTTP
//! request gets 400 (415 for a wrong media type, 406 for an unacceptable
//! `Accept`, 405 for a mutation over GET, 413 for an oversized body, 408 for
//! a body that does not arrive in time). Every error body is GraphQL JSON
//! with `extensions.code` (406 excepted: the client accepts no JSON). With
//! `Accept: application/graphql-response+json`, a document that fails to parse
//! or validate gets 400; with `application/json` it gets 200, as the spec
//! asks for legacy clients. Execution errors are always 200 with `errors`.

use std::collections::HashMap;

use async_graphql::parser::types::OperationType;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use tower_http::trace::TraceLayer;

use std::net::SocketAddr;

use axum::extract::ConnectInfo;

use crate::AppState;
use crate::assets;
use crate::auth::{RequestInfo, Viewer};
use crate::error::Error;
use crate::graphql::checks;
use crate::graphql::loaders::{Loaders, drive};
use crate::service::account;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/graphiql/{file}", get(assets::graphiql_asset))
        .route("/portal", get(assets::portal_index))
        .route("/portal/", get(assets::portal_index))
        .route("/portal/{file}", get(assets::portal_asset))
        .route("/exports/{id}", get(download_export))
        .route("/plans/{id}/document", get(download_plan_document))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .layer(DefaultBodyLimit::max(state.limits.max_body_bytes))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(axum::middleware::from_fn(request_ids))
        .with_state(state)
}

/// The span of one request: its method, path and request id, and — when the
/// client sent a W3C `traceparent` — a child of the client's span, so a
/// portal's trace continues into Hub138's spans (exported over OTLP when
/// `OTEL_EXPORTER_OTLP_ENDPOINT` is set). A malformed `traceparent` is
/// ignored, as the Trace Context spec asks: the request starts a new trace.
fn request_span(req: &Request) -> tracing::Span {
    use opentelemetry::propagation::TextMapPropagator;
    use tracing_opentelemetry::OpenTelemetrySpanExt;
    let span = tracing::info_span!(
        "http_request",
        method = %req.method(),
        path = %req.uri().path(),
        request_id = req
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default(),
    );
    let parent = opentelemetry_sdk::propagation::TraceContextPropagator::new()
        .extract(&opentelemetry_http::HeaderExtractor(req.headers()));
    // Fails only when no OpenTelemetry layer is installed: nothing to link.
    let _ = span.set_parent(parent);
    span
}

/// Every request has an id: the client's `x-request-id` when it is sensible,
/// else a new one. It is what the audit trail records, and every response
/// carries it back, so a bug report can point at the request.
async fn request_ids(mut req: Request, next: axum::middleware::Next) -> Response {
    let Ok(id) = HeaderValue::from_str(&request_id(req.headers())) else {
        return next.run(req).await;
    };
    req.headers_mut().insert("x-request-id", id.clone());
    let mut resp = next.run(req).await;
    resp.headers_mut().insert("x-request-id", id);
    resp
}

/// A download's error answer (401s ask for a bearer token).
fn download_error(status: StatusCode, message: &str, code: &str) -> Response {
    let mut resp = reply(status, Accept::Json, &error_body(message, code));
    if status == StatusCode::UNAUTHORIZED {
        resp.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    resp
}

/// The account a download is for, or the 401 answer.
async fn downloader(
    state: &AppState,
    headers: &HeaderMap,
    what: &str,
) -> Result<Viewer, Box<Response>> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    match viewer_from(state, authorization).await {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(Box::new(download_error(
            StatusCode::UNAUTHORIZED,
            &format!("sign in to download {what}"),
            "UNAUTHENTICATED",
        ))),
        Err(err @ Error::Unavailable) => Err(Box::new(failure(&err))),
        Err(err) => Err(Box::new(download_error(
            StatusCode::UNAUTHORIZED,
            &err.message(),
            err.code(),
        ))),
    }
}

/// The answer while the database cannot be reached: 503, retry in a second.
fn unavailable(accept: Accept) -> Response {
    let err = Error::Unavailable;
    let mut resp = reply(
        StatusCode::SERVICE_UNAVAILABLE,
        accept,
        &error_body(&err.message(), err.code()),
    );
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    resp
}

/// A download that failed on the server's side: 503 while the database is
/// unavailable (retry later), 500 otherwise.
fn failure(err: &Error) -> Response {
    let status = match err {
        Error::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    download_error(status, &err.message(), err.code())
}

/// `GET /exports/{id}`: a file made by `createExport`, for any account that
/// may read the exported committee (401 without a valid token, 404 when
/// unknown or out of scope, 410 once expired, 503 while the database is
/// unavailable). Every download is audited.
async fn download_export(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let fail = download_error;
    let viewer = match downloader(&state, &headers, "exports").await {
        Ok(v) => v,
        Err(resp) => return *resp,
    };
    let found = match crate::service::export::find(&state.db, &id).await {
        Ok(found) => found,
        Err(err) => return failure(&err),
    };
    let visible = match &found {
        Some(e) => match viewer.scope.contains(&state.db, e.committee_id).await {
            Ok(inside) => inside,
            // Not knowing is not "not found".
            Err(err) => return failure(&err),
        },
        None => false,
    };
    let Some(e) = found.filter(|_| visible) else {
        return fail(StatusCode::NOT_FOUND, "no export with this id", "NOT_FOUND");
    };
    if e.expires_at < chrono::Utc::now() {
        return fail(
            StatusCode::GONE,
            "this export has expired; create it again",
            "EXPIRED",
        );
    }
    let info = RequestInfo {
        request_id: request_id(&headers),
        client_address: client_address(&state, &headers, Some(address)),
    };
    let actor = crate::service::audit::Actor::of(Some(&viewer), &info);
    let event = crate::service::audit::Event {
        action: "downloadExport",
        outcome: crate::service::audit::Outcome::Ok,
        committee_id: Some(e.committee_id),
        object_id: None,
        before: None,
        after: Some(json!({"export": e.id, "fileName": e.file_name})),
    };
    if let Err(err) = crate::service::audit::record(&state.db, &actor, event).await {
        return failure(&err);
    }
    let disposition = format!("attachment; filename=\"{}\"", e.file_name);
    let mut resp = (StatusCode::OK, e.content).into_response();
    if let Ok(v) = HeaderValue::from_str(&e.content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

/// `GET /plans/{id}/document`: the document a plan was imported from
/// (`importPlanDocument`), for any account that may read the plan (401
/// without a valid token, 404 when the plan is unknown, out of scope or has
/// no document).
async fn download_plan_document(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let fail = download_error;
    let viewer = match downloader(&state, &headers, "plan documents").await {
        Ok(v) => v,
        Err(resp) => return *resp,
    };
    let not_found = || {
        fail(
            StatusCode::NOT_FOUND,
            "no plan document with this id",
            "NOT_FOUND",
        )
    };
    let Some((crate::ids::Kind::Plan, plan_id)) = crate::ids::decode(&id) else {
        return not_found();
    };
    let found = match crate::service::plan_import::document(&state.db, &viewer.scope, plan_id).await
    {
        Ok(found) => found,
        Err(err) => return failure(&err),
    };
    let Some(d) = found else {
        return not_found();
    };
    let name: String = d
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut resp = (StatusCode::OK, d.content).into_response();
    if let Ok(v) = HeaderValue::from_str(&d.content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "database not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Which media type the client accepts for the response.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Accept {
    GraphqlResponse,
    Json,
}

fn negotiate(headers: &HeaderMap) -> Option<Accept> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(Accept::Json);
    };
    let types: Vec<String> = accept
        .split(',')
        .map(|part| {
            part.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .collect();
    if types.iter().any(|t| t == GRAPHQL_RESPONSE) {
        Some(Accept::GraphqlResponse)
    } else if types
        .iter()
        .any(|t| t == JSON || t == "*/*" || t == "application/*" || t.is_empty())
    {
        Some(Accept::Json)
    } else {
        None
    }
}

fn error_body(message: &str, code: &str) -> Value {
    json!({ "errors": [{ "message": message, "extensions": { "code": code } }] })
}

fn reply(status: StatusCode, accept: Accept, body: &Value) -> Response {
    reply_bytes(status, accept, serde_json::to_vec(body).unwrap_or_default())
}

fn reply_bytes(status: StatusCode, accept: Accept, bytes: Vec<u8>) -> Response {
    let content_type = match accept {
        Accept::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
        Accept::Json => "application/json; charset=utf-8",
    };
    let mut resp = (status, bytes).into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp
}

fn bad_request(accept: Accept, message: &str) -> Response {
    reply(
        StatusCode::BAD_REQUEST,
        accept,
        &error_body(message, "BAD_REQUEST"),
    )
}

/// Reads a request body of at most `HUB138_MAX_BODY_BYTES` within
/// `HUB138_BODY_TIMEOUT_SECS` of the handler starting. A larger body is 413
/// with the code `PAYLOAD_TOO_LARGE`; a body still arriving at the deadline
/// is 408 with the code `TIMEOUT`, and the connection is closed.
async fn read_body(
    state: &AppState,
    accept: Accept,
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Bytes, Response> {
    use http_body_util::{BodyExt, LengthLimitError, Limited};
    let too_large = || {
        reply(
            StatusCode::PAYLOAD_TOO_LARGE,
            accept,
            &error_body(
                &format!("the request body is larger than {limit} bytes"),
                "PAYLOAD_TOO_LARGE",
            ),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let timeout = state.limits.body_timeout();
    match tokio::time::timeout(timeout, Limited::new(body, limit).collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(err)) if err.downcast_ref::<LengthLimitError>().is_some() => Err(too_large()),
        Ok(Err(_)) => Err(bad_request(accept, "the request body could not be read")),
        Err(_) => {
            let mut resp = reply(
                StatusCode::REQUEST_TIMEOUT,
                accept,
                &error_body(
                    &format!("the request body took longer than {}s", timeout.as_secs()),
                    "TIMEOUT",
                ),
            );
            resp.headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            Err(resp)
        }
    }
}

/// The parameters of a GraphQL-over-HTTP request, checked.
struct Params {
    query: String,
    /// A trusted document's id (`documentId`, `doc_id` or `id`).
    document_id: Option<String>,
    operation_name: Option<String>,
    variables: Option<Value>,
    extensions: Option<Value>,
}

fn params_from_json(body: Value) -> Result<Params, String> {
    let Value::Object(mut map) = body else {
        return Err(match body {
            Value::Array(_) => "batched requests are not supported: send one operation".into(),
            _ => "the request body must be a JSON object".into(),
        });
    };
    let query = match map.remove("query") {
        Some(Value::String(q)) => Some(q),
        Some(_) => return Err("query must be a string".into()),
        None => None,
    };
    let document_id = ["documentId", "doc_id", "id"]
        .iter()
        .find_map(|k| map.remove(*k).and_then(|v| v.as_str().map(str::to_owned)));
    let operation_name = match map.remove("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => return Err("operationName must be a string".into()),
    };
    let object_or_null = |name: &str, v: Option<Value>| match v {
        None | Some(Value::Null) => Ok(None),
        Some(v @ Value::Object(_)) => Ok(Some(v)),
        Some(_) => Err(format!("{name} must be an object")),
    };
    let variables = object_or_null("variables", map.remove("variables"))?;
    let extensions = object_or_null("extensions", map.remove("extensions"))?;
    Ok(Params {
        query: query_or_persisted(query, document_id.is_some(), extensions.as_ref())?,
        document_id,
        operation_name,
        variables,
        extensions,
    })
}

/// The query text; it may be left out when the request names a persisted
/// query by its hash (`extensions.persistedQuery`, Apollo's protocol).
fn query_or_persisted(
    query: Option<String>,
    named: bool,
    extensions: Option<&Value>,
) -> Result<String, String> {
    match query {
        Some(q) => Ok(q),
        None if named || extensions.is_some_and(|e| e.get("persistedQuery").is_some()) => {
            Ok(String::new())
        }
        None => Err("query is required".into()),
    }
}

fn params_from_query(q: HashMap<String, String>) -> Result<Params, String> {
    let mut q = q;
    let query = q.remove("query");
    let document_id = ["documentId", "doc_id", "id"]
        .iter()
        .find_map(|k| q.remove(*k))
        .filter(|s| !s.is_empty());
    let parse_object = |name: &str, s: Option<String>| -> Result<Option<Value>, String> {
        match s {
            None => Ok(None),
            Some(s) => match serde_json::from_str::<Value>(&s) {
                Ok(Value::Null) => Ok(None),
                Ok(v @ Value::Object(_)) => Ok(Some(v)),
                _ => Err(format!("{name} must be a JSON-encoded object")),
            },
        }
    };
    let extensions = parse_object("extensions", q.remove("extensions"))?;
    Ok(Params {
        query: query_or_persisted(query, document_id.is_some(), extensions.as_ref())?,
        document_id,
        operation_name: q.remove("operationName").filter(|s| !s.is_empty()),
        variables: parse_object("variables", q.remove("variables"))?,
        extensions,
    })
}

/// Puts a trusted document's text in `params` when the request names one,
/// and, in persisted-only mode, refuses every document outside the manifest.
fn resolve_document(state: &AppState, params: &mut Params) -> Result<(), (&'static str, String)> {
    let manifest = &state.manifest;
    if let Some(id) = &params.document_id {
        let text = manifest.document(id).ok_or((
            "PERSISTED_QUERY_NOT_FOUND",
            format!("no trusted document {id:?}"),
        ))?;
        params.query = text.to_owned();
        return Ok(());
    }
    if !state.limits.persisted_only {
        return Ok(());
    }
    // Apollo's hash of a manifest document, sent without its text.
    let hash = params
        .extensions
        .as_ref()
        .and_then(|e| e.pointer("/persistedQuery/sha256Hash"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    if params.query.is_empty()
        && let Some(text) = hash.as_deref().and_then(|h| manifest.document(h))
    {
        params.query = text.to_owned();
        return Ok(());
    }
    if !params.query.is_empty() && manifest.contains_text(&params.query) {
        return Ok(());
    }
    Err((
        "PERSISTED_QUERY_REQUIRED",
        "this server runs only its trusted documents: name one by documentId".to_owned(),
    ))
}

/// The type of the operation a GET request would run, if the document parses.
fn operation_type(query: &str, operation_name: Option<&str>) -> Option<OperationType> {
    let doc = async_graphql::parser::parse_query(query).ok()?;
    match operation_name {
        Some(name) => doc
            .operations
            .iter()
            .find(|(n, _)| n.map(|n| n.as_str()) == Some(name))
            .map(|(_, op)| op.node.ty),
        None => doc.operations.iter().next().map(|(_, op)| op.node.ty),
    }
}

/// The client's address: the peer, or the client a trusted proxy forwarded
/// for (see [`crate::auth::proxy`]).
pub(crate) fn client_address(
    state: &AppState,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
) -> Option<String> {
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok());
    peer.map(|p| state.trusted_proxies.client(p.ip(), forwarded).to_string())
}

/// The request id: the client's `x-request-id` if it is sensible, else a new one.
pub(crate) fn request_id(headers: &HeaderMap) -> String {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.chars().all(|c| c.is_ascii_graphic()))
        .map_or_else(
            || {
                use rand::RngCore;
                let mut b = [0u8; 8];
                rand::rng().fill_bytes(&mut b);
                hex::encode(b)
            },
            str::to_owned,
        )
}

/// The viewer of a request: none without `Authorization`, an error for a
/// bad one. Token values never reach the logs.
pub async fn viewer_from(
    state: &AppState,
    authorization: Option<&str>,
) -> Result<Option<Viewer>, Error> {
    let Some(value) = authorization else {
        return Ok(None);
    };
    account::authenticate(
        &state.db,
        &state.signer,
        state.events.auth(),
        bearer(value)?,
    )
    .await
    .map(Some)
}

/// The token of an `Authorization: Bearer …` value.
pub(crate) fn bearer(value: &str) -> Result<&str, Error> {
    value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .ok_or(Error::Unauthenticated)
}

async fn execute(
    state: &AppState,
    accept: Accept,
    params: Params,
    headers: &HeaderMap,
    address: Option<SocketAddr>,
    via_get: bool,
) -> Response {
    let info = RequestInfo {
        request_id: request_id(headers),
        client_address: client_address(state, headers, address),
    };
    let viewer = match authenticated(state, accept, headers).await {
        Ok(v) => v,
        Err(refusal) => return refusal,
    };
    let mut request = async_graphql::Request::new(params.query);
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    if let Some(vars) = params.variables {
        request = request.variables(async_graphql::Variables::from_json(vars));
    }
    if let Some(Value::Object(ext)) = params.extensions {
        for (k, v) in ext {
            if let Ok(v) = async_graphql::Value::from_json(v) {
                request.extensions.insert(k, v);
            }
        }
    }
    run_request(state, accept, request, viewer, info, via_get).await
}

/// The caller of a GraphQL request: its bearer token's account, or none;
/// a bad token is answered 401.
async fn authenticated(
    state: &AppState,
    accept: Accept,
    headers: &HeaderMap,
) -> Result<Option<Viewer>, Response> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    viewer_from(state, authorization).await.map_err(|err| {
        if matches!(err, Error::Unavailable) {
            return unavailable(accept);
        }
        let mut resp = reply(
            StatusCode::UNAUTHORIZED,
            accept,
            &error_body(&err.message(), err.code()),
        );
        resp.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        resp
    })
}

/// Runs a GraphQL request for an authenticated (or anonymous) caller and
/// answers it as GraphQL-over-HTTP asks.
async fn run_request(
    state: &AppState,
    accept: Accept,
    request: async_graphql::Request,
    viewer: Option<Viewer>,
    info: RequestInfo,
    via_get: bool,
) -> Response {
    let scope = viewer.as_ref().map(|v| v.scope.clone()).unwrap_or_default();
    let account = viewer.as_ref().map(|v| v.account_id);
    // With a read replica, a query reads it; anything else, the primary.
    let (db, writes) = match &state.read_replica {
        Some(replica) => match operation_type(&request.query, request.operation_name.as_deref()) {
            Some(OperationType::Query) => (replica.for_query(&state.db, account).await, false),
            _ => (state.db.clone(), true),
        },
        None => (state.db.clone(), false),
    };
    let (loaders, queue) = Loaders::per_request(db, scope);
    let mut request = request.data(loaders).data(info);
    if via_get {
        // A persisted query's operation is known only once it is looked up:
        // the request checks refuse a mutation then (see graphql::checks).
        request = request.data(checks::ViaGet);
    }
    if let Some(v) = viewer {
        request = request.data(v);
    }
    let timeout = state.limits.request_timeout();
    // A query that passed the checks before runs on the schema without them.
    let (execution, afterwards) = match &state.kept {
        Some(kept) => {
            let (request, afterwards) = kept.prepare(request);
            let schema = if afterwards.checked() {
                &kept.schema
            } else {
                &state.schema
            };
            (schema.execute(request), Some((kept, afterwards)))
        }
        None => (state.schema.execute(request), None),
    };
    let execution = drive(execution, queue);
    let response = match tokio::time::timeout(timeout, execution).await {
        Ok(mut r) => {
            if let Some((kept, afterwards)) = afterwards {
                kept.finish(afterwards, &mut r, state.limits.max_complexity);
            }
            r
        }
        Err(_) => {
            return reply(
                StatusCode::GATEWAY_TIMEOUT,
                accept,
                &error_body(
                    &format!("the request took longer than {}s", timeout.as_secs()),
                    "TIMEOUT",
                ),
            );
        }
    };
    if writes && let (Some(replica), Some(account)) = (&state.read_replica, account) {
        replica.wrote(&state.db, account).await;
    }
    // A request error (the document did not parse or validate) has no data
    // and errors without a path.
    let request_error = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    // The database could not be reached for some field: the answer is
    // incomplete through no fault of the request; retry.
    let unreachable = response.errors.iter().any(|e| {
        e.extensions
            .as_ref()
            .and_then(|x| x.get("code"))
            .is_some_and(|c| *c == async_graphql::Value::from(Error::Unavailable.code()))
    });
    let status = if unreachable {
        StatusCode::SERVICE_UNAVAILABLE
    } else if request_error && accept == Accept::GraphqlResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    // A request error carries no `data` entry at all. Otherwise serialise
    // straight from the response, so fields keep the query's order.
    let bytes = if request_error {
        serde_json::to_vec(&json!({ "errors": response.errors }))
    } else {
        serde_json::to_vec(&response)
    };
    match bytes {
        Ok(bytes) => {
            let mut resp = reply_bytes(status, accept, bytes);
            if unreachable {
                resp.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            resp
        }
        Err(err) => {
            tracing::error!(error = %err, "response serialisation failed");
            reply(
                StatusCode::INTERNAL_SERVER_ERROR,
                accept,
                &error_body("internal error", "INTERNAL"),
            )
        }
    }
}

/// A GraphQL multipart request (the spec of jaydenseric's
/// graphql-multipart-request-spec, which Apollo Client's and urql's upload
/// links send): `operations`, `map` and the files. Up to
/// `HUB138_MAX_UPLOAD_BYTES`, one file. Bearer tokens, never cookies,
/// authenticate it, so a cross-site form cannot forge one.
async fn graphql_multipart(
    state: &AppState,
    accept: Accept,
    headers: &HeaderMap,
    body: Body,
    content_type: &str,
    address: SocketAddr,
) -> Response {
    let limit = state.limits.max_upload_bytes;
    let body = match read_body(state, accept, headers, body, limit).await {
        Ok(body) => body,
        Err(refusal) => return refusal,
    };
    let options = async_graphql::http::MultipartOptions::default()
        .max_file_size(limit)
        .max_num_files(1);
    let request = match async_graphql::http::receive_body(
        Some(content_type),
        futures_util::io::Cursor::new(body.to_vec()),
        options,
    )
    .await
    {
        Ok(r) => r,
        Err(err) => return bad_request(accept, &format!("not a GraphQL multipart request: {err}")),
    };
    let info = RequestInfo {
        request_id: request_id(headers),
        client_address: client_address(state, headers, Some(address)),
    };
    let viewer = match authenticated(state, accept, headers).await {
        Ok(v) => v,
        Err(refusal) => return refusal,
    };
    run_request(state, accept, request, viewer, info, false).await
}

async fn graphql_post(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some(accept) = negotiate(&headers) else {
        return (
            StatusCode::NOT_ACCEPTABLE,
            "accept application/graphql-response+json or application/json",
        )
            .into_response();
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if media == "multipart/form-data" {
        return graphql_multipart(&state, accept, &headers, body, content_type, address).await;
    }
    if media != JSON {
        return reply(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            accept,
            &error_body("the request body must be application/json", "BAD_REQUEST"),
        );
    }
    let body = match read_body(&state, accept, &headers, body, state.limits.max_body_bytes).await {
        Ok(body) => body,
        Err(refusal) => return refusal,
    };
    let json: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(err) => return bad_request(accept, &format!("the body is not valid JSON: {err}")),
    };
    match params_from_json(json) {
        Ok(mut params) => match resolve_document(&state, &mut params) {
            Ok(()) => execute(&state, accept, params, &headers, Some(address), false).await,
            Err((code, message)) => {
                reply(StatusCode::BAD_REQUEST, accept, &error_body(&message, code))
            }
        },
        Err(message) => bad_request(accept, &message),
    }
}

/// GET: a WebSocket upgrade for subscriptions (graphql-ws), GraphiQL for a
/// browser, or a query in the URL.
async fn graphql_get(State(state): State<AppState>, request: Request) -> Response {
    let (mut parts, _) = request.into_parts();
    if parts.headers.contains_key(header::UPGRADE) {
        return crate::ws::upgrade(state, &mut parts).await;
    }
    let Ok(Query(query)) = Query::<HashMap<String, String>>::try_from_uri(&parts.uri) else {
        return bad_request(Accept::Json, "malformed query string");
    };
    let address = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    query_over_get(state, parts.method, parts.headers, query, address).await
}

async fn query_over_get(
    state: AppState,
    method: Method,
    headers: HeaderMap,
    query: HashMap<String, String>,
    address: Option<SocketAddr>,
) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if wants_html && !query.contains_key("query") {
        return assets::graphiql_page(state.limits.introspection);
    }
    let Some(accept) = negotiate(&headers) else {
        return (StatusCode::NOT_ACCEPTABLE, "unacceptable Accept header").into_response();
    };
    let mut params = match params_from_query(query) {
        Ok(p) => p,
        Err(message) => return bad_request(accept, &message),
    };
    if let Err((code, message)) = resolve_document(&state, &mut params) {
        return reply(StatusCode::BAD_REQUEST, accept, &error_body(&message, code));
    }
    if method == Method::GET
        && operation_type(&params.query, params.operation_name.as_deref())
            == Some(OperationType::Mutation)
    {
        let mut resp = reply(
            StatusCode::METHOD_NOT_ALLOWED,
            accept,
            &error_body("mutations must be sent with POST", "BAD_REQUEST"),
        );
        resp.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return resp;
    }
    execute(
        &state,
        accept,
        params,
        &headers,
        address,
        method == Method::GET,
    )
    .await
}
