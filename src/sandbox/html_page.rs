//! The HTML the authorization endpoint shows: the login form (no JavaScript), error pages and
//! the logged-out page, all with anti-framing and no-referrer headers (RFC 9700 §4.16, §4.2.4).

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, REFERRER_POLICY, X_FRAME_OPTIONS};
use axum::http::{HeaderValue, StatusCode, header::CONTENT_SECURITY_POLICY};
use axum::response::{IntoResponse, Response};

const STYLE: &str = "body{font-family:sans-serif;max-width:28em;margin:3em auto}\
label{display:block;margin:.6em 0}input{display:block;width:100%}\
.error{color:#a00}";

/// An HTML page with the headers every page of the sandbox carries.
pub(crate) fn page(status: StatusCode, title: &str, body: &str, framable: bool) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>{STYLE}</style></head><body><h1>{title}</h1>\n{body}\n</body></html>\n",
        title = escape(title),
    );
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    if !framable {
        headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
            ),
        );
    }
    response
}

/// The login form; it posts `request_id`, `username` and `password` to `action`.
pub(crate) fn login_form(
    action: &str,
    request_id: &str,
    client_name: &str,
    error: Option<&str>,
    framable: bool,
) -> Response {
    let error = error
        .map(|e| format!("<p class=\"error\">{}</p>", escape(e)))
        .unwrap_or_default();
    let body = format!(
        "<p>Sign in to continue to <strong>{client}</strong>.</p>{error}\
         <form method=\"post\" action=\"{action}\">\
         <input type=\"hidden\" name=\"request_id\" value=\"{request_id}\">\
         <label>Username <input name=\"username\" autocomplete=\"username\" required></label>\
         <label>Password <input name=\"password\" type=\"password\" \
         autocomplete=\"current-password\" required></label>\
         <button type=\"submit\">Sign in</button> \
         <button type=\"submit\" name=\"cancel\" value=\"1\" formnovalidate>Cancel</button>\
         </form>",
        client = escape(client_name),
        action = escape(action),
        request_id = escape(request_id),
    );
    page(StatusCode::OK, "Sign in", &body, framable)
}

/// An error shown to the user instead of redirecting (RFC 6749 §4.1.2.1: bad client or
/// redirect URI).
pub(crate) fn error_page(status: StatusCode, message: &str) -> Response {
    page(
        status,
        "Authorization error",
        &format!("<p class=\"error\">{}</p>", escape(message)),
        false,
    )
}

/// Minimal HTML escaping for text and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
