//! GraphQL over WebSocket, for subscriptions: the graphql-ws protocol
//! (`graphql-transport-ws`), and the older `graphql-ws` of
//! subscriptions-transport-ws.
//!
//! The bearer token comes in the `connection_init` payload
//! (`{"Authorization": "Bearer …"}`, or `authorization`, or `token`). A bad
//! one closes the socket with 4403 Forbidden, as graphql-ws clients expect
//! (they stop retrying on it); no token makes an anonymous connection, whose
//! subscriptions are refused one by one. While the socket is open its
//! credentials are re-checked (see [`crate::auth::credentials`]): before each
//! event, at the token's expiry and when the account changes (on any
//! replica). When they no longer hold, the socket closes with 4403; when the
//! server shuts down, with 1001 (going away).

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};

use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, WebSocketProtocols, WsMessage};
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use std::future::ready;
use std::net::SocketAddr;
use tokio::sync::oneshot;

use crate::AppState;
use crate::auth::RequestInfo;
use crate::auth::credentials::Credentials;
use crate::error::Error;
use crate::graphql::loaders::Loaders;
use crate::http::{bearer, client_address, request_id};
use crate::service::account;

/// The close code graphql-ws uses for refused credentials.
pub const FORBIDDEN: u16 = 4403;
/// The close code for a failure of the server.
const INTERNAL: u16 = 1011;
/// The close code for a server going away (shutting down).
pub const GOING_AWAY: u16 = 1001;

/// Upgrades a `GET /graphql` with `Upgrade: websocket` to a graphql-ws
/// connection.
pub async fn upgrade(state: AppState, parts: &mut Parts) -> Response {
    let protocol = parts
        .headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .find_map(|p| WebSocketProtocols::from_str(p.trim()).ok())
        });
    let Some(protocol) = protocol else {
        return (
            StatusCode::BAD_REQUEST,
            "Sec-WebSocket-Protocol must be graphql-transport-ws or graphql-ws",
        )
            .into_response();
    };
    let upgrade = match WebSocketUpgrade::from_request_parts(parts, &state).await {
        Ok(u) => u,
        Err(rejection) => return rejection.into_response(),
    };
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let info = RequestInfo {
        request_id: request_id(&parts.headers),
        client_address: client_address(&state, &parts.headers, peer),
    };
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| serve(socket, state, protocol, info))
}

fn close(code: u16, reason: &str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}

/// Runs one connection: async-graphql's protocol state machine, with the
/// close codes of refused credentials put right and a watch on the
/// credentials beside it.
async fn serve(
    socket: WebSocket,
    state: AppState,
    protocol: WebSocketProtocols,
    info: RequestInfo,
) {
    let (mut sink, stream) = socket.split();
    let input = stream.take_while(|m| ready(m.is_ok())).filter_map(|m| {
        ready(match m {
            Ok(m @ (Message::Text(_) | Message::Binary(_))) => Some(m.into_data()),
            _ => None,
        })
    });
    // The close code to send instead of async-graphql's 1002 when
    // `connection_init` fails (0: none).
    let refusal = Arc::new(AtomicU16::new(0));
    let (signed_in, credentials) = oneshot::channel::<Arc<Credentials>>();
    let init = {
        let (state, refusal) = (state.clone(), refusal.clone());
        move |payload| connection_init(state, payload, info, refusal, signed_in)
    };
    let messages = async_graphql::http::WebSocket::new(state.schema.clone(), input, protocol)
        .on_connection_init(init);
    let revoked = async {
        match credentials.await {
            Ok(c) => c.until_revoked().await,
            // Anonymous, or refused (then the socket is closing anyway).
            Err(_) => std::future::pending().await,
        }
    };
    let mut stopping = state.stopping.subscribe();
    futures_util::pin_mut!(messages, revoked);
    loop {
        let out = tokio::select! {
            () = async {
                let _ = stopping.wait_for(|s| *s).await;
            } => {
                let _ = sink.send(close(GOING_AWAY, "server shutting down")).await;
                break;
            }
            m = messages.next() => match m {
                Some(WsMessage::Text(text)) => Message::Text(text.into()),
                Some(WsMessage::Close(code, reason)) => {
                    let instead = refusal.load(Ordering::SeqCst);
                    let _ = if code == 1002 && instead == FORBIDDEN {
                        sink.send(close(FORBIDDEN, "Forbidden")).await
                    } else if code == 1002 && instead == INTERNAL {
                        sink.send(close(INTERNAL, "internal error")).await
                    } else {
                        sink.send(close(code, &reason)).await
                    };
                    break;
                }
                None => break,
            },
            () = &mut revoked => {
                let _ = sink.send(close(FORBIDDEN, "Forbidden")).await;
                break;
            }
        };
        if sink.send(out).await.is_err() {
            break;
        }
    }
    let _ = sink.close().await;
}

/// graphql-ws `connection_init`: signs the connection in with the token of
/// the payload. A bad token refuses it (4403); none leaves it anonymous.
async fn connection_init(
    state: AppState,
    payload: Value,
    info: RequestInfo,
    refusal: Arc<AtomicU16>,
    signed_in: oneshot::Sender<Arc<Credentials>>,
) -> async_graphql::Result<async_graphql::Data> {
    let header = ["Authorization", "authorization"]
        .iter()
        .find_map(|k| payload.get(*k).and_then(Value::as_str).map(str::to_owned))
        .or_else(|| {
            payload
                .get("token")
                .and_then(Value::as_str)
                .map(|t| format!("Bearer {t}"))
        });
    let mut data = async_graphql::Data::default();
    let signed = match header.as_deref() {
        None => None,
        Some(value) => {
            let result = match bearer(value) {
                Ok(token) => {
                    account::authenticate_until(
                        &state.db,
                        &state.signer,
                        state.events.auth(),
                        token,
                    )
                    .await
                }
                Err(err) => Err(err),
            };
            match result {
                Ok(signed) => Some(signed),
                Err(err) => {
                    let code = match err {
                        Error::Internal(_) => INTERNAL,
                        _ => FORBIDDEN,
                    };
                    refusal.store(code, Ordering::SeqCst);
                    return Err(err.into());
                }
            }
        }
    };
    let scope = signed
        .as_ref()
        .map(|(v, _)| v.scope.clone())
        .unwrap_or_default();
    data.insert(Loaders::new(state.db.clone(), scope));
    data.insert(info);
    if let Some((viewer, expires_at)) = signed {
        let credentials = Arc::new(Credentials::new(
            state.db.clone(),
            state.events.clone(),
            viewer.account_id,
            viewer.token_id,
            expires_at,
        ));
        let _ = signed_in.send(credentials.clone());
        data.insert(credentials);
        data.insert(viewer);
    }
    Ok(data)
}
