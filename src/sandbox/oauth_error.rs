//! OAuth error responses: the RFC 6749 §5.2 JSON body, its status, and the challenge header.

use std::borrow::Cow;

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, PRAGMA, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error the sandbox answers with `{"error": …, "error_description": …}`.
#[derive(Debug)]
pub(crate) struct OAuthError {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) description: Cow<'static, str>,
    pub(crate) challenge: Option<HeaderValue>,
}

impl OAuthError {
    pub(crate) fn new(
        status: StatusCode,
        code: &'static str,
        description: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            status,
            code,
            description: description.into(),
            challenge: None,
        }
    }

    pub(crate) fn invalid_request(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    pub(crate) fn invalid_grant(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_grant", description)
    }

    pub(crate) fn invalid_scope(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_scope", description)
    }

    pub(crate) fn unauthorized_client(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "unauthorized_client", description)
    }

    pub(crate) fn unsupported_grant_type(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            description,
        )
    }

    pub(crate) fn server_error(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            description,
        )
    }

    /// `invalid_client`, 401 with a `Basic` challenge (RFC 6749 §5.2: required when the client
    /// used the Authorization header; RFC 9110 §15.5.2 makes every 401 carry one).
    pub(crate) fn invalid_client_basic(description: impl Into<Cow<'static, str>>) -> Self {
        Self {
            challenge: Some(HeaderValue::from_static(
                "Basic realm=\"grantspec-sandbox\"",
            )),
            ..Self::new(StatusCode::UNAUTHORIZED, "invalid_client", description)
        }
    }

    /// `invalid_client`, 400, for failures of body-borne authentication (RFC 7523 §3.2).
    pub(crate) fn invalid_client_body(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_client", description)
    }

    /// A 401 with `WWW-Authenticate: Bearer`, for protected resources (RFC 6750 §3). Without
    /// `code`, the challenge and the body carry no error (RFC 6750 §3.1: no credentials).
    pub(crate) fn bearer(
        status: StatusCode,
        code: Option<&'static str>,
        description: &'static str,
    ) -> Self {
        let challenge = match code {
            Some(code) => format!(
                "Bearer realm=\"grantspec-sandbox\", error=\"{code}\", error_description=\"{description}\""
            ),
            None => "Bearer realm=\"grantspec-sandbox\"".to_owned(),
        };
        Self {
            status,
            code: code.unwrap_or(""),
            description: Cow::Borrowed(description),
            challenge: HeaderValue::from_str(&challenge).ok(),
        }
    }

    pub(crate) fn without_challenge(mut self) -> Self {
        self.challenge = None;
        self
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = if self.code.is_empty() {
            String::new()
        } else if self.description.is_empty() {
            json!({ "error": self.code }).to_string()
        } else {
            json!({ "error": self.code, "error_description": self.description }).to_string()
        };
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        if !self.code.is_empty() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
        if let Some(challenge) = self.challenge {
            headers.insert(WWW_AUTHENTICATE, challenge);
        }
        response
    }
}
