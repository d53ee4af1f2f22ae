use reqwest::Method;
use serde_json::Value;

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
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug)]
pub struct Step {
    pub name: String,
    pub location: Location,
    pub action: Action,
    pub expectations: Vec<Expectation>,
    pub captures: Vec<Capture>,
    /// `expect: { snapshot: ... }`: compare the response with its snapshot.
    pub snapshot: Option<SnapshotSpec>,
}

#[derive(Clone, Debug)]
pub enum Action {
    Http(HttpRequest),
}

impl Action {
    pub fn kind(&self) -> &'static str {
        match self {
            Action::Http(_) => "http",
        }
    }
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
