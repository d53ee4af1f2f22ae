//! Defects of introspection, revocation, UserInfo and the protected resource (checklist groups
//! K, L, J, G): each, next to what the sandbox answers without it.

use grantspec::sandbox::Defect;
use serde_json::Value;

use crate::support::{
    Harness, header, location, pairs, query_param, start, start_with_defect, with,
};

const RESOURCE: &str = "/ap/trial/v1/customer-management/email-addresses/check";

/// POSTs `form` to `path` under the issuer with `authorization`.
async fn post(
    h: &Harness,
    path: &str,
    authorization: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    h.http
        .post(h.url(path))
        .header("authorization", authorization)
        .form(form)
        .send()
        .await
        .expect("request")
}

/// A web_app access token granted `scope`.
async fn web_token(h: &Harness, scope: &str) -> String {
    let params = with(&h.web_app_params(), "scope", scope);
    let res = h.log_in(&pairs(&params)).await;
    let code = query_param(&location(&res), "code").expect("code");
    let res = h.exchange_web_app(&code).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.expect("json");
    body["access_token"].as_str().expect("token").to_owned()
}

async fn userinfo(h: &Harness, token: &str) -> reqwest::Response {
    h.http
        .post(h.url("/userinfo"))
        .bearer_auth(token)
        .send()
        .await
        .expect("userinfo")
}

#[tokio::test]
async fn introspection_client_error_400_answers_a_wrong_secret_with_400() {
    for (h, status) in [
        (start().await, 401),
        (
            start_with_defect(Defect::IntrospectionClientError400).await,
            400,
        ),
    ] {
        let wrong = crate::support::basic(&h.client("app_basic").client_id, "wrong");
        let res = post(&h, "/introspect", &wrong, &[("token", "at-x")]).await;
        assert_eq!(res.status(), status);
    }
}

#[tokio::test]
async fn introspection_trusts_hint_misses_a_token_under_the_wrong_hint() {
    for (h, active) in [
        (start().await, true),
        (
            start_with_defect(Defect::IntrospectionTrustsHint).await,
            false,
        ),
    ] {
        let token = h.app_token().await;
        let form = [
            ("token", token.as_str()),
            ("token_type_hint", "refresh_token"),
        ];
        let res = post(&h, "/introspect", &h.basic("app_basic"), &form).await;
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["active"], active);
    }
}

#[tokio::test]
async fn revoked_token_revocation_refused_refuses_revoked_and_malformed_tokens() {
    for (h, status) in [
        (start().await, 200),
        (
            start_with_defect(Defect::RevokedTokenRevocationRefused).await,
            400,
        ),
    ] {
        let token = h.app_token().await;
        let basic = h.basic("app_basic");
        assert_eq!(
            post(&h, "/revoke", &basic, &[("token", &token)])
                .await
                .status(),
            200
        );
        assert_eq!(
            post(&h, "/revoke", &basic, &[("token", &token)])
                .await
                .status(),
            status
        );
        let malformed = post(&h, "/revoke", &basic, &[("token", "not a token %%")]).await;
        assert_eq!(malformed.status(), status);
        let unknown = post(&h, "/revoke", &basic, &[("token", "at-unknown")]).await;
        assert_eq!(
            unknown.status(),
            200,
            "an unknown token is not this defect's"
        );
    }
}

#[tokio::test]
async fn missing_token_revocation_200_accepts_a_request_without_token() {
    for (h, status) in [
        (start().await, 400),
        (
            start_with_defect(Defect::MissingTokenRevocation200).await,
            200,
        ),
    ] {
        let res = post(&h, "/revoke", &h.basic("app_basic"), &[]).await;
        assert_eq!(res.status(), status);
    }
}

#[tokio::test]
async fn unknown_hint_refused_answers_unsupported_token_type() {
    for (h, status) in [
        (start().await, 200),
        (start_with_defect(Defect::UnknownHintRefused).await, 400),
    ] {
        let token = h.app_token().await;
        let form = [
            ("token", token.as_str()),
            ("token_type_hint", "urn:x:no-such-hint"),
        ];
        let res = post(&h, "/revoke", &h.basic("app_basic"), &form).await;
        assert_eq!(res.status(), status);
    }
}

#[tokio::test]
async fn revocation_secret_unchecked_revokes_with_a_wrong_secret() {
    for (h, status) in [
        (start().await, 401),
        (
            start_with_defect(Defect::RevocationSecretUnchecked).await,
            200,
        ),
    ] {
        let token = h.app_token().await;
        let wrong = crate::support::basic(&h.client("app_basic").client_id, "wrong");
        let res = post(&h, "/revoke", &wrong, &[("token", &token)]).await;
        assert_eq!(res.status(), status);
    }
}

