use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair as _};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::support::{Harness, basic, expect_error, header, start};

async fn register(h: &Harness, metadata: &Value) -> reqwest::Response {
    h.http
        .post(h.url("/register"))
        .bearer_auth(h.sandbox.initial_access_token().expose())
        .json(metadata)
        .send()
        .await
        .expect("register")
}

async fn registered(h: &Harness, metadata: &Value) -> Value {
    let res = register(h, metadata).await;
    assert_eq!(res.status(), 201);
    res.json().await.expect("json")
}

fn machine_client() -> Value {
    json!({
        "client_name": "nightly",
        "grant_types": ["client_credentials"],
        "token_endpoint_auth_method": "client_secret_basic",
        "scope": "PersonneConsult",
    })
}

#[tokio::test]
async fn a_registered_client_gets_credentials_and_can_use_them() {
    let h = start().await;
    let res = register(&h, &machine_client()).await;
    assert_eq!(res.status(), 201);
    assert_eq!(header(res.headers(), "cache-control"), Some("no-store"));
    let location = header(res.headers(), "location")
        .expect("location")
        .to_owned();
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["registration_client_uri"], location.as_str());
    assert!(location.starts_with(&h.url("/register/")));
    let client_id = body["client_id"].as_str().expect("client_id");
    let secret = body["client_secret"].as_str().expect("secret");
    assert_eq!(body["client_secret_expires_at"], 0);
    assert!(body["client_id_issued_at"].as_u64().is_some());
    assert!(body["registration_access_token"].is_string());
    assert_eq!(body["grant_types"], json!(["client_credentials"]));
    assert_eq!(body["scope"], "PersonneConsult");
    assert_eq!(body["client_name"], "nightly");
    assert!(body.get("response_types").is_none());

    let res = h
        .token(
            Some(&basic(client_id, secret)),
            &[("grant_type", "client_credentials")],
        )
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn registration_needs_the_initial_access_token() {
    let h = start().await;
    let res = h
        .http
        .post(h.url("/register"))
        .json(&machine_client())
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 401);
    assert!(header(res.headers(), "www-authenticate").is_some_and(|c| c.starts_with("Bearer")));
    let res = h
        .http
        .post(h.url("/register"))
        .bearer_auth("iat-wrong")
        .json(&machine_client())
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 401);
    assert!(header(res.headers(), "www-authenticate").is_some_and(|c| c.contains("invalid_token")));
}

#[tokio::test]
async fn invalid_metadata_is_refused() {
    let h = start().await;
    let cases = [
        (
            json!({"redirect_uris": ["http://app.example/cb"]}),
            "invalid_redirect_uri",
        ),
        (
            json!({"redirect_uris": ["https://app.example/cb#x"]}),
            "invalid_redirect_uri",
        ),
        (
            json!({"grant_types": ["authorization_code"]}),
            "invalid_redirect_uri",
        ),
        (
            json!({"grant_types": ["password"]}),
            "invalid_client_metadata",
        ),
        (
            json!({"token_endpoint_auth_method": "tls_client_auth"}),
            "invalid_client_metadata",
        ),
        (
            json!({"grant_types": ["client_credentials"], "scope": "admin"}),
            "invalid_client_metadata",
        ),
        (
            json!({"grant_types": ["client_credentials"], "token_endpoint_auth_method": "private_key_jwt",
                   "jwks": {"keys": []}, "jwks_uri": "https://app.example/jwks"}),
            "invalid_client_metadata",
        ),
        (
            json!({"grant_types": ["client_credentials"], "response_types": ["code"]}),
            "invalid_client_metadata",
        ),
    ];
    for (metadata, error) in cases {
        expect_error(register(&h, &metadata).await, 400, error).await;
    }
    let res = h
        .http
        .post(h.url("/register"))
        .bearer_auth(h.sandbox.initial_access_token().expose())
        .form(&[("client_name", "x")])
        .send()
        .await
        .expect("send");
    expect_error(res, 400, "invalid_client_metadata").await;
}

