//! The middleware that applies [`Faults`]: latency before every response, some requests
//! answered 500, some connections dropped after part of the response was sent.

use std::future::Future as _;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::Frame;
use tokio::time::Sleep;

use super::fault::Faults;
use super::oauth_error::OAuthError;
use super::random;

/// Largest body the middleware buffers to cut it in half.
const MAX_BODY: usize = 1 << 20;

pub(crate) async fn inject(
    State(faults): State<Arc<Faults>>,
    request: Request,
    next: Next,
) -> Response {
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    if faults.fail_rate > 0.0 && random::unit() < faults.fail_rate {
        return OAuthError::server_error("injected fault").into_response();
    }
    let response = next.run(request).await;
    if faults.drop_rate > 0.0 && random::unit() < faults.drop_rate {
        return truncate(response).await;
    }
    response
}

/// The response's head and the first half of its body, then a body error, which makes the
/// server abort the connection.
async fn truncate(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    parts.headers.remove(CONTENT_LENGTH);
    if parts.status == StatusCode::NO_CONTENT {
        parts.status = StatusCode::OK;
    }
    let body = Truncated {
        first: Some(half),
        pause: Box::pin(tokio::time::sleep(FLUSH_PAUSE)),
    };
    Response::from_parts(parts, Body::new(body))
}

/// How long the truncated body waits, so that the head and first half reach the client
/// before the connection is aborted.
const FLUSH_PAUSE: Duration = Duration::from_millis(20);

/// A body that yields one chunk, pauses, and then fails.
struct Truncated {
    first: Option<Bytes>,
    pause: Pin<Box<Sleep>>,
}

impl http_body::Body for Truncated {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        if let Some(chunk) = self.first.take() {
            return Poll::Ready(Some(Ok(Frame::data(chunk))));
        }
        match self.pause.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(()) => Poll::Ready(Some(Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionAborted,
                "injected fault: connection dropped",
            )))),
        }
    }
}
