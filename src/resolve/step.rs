use std::collections::HashSet;
use std::time::Duration;

use handlebars::Context;
use reqwest::Method;
use serde_json::Value;
use serde_saphyr::Spanned;

use super::model::{
    BasicAuth, Body, Capture, CaptureSource, HttpRequest, JsonTemplate, JwtExpectation,
    RuleOverrides, Scenario, Step,
};
use super::scope::{RESERVED, Scope};
use crate::check::{Expectation, Matcher, Subject};
use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::environment::{Lifetimes, parse_duration};
use crate::scenario::{OrderedMap, RawExpect, RawHttp, RawScenario, RawStep, StringOrList};
use crate::snapshot::SnapshotSpec;
use crate::template::{Renderer, Template};

/// Resolves one scenario file, collecting diagnostics rather than stopping at the first.
pub(super) struct Resolver<'a> {
    pub(super) source: &'a SourceFile,
    pub(super) scope: &'a Scope,
    pub(super) renderer: &'a Renderer,
    pub(super) diags: &'a mut Diagnostics,
    /// Every name that can exist at this point of the scenario, as the context the static
    /// template checks render with (built once, grown as names are declared).
    pub(super) probe: Context,
    pub(super) captures: HashSet<String>,
    /// Names of the steps resolved so far in this scenario.
    pub(super) earlier_steps: Vec<String>,
    /// The scenario's rule switches, which every step inherits.
    pub(super) scenario_rules: RuleOverrides,
    /// Clients, users and lifetimes the scenario requires but the environment lacks (the
    /// scenario is skipped; references to them are not errors).
    pub(super) assumed_clients: Vec<String>,
    pub(super) assumed_users: Vec<String>,
    pub(super) assumed_lifetimes: Vec<String>,
}

impl<'a> Resolver<'a> {
    pub(super) fn new(
        source: &'a SourceFile,
        scope: &'a Scope,
        renderer: &'a Renderer,
        diags: &'a mut Diagnostics,
    ) -> Self {
        Self {
            source,
            scope,
            renderer,
            diags,
            probe: Context::from(scope.probe()),
            captures: HashSet::new(),
            earlier_steps: Vec::new(),
            scenario_rules: RuleOverrides::default(),
            assumed_clients: Vec::new(),
            assumed_users: Vec::new(),
            assumed_lifetimes: Vec::new(),
        }
    }

    pub(super) fn at<T>(&self, spanned: &Spanned<T>) -> Location {
        self.source
            .location(spanned.referenced.line(), spanned.referenced.column())
    }

    pub(super) fn error(&mut self, location: Location, message: impl Into<String>) {
        self.diags
            .push(Diagnostic::at(self.source, location, message));
    }

    pub fn scenario(&mut self, raw: RawScenario) -> Scenario {
        let location = self.at(&raw.name);
        self.scenario_rules = self.rule_overrides(raw.rules, &RuleOverrides::default());
        let (requires, skip_reason) = self.requires(raw.requires);
        let mut vars = Vec::new();
        for (key, value) in raw.vars.0 {
            self.declare(&key, "variable");
            if let Value::Object(root) = self.probe.data_mut() {
                root.insert(key.value.clone(), value.value.clone());
            }
            vars.push((key.value, value.value));
        }
        if raw.steps.is_empty() {
            self.error(location.clone(), "a scenario needs at least one step");
        }
        let mut step_names = HashSet::new();
        let mut steps = Vec::new();
        for raw_step in raw.steps {
            if !step_names.insert(raw_step.value.name.value.clone()) {
                let at = self.at(&raw_step.value.name);
                self.error(
                    at,
                    format!(
                        "another step of this scenario is named `{}`",
                        raw_step.value.name.value
                    ),
                );
            }
            if let Some(step) = self.step(raw_step) {
                steps.push(step);
            }
        }
        Scenario {
            requires,
            skip_reason,
            name: raw.name.value,
            file: self.source.name.to_string(),
            location,
            doc: raw.doc,
            tags: raw.tags,
            vars,
            steps,
        }
    }

