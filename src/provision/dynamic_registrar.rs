//! The RFC 7591/7592 registrar: POST to the registration endpoint with an initial access
//! token, then GET/PUT/DELETE on the registration client URI with the registration access token.

use reqwest::StatusCode;
use serde_json::{Map, Value};

use super::registrar::{Handle, Registered, Registrar, RegistrarError};
use crate::secret::Secret;

/// Fields of a client information response that are not metadata (RFC 7591 §3.2.1, RFC 7592 §3).
const NOT_METADATA: &[&str] = &[
    "client_id",
    "client_secret",
    "client_id_issued_at",
    "client_secret_expires_at",
    "registration_access_token",
    "registration_client_uri",
];

pub struct DynamicRegistrar {
    http: reqwest::Client,
    endpoint: String,
    initial_access_token: Option<Secret>,
}

impl DynamicRegistrar {
    pub fn new(
        http: reqwest::Client,
        endpoint: String,
        initial_access_token: Option<Secret>,
    ) -> Self {
        Self {
            http,
            endpoint,
            initial_access_token,
        }
    }

    /// Finds `registration_endpoint` in the issuer's discovery document.
    pub async fn discover(http: &reqwest::Client, issuer: &str) -> Result<String, RegistrarError> {
        let url = format!("{issuer}/.well-known/openid-configuration");
        let response = http
            .get(&url)
            .send()
            .await
            .map_err(|e| transport("GET", &url, &e))?;
        let doc: Value = response
            .json()
            .await
            .map_err(|e| RegistrarError::Malformed {
                operation: "GET",
                url: url.clone(),
                message: e.to_string(),
            })?;
        doc.get("registration_endpoint")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| {
                RegistrarError::Unsupported(format!(
                    "{url} advertises no registration_endpoint; set `registration.endpoint` in \
                     the environment or use `provisioning: external`"
                ))
            })
    }
}

fn transport(operation: &'static str, url: &str, e: &reqwest::Error) -> RegistrarError {
    RegistrarError::Transport {
        operation,
        url: url.into(),
        message: e.to_string(),
    }
}

async fn parse(
    operation: &'static str,
    url: &str,
    response: reqwest::Response,
) -> Result<Registered, RegistrarError> {
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| transport(operation, url, &e))?;
    if !status.is_success() {
        return Err(RegistrarError::Refused {
            operation,
            url: url.into(),
            status: status.as_u16(),
            body: text.chars().take(300).collect(),
        });
    }
    let malformed = |message: String| RegistrarError::Malformed {
        operation,
        url: url.into(),
        message,
    };
    let Value::Object(mut body) =
        serde_json::from_str(&text).map_err(|e| malformed(e.to_string()))?
    else {
        return Err(malformed("not a JSON object".into()));
    };
    let mut take = |k: &str| match body.remove(k) {
        Some(Value::String(s)) => Some(s),
        _ => None,
    };
    let client_id = take("client_id").ok_or_else(|| malformed("no client_id".into()))?;
    let client_secret = take("client_secret").map(Secret::new);
    let registration_access_token = take("registration_access_token").map(Secret::new);
    let registration_client_uri = take("registration_client_uri");
    for k in NOT_METADATA {
        body.remove(*k);
    }
    Ok(Registered {
        client_id,
        client_secret,
        registration_access_token,
        registration_client_uri,
        metadata: body,
    })
}

impl Registrar for DynamicRegistrar {
    async fn create(&self, metadata: &Map<String, Value>) -> Result<Registered, RegistrarError> {
        let mut request = self.http.post(&self.endpoint).json(metadata);
        if let Some(token) = &self.initial_access_token {
            request = request.bearer_auth(token.expose());
        }
        let response = request
            .send()
            .await
            .map_err(|e| transport("POST", &self.endpoint, &e))?;
        parse("POST", &self.endpoint, response).await
    }

    async fn read(&self, handle: &Handle) -> Result<Option<Registered>, RegistrarError> {
        let url = &handle.registration_client_uri;
        let response = self
            .http
            .get(url)
            .bearer_auth(handle.registration_access_token.expose())
            .send()
            .await
            .map_err(|e| transport("GET", url, &e))?;
        // RFC 7592 §2.1: an unknown client is answered 401 (some servers say 404 or 403).
        if matches!(
            response.status(),
            StatusCode::UNAUTHORIZED | StatusCode::NOT_FOUND | StatusCode::FORBIDDEN
        ) {
            return Ok(None);
        }
        parse("GET", url, response).await.map(Some)
    }

    async fn update(
        &self,
        handle: &Handle,
        metadata: &Map<String, Value>,
    ) -> Result<Registered, RegistrarError> {
        let url = &handle.registration_client_uri;
        // RFC 7592 §2.2: the request carries every field, including client_id and the secret.
        let mut body = metadata.clone();
        body.insert("client_id".into(), Value::String(handle.client_id.clone()));
        if let Some(secret) = &handle.client_secret {
            body.insert(
                "client_secret".into(),
                Value::String(secret.expose().to_string()),
            );
        }
        let response = self
            .http
            .put(url)
            .bearer_auth(handle.registration_access_token.expose())
            .json(&body)
            .send()
            .await
            .map_err(|e| transport("PUT", url, &e))?;
        parse("PUT", url, response).await
    }

    async fn delete(&self, handle: &Handle) -> Result<(), RegistrarError> {
        let url = &handle.registration_client_uri;
        let response = self
            .http
            .delete(url)
            .bearer_auth(handle.registration_access_token.expose())
            .send()
            .await
            .map_err(|e| transport("DELETE", url, &e))?;
        let status = response.status();
        if status.is_success()
            || matches!(
                status,
                StatusCode::UNAUTHORIZED | StatusCode::NOT_FOUND | StatusCode::GONE
            )
        {
            return Ok(());
        }
        let body = response.text().await.unwrap_or_default();
        Err(RegistrarError::Refused {
            operation: "DELETE",
            url: url.clone(),
            status: status.as_u16(),
            body: body.chars().take(300).collect(),
        })
    }
}
