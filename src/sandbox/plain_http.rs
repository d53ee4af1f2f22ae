//! The plain-http side of an https sandbox: what a client that dropped the `s` meets.
//! Conformant, every request is redirected to the same path over https with its query left
//! behind, so that no parameter is processed, nor echoed where it would travel again (RFC 6749
//! §3.1, §10.9). With `plain-http-served` the whole server answers there as well; with
//! `plain-http-redirect-leaks` the redirect carries the request's parameters, the form's
//! included, into its `Location`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use super::defect::Defect;
use super::defect_set::DefectSet;

/// What the plain-http listener serves: `app` itself under `plain-http-served`, else the
/// redirect to `https_base` (`https://host:port`).
pub(super) fn router(app: Router, https_base: String, defects: DefectSet) -> Router {
    if defects.has(Defect::PlainHttpServed) {
        return app;
    }
    let leak = defects.has(Defect::PlainHttpRedirectLeaks);
    Router::new().fallback(redirect).with_state(Redirect {
        https_base: https_base.trim_end_matches('/').to_owned(),
        leak,
    })
}

#[derive(Clone)]
struct Redirect {
    https_base: String,
    /// `plain-http-redirect-leaks`: append the query and the form to the `Location`.
    leak: bool,
}

/// 308 to the same path over https (301 would let clients turn a POST into a GET).
async fn redirect(State(r): State<Redirect>, uri: Uri, body: Bytes) -> Response {
    let mut location = format!("{}{}", r.https_base, uri.path());
    if r.leak {
        let form = String::from_utf8_lossy(&body);
        let params: Vec<&str> = [uri.query().unwrap_or_default(), form.as_ref()]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect();
        if !params.is_empty() {
            location.push('?');
            location.push_str(&params.join("&"));
        }
    }
    match HeaderValue::from_str(&location) {
        Ok(value) => (
            StatusCode::PERMANENT_REDIRECT,
            [(header::LOCATION, value)],
            "use https\n",
        )
            .into_response(),
        Err(_) => (StatusCode::BAD_REQUEST, "use https\n").into_response(),
    }
}
