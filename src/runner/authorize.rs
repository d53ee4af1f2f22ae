//! The authorization code flow with a headless login: follow the redirect chain by hand, fill
//! the login form from a test user (and a consent form if there is one) with a cookie jar, and
//! stop at the redirect_uri.

use std::sync::Arc;

use handlebars::Context;
use serde_json::{Map, Value};

use super::Redactor;
use super::flow::{Authorization, Flow, StepRun};
use super::http::{Received, Sender, exchange, record};
use crate::environment::FormRecipe;
use crate::oauth::{HtmlForm, Pkce, parse_forms, random_string};
use crate::outcome::ErrorKind;
use crate::resolve::{AuthorizeStep, Choice, PkceMode};
use crate::rules::{RedirectView, SentRequest};

const MAX_HOPS: usize = 12;

type StepError = (ErrorKind, String);

pub(super) async fn authorize(
    s: &Sender<'_>,
    step: &AuthorizeStep,
    ctx: &Context,
    flow: &mut Flow,
    redactor: &mut Redactor,
    authorization_endpoint: &str,
) -> Result<StepRun, StepError> {
    let client = s.target.client(&step.client).ok_or_else(|| {
        (
            ErrorKind::MissingValue,
            format!("client `{}` is not available", step.client),
        )
    })?;
    let render = |t: &crate::template::Template| {
        s.renderer
            .render(t, ctx)
            .map_err(|m| (ErrorKind::Template, m))
    };
    let redirect_uri = match &step.redirect_uri {
        Some(t) => render(t)?,
        None => client.redirect_uri.clone().ok_or_else(|| {
            (
                ErrorKind::MissingValue,
                format!("client `{}` has no redirect_uri", client.name),
            )
        })?,
    };
    let scope = match &step.scope {
        Some(t) => render(t)?,
        None => client.scope.clone().unwrap_or_else(|| "openid".into()),
    };
    let openid = scope.split(' ').any(|x| x == "openid");
    let pick = |c: &Choice, generate: bool| -> Result<Option<String>, StepError> {
        Ok(match c {
            Choice::Omit => None,
            Choice::Value(t) => Some(render(t)?),
            Choice::Default => generate.then(random_string::<24>),
        })
    };
    let state = pick(&step.state, true)?;
    let nonce = pick(&step.nonce, openid)?;
    let method = match step.pkce {
        PkceMode::S256 => Some("S256"),
        PkceMode::Plain => Some("plain"),
        PkceMode::None => None,
    };
    let pkce = match (method, &step.code_verifier) {
        (None, _) => None,
        (Some(m), None) => Some(Pkce::generate(m)),
        (Some(m), Some(t)) => Some(Pkce::from_verifier(render(t)?, m)),
    };
    if let Some(p) = &pkce {
        redactor.add("code_verifier", &p.verifier);
    }

    let mut params: Vec<(String, String)> = vec![
        (
            "response_type".into(),
            match &step.response_type {
                Some(t) => render(t)?,
                None => "code".into(),
            },
        ),
        ("client_id".into(), client.client_id.clone()),
        ("redirect_uri".into(), redirect_uri.clone()),
        ("scope".into(), scope),
    ];
    if let Some(v) = &state {
        params.push(("state".into(), v.clone()));
    }
    if let Some(v) = &nonce {
        params.push(("nonce".into(), v.clone()));
    }
    if let Some(p) = &pkce {
        params.push(("code_challenge".into(), p.challenge.clone()));
        let method = match &step.code_challenge_method {
            Choice::Default => Some(p.method.to_string()),
            Choice::Omit => None,
            Choice::Value(t) => Some(render(t)?),
        };
        if let Some(m) = method {
            params.push(("code_challenge_method".into(), m));
        }
    }
    if let Some(t) = &step.prompt {
        params.push(("prompt".into(), render(t)?));
    }
    let mut extra = Vec::new();
    for (k, t) in &step.params {
        extra.push((k.clone(), render(t)?));
    }
    params.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
    params.extend(extra);

    let mut url = url::Url::parse(authorization_endpoint).map_err(|e| {
        (
            ErrorKind::MissingValue,
            format!("invalid authorization endpoint {authorization_endpoint}: {e}"),
        )
    })?;
    url.query_pairs_mut().extend_pairs(params.iter());
    let user = match &step.user {
        Some(name) => Some(s.target.user(name).ok_or_else(|| {
            (
                ErrorKind::MissingValue,
                format!("user `{name}` is not available"),
            )
        })?),
        None => None,
    };

    let browser = browser(flow, s.transport)?;
    let mut run = StepRun {
        sent: SentRequest {
            method: "GET".into(),
            url: url.to_string(),
            query: params.clone(),
            ..SentRequest::default()
        },
        ..StepRun::default()
    };
    let mut view = RedirectView {
        state_sent: state.clone(),
        ..RedirectView::default()
    };
    let mut logged_in = false;
    let mut consented = false;
    let mut next = reqwest::Request::new(reqwest::Method::GET, url);
    let mut next_body: Option<String> = None;
    for _ in 0..MAX_HOPS {
        let page_url = next.url().clone();
        let recorded = record(&next, next_body.take());
        let sent = exchange(&browser, next, recorded, &s.target.http).await;
        let received = match &sent.result {
            Ok(r) => clone_received(r),
            Err(e) => {
                let e = e.clone();
                run.exchanges.push(sent);
                return Err(e);
            }
        };
        run.exchanges.push(sent);
        if let Some(location) =
            header(&received, "location").filter(|_| (300..400).contains(&received.status))
        {
            let target = page_url.join(&location).map_err(|e| {
                (
                    ErrorKind::Http,
                    format!("unusable Location {location}: {e}"),
                )
            })?;
            view.chain.push(received.status);
            if is_redirect_uri(&target, &redirect_uri) {
                redactor.learn_from_url(target.as_str());
                view.status = received.status;
                view.params = target
                    .query_pairs()
                    .chain(fragment(&target))
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                finish(
                    &mut run,
                    view,
                    received,
                    flow,
                    step,
                    &redirect_uri,
                    nonce,
                    pkce,
                    openid,
                );
                return Ok(run);
            }
            next = reqwest::Request::new(reqwest::Method::GET, target);
            continue;
        }
        let forms = if received.status == 200 {
            parse_forms(&received.body)
        } else {
            Vec::new()
        };
        let login_form = forms
            .iter()
            .find(|f| f.has_password_field() && matches_recipe(f, &s.target.login.form));
        if let (Some(form), Some(user), false) = (login_form, user, logged_in) {
            view.login_page_headers = Some(received.headers.clone());
            let recipe = &s.target.login.form;
            let mut fields: Vec<(String, String)> = form
                .prefilled()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let username_field = recipe
                .username_field
                .clone()
                .or(form.username_field().map(str::to_string))
                .unwrap_or_else(|| "username".into());
            let password_field = recipe
                .password_field
                .clone()
                .or(form.password_field().map(str::to_string))
                .unwrap_or_else(|| "password".into());
            fields.retain(|(k, _)| *k != username_field && *k != password_field);
            fields.push((username_field, user.username.clone()));
            fields.push((password_field, user.password.expose().to_string()));
            add_recipe_fields(&mut fields, recipe);
            (next, next_body) = submit(&page_url, form, fields)?;
            logged_in = true;
            continue;
        }
        // The test user consents also when the session spared the login: a server that revoked
        // the grant (after a reused code, RFC 6749 §4.1.2) asks again without a login form.
        if (logged_in || user.is_some())
            && !consented
            && let Some((form, recipe)) = consent_form(&forms, s.target.login.consent.as_ref())
        {
            let mut fields: Vec<(String, String)> = form
                .prefilled()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            if let Some(r) = recipe {
                add_recipe_fields(&mut fields, r);
            }
            (next, next_body) = submit(&page_url, form, fields)?;
            consented = true;
            continue;
        }
        // The flow ended on a page: an error page, or a login page with no user to log in.
        if !view.chain.is_empty() || logged_in {
            view.status = received.status;
        }
        // No code came back: a later exchange must not redeem an older authorization's code.
        flow.authorization = Some(Authorization {
            client: step.client.clone(),
            code: None,
            redirect_uri: redirect_uri.clone(),
            nonce,
            pkce,
            openid,
            params: run.sent.query.clone(),
        });
        run.primary = Some(Received {
            json: Some(view_json(false, &[])),
            ..received
        });
        run.redirect = None;
        return Ok(run);
    }
    Err((
        ErrorKind::Http,
        format!("no redirect to {redirect_uri} after {MAX_HOPS} requests"),
    ))
}

