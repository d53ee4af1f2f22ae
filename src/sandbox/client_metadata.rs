//! Client metadata sent to the registration endpoint (RFC 7591 §2), validated into a client,
//! and echoed back normalized (RFC 7591 §3.2.1).

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::client::{AuthMethod, GrantType, ResponseStyle, SandboxClient};
use super::client_key::ClientKey;
use super::mtls_auth;
use super::oauth_error::OAuthError;

/// The extension member that picks the token response shape.
pub(crate) const RESPONSE_STYLE: &str = "grantspec_response_style";

/// A validated registration: the client (without id or secret yet), its keys, and the
/// metadata as the server records it.
pub(crate) struct ClientMetadata {
    pub(crate) client: SandboxClient,
    pub(crate) keys: Vec<ClientKey>,
    pub(crate) echoed: Map<String, Value>,
}

fn invalid(description: impl Into<String>) -> OAuthError {
    OAuthError::new(
        StatusCode::BAD_REQUEST,
        "invalid_client_metadata",
        description.into(),
    )
}

fn invalid_redirect(description: impl Into<String>) -> OAuthError {
    OAuthError::new(
        StatusCode::BAD_REQUEST,
        "invalid_redirect_uri",
        description.into(),
    )
}

/// Validates `metadata`; `scopes` are those the sandbox can grant. With `allow_http` (a
/// deliberate defect), http redirect URIs on any host are accepted. The mutual-TLS methods
/// need `mtls`: a sandbox serving TLS.
pub(crate) fn validate(
    metadata: &Value,
    scopes: &[String],
    allow_http: bool,
    mtls: bool,
) -> Result<ClientMetadata, OAuthError> {
    let fields = metadata
        .as_object()
        .ok_or_else(|| invalid("the metadata must be a JSON object"))?;
    let auth_method = match fields.get("token_endpoint_auth_method") {
        None => AuthMethod::ClientSecretBasic,
        Some(v) => v
            .as_str()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| invalid("unsupported token_endpoint_auth_method"))?,
    };
    if auth_method.uses_certificate() && !mtls {
        return Err(invalid(format!(
            "{auth_method} needs the sandbox to serve TLS (grantspec serve --tls-cert)"
        )));
    }
    let grant_types = match fields.get("grant_types") {
        None => vec![GrantType::AuthorizationCode],
        Some(v) => strings(v, "grant_types")?
            .iter()
            .map(|g| {
                g.parse()
                    .map_err(|_| invalid(format!("unsupported grant type `{g}`")))
            })
            .collect::<Result<Vec<GrantType>, _>>()?,
    };
    let code_flow = grant_types.contains(&GrantType::AuthorizationCode);
    let response_types = match fields.get("response_types") {
        None if code_flow => vec!["code".to_owned()],
        None => Vec::new(),
        Some(v) => strings(v, "response_types")?,
    };
    if response_types.iter().any(|r| r != "code") {
        return Err(invalid("only the `code` response type is supported"));
    }
    let has_code = !response_types.is_empty();
    if code_flow != has_code {
        return Err(invalid(
            "grant_types and response_types disagree (RFC 7591 §2.1)",
        ));
    }
    if auth_method == AuthMethod::None && grant_types.contains(&GrantType::ClientCredentials) {
        return Err(invalid("a public client cannot use client_credentials"));
    }
    let redirect_uris = uris(fields.get("redirect_uris"), "redirect_uris", allow_http)?;
    if code_flow && redirect_uris.is_empty() {
        return Err(invalid_redirect(
            "the authorization code grant needs redirect_uris",
        ));
    }
    let post_logout_redirect_uris = uris(
        fields.get("post_logout_redirect_uris"),
        "post_logout_redirect_uris",
        allow_http,
    )?;
    let granted_scopes = match fields.get("scope") {
        None => scopes.to_vec(),
        Some(Value::String(s)) => s
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        Some(_) => return Err(invalid("scope must be a string")),
    };
    if let Some(unknown) = granted_scopes.iter().find(|s| !scopes.contains(s)) {
        return Err(invalid(format!("unknown scope `{unknown}`")));
    }
    let tls = mtls_auth::registered(fields, auth_method).map_err(invalid)?;
    let keys = keys(fields, auth_method)?;
    let response_style = match fields.get(RESPONSE_STYLE).and_then(Value::as_str) {
        None | Some("consumer") => ResponseStyle::Consumer,
        Some("certificate") => ResponseStyle::Certificate,
        Some(other) => return Err(invalid(format!("unknown {RESPONSE_STYLE} `{other}`"))),
    };
    let client_name = fields
        .get("client_name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();

    let mut echoed = Map::new();
    if !redirect_uris.is_empty() {
        echoed.insert("redirect_uris".into(), json!(redirect_uris));
    }
    echoed.insert(
        "token_endpoint_auth_method".into(),
        json!(auth_method.as_str()),
    );
    echoed.insert(
        "grant_types".into(),
        json!(grant_types.iter().map(|g| g.as_str()).collect::<Vec<_>>()),
    );
    if !response_types.is_empty() {
        echoed.insert("response_types".into(), json!(response_types));
    }
    echoed.insert("scope".into(), json!(granted_scopes.join(" ")));
    if !client_name.is_empty() {
        echoed.insert("client_name".into(), json!(client_name));
    }
    if let Some(jwks) = fields.get("jwks") {
        echoed.insert("jwks".into(), jwks.clone());
    }
    if !post_logout_redirect_uris.is_empty() {
        echoed.insert(
            "post_logout_redirect_uris".into(),
            json!(post_logout_redirect_uris),
        );
    }
    if let Some(style) = fields.get(RESPONSE_STYLE) {
        echoed.insert(RESPONSE_STYLE.into(), style.clone());
    }
    echoed.extend(tls.echoed);
    let client = SandboxClient {
        name: client_name,
        client_id: String::new(),
        client_secret: None,
        auth_method,
        grant_types,
        redirect_uris,
        post_logout_redirect_uris,
        scopes: granted_scopes,
        response_style,
        require_pkce: auth_method == AuthMethod::None,
        private_key_pem: None,
        key_id: None,
        tls_subject: tls.subject,
        tls_certificates: tls.certificates,
        access_token_lifetime: None,
    };
    Ok(ClientMetadata {
        client,
        keys,
        echoed,
    })
}

