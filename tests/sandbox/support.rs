//! A started sandbox plus an HTTP client that never follows redirects.

use std::net::SocketAddr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use grantspec::sandbox::{Defect, Sandbox, SandboxClient, SandboxConfig};
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::Value;

pub struct Harness {
    pub sandbox: Sandbox,
    pub http: reqwest::Client,
}

pub fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

pub async fn start() -> Harness {
    start_with(SandboxConfig::default()).await
}

pub async fn start_with_defect(defect: Defect) -> Harness {
    start_with(SandboxConfig {
        defects: vec![defect],
        ..SandboxConfig::default()
    })
    .await
}

pub async fn start_with(config: SandboxConfig) -> Harness {
    let sandbox = Sandbox::start(config, loopback())
        .await
        .expect("sandbox starts");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    Harness { sandbox, http }
}

impl Harness {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.issuer())
    }

    pub fn client(&self, name: &str) -> &SandboxClient {
        self.sandbox.client(name).expect("built-in client")
    }

    pub fn secret(&self, name: &str) -> String {
        self.client(name)
            .client_secret
            .as_ref()
            .expect("secret")
            .expose()
            .to_owned()
    }

    /// `Authorization: Basic` for a built-in client, encoded per RFC 6749 §2.3.1.
    pub fn basic(&self, name: &str) -> String {
        basic(&self.client(name).client_id, &self.secret(name))
    }

    /// POSTs a form to `path`, with `authorization` as the Authorization header.
    pub async fn post_form(
        &self,
        path: &str,
        authorization: Option<&str>,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = self.http.post(self.url(path)).form(form);
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        request
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    /// POSTs a form to the token endpoint, with `authorization` as the Authorization header.
    pub async fn token(
        &self,
        authorization: Option<&str>,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        self.post_form("/token", authorization, form).await
    }

    /// A client_credentials request of `name` with Basic, sent as a GET with the grant type in
    /// the query (RFC 6749 §3.2 requires POST).
    pub async fn token_by_get(&self, name: &str) -> reqwest::Response {
        self.http
            .get(self.url("/token?grant_type=client_credentials"))
            .header("authorization", self.basic(name))
            .send()
            .await
            .expect("send")
    }

    /// The JSON body of a GET of `url`.
    pub async fn get_json(&self, url: &str) -> Value {
        self.http
            .get(url)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {url}: {e}"))
            .json()
            .await
            .expect("json")
    }

    /// The discovery document.
    pub async fn discovery(&self) -> Value {
        self.get_json(&self.url("/.well-known/openid-configuration"))
            .await
    }

    /// POSTs a form to the token endpoint with Basic credentials of `name`.
    pub async fn token_basic(&self, name: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.token(Some(&self.basic(name)), form).await
    }

    /// A client_credentials token of `app_basic`.
    pub async fn app_token(&self) -> String {
        let res = self
            .token_basic("app_basic", &[("grant_type", "client_credentials")])
            .await;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.expect("json");
        body["access_token"].as_str().expect("token").to_owned()
    }
}

pub fn basic(id: &str, secret: &str) -> String {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", enc(id), enc(secret)))
    )
}

pub fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v: &HeaderValue| v.to_str().ok())
}

/// Asserts an RFC 6749 §5.2 error and returns its body.
pub async fn expect_error(res: reqwest::Response, status: u16, error: &str) -> Value {
    assert_eq!(res.status(), status, "status");
    assert!(
        header(res.headers(), "content-type").is_some_and(|c| c.starts_with("application/json")),
        "JSON error"
    );
    let body: Value = res.json().await.expect("json error body");
    assert_eq!(body["error"], error, "{body}");
    body
}

/// RFC 7636 Appendix B: a verifier and its S256 challenge.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// The value of query parameter `name` in a redirect location.
pub fn query_param(location: &str, name: &str) -> Option<String> {
    url::Url::parse(location)
        .ok()?
        .query_pairs()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.into_owned())
}

pub fn location(res: &reqwest::Response) -> String {
    header(res.headers(), "location")
        .expect("Location")
        .to_owned()
}

/// The `request_id` hidden field of the login form.
pub fn request_id(html: &str) -> String {
    let marker = "name=\"request_id\" value=\"";
    let start = html.find(marker).expect("login form") + marker.len();
    let end = html[start..].find('"').expect("end of value") + start;
    html[start..end].to_owned()
}

