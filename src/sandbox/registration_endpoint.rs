//! Dynamic client registration (RFC 7591) and its management protocol (RFC 7592), guarded by
//! an initial access token.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::bearer;
use super::client_metadata::{self, ClientMetadata};
use super::clock::unix_now;
use super::credentials;
use super::defect::Defect;
use super::json_response::json;
use super::media_type;
use super::oauth_error::OAuthError;
use super::random;
use super::registered_client::RegisteredClient;
use super::state::{AppState, SharedState};
use crate::secret::Secret;

/// Members a client must not send when updating (RFC 7592 §2.2).
const SERVER_MEMBERS: [&str; 4] = [
    "registration_access_token",
    "registration_client_uri",
    "client_secret_expires_at",
    "client_id_issued_at",
];

/// `POST /register` (RFC 7591 §3.1).
pub(crate) async fn register(
    State(state): State<SharedState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    create(&state, &headers, &body).unwrap_or_else(IntoResponse::into_response)
}

/// `GET /register/{client_id}` (RFC 7592 §2.1).
pub(crate) async fn read(
    State(state): State<SharedState>,
    Path(client_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    authorize(&state, &headers, &client_id)
        .map(|client| json(StatusCode::OK, &representation(&state, &client), true))
        .unwrap_or_else(IntoResponse::into_response)
}

/// `PUT /register/{client_id}` (RFC 7592 §2.2).
pub(crate) async fn update(
    State(state): State<SharedState>,
    Path(client_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    replace(&state, &headers, &client_id, &body).unwrap_or_else(IntoResponse::into_response)
}

/// `DELETE /register/{client_id}` (RFC 7592 §2.3).
pub(crate) async fn delete(
    State(state): State<SharedState>,
    Path(client_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    match authorize(&state, &headers, &client_id) {
        Ok(_) => {
            state.clients.remove(&client_id);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => e.into_response(),
    }
}

fn create(state: &AppState, headers: &HeaderMap, body: &[u8]) -> Result<Response, OAuthError> {
    if !state.has(Defect::RegistrationOpen) {
        let token = bearer::token(headers, None, None, false)?;
        if !credentials::matches(&state.initial_access_token, &token) {
            return Err(invalid_token());
        }
    }
    let metadata = json_body(headers, body)?;
    let validated = client_metadata::validate(
        &metadata,
        &state.scopes_supported,
        state.has(Defect::HttpRedirectUriRegistered),
        state.mtls,
    )?;
    let client_id = random::token("dyn-");
    let client = build(validated, client_id.clone(), None, unix_now());
    let representation = representation(state, &client);
    state.clients.insert(client);
    let no_store = !state.has(Defect::RegistrationCacheable);
    let status = if state.has(Defect::Registration200) {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let mut response = json(status, &representation, no_store);
    if let Ok(location) = HeaderValue::from_str(&client_uri(state, &client_id)) {
        response.headers_mut().insert(LOCATION, location);
    }
    Ok(response)
}

fn replace(
    state: &AppState,
    headers: &HeaderMap,
    client_id: &str,
    body: &[u8],
) -> Result<Response, OAuthError> {
    let current = authorize(state, headers, client_id)?;
    let metadata = json_body(headers, body)?;
    if metadata.get("client_id").and_then(Value::as_str) != Some(client_id) {
        return Err(OAuthError::invalid_request(
            "client_id must be present and match the client (RFC 7592 §2.2)",
        ));
    }
    if let Some(member) = SERVER_MEMBERS.iter().find(|m| metadata.get(**m).is_some()) {
        return Err(OAuthError::invalid_request(format!(
            "`{member}` must not be sent in an update (RFC 7592 §2.2)"
        )));
    }
    if let Some(secret) = metadata.get("client_secret") {
        let matches = match (secret.as_str(), &current.client.client_secret) {
            (Some(given), Some(current)) => credentials::matches(current, given),
            _ => false,
        };
        if !matches {
            return Err(OAuthError::invalid_request(
                "client_secret does not match the current secret",
            ));
        }
    }
    let validated = client_metadata::validate(
        &metadata,
        &state.scopes_supported,
        state.has(Defect::HttpRedirectUriRegistered),
        state.mtls,
    )?;
    let client = build(
        validated,
        client_id.to_owned(),
        Some(&current),
        current.issued_at,
    );
    let representation = representation(state, &client);
    state.clients.insert(client);
    Ok(json(StatusCode::OK, &representation, true))
}

/// The dynamically registered client whose registration access token the request carries;
/// anything else is 401 `invalid_token` (RFC 7592 §2.1).
fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    client_id: &str,
) -> Result<Arc<RegisteredClient>, OAuthError> {
    if state.has(Defect::UnknownClient404) && state.client(client_id).is_none() {
        return Err(OAuthError::new(
            StatusCode::NOT_FOUND,
            "invalid_request",
            "no such client",
        ));
    }
    let token = bearer::token(headers, None, None, false)?;
    state
        .client(client_id)
        .filter(|c| {
            c.registration_access_token
                .as_ref()
                .is_some_and(|rat| credentials::matches(rat, &token))
        })
        .ok_or_else(invalid_token)
}

fn build(
    validated: ClientMetadata,
    client_id: String,
    previous: Option<&RegisteredClient>,
    issued_at: u64,
) -> RegisteredClient {
    let mut client = validated.client;
    client.name = if client.name.is_empty() {
        client_id.clone()
    } else {
        client.name
    };
    client.client_id = client_id;
    if client.auth_method.uses_secret() {
        client.client_secret = previous
            .and_then(|p| p.client.client_secret.clone())
            .or_else(|| Some(Secret::new(random::token(""))));
    }
    let registration_access_token = previous
        .and_then(|p| p.registration_access_token.clone())
        .unwrap_or_else(|| Secret::new(random::token("rat-")));
    RegisteredClient {
        client,
        keys: validated.keys,
        registration_access_token: Some(registration_access_token),
        metadata: Some(Value::Object(validated.echoed)),
        issued_at,
    }
}

/// The registration response (RFC 7591 §3.2.1, RFC 7592 §3).
fn representation(state: &AppState, client: &RegisteredClient) -> Value {
    let mut out = Map::new();
    out.insert("client_id".into(), json!(client.client.client_id));
    if let Some(secret) = &client.client.client_secret {
        out.insert("client_secret".into(), json!(secret.expose()));
        out.insert("client_secret_expires_at".into(), json!(0));
    }
    out.insert("client_id_issued_at".into(), json!(client.issued_at));
    if let Some(rat) = &client.registration_access_token {
        out.insert("registration_access_token".into(), json!(rat.expose()));
    }
    out.insert(
        "registration_client_uri".into(),
        json!(client_uri(state, &client.client.client_id)),
    );
    if let Some(Value::Object(metadata)) = &client.metadata {
        out.extend(metadata.clone());
    }
    Value::Object(out)
}

fn client_uri(state: &AppState, client_id: &str) -> String {
    format!("{}/{client_id}", state.endpoints.register)
}

fn json_body(headers: &HeaderMap, body: &[u8]) -> Result<Value, OAuthError> {
    let is_json = media_type::is(headers, "application/json");
    let invalid =
        |d: &'static str| OAuthError::new(StatusCode::BAD_REQUEST, "invalid_client_metadata", d);
    if !is_json {
        return Err(invalid("the body must be application/json"));
    }
    serde_json::from_slice(body).map_err(|_| invalid("the body is not valid JSON"))
}

fn invalid_token() -> OAuthError {
    OAuthError::bearer(
        StatusCode::UNAUTHORIZED,
        Some("invalid_token"),
        "the access token is invalid",
    )
}