#[tokio::test]
async fn refresh_revocation_unsupported_refuses_refresh_tokens_only() {
    for (h, status) in [
        (start().await, 200),
        (
            start_with_defect(Defect::RefreshRevocationUnsupported).await,
            400,
        ),
    ] {
        let body = h.web_app_tokens().await;
        let basic = h.basic("web_app");
        let refresh = body["refresh_token"].as_str().expect("refresh token");
        assert_eq!(
            post(&h, "/revoke", &basic, &[("token", refresh)])
                .await
                .status(),
            status
        );
        let access = body["access_token"].as_str().expect("access token");
        assert_eq!(
            post(&h, "/revoke", &basic, &[("token", access)])
                .await
                .status(),
            200
        );
    }
}

#[tokio::test]
async fn two_token_methods_accepted_takes_the_header_token() {
    for (h, status) in [
        (start().await, 400),
        (
            start_with_defect(Defect::TwoTokenMethodsAccepted).await,
            200,
        ),
    ] {
        let token = web_token(&h, "openid profile").await;
        let res = post(
            &h,
            "/userinfo",
            &format!("Bearer {token}"),
            &[("access_token", &token)],
        )
        .await;
        assert_eq!(res.status(), status);
    }
}

#[tokio::test]
async fn userinfo_ignores_scopes_releases_names_without_profile() {
    for (h, released) in [
        (start().await, false),
        (start_with_defect(Defect::UserinfoIgnoresScopes).await, true),
    ] {
        let token = web_token(&h, "openid roles").await;
        let body: Value = userinfo(&h, &token).await.json().await.expect("json");
        assert_eq!(body.get("name").is_some(), released, "{body}");
    }
}

#[tokio::test]
async fn userinfo_without_openid_answers_a_token_without_openid() {
    for (h, status) in [
        (start().await, 403),
        (start_with_defect(Defect::UserinfoWithoutOpenid).await, 200),
    ] {
        let token = web_token(&h, "profile roles").await;
        let res = userinfo(&h, &token).await;
        assert_eq!(res.status(), status);
        if status == 403 {
            let challenge = header(res.headers(), "www-authenticate").unwrap_or_default();
            assert!(challenge.contains("insufficient_scope"), "{challenge}");
        }
    }
}

#[tokio::test]
async fn userinfo_jwt_on_accept_answers_a_jwt() {
    for (h, media) in [
        (start().await, "application/json"),
        (
            start_with_defect(Defect::UserinfoJwtOnAccept).await,
            "application/jwt",
        ),
    ] {
        let token = web_token(&h, "openid profile").await;
        let res = h
            .http
            .post(h.url("/userinfo"))
            .bearer_auth(&token)
            .header("accept", "application/jwt")
            .send()
            .await
            .expect("userinfo");
        assert_eq!(res.status(), 200);
        assert_eq!(header(res.headers(), "content-type"), Some(media));
    }
}

#[tokio::test]
async fn resource_accepts_revoked_tokens_serves_a_revoked_token() {
    for (h, status) in [
        (start().await, 401),
        (
            start_with_defect(Defect::ResourceAcceptsRevokedTokens).await,
            200,
        ),
    ] {
        let token = h.app_token().await;
        let res = post(&h, "/revoke", &h.basic("app_basic"), &[("token", &token)]).await;
        assert_eq!(res.status(), 200);
        let res = h
            .http
            .get(h.sandbox.resource())
            .bearer_auth(&token)
            .send()
            .await
            .expect("resource");
        assert_eq!(res.status(), status);
    }
}

#[tokio::test]
async fn the_resource_answers_a_live_token_and_challenges_the_others() {
    let h = start().await;
    assert!(h.sandbox.resource().ends_with(RESOURCE));
    let token = h.app_token().await;
    let get = |t: Option<String>| {
        let mut req = h
            .http
            .get(h.sandbox.resource())
            .query(&[("emailAddress", "topsi@example.com")]);
        if let Some(t) = t {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    let ok = get(Some(token)).await.expect("resource");
    assert_eq!(ok.status(), 200);
    let body: Value = ok.json().await.expect("json");
    assert_eq!(body["valid"], true);
    let none = get(None).await.expect("resource");
    assert_eq!(none.status(), 401);
    let challenge = header(none.headers(), "www-authenticate").unwrap_or_default();
    assert!(
        challenge.starts_with("Bearer") && !challenge.contains("error="),
        "{challenge}"
    );
    let forged = get(Some("at-forged".into())).await.expect("resource");
    assert_eq!(forged.status(), 401);
    let challenge = header(forged.headers(), "www-authenticate").unwrap_or_default();
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
}
