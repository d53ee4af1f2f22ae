//! What a scenario's OAuth flow remembers from one step to the next: the last authorization,
//! the last tokens, the server's metadata and keys, and the assertions sent.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use super::http::{Received, Sent};
use crate::oauth::Pkce;
use crate::rules::{Probe, RedirectView, SentRequest};

#[derive(Clone, Debug, Default)]
pub(super) struct Authorization {
    pub client: String,
    pub code: Option<String>,
    pub redirect_uri: String,
    pub nonce: Option<String>,
    pub pkce: Option<Pkce>,
    pub openid: bool,
    /// The query parameters the authorization request was sent with.
    pub params: Vec<(String, String)>,
}

#[derive(Clone, Debug, Default)]
pub(super) struct Tokens {
    pub client: String,
    pub access_token: Option<String>,
    pub refresh_token: Option<String>,
    pub id_token: Option<String>,
    pub id_token_sub: Option<String>,
}

#[derive(Default)]
pub(super) struct Flow {
    /// Shared with the run (fetched once before the first scenario) until a step fetches its own.
    pub metadata: Option<Arc<Value>>,
    pub jwks: Option<Arc<Value>>,
    pub authorization: Option<Authorization>,
    pub tokens: Option<Tokens>,
    /// Client assertions sent, by step name (for replay tests).
    pub assertions: HashMap<String, String>,
    /// The cookie-keeping client of this scenario's browser-like requests, made on first use.
    pub browser: Option<(reqwest::Client, Arc<reqwest::cookie::Jar>)>,
}

/// What one step did.
#[derive(Default)]
pub(super) struct StepRun {
    pub exchanges: Vec<Sent>,
    /// The response the step's expectations and rules look at.
    pub primary: Option<Received>,
    /// The request behind `primary`, for rules.
    pub sent: SentRequest,
    pub redirect: Option<RedirectView>,
    /// The access token the request carried (userinfo, introspection).
    pub bearer: Option<String>,
    /// The ID token the flow held before a token step (a refresh must keep its claims).
    pub previous_id_token: Option<String>,
    /// Requests sent to probe the server (endpoint reachability, the plain-http side).
    pub probes: Vec<Probe>,
    /// No answer at all is the step's outcome, to be judged, not a transport error: a
    /// plain-http probe that finds the connection refused.
    pub no_answer_is_an_outcome: bool,
}