    /// `requires:` items: endpoint names and `https` (checked at run time), or `client:NAME` / `user:NAME`,
    /// checked now against the environment. A missing client or user skips the scenario (its
    /// steps may then name it without an error).
    fn requires(&mut self, raw: Vec<Spanned<String>>) -> (Vec<String>, Option<String>) {
        let mut endpoints = Vec::new();
        let mut missing = Vec::new();
        for r in raw {
            if let Some(name) = r.value.strip_prefix("client:") {
                if !self.scope.has_client(name) {
                    missing.push(format!("client `{name}`"));
                    self.assumed_clients.push(name.to_string());
                    if let Some(Value::Object(clients)) = self.probe.data_mut().get_mut("clients") {
                        let probe = serde_json::json!({"client_id": "probe", "client_secret": "probe", "redirect_uri": "probe", "scope": "probe"});
                        clients.insert(name.to_string(), probe);
                    }
                }
            } else if let Some(name) = r.value.strip_prefix("user:") {
                if !self.scope.has_user(name) {
                    missing.push(format!("user `{name}`"));
                    self.assumed_users.push(name.to_string());
                }
            } else if let Some(name) = r.value.strip_prefix("lifetime:") {
                if !Lifetimes::NAMES.contains(&name) {
                    let at = self.at(&r);
                    self.error(at, unknown_lifetime(name));
                } else if self.scope.lifetime(name).is_none() {
                    missing.push(format!("declared `lifetimes.{name}`"));
                    self.assumed_lifetimes.push(name.to_string());
                }
            } else if let Some(method) = r.value.strip_prefix("pkce:") {
                // Checked at run time, against the advertised code_challenge_methods_supported.
                if matches!(method, "S256" | "plain") {
                    endpoints.push(r.value);
                } else {
                    let at = self.at(&r);
                    self.error(
                        at,
                        format!("unknown PKCE method `{method}`, expected S256 or plain"),
                    );
                }
            } else if r.value == HTTPS || crate::oauth::endpoint_metadata_key(&r.value).is_some() {
                // Checked at run time: the issuer (the embedded sandbox's too) is known then.
                endpoints.push(r.value);
            } else {
                let at = self.at(&r);
                let known: Vec<&str> = crate::oauth::ENDPOINTS.iter().map(|(n, _)| *n).collect();
                self.error(
                    at,
                    format!("`requires` takes endpoint names ({}), `https`, `client:NAME`, `user:NAME`, `lifetime:NAME` or `pkce:METHOD`; not `{}`", known.join(", "), r.value),
                );
            }
        }
        let reason =
            (!missing.is_empty()).then(|| format!("the environment has no {}", missing.join(", ")));
        (endpoints, reason)
    }

    /// A new top-level name (scenario variable or capture) must not shadow a reserved one.
    fn declare(&mut self, key: &Spanned<String>, what: &str) {
        if RESERVED.contains(&key.value.as_str()) {
            let at = self.at(key);
            self.error(
                at,
                format!(
                    "`{}` is reserved and cannot be used as a {what} name",
                    key.value
                ),
            );
        }
    }

    fn step(&mut self, raw: Spanned<RawStep>) -> Option<Step> {
        let location = self.at(&raw);
        let mut raw = raw.value;
        let snapshot = raw
            .expect
            .as_mut()
            .and_then(|e| e.snapshot.take())
            .and_then(|s| self.snapshot(s));
        let name = raw.name.value.clone();
        let mut raw = raw;
        let delay = raw.delay.take().and_then(|d| self.delay(d));
        let action = self.action(&location, &mut raw);
        let inherited = self.scenario_rules.clone();
        let rule_overrides = self.rule_overrides(raw.rules, &inherited);
        let (expectations, jwt_expectations, rule) = match raw.expect {
            Some(e) => self.expect(e),
            None => Default::default(),
        };
        let captures = self.captures(raw.capture);
        self.earlier_steps.push(name.clone());
        Some(Step {
            name,
            location,
            delay,
            action: action?,
            expectations,
            jwt_expectations,
            rule,
            rule_overrides,
            captures,
            snapshot,
            prerequisite: raw.prerequisite,
        })
    }

