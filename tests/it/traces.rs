//! Traces a frontend bug report can point to: the request span carries the
//! request id and continues the client's W3C `traceparent`.
//!
//! The spans are caught by an in-memory OpenTelemetry exporter installed as
//! this test process's subscriber (only spans named `http_request`, so the other
//! tests running beside it add little); the requests go through the real
//! router over HTTP like every other test.

use std::sync::OnceLock;
use std::time::Duration;

use anyhow::{Result, bail};
use opentelemetry::trace::{SpanId, TraceId, TracerProvider as _};
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use crate::common::TestApp;
use crate::ensure_eq;

struct Catcher {
    exporter: InMemorySpanExporter,
    _provider: SdkTracerProvider,
}

fn catcher() -> &'static Catcher {
    static CATCHER: OnceLock<Catcher> = OnceLock::new();
    CATCHER.get_or_init(|| {
        let exporter = InMemorySpanExporter::default();
        let provider = SdkTracerProvider::builder()
            .with_simple_exporter(exporter.clone())
            .build();
        let layer = tracing_opentelemetry::layer().with_tracer(provider.tracer("tests"));
        // A global filter: only the request spans reach the exporter.
        let only_requests = filter_fn(|meta| meta.name() == "http_request");
        // Another subscriber already installed would make spans vanish; the
        // test then fails below rather than here.
        if let Err(e) = tracing_subscriber::registry()
            .with(only_requests)
            .with(layer)
            .try_init()
        {
            eprintln!("traces: the span catcher could not be installed: {e}");
        }
        Catcher {
            exporter,
            _provider: provider,
        }
    })
}

/// The finished spans of this trace, waiting (boundedly) for the span to end:
/// it closes when the response body has been sent, just after the client
/// has it.
async fn spans_of(trace: TraceId) -> Result<Vec<SpanData>> {
    for _ in 0..100 {
        let spans: Vec<SpanData> = catcher()
            .exporter
            .get_finished_spans()?
            .into_iter()
            .filter(|s| s.span_context.trace_id() == trace)
            .collect();
        if !spans.is_empty() {
            return Ok(spans);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let seen: Vec<String> = catcher()
        .exporter
        .get_finished_spans()?
        .iter()
        .map(|s| {
            format!(
                "{} {} {:?}",
                s.name,
                s.span_context.trace_id(),
                attribute(s, "request_id")
            )
        })
        .collect();
    bail!("no span of trace {trace} was recorded; recorded: {seen:?}")
}

fn attribute(span: &SpanData, key: &str) -> Option<String> {
    span.attributes
        .iter()
        .find(|kv| kv.key.as_str() == key)
        .map(|kv| kv.value.to_string())
}

pub async fn traceparent_continues_the_clients_trace() -> Result<()> {
    catcher();
    let app = TestApp::new().await?;
    let trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    let parent = "00f067aa0ba902b7";
    let resp = app
        .client()
        .post(app.url("/graphql"))
        .header("authorization", app.admin_authorization())
        .header("traceparent", format!("00-{trace}-{parent}-01"))
        .header("x-request-id", "portal-trace-1")
        .json(&serde_json::json!({"query": "{ me { username } }"}))
        .send()
        .await?;
    ensure_eq!(resp.status().as_u16(), 200);
    let spans = spans_of(TraceId::from_hex(trace)?).await?;
    let span = spans
        .iter()
        .find(|s| s.name == "http_request")
        .ok_or_else(|| anyhow::anyhow!("no request span in {spans:?}"))?;
    ensure_eq!(span.parent_span_id, SpanId::from_hex(parent)?);
    ensure_eq!(
        attribute(span, "request_id"),
        Some("portal-trace-1".to_owned())
    );
    ensure_eq!(attribute(span, "path"), Some("/graphql".to_owned()));

    // A malformed traceparent is ignored: a new trace, the request served.
    let resp = app
        .client()
        .get(app.url("/healthz"))
        .header("traceparent", "00-not-a-trace-01")
        .header("x-request-id", "portal-trace-2")
        .send()
        .await?;
    ensure_eq!(resp.status().as_u16(), 200);
    for _ in 0..100 {
        let found = catcher()
            .exporter
            .get_finished_spans()?
            .into_iter()
            .find(|s| attribute(s, "request_id").as_deref() == Some("portal-trace-2"));
        if let Some(span) = found {
            ensure_eq!(span.parent_span_id, SpanId::INVALID);
            if span.span_context.trace_id() == TraceId::INVALID {
                bail!("the span has no trace id");
            }
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("no span for the request with a malformed traceparent")
}
