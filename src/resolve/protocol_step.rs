//! Resolution of the OAuth-native steps, rule references and JWT expectations.

use reqwest::Method;
use serde_json::Value;
use serde_saphyr::Spanned;

use super::model::{Action, JsonTemplate, JwtExpectation, RuleOverrides};
use super::protocol::{
    AssertionStep, Audience, AuthorizeStep, Choice, EndSessionStep, PkceMode, RegisterStep,
    TokenIn, TokenOperation, TokenStep, UserinfoStep,
};
use super::step::Resolver;
use crate::diag::Location;
use crate::environment::AUTH_METHODS;
use crate::oauth::Mutation;
use crate::scenario::{
    OrderedMap, RawAuthorize, RawEndSession, RawJwtExpect, RawRegister, RawRules, RawStep,
    RawToken, RawTokenOperation, RawUserinfo,
};
use crate::template::Template;

const ACTIONS: &str = "http, discovery, jwks, authorize, token, userinfo, introspect, revoke, end_session, register, plain_http";

/// The endpoints a `plain_http` step can probe: those that take a form with client
/// credentials, which A-01 exists to keep off the network in clear.
const PLAIN_HTTP_ENDPOINTS: &[&str] = &["token", "introspection", "revocation"];

impl Resolver<'_> {
    /// Exactly one action per step; takes it out of `raw`.
    pub(super) fn action(&mut self, location: &Location, raw: &mut RawStep) -> Option<Action> {
        let present = [
            raw.http.is_some(),
            raw.discovery.is_some(),
            raw.jwks.is_some(),
            raw.authorize.is_some(),
            raw.token.is_some(),
            raw.userinfo.is_some(),
            raw.introspect.is_some(),
            raw.revoke.is_some(),
            raw.end_session.is_some(),
            raw.register.is_some(),
            raw.plain_http.is_some(),
        ];
        let count = present.iter().filter(|x| **x).count();
        if count != 1 {
            let what = if count == 0 {
                "a step needs an action"
            } else {
                "a step has exactly one action"
            };
            self.error(location.clone(), format!("{what}: one of {ACTIONS}"));
            return None;
        }
        Some(if let Some(h) = raw.http.take() {
            Action::Http(self.http(h))
        } else if let Some(d) = raw.discovery.take() {
            let probe_endpoints = match d.value.probe {
                None => false,
                Some(p) if p.value == "endpoints" => true,
                Some(p) => {
                    let at = self.at(&p);
                    self.error(
                        at,
                        format!("unknown probe `{}`: discovery probes `endpoints`", p.value),
                    );
                    false
                }
            };
            Action::Discovery {
                url: d.value.url.map(|u| self.template(u)),
                probe_endpoints,
            }
        } else if let Some(j) = raw.jwks.take() {
            Action::Jwks {
                url: j.value.url.map(|u| self.template(u)),
            }
        } else if let Some(a) = raw.authorize.take() {
            Action::Authorize(self.authorize(a.value))
        } else if let Some(t) = raw.token.take() {
            Action::Token(Box::new(self.token(t.value)))
        } else if let Some(u) = raw.userinfo.take() {
            Action::Userinfo(self.userinfo(u.value))
        } else if let Some(i) = raw.introspect.take() {
            Action::Introspect(self.token_operation(i.value))
        } else if let Some(r) = raw.revoke.take() {
            Action::Revoke(self.token_operation(r.value))
        } else if let Some(e) = raw.end_session.take() {
            Action::EndSession(self.end_session(e.value))
        } else if let Some(p) = raw.plain_http.take() {
            let endpoint = p.value.endpoint;
            if !PLAIN_HTTP_ENDPOINTS.contains(&endpoint.value.as_str()) {
                let at = self.at(&endpoint);
                self.error(
                    at,
                    format!(
                        "`plain_http` probes the endpoint {}; not `{}`",
                        PLAIN_HTTP_ENDPOINTS.join(", "),
                        endpoint.value
                    ),
                );
            }
            Action::PlainHttp {
                endpoint: endpoint.value,
            }
        } else {
            Action::Register(self.register(raw.register.take()?.value))
        })
    }

    fn client_ref(&mut self, name: Spanned<String>) -> String {
        if !self.scope.has_client(&name.value) && !self.assumed_clients.contains(&name.value) {
            let at = self.at(&name);
            let known = self.scope.clients.join(", ");
            self.error(
                at,
                format!("unknown client `{}` (known: {known})", name.value),
            );
        }
        name.value
    }

    fn opt_template(&mut self, t: Option<Spanned<String>>) -> Option<Template> {
        t.map(|t| self.template(t))
    }

    /// A string (a template), `false` (leave it out), or nothing (the default).
    fn choice(&mut self, v: Option<Spanned<Value>>) -> Choice {
        let Some(v) = v else { return Choice::Default };
        match &v.value {
            Value::Bool(false) => Choice::Omit,
            Value::String(s) => {
                let t = self.template(Spanned::new(s.clone(), v.referenced, v.defined));
                Choice::Value(t)
            }
            _ => {
                let at = self.at(&v);
                self.error(at, "expected a string, or false to leave it out");
                Choice::Default
            }
        }
    }

    fn auth_override(&mut self, auth: Option<Spanned<String>>) -> Option<String> {
        let auth = auth?;
        let mixed = ["basic_and_post", "basic_and_assertion"];
        if !AUTH_METHODS.contains(&auth.value.as_str()) && !mixed.contains(&auth.value.as_str()) {
            let at = self.at(&auth);
            self.error(
                at,
                format!(
                    "unknown auth `{}`, expected one of {}, basic_and_post, basic_and_assertion",
                    auth.value,
                    AUTH_METHODS.join(", ")
                ),
            );
        }
        Some(auth.value)
    }

    fn authorize(&mut self, raw: RawAuthorize) -> AuthorizeStep {
        let client = self.client_ref(raw.client);
        let user = raw.user.map(|u| {
            if !self.scope.has_user(&u.value) && !self.assumed_users.contains(&u.value) {
                let at = self.at(&u);
                let known = self.scope.users.join(", ");
                self.error(at, format!("unknown user `{}` (known: {known})", u.value));
            }
            u.value
        });
        let pkce = match raw.pkce {
            None => PkceMode::S256,
            Some(p) => match p.value.as_str() {
                "S256" => PkceMode::S256,
                "plain" => PkceMode::Plain,
                "none" => PkceMode::None,
                other => {
                    let at = self.at(&p);
                    self.error(
                        at,
                        format!("unknown pkce `{other}`, expected S256, plain or none"),
                    );
                    PkceMode::S256
                }
            },
        };
        if pkce == PkceMode::None {
            let given = [
                (
                    "code_challenge_method",
                    raw.code_challenge_method.as_ref().map(|v| self.at(v)),
                ),
                (
                    "code_verifier",
                    raw.code_verifier.as_ref().map(|v| self.at(v)),
                ),
            ];
            for (name, at) in given {
                if let Some(at) = at {
                    self.error(at, format!("`{name}` needs PKCE, but `pkce` is `none`"));
                }
            }
        }
        AuthorizeStep {
            client,
            user,
            scope: self.opt_template(raw.scope),
            response_type: self.opt_template(raw.response_type),
            redirect_uri: self.opt_template(raw.redirect_uri),
            state: self.choice(raw.state),
            nonce: self.choice(raw.nonce),
            pkce,
            code_challenge_method: self.choice(raw.code_challenge_method),
            code_verifier: self.opt_template(raw.code_verifier),
            prompt: self.opt_template(raw.prompt),
            params: self.params(raw.params),
        }
    }

    fn token(&mut self, raw: RawToken) -> TokenStep {
        let client = raw.client.map(|c| self.client_ref(c));
        let assertion = raw.assertion.map(|a| {
            let location = self.at(&a);
            let a = a.value;
            let mutations = a
                .mutate
                .into_iter()
                .filter_map(|m| match Mutation::parse(&m.value) {
                    Some(x) => Some(x),
                    None => {
                        let at = self.at(&m);
                        let known: Vec<&str> = Mutation::ALL.iter().map(|(n, _)| *n).collect();
                        self.error(
                            at,
                            format!(
                                "unknown mutation `{}`, expected one of {}",
                                m.value,
                                known.join(", ")
                            ),
                        );
                        None
                    }
                })
                .collect();
            let audience = match a.audience {
                None => Audience::Issuer,
                Some(s) if s.value == "token_endpoint" => Audience::TokenEndpoint,
                Some(s) if s.value == "issuer" => Audience::Issuer,
                Some(s) => Audience::Url(self.template(s)),
            };
            let reuse_from = a.reuse_from.map(|r| {
                if !self.earlier_steps.contains(&r.value) {
                    let at = self.at(&r);
                    self.error(
                        at,
                        format!("`reuse_from` names no earlier step: `{}`", r.value),
                    );
                }
                r.value
            });
            if let Some(alg) = &a.alg
                && !["RS256", "PS256", "ES256"].contains(&alg.value.as_str())
            {
                self.error(
                    location,
                    format!(
                        "unsupported alg `{}`, expected RS256, PS256 or ES256",
                        alg.value
                    ),
                );
            }
            AssertionStep {
                header: a.header.0,
                claims: a.claims.0,
                audience,
                alg: a.alg.map(|x| x.value),
                mutations,
                reuse_from,
                assertion_type: a.assertion_type,
            }
        });
        TokenStep {
            grant_type: self.template(raw.grant_type),
            client,
            auth: self.auth_override(raw.auth),
            code: self.choice(raw.code),
            redirect_uri: self.choice(raw.redirect_uri),
            code_verifier: self.choice(raw.code_verifier),
            refresh_token: self.choice(raw.refresh_token),
            scope: self.opt_template(raw.scope),
            params: self.params(raw.params),
            query: self.params(raw.query),
            assertion,
        }
    }

    fn userinfo(&mut self, raw: RawUserinfo) -> UserinfoStep {
        let method = match raw.method {
            None => Method::GET,
            Some(m) if m.value.eq_ignore_ascii_case("get") => Method::GET,
            Some(m) if m.value.eq_ignore_ascii_case("post") => Method::POST,
            Some(m) => {
                let at = self.at(&m);
                self.error(at, "userinfo `method` is GET or POST");
                Method::GET
            }
        };
        let token_in = match raw.token_in {
            None => TokenIn::Header,
            Some(t) => match t.value.as_str() {
                "header" => TokenIn::Header,
                "query" => TokenIn::Query,
                "body" => {
                    if method != Method::POST {
                        let at = self.at(&t);
                        self.error(at, "`token_in: body` needs `method: POST` (RFC 6750 §2.2)");
                    }
                    TokenIn::Body
                }
                _ => {
                    let at = self.at(&t);
                    self.error(at, "`token_in` is header, body or query");
                    TokenIn::Header
                }
            },
        };
        UserinfoStep {
            token: self.choice(raw.token),
            method,
            token_in,
        }
    }

    fn register(&mut self, raw: RawRegister) -> RegisterStep {
        let metadata = raw.metadata.map(|m| {
            let location = self.at(&m);
            self.check_json_templates(&m.value, &location);
            JsonTemplate {
                value: m.value,
                location,
            }
        });
        RegisterStep {
            metadata,
            initial_access_token: self.choice(raw.initial_access_token),
        }
    }

    fn token_operation(&mut self, raw: RawTokenOperation) -> TokenOperation {
        TokenOperation {
            token: self.choice(raw.token),
            token_type_hint: raw.token_type_hint,
            client: raw.client.map(|c| self.client_ref(c)),
            auth: self.auth_override(raw.auth),
        }
    }

    fn end_session(&mut self, raw: RawEndSession) -> EndSessionStep {
        EndSessionStep {
            client: raw.client.map(|c| self.client_ref(c)),
            id_token_hint: self.choice(raw.id_token_hint),
            post_logout_redirect_uri: self.opt_template(raw.post_logout_redirect_uri),
            state: self.choice(raw.state),
        }
    }

    pub(super) fn rule_id(&mut self, id: Spanned<String>) -> Option<String> {
        if crate::rules::find(&id.value).is_some() {
            Some(id.value)
        } else {
            let at = self.at(&id);
            self.error(
                at,
                format!("unknown rule `{}` (see docs/rules.md)", id.value),
            );
            None
        }
    }

    /// The rule switches of `raw` on top of `inherited`.
    pub(super) fn rule_overrides(
        &mut self,
        raw: Option<RawRules>,
        inherited: &RuleOverrides,
    ) -> RuleOverrides {
        let mut out = inherited.clone();
        let Some(raw) = raw else { return out };
        for id in raw.disable {
            if let Some(id) = self.rule_id(id) {
                out.disabled.push(id);
            }
        }
        for (id, grade) in raw.grade.0 {
            let Some(id) = self.rule_id(id) else { continue };
            match grade.value.parse() {
                Ok(severity) => out.grades.push((id, severity)),
                Err(message) => {
                    let at = self.at(&grade);
                    self.error(at, message);
                }
            }
        }
        out
    }

    pub(super) fn jwt_expectations(
        &mut self,
        raw: OrderedMap<Spanned<String>, Spanned<RawJwtExpect>>,
    ) -> Vec<JwtExpectation> {
        raw.0
            .into_iter()
            .map(|(member, spec)| {
                let location = self.at(&spec);
                let spec = spec.value;
                JwtExpectation {
                    member: member.value,
                    verify: spec.verify.unwrap_or(true),
                    header: self.json_expectations(spec.header),
                    claims: self.json_expectations(spec.claims),
                    location,
                }
            })
            .collect()
    }
}