#[expect(
    clippy::too_many_arguments,
    reason = "everything the flow remembers of one authorization"
)]
fn finish(
    run: &mut StepRun,
    view: RedirectView,
    received: Received,
    flow: &mut Flow,
    step: &AuthorizeStep,
    redirect_uri: &str,
    nonce: Option<String>,
    pkce: Option<Pkce>,
    openid: bool,
) {
    flow.authorization = Some(Authorization {
        client: step.client.clone(),
        code: view.param("code").map(str::to_string),
        redirect_uri: redirect_uri.to_string(),
        nonce,
        pkce,
        openid,
        params: run.sent.query.clone(),
    });
    run.primary = Some(Received {
        json: Some(view_json(true, &view.params)),
        ..received
    });
    run.redirect = Some(view);
}

/// What expectations and captures of an `authorize` step see: whether the flow came back to
/// the client, and the parameters it came back with.
fn view_json(redirected: bool, params: &[(String, String)]) -> Value {
    let mut m = Map::new();
    m.insert("redirected".into(), Value::Bool(redirected));
    for (k, v) in params {
        m.insert(k.clone(), Value::String(v.clone()));
    }
    Value::Object(m)
}

fn browser(
    flow: &mut Flow,
    transport: &super::client::Transport,
) -> Result<reqwest::Client, StepError> {
    if let Some((client, _)) = &flow.browser {
        return Ok(client.clone());
    }
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let client = transport
        .builder()
        .cookie_provider(jar.clone())
        .build()
        .map_err(|e| {
            (
                ErrorKind::Internal,
                format!("cannot build the browser client: {e}"),
            )
        })?;
    flow.browser = Some((client.clone(), jar));
    Ok(client)
}