fn strings(value: &Value, name: &str) -> Result<Vec<String>, OAuthError> {
    value
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| invalid(format!("{name} must be an array of strings")))
}

/// Absolute URIs without fragment, https or loopback http (RFC 9700 §2.6; RFC 8252 §7.3).
fn uris(value: Option<&Value>, name: &str, allow_http: bool) -> Result<Vec<String>, OAuthError> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let uris = strings(value, name).map_err(|e| invalid_redirect(e.description))?;
    for uri in &uris {
        let parsed = url::Url::parse(uri)
            .map_err(|_| invalid_redirect(format!("`{uri}` is not an absolute URI")))?;
        if parsed.fragment().is_some() {
            return Err(invalid_redirect(format!("`{uri}` has a fragment")));
        }
        let loopback = matches!(parsed.host_str(), Some("127.0.0.1" | "[::1]" | "localhost"));
        match parsed.scheme() {
            "https" => {}
            "http" if loopback || allow_http => {}
            _ => {
                return Err(invalid_redirect(format!(
                    "`{uri}` must be https, or http on a loopback address"
                )));
            }
        }
    }
    Ok(uris)
}

/// The verification keys of `jwks` (inline only: `jwks_uri` is not fetched).
fn keys(
    fields: &Map<String, Value>,
    auth_method: AuthMethod,
) -> Result<Vec<ClientKey>, OAuthError> {
    if fields.contains_key("jwks_uri") {
        return Err(invalid(if fields.contains_key("jwks") {
            "jwks and jwks_uri must not both be present (RFC 7591 §2)"
        } else {
            "jwks_uri is not supported; send the keys inline as jwks"
        }));
    }
    let keys = match fields.get("jwks") {
        None => Vec::new(),
        Some(jwks) => jwks
            .get("keys")
            .and_then(Value::as_array)
            .ok_or_else(|| invalid("jwks must be a JWK Set with a keys array"))?
            .iter()
            .map(|jwk| ClientKey::from_jwk(jwk).map_err(|e| invalid(e.to_string())))
            .collect::<Result<Vec<_>, _>>()?,
    };
    if auth_method == AuthMethod::PrivateKeyJwt && keys.is_empty() {
        return Err(invalid("private_key_jwt needs jwks"));
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes() -> Vec<String> {
        vec!["openid".into(), "profile".into()]
    }

    #[test]
    fn defaults_make_a_basic_code_flow_client() {
        let m = validate(
            &json!({"redirect_uris": ["https://app.example/cb"]}),
            &scopes(),
            false,
            false,
        )
        .expect("valid");
        assert_eq!(m.client.auth_method, AuthMethod::ClientSecretBasic);
        assert_eq!(m.client.grant_types, [GrantType::AuthorizationCode]);
        assert_eq!(m.echoed["response_types"], json!(["code"]));
        assert_eq!(m.echoed["scope"], "openid profile");
    }

    #[test]
    fn bad_redirects_and_inconsistent_types_are_refused() {
        let code = |v: Value| validate(&v, &scopes(), false, false).err().map(|e| e.code);
        assert_eq!(
            code(json!({"redirect_uris": ["http://app.example/cb"]})),
            Some("invalid_redirect_uri")
        );
        assert_eq!(
            code(json!({"redirect_uris": ["https://a.example/cb#f"]})),
            Some("invalid_redirect_uri")
        );
        assert_eq!(
            code(json!({"redirect_uris": ["/cb"]})),
            Some("invalid_redirect_uri")
        );
        assert_eq!(
            code(json!({"grant_types": ["client_credentials"], "response_types": ["code"]})),
            Some("invalid_client_metadata")
        );
        assert_eq!(
            code(
                json!({"grant_types": ["client_credentials"], "scope": "admin", "response_types": []})
            ),
            Some("invalid_client_metadata")
        );
        assert_eq!(
            code(
                json!({"token_endpoint_auth_method": "private_key_jwt", "grant_types": ["client_credentials"], "response_types": []})
            ),
            Some("invalid_client_metadata")
        );
        assert_eq!(
            code(
                json!({"jwks": {"keys": []}, "jwks_uri": "https://a.example/jwks", "redirect_uris": ["https://a.example/cb"]})
            ),
            Some("invalid_client_metadata")
        );
        assert!(code(json!({"redirect_uris": ["http://127.0.0.1:8000/cb"]})).is_none());
    }
}
