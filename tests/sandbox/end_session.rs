use crate::support::{header, location, pairs, query_param, start};

#[tokio::test]
async fn logout_ends_the_session_and_redirects_to_a_registered_uri() {
    let h = start().await;
    let res = h.log_in(&pairs(&h.web_app_params())).await;
    let cookie = header(res.headers(), "set-cookie").expect("cookie");
    let cookie = cookie.split(';').next().expect("pair").to_owned();
    let code = query_param(&location(&res), "code").expect("code");
    let tokens: serde_json::Value = h.exchange_web_app(&code).await.json().await.expect("json");
    let id_token = tokens["id_token"].as_str().expect("id_token");

    let res = h
        .http
        .get(h.url("/logout"))
        .header("cookie", &cookie)
        .query(&[
            ("id_token_hint", id_token),
            ("post_logout_redirect_uri", "http://127.0.0.1:9/logged-out"),
            ("state", "bye"),
        ])
        .send()
        .await
        .expect("logout");
    assert_eq!(res.status(), 302);
    assert_eq!(location(&res), "http://127.0.0.1:9/logged-out?state=bye");
    assert!(header(res.headers(), "set-cookie").is_some_and(|c| c.contains("Max-Age=0")));

    let mut params = h.web_app_params();
    params.push(("prompt", "none".into()));
    let res = h.authorize(&pairs(&params), Some(&cookie)).await;
    assert_eq!(
        query_param(&location(&res), "error").as_deref(),
        Some("login_required")
    );
}

#[tokio::test]
async fn logout_without_a_redirect_shows_a_page() {
    let h = start().await;
    let res = h.http.get(h.url("/logout")).send().await.expect("logout");
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("html").contains("signed out"));
}

#[tokio::test]
async fn an_unregistered_or_unattributed_logout_redirect_is_refused() {
    let h = start().await;
    for query in [
        vec![
            ("client_id", "web-app"),
            ("post_logout_redirect_uri", "http://evil.example/"),
        ],
        vec![("post_logout_redirect_uri", "http://127.0.0.1:9/logged-out")],
        vec![
            ("id_token_hint", "not.a.jwt"),
            ("post_logout_redirect_uri", "http://127.0.0.1:9/logged-out"),
        ],
    ] {
        let res = h
            .http
            .get(h.url("/logout"))
            .query(&query)
            .send()
            .await
            .expect("logout");
        assert_eq!(res.status(), 400);
        assert!(header(res.headers(), "location").is_none());
    }
}