fn clone_received(r: &Received) -> Received {
    Received {
        status: r.status,
        headers: r.headers.clone(),
        body: r.body.clone(),
        json: r.json.clone(),
    }
}

fn header(r: &Received, name: &str) -> Option<String> {
    r.headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

fn fragment(url: &url::Url) -> Vec<(std::borrow::Cow<'_, str>, std::borrow::Cow<'_, str>)> {
    url.fragment()
        .map(|f| url::form_urlencoded::parse(f.as_bytes()).collect())
        .unwrap_or_default()
}

/// Whether `target` is the client's redirect URI (same scheme, host, port and path).
fn is_redirect_uri(target: &url::Url, redirect_uri: &str) -> bool {
    let Ok(r) = url::Url::parse(redirect_uri) else {
        return false;
    };
    target.scheme() == r.scheme()
        && target.host_str() == r.host_str()
        && target.port_or_known_default() == r.port_or_known_default()
        && target.path() == r.path()
}

fn matches_recipe(form: &HtmlForm, recipe: &FormRecipe) -> bool {
    match &recipe.action_contains {
        Some(text) => form
            .action
            .as_deref()
            .is_some_and(|a| a.contains(text.as_str())),
        None => true,
    }
}

fn consent_form<'a>(
    forms: &'a [HtmlForm],
    recipe: Option<&'a FormRecipe>,
) -> Option<(&'a HtmlForm, Option<&'a FormRecipe>)> {
    match recipe {
        Some(r) => forms
            .iter()
            .find(|f| matches_recipe(f, r))
            .map(|f| (f, Some(r))),
        None => None,
    }
}

fn add_recipe_fields(fields: &mut Vec<(String, String)>, recipe: &FormRecipe) {
    fields.extend(recipe.extra.iter().cloned());
    if let Some((name, value)) = &recipe.submit {
        fields.push((name.clone(), value.clone()));
    }
}

fn submit(
    page: &url::Url,
    form: &HtmlForm,
    fields: Vec<(String, String)>,
) -> Result<(reqwest::Request, Option<String>), StepError> {
    let action = form.action.as_deref().unwrap_or("");
    let mut target = page.join(action).map_err(|e| {
        (
            ErrorKind::Http,
            format!("unusable form action {action}: {e}"),
        )
    })?;
    let encoded = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields.iter())
        .finish();
    if form.method == "post" {
        let mut request = reqwest::Request::new(reqwest::Method::POST, target);
        request.headers_mut().insert(
            reqwest::header::CONTENT_TYPE,
            reqwest::header::HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        *request.body_mut() = Some(encoded.clone().into());
        Ok((request, Some(encoded)))
    } else {
        target.set_query(Some(&encoded));
        Ok((reqwest::Request::new(reqwest::Method::GET, target), None))
    }
}
