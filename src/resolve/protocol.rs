//! The resolved OAuth-native steps.

use reqwest::Method;
use serde_json::Value;

use crate::oauth::Mutation;
use crate::template::Template;

/// A request part the step fills in by default, that a scenario may replace or leave out.
#[derive(Clone, Debug, Default)]
pub enum Choice {
    #[default]
    Default,
    Omit,
    Value(Template),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PkceMode {
    S256,
    Plain,
    None,
}

#[derive(Clone, Debug)]
pub struct AuthorizeStep {
    pub client: String,
    pub user: Option<String>,
    pub scope: Option<Template>,
    pub response_type: Option<Template>,
    pub redirect_uri: Option<Template>,
    pub state: Choice,
    pub nonce: Choice,
    pub pkce: PkceMode,
    /// Default: the `pkce` method.
    pub code_challenge_method: Choice,
    /// Default: a fresh random verifier.
    pub code_verifier: Option<Template>,
    pub prompt: Option<Template>,
    pub params: Vec<(String, Template)>,
}

#[derive(Clone, Debug)]
pub struct TokenStep {
    pub grant_type: Template,
    pub client: Option<String>,
    pub auth: Option<String>,
    pub code: Choice,
    pub redirect_uri: Choice,
    pub code_verifier: Choice,
    pub refresh_token: Choice,
    pub scope: Option<Template>,
    pub params: Vec<(String, Template)>,
    pub query: Vec<(String, Template)>,
    pub assertion: Option<AssertionStep>,
}

#[derive(Clone, Debug)]
pub enum Audience {
    TokenEndpoint,
    Issuer,
    Url(Template),
}

#[derive(Clone, Debug)]
pub struct AssertionStep {
    pub header: Vec<(String, Value)>,
    pub claims: Vec<(String, Value)>,
    pub audience: Audience,
    pub alg: Option<String>,
    pub mutations: Vec<Mutation>,
    pub reuse_from: Option<String>,
    pub assertion_type: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenIn {
    Header,
    Body,
    Query,
}

#[derive(Clone, Debug)]
pub struct UserinfoStep {
    pub token: Choice,
    pub method: Method,
    pub token_in: TokenIn,
}

#[derive(Clone, Debug)]
pub struct RegisterStep {
    pub metadata: Option<super::JsonTemplate>,
    pub initial_access_token: Choice,
}

#[derive(Clone, Debug)]
pub struct TokenOperation {
    pub token: Choice,
    pub token_type_hint: Option<String>,
    pub client: Option<String>,
    pub auth: Option<String>,
}

#[derive(Clone, Debug)]
pub struct EndSessionStep {
    pub client: Option<String>,
    pub id_token_hint: Choice,
    pub post_logout_redirect_uri: Option<Template>,
    pub state: Choice,
}
