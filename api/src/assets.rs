//! The pages Hub138 serves to browsers, embedded in the binary so they make
//! no request outside this server: GraphiQL at `/graphql` and the reference
//! portal at `/portal`. Both are built from npm packages by scripts
//! (`scripts/graphiql/build.sh`, `scripts/portal/build.sh`) whose output is
//! checked in and rebuilt by CI to catch drift.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// The GraphiQL assets, built from the npm packages by
/// `scripts/graphiql/build.sh` (versions and licences in
/// `api/assets/graphiql/VERSIONS.md`) and embedded: the page makes no
/// request outside this server.
const GRAPHIQL_JS: &[u8] = include_bytes!("../assets/graphiql/graphiql.js");
const GRAPHIQL_CSS: &[u8] = include_bytes!("../assets/graphiql/graphiql.css");

/// GraphiQL for a browser at `/graphql`: a sign-in form that calls `login`,
/// the token on HTTP requests and in graphql-ws `connection_init`, a
/// commented example query; when introspection is off it says so.
pub fn graphiql_page(introspection: bool) -> Response {
    let html = format!(
        r#"<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hub138 — GraphiQL</title>
<link rel="stylesheet" href="/graphiql/graphiql.css">
<style>
  html, body {{ height: 100%; margin: 0; }}
  .hub138 {{ height: 100vh; display: flex; flex-direction: column; font-family: system-ui, sans-serif; }}
  .hub138-bar {{ display: flex; gap: .5rem; align-items: center; padding: .4rem .8rem; border-bottom: 1px solid #ddd; }}
  .hub138-warning {{ background: #fff4d6; }}
  .hub138-message {{ color: #a00; }}
  .hub138-graphiql {{ flex: 1; min-height: 0; }}
</style>
</head>
<body data-introspection="{introspection}">
<div id="graphiql">GraphiQL needs JavaScript.</div>
<script src="/graphiql/graphiql.js"></script>
</body>
</html>
"#
    );
    Html(html).into_response()
}

/// `GET /graphiql/{file}`: the embedded GraphiQL assets.
pub async fn graphiql_asset(Path(file): Path<String>) -> Response {
    match file.as_str() {
        "graphiql.js" => asset(GRAPHIQL_JS, "text/javascript; charset=utf-8"),
        "graphiql.css" => asset(GRAPHIQL_CSS, "text/css; charset=utf-8"),
        _ => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// A static file with its media type, cached for an hour.
fn asset(body: &'static [u8], content_type: &'static str) -> Response {
    let mut resp = (StatusCode::OK, body).into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    resp
}

/// The reference portal (`portal/`, built by `scripts/portal/build.sh`):
/// plain TypeScript on the public API, through its trusted documents.
const PORTAL_HTML: &[u8] = include_bytes!("../assets/portal/index.html");
const PORTAL_JS: &[u8] = include_bytes!("../assets/portal/portal.js");
const PORTAL_CSS: &[u8] = include_bytes!("../assets/portal/portal.css");

/// `GET /portal`: the portal's page.
pub async fn portal_index() -> Response {
    let mut resp = asset(PORTAL_HTML, "text/html; charset=utf-8");
    // The page names its assets; it is always fetched fresh.
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    resp
}

/// `GET /portal/{file}`: the portal's script and style sheet.
pub async fn portal_asset(Path(file): Path<String>) -> Response {
    match file.as_str() {
        "portal.js" => asset(PORTAL_JS, "text/javascript; charset=utf-8"),
        "portal.css" => asset(PORTAL_CSS, "text/css; charset=utf-8"),
        "" | "index.html" => asset(PORTAL_HTML, "text/html; charset=utf-8"),
        _ => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}
