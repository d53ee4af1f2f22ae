//! The authorization endpoint and its login form (RFC 6749 §4.1.1–§4.1.2; OIDC Core §3.1.2).

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::header::REFERRER_POLICY;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::authorization_code::AuthorizationCode;
use super::authorization_request::{self, Rejection};
use super::clock::unix_now;
use super::credentials;
use super::defect::Defect;
use super::endpoints;
use super::form::Form;
use super::html_page;
use super::implicit_response;
use super::random;
use super::redirect;
use super::session::{self, AuthorizationRequest, Session};
use super::state::{AppState, SharedState};

/// `GET /authorize`: validates the request, then either answers at once from the login
/// session or shows the login form.
pub(crate) async fn authorize(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let request = match authorization_request::validate(&state, query.as_deref().unwrap_or("")) {
        Ok(request) => request,
        Err(rejection) => return reject(&state, rejection, StatusCode::FOUND),
    };
    let now = unix_now();
    let session = session::session_id(&headers)
        .and_then(|id| state.sessions.get(id))
        .filter(|s| {
            request
                .max_age
                .is_none_or(|max| now.saturating_sub(s.auth_time) <= max)
        });
    let prompt = request.prompt.as_deref().unwrap_or("");
    let force_login = prompt.split(' ').any(|p| p == "login");
    match session {
        Some(session) if !force_login => {
            let location = issue_code(&state, &request, &session);
            redirect::to(StatusCode::FOUND, &location, None)
        }
        _ if prompt == "none" && !state.has(Defect::PromptNoneShowsLogin) => reject(
            &state,
            Rejection::Redirect {
                redirect_uri: request.redirect_uri,
                state: request.state,
                error: "login_required",
                description: "the user is not logged in".into(),
            },
            StatusCode::FOUND,
        ),
        _ => {
            let request_id = random::token("lr-");
            let client_name = client_name(&state, &request.client_id);
            state
                .pending
                .insert(request_id.clone(), request, state.lifetimes.session);
            login_page(&state, &request_id, &client_name, None)
        }
    }
}

/// `POST /login`: checks the credentials, starts a session and redirects with a code (303).
pub(crate) async fn login(
    State(state): State<SharedState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(form) = Form::from_body(&headers, &body, false) else {
        return html_page::error_page(StatusCode::BAD_REQUEST, "malformed login form");
    };
    let Some(request_id) = form.get("request_id") else {
        return html_page::error_page(StatusCode::BAD_REQUEST, "missing request_id");
    };
    let Some(request) = state.pending.get(request_id) else {
        return html_page::error_page(
            StatusCode::BAD_REQUEST,
            "this login request is unknown or has expired; start again from the application",
        );
    };
    let status = after_post_status(&state);
    if form.get("cancel").is_some() {
        state.pending.remove(request_id);
        let rejection = Rejection::Redirect {
            redirect_uri: request.redirect_uri,
            state: request.state,
            error: "access_denied",
            description: "the user cancelled the login".into(),
        };
        return reject(&state, rejection, status);
    }
    let Some(user) = check_credentials(&state, form.get("username"), form.get("password")) else {
        return login_page(
            &state,
            request_id,
            &client_name(&state, &request.client_id),
            Some("Invalid username or password."),
        );
    };
    state.pending.remove(request_id);
    let session = Session {
        user,
        auth_time: unix_now(),
    };
    let session_id = random::token("s-");
    state
        .sessions
        .insert(session_id.clone(), session.clone(), state.lifetimes.session);
    let location = issue_code(&state, &request, &session);
    redirect::to(status, &location, Some(session::set_cookie(&session_id)))
}

/// 303 after the credential POST (RFC 9700 §4.12), 307 with the defect.
fn after_post_status(state: &AppState) -> StatusCode {
    if state.has(Defect::Redirect307) {
        StatusCode::TEMPORARY_REDIRECT
    } else {
        StatusCode::SEE_OTHER
    }
}

fn check_credentials(
    state: &AppState,
    username: Option<&str>,
    password: Option<&str>,
) -> Option<usize> {
    let (username, password) = (username?, password?);
    let index = state.users.iter().position(|u| u.username == username)?;
    credentials::matches(&state.users[index].password, password).then_some(index)
}

/// Issues a code for `request` and returns the redirect location.
fn issue_code(state: &AppState, request: &AuthorizationRequest, session: &Session) -> String {
    if request.implicit {
        return implicit_response::location(state, request, session);
    }
    let code = random::token(if state.has(Defect::CodeWithoutPrefix) {
        "code-"
    } else {
        "ac-"
    });
    state.codes.insert(
        code.clone(),
        AuthorizationCode {
            client_id: request.client_id.clone(),
            redirect_uri: request.redirect_uri.clone(),
            redirect_uri_given: request.redirect_uri_given,
            scope: request.scope.clone(),
            user: session.user,
            nonce: request.nonce.clone(),
            challenge: request.challenge.clone(),
            auth_time: session.auth_time,
            grant_id: random::token("g-"),
        },
    );
    let code_name = if state.has(Defect::CodeParameterRenamed) {
        "authorization_code"
    } else {
        "code"
    };
    let mut params = vec![(code_name, code.as_str())];
    if let Some(client_state) = &request.state
        && !state.has(Defect::StateNotEchoed)
    {
        params.push(("state", client_state));
    }
    let other_issuer = format!("{}/other", state.issuer());
    if !state.has(Defect::AuthorizationIssMissing) {
        params.push((
            "iss",
            if state.has(Defect::WrongAuthorizationIss) {
                &other_issuer
            } else {
                state.issuer()
            },
        ));
    }
    redirect::with_params(&request.redirect_uri, &params)
}

/// The login form, without its Referrer-Policy under [`Defect::NoReferrerPolicy`].
fn login_page(
    state: &AppState,
    request_id: &str,
    client_name: &str,
    error: Option<&str>,
) -> Response {
    let mut page = html_page::login_form(
        &login_action(state),
        request_id,
        client_name,
        error,
        state.has(Defect::FramableLoginPage),
    );
    if state.has(Defect::NoReferrerPolicy) {
        page.headers_mut().remove(REFERRER_POLICY);
    }
    page
}

fn reject(state: &AppState, rejection: Rejection, status: StatusCode) -> Response {
    match rejection {
        Rejection::Page(message) => html_page::error_page(StatusCode::BAD_REQUEST, &message),
        Rejection::Redirect {
            redirect_uri,
            state: client_state,
            error,
            description,
        } => {
            let mut params = vec![("error", error), ("error_description", &description)];
            if let Some(client_state) = &client_state
                && !state.has(Defect::StateNotEchoed)
            {
                params.push(("state", client_state));
            }
            if !state.has(Defect::AuthorizationIssMissing) {
                params.push(("iss", state.issuer()));
            }
            redirect::to(status, &redirect::with_params(&redirect_uri, &params), None)
        }
    }
}

fn login_action(state: &AppState) -> String {
    let action = format!("{}{}", state.issuer(), endpoints::LOGIN);
    if !state.has(Defect::LoginOverPlainHttp) {
        return action;
    }
    // The same server, named by a host name over plain http.
    url::Url::parse(&action)
        .ok()
        .and_then(|mut u| {
            u.set_scheme("http").ok()?;
            u.set_host(Some("localhost")).ok()?;
            Some(u.to_string())
        })
        .unwrap_or(action)
}

fn client_name(state: &AppState, client_id: &str) -> String {
    state
        .client(client_id)
        .map_or_else(|| client_id.to_owned(), |c| c.client.name.clone())
}
