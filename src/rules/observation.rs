use std::sync::Arc;

use serde_json::Value;

/// What a rule looks at: one exchange of a step, and what the flow knows.
pub struct Observation<'a> {
    /// The step kind (`token`, `authorize`, ...).
    pub kind: &'a str,
    pub request: &'a SentRequest,
    pub status: u16,
    /// Lower-case names.
    pub headers: &'a [(String, String)],
    pub json: Option<&'a Value>,
    pub body: &'a str,
    pub flow: &'a FlowView,
    /// For `authorize`: where the flow ended.
    pub redirect: Option<&'a RedirectView>,
    /// Every URL the step requested, in order: one for most steps; an authorization's
    /// redirect hops and form posts as well.
    pub urls: &'a [String],
    /// The profile of the environment.
    pub profile: &'a str,
    /// Requests the step sent beside its own to probe the server: the advertised endpoints
    /// (`discovery` with `probe: endpoints`), or the plain-http side (`plain_http`).
    pub probes: &'a [Probe],
}

#[cfg(test)]
impl<'a> Observation<'a> {
    /// A `status` response with a JSON body to `request`, as the rules' unit tests observe it.
    pub(crate) fn of_json(
        kind: &'a str,
        request: &'a SentRequest,
        status: u16,
        json: &'a Value,
        flow: &'a FlowView,
    ) -> Self {
        Self {
            kind,
            request,
            status,
            headers: &[],
            json: Some(json),
            body: "{}",
            flow,
            redirect: None,
            urls: &[],
            profile: "generic",
            probes: &[],
        }
    }
}

impl Observation<'_> {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn member(&self, name: &str) -> Option<&Value> {
        self.json.and_then(|j| j.get(name))
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// The request as sent (before redaction).
#[derive(Clone, Debug, Default)]
pub struct SentRequest {
    pub method: String,
    pub url: String,
    /// Form parameters of the body.
    pub form: Vec<(String, String)>,
    /// Parameters of the query string.
    pub query: Vec<(String, String)>,
    /// How the client authenticated (`client_secret_basic`, ..., `none`).
    pub client_auth: Option<String>,
}

impl SentRequest {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .chain(&self.query)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A request sent to probe the server, and what came of it.
#[derive(Clone, Debug)]
pub struct Probe {
    /// What was probed: a metadata member (`token_endpoint`) or an endpoint name (`token`).
    pub name: String,
    pub request: SentRequest,
    /// The answer, or why there was none (the classified transport failure).
    pub answer: Result<ProbeAnswer, String>,
}

/// The HTTP answer to a probe.
#[derive(Clone, Debug, Default)]
pub struct ProbeAnswer {
    pub status: u16,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub json: Option<Value>,
}

impl ProbeAnswer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the scenario's flow knows when the rule runs.
#[derive(Clone, Debug, Default)]
pub struct FlowView {
    pub issuer: Option<String>,
    pub metadata: Option<Arc<Value>>,
    pub jwks: Option<Arc<Value>>,
    pub client_id: Option<String>,
    /// The `nonce` sent in the authorization request whose code this token response is for.
    pub nonce: Option<String>,
    /// Whether the authorization request asked for `openid`.
    pub openid: bool,
    /// The query parameters of that authorization request (`max_age`, `acr_values`, ...).
    pub authorization_params: Vec<(String, String)>,
    /// The `sub` of the last ID token of the flow (UserInfo must return the same).
    pub id_token_sub: Option<String>,
    /// The claims of the ID token the flow held before this step (a refresh must keep them).
    pub previous_id_token: Option<Arc<Value>>,
    /// The access token the request carried (introspection, userinfo), for `at_hash` and
    /// consistency checks.
    pub access_token: Option<String>,
    /// For introspection and revocation: the type (`access_token`, `refresh_token`) of the token
    /// the request carried when it is one the flow got for the client sending it and no
    /// revocation of the flow has touched its grant; `None` for any other token.
    pub own_token_type: Option<&'static str>,
    /// Seconds since the Unix epoch when the response arrived.
    pub now: u64,
}

impl FlowView {
    /// A parameter of the authorization request whose code the flow holds.
    pub fn authorization_param(&self, name: &str) -> Option<&str> {
        self.authorization_params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The end of an authorization redirect chain.
#[derive(Clone, Debug, Default)]
pub struct RedirectView {
    /// The status of the response that pointed at the redirect URI.
    pub status: u16,
    /// The `state` the request carried, if any.
    pub state_sent: Option<String>,
    /// Query (or fragment) parameters of the redirect back to the client.
    pub params: Vec<(String, String)>,
    /// Statuses of every redirect in the chain, in order.
    pub chain: Vec<u16>,
    /// Headers of the login page, when one was shown.
    pub login_page_headers: Option<Vec<(String, String)>>,
}

impl RedirectView {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A rule's verdict on one observation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// The rule does not apply to this exchange.
    NotApplicable,
    Pass {
        actual: String,
    },
    Fail {
        expected: String,
        actual: String,
    },
    /// The rule does not hold on a point its clause only recommends (a MUST/SHOULD item):
    /// graded at most `should`, whatever the rule's own severity.
    FailShould {
        expected: String,
        actual: String,
    },
}

impl Finding {
    pub fn check(ok: bool, expected: impl Into<String>, actual: impl Into<String>) -> Self {
        if ok {
            Finding::Pass {
                actual: actual.into(),
            }
        } else {
            Finding::Fail {
                expected: expected.into(),
                actual: actual.into(),
            }
        }
    }
}
