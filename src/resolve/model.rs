use reqwest::Method;
use serde_json::Value;

use super::protocol::{
    AuthorizeStep, EndSessionStep, RegisterStep, TokenOperation, TokenStep, UserinfoStep,
};
use crate::check::{Expectation, JsonSelector};
use crate::diag::Location;
use crate::snapshot::SnapshotSpec;
use crate::template::Template;

/// A scenario ready to run: every name checked, every matcher compiled.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub file: String,
    pub location: Location,
    pub doc: Option<String>,
    pub tags: Vec<String>,
    pub vars: Vec<(String, Value)>,
    /// Endpoints the target must have (`requires:`).
    pub requires: Vec<String>,
    /// Why the scenario cannot run in this environment (a required client or user is missing).
    pub skip_reason: Option<String>,
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug)]
pub struct Step {
    pub name: String,
    pub location: Location,
    /// How long to wait before the step's request (`delay:`).
    pub delay: Option<std::time::Duration>,
    pub action: Action,
    pub expectations: Vec<Expectation>,
    pub jwt_expectations: Vec<JwtExpectation>,
    /// The rule the step's own expectations enforce (`expect: { rule: E-07 }`).
    pub rule: Option<String>,
    /// Rule switches of the scenario and the step, the step's last.
    pub rule_overrides: RuleOverrides,
    pub captures: Vec<Capture>,
    /// `expect: { snapshot: ... }`: compare the response with its snapshot.
    pub snapshot: Option<SnapshotSpec>,
    /// `prerequisite: true`: the later steps are skipped unless every expectation holds.
    pub prerequisite: bool,
}

#[derive(Clone, Debug)]
pub enum Action {
    Http(HttpRequest),
    Discovery {
        url: Option<Template>,
        /// `probe: endpoints`: probe every advertised endpoint for reachability.
        probe_endpoints: bool,
    },
    Jwks {
        url: Option<Template>,
    },
    Authorize(AuthorizeStep),
    Token(Box<TokenStep>),
    Userinfo(UserinfoStep),
    Introspect(TokenOperation),
    Revoke(TokenOperation),
    EndSession(EndSessionStep),
    Register(RegisterStep),
    /// A canary request over plain http to an https endpoint (`token`, `introspection`,
    /// `revocation`): is it refused or redirected without leaking parameters?
    PlainHttp {
        endpoint: String,
    },
}

impl Action {
    pub fn kind(&self) -> &'static str {
        match self {
            Action::Http(_) => "http",
            Action::Discovery { .. } => "discovery",
            Action::Jwks { .. } => "jwks",
            Action::Authorize(_) => "authorize",
            Action::Token(_) => "token",
            Action::Userinfo(_) => "userinfo",
            Action::Introspect(_) => "introspect",
            Action::Revoke(_) => "revoke",
            Action::EndSession(_) => "end_session",
            Action::Register(_) => "register",
            Action::PlainHttp { .. } => "plain_http",
        }
    }
}

/// Expectations on a JWT carried in a JSON member of the response.
#[derive(Clone, Debug)]
pub struct JwtExpectation {
    pub member: String,
    pub verify: bool,
    pub header: Vec<Expectation>,
    pub claims: Vec<Expectation>,
    pub location: Location,
}

/// Rules disabled or re-graded.
#[derive(Clone, Debug, Default)]
pub struct RuleOverrides {
    pub disabled: Vec<String>,
    pub grades: Vec<(String, crate::rules::Severity)>,
}

#[derive(Clone, Debug)]
pub struct HttpRequest {
    pub method: Method,
    pub url: Template,
    pub headers: Vec<(String, Template)>,
    pub query: Vec<(String, Template)>,
    pub body: Body,
    pub auth: Option<BasicAuth>,
}

#[derive(Clone, Debug)]
pub enum Body {
    None,
    Form(Vec<(String, Template)>),
    Json(JsonTemplate),
    Text(Template),
}

#[derive(Clone, Debug)]
pub enum BasicAuth {
    /// A client of the environment: its id and secret.
    Client(String),
    Credentials {
        username: Template,
        password: Template,
    },
}

/// A JSON value whose string leaves are templates.
#[derive(Clone, Debug)]
pub struct JsonTemplate {
    pub value: Value,
    pub location: Location,
}

#[derive(Clone, Debug)]
pub struct Capture {
    pub name: String,
    pub source: CaptureSource,
    pub location: Location,
}

#[derive(Clone, Debug)]
pub enum CaptureSource {
    Json(JsonSelector),
    /// A response header, by lower-case name.
    Header(String),
    /// A query parameter of the response's `Location` header (an authorization redirect).
    RedirectQuery(String),
}