impl Harness {
    pub fn password(&self) -> String {
        self.sandbox.users()[0].password.expose().to_owned()
    }

    pub async fn authorize(
        &self,
        params: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> reqwest::Response {
        let mut req = self.http.get(self.url("/authorize")).query(params);
        if let Some(cookie) = cookie {
            req = req.header("cookie", cookie);
        }
        req.send().await.expect("authorize")
    }

    /// Posts the login form of an authorization request.
    pub async fn submit_login(
        &self,
        request_id: &str,
        username: &str,
        password: &str,
    ) -> reqwest::Response {
        self.http
            .post(self.url("/login"))
            .form(&[
                ("request_id", request_id),
                ("username", username),
                ("password", password),
            ])
            .send()
            .await
            .expect("login")
    }

    /// Runs the authorization request with `params` through the login form as the built-in
    /// user; returns the final redirect response.
    pub async fn log_in(&self, params: &[(&str, &str)]) -> reqwest::Response {
        let form = self.authorize(params, None).await;
        assert_eq!(form.status(), 200, "login form");
        let id = request_id(&form.text().await.expect("html"));
        self.submit_login(&id, "topsi", &self.password()).await
    }

    /// The standard web_app request parameters with a state, a nonce and an S256 challenge.
    pub fn web_app_params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("response_type", "code".into()),
            ("client_id", "web-app".into()),
            (
                "redirect_uri",
                self.client("web_app").redirect_uris[0].clone(),
            ),
            ("scope", "openid profile roles identifiers".into()),
            ("state", "st-123".into()),
            ("nonce", "n-456".into()),
            ("code_challenge", CHALLENGE.into()),
            ("code_challenge_method", "S256".into()),
        ]
    }

    /// A code for web_app (with the standard parameters).
    pub async fn web_app_code(&self) -> String {
        let params = self.web_app_params();
        let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = self.log_in(&params).await;
        assert_eq!(res.status(), 303);
        query_param(&location(&res), "code").expect("code")
    }

    /// Exchanges a web_app code with Basic, the redirect URI and the verifier.
    pub async fn exchange_web_app(&self, code: &str) -> reqwest::Response {
        self.exchange_web_app_with(code, VERIFIER).await
    }

    /// Exchanges a web_app code with Basic, the redirect URI and `verifier`.
    pub async fn exchange_web_app_with(&self, code: &str, verifier: &str) -> reqwest::Response {
        let redirect_uri = self.client("web_app").redirect_uris[0].clone();
        self.token_basic(
            "web_app",
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", redirect_uri.as_str()),
                ("code_verifier", verifier),
            ],
        )
        .await
    }

    /// A web_app token response body after a full login.
    pub async fn web_app_tokens(&self) -> Value {
        let code = self.web_app_code().await;
        let res = self.exchange_web_app(&code).await;
        assert_eq!(res.status(), 200);
        res.json().await.expect("json")
    }

    /// Verifies a JWT signed by the sandbox, with the key set discovery points at, and returns
    /// its claims (audience not checked).
    pub async fn verify_jwt(&self, token: &str) -> Value {
        let metadata = self.discovery().await;
        let jwks = self
            .get_json(metadata["jwks_uri"].as_str().expect("jwks_uri"))
            .await;
        let jwks: jsonwebtoken::jwk::JwkSet = serde_json::from_value(jwks).expect("jwk set");
        let kid = jsonwebtoken::decode_header(token)
            .expect("header")
            .kid
            .expect("kid");
        let key = jsonwebtoken::DecodingKey::from_jwk(jwks.find(&kid).expect("kid in jwks"))
            .expect("key");
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
        validation.validate_aud = false;
        jsonwebtoken::decode::<Value>(token, &key, &validation)
            .expect("valid signature")
            .claims
    }
}

/// Borrowed pairs for reqwest's `query`/`form`.
pub fn pairs<'a>(params: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    params.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// `params` without `name`.
pub fn without(params: &[(&'static str, String)], name: &str) -> Vec<(&'static str, String)> {
    params.iter().filter(|(k, _)| *k != name).cloned().collect()
}

/// `params` with `name` set to `value`.
pub fn with(
    params: &[(&'static str, String)],
    name: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    let mut out = without(params, name);
    out.push((name, value.to_owned()));
    out
}