    /// `delay: DURATION`, or `delay: { until_expired: NAME }`: the declared lifetime plus one
    /// second, since servers count lifetimes in whole seconds and refuse only once one has
    /// passed (Keycloak: `currentTime > expiration`).
    fn delay(&mut self, raw: Spanned<Value>) -> Option<Duration> {
        let at = self.at(&raw);
        let shape = "`delay` is a duration (`1500ms`, `2s`) or `{ until_expired: LIFETIME }`";
        match &raw.value {
            Value::String(text) => parse_duration(text).or_else(|| {
                self.error(at, format!("invalid duration `{text}`: {shape}"));
                None
            }),
            Value::Object(map) if map.len() == 1 => match map.get("until_expired") {
                Some(Value::String(name)) if !Lifetimes::NAMES.contains(&name.as_str()) => {
                    self.error(at, unknown_lifetime(name));
                    None
                }
                Some(Value::String(name)) => match self.scope.lifetime(name) {
                    Some(lifetime) => Some(lifetime + Duration::from_secs(1)),
                    // The scenario is skipped for want of it.
                    None if self.assumed_lifetimes.contains(name) => Some(Duration::ZERO),
                    None => {
                        self.error(
                            at,
                            format!(
                                "the environment declares no `lifetimes.{name}`: declare the server's \
                                 (`lifetimes: {{ {name}: 60s }}`), or add `requires: [lifetime:{name}]` \
                                 so that the scenario is skipped where it is unknown"
                            ),
                        );
                        None
                    }
                },
                _ => {
                    self.error(at, shape);
                    None
                }
            },
            _ => {
                self.error(at, shape);
                None
            }
        }
    }

    fn snapshot(&mut self, raw: Spanned<Value>) -> Option<SnapshotSpec> {
        let location = self.at(&raw);
        SnapshotSpec::parse(&raw.value, location.clone()).unwrap_or_else(|message| {
            self.error(location, message);
            None
        })
    }

    pub(super) fn template(&mut self, spanned: Spanned<String>) -> Template {
        let location = self.at(&spanned);
        let template = Template::new(spanned.value, location.clone());
        if let Err(message) = self.renderer.check(&template, &self.probe, &self.captures) {
            self.error(location, message);
        }
        template
    }

    pub(super) fn params(
        &mut self,
        map: OrderedMap<Spanned<String>, Spanned<StringOrList>>,
    ) -> Vec<(String, Template)> {
        let mut out = Vec::new();
        for (key, value) in map.0 {
            let (referenced, defined) = (value.referenced, value.defined);
            for v in value.value.values() {
                let t = self.template(Spanned::new(v.to_string(), referenced, defined));
                out.push((key.value.clone(), t));
            }
        }
        out
    }

