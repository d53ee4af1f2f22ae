//! Mutual TLS at the sandbox over HTTPS (RFC 8705): the aliases it advertises, tokens bound to
//! the certificate presented (§3) and checked at UserInfo, and what registration requires of
//! mutual-TLS clients. Real handshakes on loopback, certificates made by openssl.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use grantspec::sandbox::{Sandbox, SandboxConfig, SandboxTls};
use grantspec::secret::Secret;
use serde_json::{Value, json};

use crate::pki::{APP_SUBJECT, Pki, pki_or_skip};
use crate::support::{Harness, VERIFIER, expect_error, loopback, start};

/// The sandbox over HTTPS with the test PKI, and an HTTP client trusting its CA.
async fn start_tls(pki: &Pki) -> Harness {
    let config = SandboxConfig {
        tls: Some(SandboxTls {
            cert_pem: pki.read("server.pem"),
            key_pem: Secret::new(pki.read("server.key")),
            client_ca_pem: Some(pki.read("ca.pem")),
        }),
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(config, loopback())
        .await
        .expect("sandbox starts");
    let http = trusting(pki).build().expect("client");
    Harness { sandbox, http }
}

fn trusting(pki: &Pki) -> reqwest::ClientBuilder {
    let ca = reqwest::Certificate::from_pem(pki.read("ca.pem").as_bytes()).expect("CA");
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .tls_certs_merge([ca])
}

/// A client presenting `name`.pem with its key.
fn presenting(pki: &Pki, name: &str, key: &str) -> reqwest::Client {
    let pem = format!("{}\n{}", pki.read(key), pki.read(&format!("{name}.pem")));
    let identity = reqwest::Identity::from_pem(pem.as_bytes()).expect("identity");
    trusting(pki).identity(identity).build().expect("client")
}

fn thumbprint(pem: &str) -> String {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = STANDARD.decode(body).expect("PEM body");
    URL_SAFE_NO_PAD.encode(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &der))
}

async fn register(h: &Harness, metadata: &Value) -> reqwest::Response {
    h.http
        .post(h.url("/register"))
        .bearer_auth(h.sandbox.initial_access_token().expose())
        .json(metadata)
        .send()
        .await
        .expect("register")
}

#[tokio::test]
async fn the_mtls_aliases_and_methods_are_advertised_only_over_tls() {
    let plain = start().await;
    let doc = plain.discovery().await;
    assert!(doc.get("mtls_endpoint_aliases").is_none(), "{doc}");
    assert!(
        !doc["token_endpoint_auth_methods_supported"]
            .to_string()
            .contains("tls_client_auth")
    );

    let dir = tempfile::tempdir().expect("dir");
    let Some(pki) = pki_or_skip(dir.path()) else {
        return;
    };
    let h = start_tls(&pki).await;
    assert!(h.sandbox.issuer().starts_with("https://127.0.0.1:"));
    let doc = h.discovery().await;
    assert_eq!(
        doc["mtls_endpoint_aliases"]["token_endpoint"],
        h.url("/mtls/token")
    );
    assert_eq!(
        doc["mtls_endpoint_aliases"]["userinfo_endpoint"],
        h.url("/mtls/userinfo")
    );
    assert_eq!(doc["tls_client_certificate_bound_access_tokens"], true);
    let methods = doc["token_endpoint_auth_methods_supported"].to_string();
    assert!(
        methods.contains("\"tls_client_auth\"") && methods.contains("self_signed_tls_client_auth")
    );
}

