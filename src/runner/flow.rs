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
    /// Tokens of grants a revocation step of the flow was answered 200 for.
    pub revoked: Vec<String>,
    /// The cookie-keeping client of this scenario's browser-like requests, made on first use.
    pub browser: Option<(reqwest::Client, Arc<reqwest::cookie::Jar>)>,
}

impl Flow {
    /// The type (`access_token`, `refresh_token`) of `token` when it is one of the last tokens
    /// the flow got for `client` and no revocation of the flow has touched its grant.
    pub fn own_token_type(&self, token: &str, client: &str) -> Option<&'static str> {
        let tokens = self.tokens.as_ref().filter(|t| t.client == client)?;
        if self.revoked.iter().any(|r| r == token) {
            None
        } else if tokens.access_token.as_deref() == Some(token) {
            Some("access_token")
        } else if tokens.refresh_token.as_deref() == Some(token) {
            Some("refresh_token")
        } else {
            None
        }
    }

    /// After a revocation of one of the flow's tokens was answered 200: revoking either token of
    /// a grant may revoke the other (RFC 7009 §2.1).
    pub fn record_revocation(&mut self) {
        if let Some(t) = &self.tokens {
            self.revoked
                .extend(t.access_token.iter().chain(&t.refresh_token).cloned());
        }
    }
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
    /// For introspection and revocation: the type of the flow's own token the request carried
    /// ([`Flow::own_token_type`]).
    pub own_token: Option<&'static str>,
    /// The ID token the flow held before a token step (a refresh must keep its claims).
    pub previous_id_token: Option<String>,
    /// Requests sent to probe the server (endpoint reachability, the plain-http side).
    pub probes: Vec<Probe>,
    /// No answer at all is the step's outcome, to be judged, not a transport error: a
    /// plain-http probe that finds the connection refused.
    pub no_answer_is_an_outcome: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_the_flow_s_own_until_a_revocation_touches_its_grant() {
        let mut flow = Flow {
            tokens: Some(Tokens {
                client: "web_app".into(),
                access_token: Some("at".into()),
                refresh_token: Some("rt".into()),
                ..Tokens::default()
            }),
            ..Flow::default()
        };
        assert_eq!(flow.own_token_type("at", "web_app"), Some("access_token"));
        assert_eq!(flow.own_token_type("rt", "web_app"), Some("refresh_token"));
        assert_eq!(
            flow.own_token_type("at", "app_basic"),
            None,
            "another client"
        );
        assert_eq!(flow.own_token_type("other", "web_app"), None);
        flow.record_revocation();
        assert_eq!(flow.own_token_type("at", "web_app"), None);
        assert_eq!(flow.own_token_type("rt", "web_app"), None);
    }
}