    pub(super) fn http(&mut self, raw: Spanned<RawHttp>) -> HttpRequest {
        let http_location = self.at(&raw);
        let raw = raw.value;
        let method = match raw.method {
            Some(m) => {
                Method::from_bytes(m.value.to_ascii_uppercase().as_bytes()).unwrap_or_else(|_| {
                    let at = self.at(&m);
                    self.error(at, format!("invalid HTTP method `{}`", m.value));
                    Method::GET
                })
            }
            None => Method::GET,
        };
        let url = self.template(raw.url);
        let mut headers = Vec::new();
        for (name, value) in raw.headers.0 {
            if reqwest::header::HeaderName::from_bytes(name.value.as_bytes()).is_err() {
                let at = self.at(&name);
                self.error(at, format!("invalid header name `{}`", name.value));
            }
            headers.push((name.value, self.template(value)));
        }
        let query = self.params(raw.query);
        let mut bodies = Vec::new();
        if let Some(form) = raw.form {
            bodies.push(Body::Form(self.params(form.value)));
        }
        if let Some(json) = raw.json {
            let location = self.at(&json);
            self.check_json_templates(&json.value, &location);
            bodies.push(Body::Json(JsonTemplate {
                value: json.value,
                location,
            }));
        }
        if let Some(text) = raw.body {
            bodies.push(Body::Text(self.template(text)));
        }
        if bodies.len() > 1 {
            self.error(
                http_location,
                "a request has at most one body: `form`, `json` or `body`",
            );
        }
        let auth = raw.auth.and_then(|a| self.auth(a));
        HttpRequest {
            method,
            url,
            headers,
            query,
            body: bodies.pop().unwrap_or(Body::None),
            auth,
        }
    }

    pub(super) fn check_json_templates(&mut self, value: &Value, location: &Location) {
        match value {
            Value::String(s) => {
                let t = Template::new(s.clone(), location.clone());
                if let Err(message) = self.renderer.check(&t, &self.probe, &self.captures) {
                    self.error(location.clone(), message);
                }
            }
            Value::Array(items) => items
                .iter()
                .for_each(|i| self.check_json_templates(i, location)),
            Value::Object(map) => map
                .values()
                .for_each(|i| self.check_json_templates(i, location)),
            _ => {}
        }
    }

    fn auth(&mut self, raw: Spanned<Value>) -> Option<BasicAuth> {
        let location = self.at(&raw);
        let basic = match &raw.value {
            Value::Object(map) if map.len() == 1 && map.contains_key("basic") => &map["basic"],
            _ => {
                self.error(location, "`auth` must be `{ basic: CLIENT }` or `{ basic: { username: ..., password: ... } }`");
                return None;
            }
        };
        match basic {
            Value::String(client) => {
                if !self.scope.has_client(client) && !self.assumed_clients.contains(client) {
                    let known = match self.scope.clients.join(", ") {
                        k if k.is_empty() => "the environment declares no clients".to_string(),
                        k => format!("the environment has: {k}"),
                    };
                    self.error(location, format!("unknown client `{client}` ({known})"));
                }
                Some(BasicAuth::Client(client.clone()))
            }
            Value::Object(map)
                if map.len() == 2
                    && map.get("username").is_some_and(Value::is_string)
                    && map.get("password").is_some_and(Value::is_string) =>
            {
                let part = |key: &str| {
                    map.get(key)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string()
                };
                let (referenced, defined) = (raw.referenced, raw.defined);
                let username = self.template(Spanned::new(part("username"), referenced, defined));
                let password = self.template(Spanned::new(part("password"), referenced, defined));
                Some(BasicAuth::Credentials { username, password })
            }
            _ => {
                self.error(
                    location,
                    "`basic` must name a client or have exactly `username` and `password` strings",
                );
                None
            }
        }
    }

    pub(super) fn matchers(&mut self, spec: &Spanned<Value>) -> Option<Vec<Matcher>> {
        let location = self.at(spec);
        match Matcher::parse(&spec.value) {
            Ok(mut matchers) => {
                for s in matchers.iter_mut().flat_map(Matcher::strings_mut) {
                    let t = Template::new(s.clone(), location.clone());
                    if let Err(message) = self.renderer.check(&t, &self.probe, &self.captures) {
                        self.error(location.clone(), message);
                    }
                }
                Some(matchers)
            }
            Err(message) => {
                self.error(location, message);
                None
            }
        }
    }