#[tokio::test]
async fn a_token_issued_over_mutual_tls_is_bound_to_the_certificate_at_userinfo() {
    let dir = tempfile::tempdir().expect("dir");
    let Some(pki) = pki_or_skip(dir.path()) else {
        return;
    };
    let h = start_tls(&pki).await;
    // A confidential client with Basic that also presents a certificate (RFC 8705 §3).
    let code = h.web_app_code().await;
    let app = presenting(&pki, "app", "app.key");
    let redirect_uri = h.client("web_app").redirect_uris[0].clone();
    let res = app
        .post(h.url("/mtls/token"))
        .header("authorization", h.basic("web_app"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", redirect_uri.as_str()),
            ("code_verifier", VERIFIER),
        ])
        .send()
        .await
        .expect("token");
    assert_eq!(res.status(), 200);
    let tokens: Value = res.json().await.expect("json");
    let access = tokens["access_token"].as_str().expect("access token");

    let userinfo =
        |client: &reqwest::Client, path: &str| client.get(h.url(path)).bearer_auth(access).send();
    let res = userinfo(&h.http, "/userinfo").await.expect("userinfo");
    assert_eq!(res.status(), 401, "no certificate at the plain endpoint");
    assert!(
        res.headers()["www-authenticate"]
            .to_str()
            .expect("ascii")
            .contains("invalid_token")
    );
    let intruder = presenting(&pki, "intruder", "intruder.key");
    let res = userinfo(&intruder, "/mtls/userinfo")
        .await
        .expect("userinfo");
    assert_eq!(res.status(), 401, "another certificate");
    let res = userinfo(&app, "/mtls/userinfo").await.expect("userinfo");
    assert_eq!(res.status(), 200, "the certificate the token is bound to");
    let claims: Value = res.json().await.expect("json");
    assert!(claims["sub"].is_string());

    let res = app
        .post(h.url("/mtls/introspect"))
        .header("authorization", h.basic("web_app"))
        .form(&[("token", access)])
        .send()
        .await
        .expect("introspect");
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["cnf"]["x5t#S256"], thumbprint(&pki.read("app.pem")));
}

#[tokio::test]
async fn registration_takes_one_subject_for_tls_client_auth_and_x5c_for_self_signed() {
    let dir = tempfile::tempdir().expect("dir");
    let Some(pki) = pki_or_skip(dir.path()) else {
        return;
    };
    let plain = start().await;
    let by_subject = json!({
        "grant_types": ["client_credentials"],
        "token_endpoint_auth_method": "tls_client_auth",
        "tls_client_auth_subject_dn": APP_SUBJECT,
        "scope": "ENT_ContratServicesConsult",
        "grantspec_response_style": "certificate",
    });
    let body = expect_error(
        register(&plain, &by_subject).await,
        400,
        "invalid_client_metadata",
    )
    .await;
    assert!(
        body["error_description"].to_string().contains("serve TLS"),
        "{body}"
    );

    let h = start_tls(&pki).await;
    let mut two = by_subject.clone();
    two["tls_client_auth_san_dns"] = json!("mtls-app.example");
    expect_error(register(&h, &two).await, 400, "invalid_client_metadata").await;
    let self_signed = json!({
        "grant_types": ["client_credentials"],
        "token_endpoint_auth_method": "self_signed_tls_client_auth",
        "scope": "PersonneConsult",
    });
    expect_error(
        register(&h, &self_signed).await,
        400,
        "invalid_client_metadata",
    )
    .await;

    let res = register(&h, &by_subject).await;
    assert_eq!(res.status(), 201);
    let registered: Value = res.json().await.expect("json");
    assert_eq!(registered["tls_client_auth_subject_dn"], APP_SUBJECT);
    let client_id = registered["client_id"].as_str().expect("client_id");
    // A JWT access token issued over mutual TLS carries the certificate's thumbprint (§3.1).
    let res = presenting(&pki, "app", "app.key")
        .post(h.url("/mtls/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
        ])
        .send()
        .await
        .expect("token");
    assert_eq!(res.status(), 200);
    let tokens: Value = res.json().await.expect("json");
    let claims = h
        .verify_jwt(tokens["access_token"].as_str().expect("JWT"))
        .await;
    assert_eq!(claims["cnf"]["x5t#S256"], thumbprint(&pki.read("app.pem")));
}