#[tokio::test]
async fn the_client_is_read_updated_and_deleted_with_its_registration_token() {
    let h = start().await;
    let created = registered(&h, &machine_client()).await;
    let uri = created["registration_client_uri"].as_str().expect("uri");
    let rat = created["registration_access_token"].as_str().expect("rat");
    let client_id = created["client_id"].as_str().expect("id");
    let secret = created["client_secret"].as_str().expect("secret");

    let read: Value = h
        .http
        .get(uri)
        .bearer_auth(rat)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(read, created);
    let res = h
        .http
        .get(uri)
        .bearer_auth("rat-wrong")
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 401);
    assert!(header(res.headers(), "www-authenticate").is_some_and(|c| c.contains("invalid_token")));

    let mut update = machine_client();
    update["client_id"] = json!(client_id);
    update["scope"] = json!("UserConsult");
    let res = h
        .http
        .put(uri)
        .bearer_auth(rat)
        .json(&update)
        .send()
        .await
        .expect("put");
    assert_eq!(res.status(), 200);
    let updated: Value = res.json().await.expect("json");
    assert_eq!(updated["scope"], "UserConsult");
    assert_eq!(updated["client_secret"], secret);

    let mut with_rat = update.clone();
    with_rat["registration_access_token"] = json!(rat);
    let res = h
        .http
        .put(uri)
        .bearer_auth(rat)
        .json(&with_rat)
        .send()
        .await
        .expect("put");
    expect_error(res, 400, "invalid_request").await;
    let mut wrong_secret = update.clone();
    wrong_secret["client_secret"] = json!("not-it");
    let res = h
        .http
        .put(uri)
        .bearer_auth(rat)
        .json(&wrong_secret)
        .send()
        .await
        .expect("put");
    expect_error(res, 400, "invalid_request").await;
    let mut other_id = update.clone();
    other_id["client_id"] = json!("app-basic");
    let res = h
        .http
        .put(uri)
        .bearer_auth(rat)
        .json(&other_id)
        .send()
        .await
        .expect("put");
    expect_error(res, 400, "invalid_request").await;

    let res = h
        .http
        .delete(uri)
        .bearer_auth(rat)
        .send()
        .await
        .expect("delete");
    assert_eq!(res.status(), 204);
    let res = h
        .token(
            Some(&basic(client_id, secret)),
            &[("grant_type", "client_credentials")],
        )
        .await;
    expect_error(res, 401, "invalid_client").await;
    assert_eq!(
        h.http
            .get(uri)
            .bearer_auth(rat)
            .send()
            .await
            .expect("get")
            .status(),
        401
    );
}

#[tokio::test]
async fn a_registered_es256_key_authenticates_assertions() {
    let h = start().await;
    let rng = aws_lc_rs::rand::SystemRandom::new();
    let pkcs8 =
        EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).expect("keygen");
    let pair =
        EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref()).expect("pair");
    let point = pair.public_key().as_ref();
    let jwk = json!({
        "kty": "EC", "crv": "P-256", "kid": "ec-1",
        "x": URL_SAFE_NO_PAD.encode(&point[1..33]),
        "y": URL_SAFE_NO_PAD.encode(&point[33..65]),
    });
    let created = registered(
        &h,
        &json!({
            "grant_types": ["client_credentials"],
            "token_endpoint_auth_method": "private_key_jwt",
            "jwks": {"keys": [jwk]},
            "scope": "ENT_ContratServicesConsult",
            "grantspec_response_style": "certificate",
        }),
    )
    .await;
    assert!(created.get("client_secret").is_none());
    let client_id = created["client_id"].as_str().expect("id");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let claims = json!({
        "iss": client_id, "sub": client_id, "aud": h.sandbox.issuer(),
        "iat": now, "exp": now + 60, "jti": "es-1",
    });
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some("ec-1".into());
    let assertion =
        jsonwebtoken::encode(&header, &claims, &EncodingKey::from_ec_der(pkcs8.as_ref()))
            .expect("sign");
    let res = h
        .token(
            None,
            &[
                ("grant_type", "client_credentials"),
                (
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ),
                ("client_assertion", assertion.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["expires_in"], 300);
    assert_eq!(body["scope"], "ENT_ContratServicesConsult");
}

pub async fn registration_open_case() {
    let h = crate::support::start_with_defect(grantspec::sandbox::Defect::RegistrationOpen).await;
    let res = h
        .http
        .post(h.url("/register"))
        .json(&machine_client())
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 201);
}