    fn expect(
        &mut self,
        raw: RawExpect,
    ) -> (Vec<Expectation>, Vec<JwtExpectation>, Option<String>) {
        let rule = raw.rule.and_then(|r| self.rule_id(r));
        let jwts = self.jwt_expectations(raw.jwt);
        let mut out = Vec::new();
        if let Some(status) = raw.status
            && let Some(matchers) = self.matchers(&status)
        {
            out.push(Expectation {
                subject: Subject::Status,
                matchers,
                location: self.at(&status),
            });
        }
        for (name, spec) in raw.headers.0 {
            if reqwest::header::HeaderName::from_bytes(name.value.as_bytes()).is_err() {
                let at = self.at(&name);
                self.error(at, format!("invalid header name `{}`", name.value));
                continue;
            }
            if let Some(matchers) = self.matchers(&spec) {
                let subject = Subject::Header(name.value.to_ascii_lowercase());
                out.push(Expectation {
                    subject,
                    matchers,
                    location: self.at(&spec),
                });
            }
        }
        out.extend(self.json_expectations(raw.json));
        (out, jwts, rule)
    }

    /// Expectations on members of a JSON document (a body, a JWT's header or claims).
    pub(super) fn json_expectations(
        &mut self,
        map: OrderedMap<Spanned<String>, Spanned<Value>>,
    ) -> Vec<Expectation> {
        let mut out = Vec::new();
        for (key, spec) in map.0 {
            let subject = match Subject::json(&key.value) {
                Ok(s) => s,
                Err(message) => {
                    let at = self.at(&key);
                    self.error(at, message);
                    continue;
                }
            };
            if let Some(matchers) = self.matchers(&spec) {
                out.push(Expectation {
                    subject,
                    matchers,
                    location: self.at(&spec),
                });
            }
        }
        out
    }

    fn captures(&mut self, raw: OrderedMap<Spanned<String>, Spanned<Value>>) -> Vec<Capture> {
        let mut out = Vec::new();
        for (name, spec) in raw.0 {
            self.declare(&name, "capture");
            let location = self.at(&spec);
            let source = match capture_source(&spec.value) {
                Ok(s) => s,
                Err(message) => {
                    self.error(location, message);
                    continue;
                }
            };
            self.captures.insert(name.value.clone());
            if let Value::Object(root) = self.probe.data_mut() {
                root.insert(name.value.clone(), Value::String("probe".into()));
            }
            out.push(Capture {
                name: name.value,
                source,
                location,
            });
        }
        out
    }
}

/// The `requires:` item of a scenario that needs an https issuer (a `plain_http` probe).
pub(crate) const HTTPS: &str = "https";

fn unknown_lifetime(name: &str) -> String {
    format!(
        "unknown lifetime `{name}`, expected one of {}",
        Lifetimes::NAMES.join(", ")
    )
}

const CAPTURE_FORMS: &str =
    "a JSONPath string, `{ json: PATH }`, `{ header: NAME }` or `{ redirect_query: NAME }`";

fn capture_source(spec: &Value) -> Result<CaptureSource, String> {
    let json = |path: &str| match Subject::json(path)? {
        Subject::Json(selector) => Ok(CaptureSource::Json(selector)),
        _ => Err(format!("a capture is {CAPTURE_FORMS}")),
    };
    match spec {
        Value::String(path) => json(path),
        Value::Object(map) if map.len() == 1 => {
            let (kind, arg) = map
                .iter()
                .next()
                .ok_or_else(|| format!("a capture is {CAPTURE_FORMS}"))?;
            let arg = arg
                .as_str()
                .ok_or_else(|| format!("`{kind}` needs a string"))?;
            match kind.as_str() {
                "json" => json(arg),
                "header" => Ok(CaptureSource::Header(arg.to_ascii_lowercase())),
                "redirect_query" => Ok(CaptureSource::RedirectQuery(arg.to_string())),
                other => Err(format!(
                    "unknown capture source `{other}`: a capture is {CAPTURE_FORMS}"
                )),
            }
        }
        _ => Err(format!("a capture is {CAPTURE_FORMS}")),
    }
}
