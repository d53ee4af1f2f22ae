//! The OAuth-native steps as written. Each builds a standards-correct request by default;
//! every field overrides one part of it (for negative tests).

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;
use serde_saphyr::Spanned;

use super::{OrderedMap, StringOrList};

/// Extra request parameters; a list repeats one.
pub type RawParams = OrderedMap<Spanned<String>, Spanned<StringOrList>>;

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDiscovery {
    /// Default: `{issuer}/.well-known/openid-configuration`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub url: Option<Spanned<String>>,
    /// `endpoints`: also send a bare request, without credentials, to every endpoint the
    /// document advertises, and judge whether each is reachable (rule B-09). Each URL is
    /// probed at most once per run.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub probe: Option<Spanned<String>>,
}

/// A request over plain http, with canary values only, to the plain-http side of an https
/// endpoint: the server must refuse it, or redirect to https without the request's
/// parameters in the `Location` (rule A-01). Needs an https issuer (`requires: [https]`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPlainHttp {
    /// `token`, `introspection` or `revocation`.
    #[schemars(with = "String")]
    pub endpoint: Spanned<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawJwks {
    /// Default: the `jwks_uri` of the discovery document.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub url: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAuthorize {
    #[schemars(with = "String")]
    pub client: Spanned<String>,
    /// The test user who logs in; without one, the flow stops at the first page that is not a
    /// redirect (use it for `prompt=none` and error cases).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub user: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub scope: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub response_type: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub redirect_uri: Option<Spanned<String>>,
    /// A value, or `false` to send none. Default: a fresh random value.
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub state: Option<Spanned<Value>>,
    /// A value, or `false` to send none. Default: a fresh random value when `openid` is asked.
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub nonce: Option<Spanned<Value>>,
    /// `S256` (default), `plain` or `none`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub pkce: Option<Spanned<String>>,
    /// The `code_challenge_method` sent, or `false` to send none (RFC 7636 §4.3: the server
    /// then takes `plain`). Default: the `pkce` method.
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub code_challenge_method: Option<Spanned<Value>>,
    /// The PKCE verifier the challenge is made from, for malformed verifiers (RFC 7636 §4.1).
    /// Default: 43 fresh random characters.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub code_verifier: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub prompt: Option<Spanned<String>>,
    /// Extra query parameters (a list repeats one).
    #[serde(default)]
    pub params: RawParams,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawToken {
    #[schemars(with = "String")]
    pub grant_type: Spanned<String>,
    /// Default: the client of the last `authorize` (authorization_code) or of the last token.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub client: Option<Spanned<String>>,
    /// Overrides the client's method: `client_secret_basic`, `client_secret_post`,
    /// `private_key_jwt`, `tls_client_auth`, `self_signed_tls_client_auth`, `none`, or
    /// `basic_and_post` / `basic_and_assertion` (two methods at once, to be rejected).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub auth: Option<Spanned<String>>,
    /// Default: the code of the last `authorize`. `false` sends none.
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub code: Option<Spanned<Value>>,
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub redirect_uri: Option<Spanned<Value>>,
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub code_verifier: Option<Spanned<Value>>,
    /// Default: the refresh token of the last token response.
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub refresh_token: Option<Spanned<Value>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub scope: Option<Spanned<String>>,
    /// Extra form parameters (a list repeats one).
    #[serde(default)]
    pub params: RawParams,
    /// Parameters sent in the query string instead of the body (documented deviation F1).
    #[serde(default)]
    pub query: RawParams,
    #[serde(default)]
    #[schemars(with = "Option<RawAssertion>")]
    pub assertion: Option<Spanned<RawAssertion>>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAssertion {
    /// Header members to set (`null` removes one), e.g. `{ kid: apim-provisioner, use: sig }`.
    #[serde(default)]
    pub header: OrderedMap<String, Value>,
    #[serde(default)]
    pub claims: OrderedMap<String, Value>,
    /// `issuer` (default: RFC 10070 makes it the sole audience), `token_endpoint`, or a URL.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub audience: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub alg: Option<Spanned<String>>,
    /// One thing wrong at a time: wrong_aud, wrong_iss, wrong_sub, expired, future_iat,
    /// rfc3339_timestamps, missing_jti, missing_exp, bad_signature, alg_none, long_lifetime,
    /// aud_array, future_nbf, client_id_mismatch, two_jwts.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub mutate: Vec<Spanned<String>>,
    /// Send the assertion of an earlier step again (replay).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub reuse_from: Option<Spanned<String>>,
    /// `client_assertion_type` to send instead of the RFC 7523 one.
    #[serde(default)]
    pub assertion_type: Option<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawUserinfo {
    /// Default: the access token of the last token response. `false` sends none.
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub token: Option<Spanned<Value>>,
    /// `GET` (default) or `POST`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub method: Option<Spanned<String>>,
    /// `header` (default), `body` (RFC 6750 §2.2, POST only) or `query` (§2.3, discouraged).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub token_in: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTokenOperation {
    /// Default: the access token of the last token response.
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub token: Option<Spanned<Value>>,
    #[serde(default)]
    pub token_type_hint: Option<String>,
    /// Default: the client of the last token response.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub client: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub auth: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEndSession {
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub client: Option<Spanned<String>>,
    /// Default: the ID token of the last token response.
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub id_token_hint: Option<Spanned<Value>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub post_logout_redirect_uri: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub state: Option<Spanned<Value>>,
}

/// Rules switched off or re-graded for a scenario or a step.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRules {
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub disable: Vec<Spanned<String>>,
    /// Rule ID → `must`, `should` or `info`.
    #[serde(default)]
    pub grade: OrderedMap<Spanned<String>, Spanned<String>>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRegister {
    /// The client metadata (RFC 7591 §2); string leaves are templates.
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub metadata: Option<Spanned<Value>>,
    /// `false` sends no initial access token. Default: the target's, if it has one.
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub initial_access_token: Option<Spanned<Value>>,
}
