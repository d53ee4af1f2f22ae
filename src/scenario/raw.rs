//! The scenario file as written. Free-form parts (matchers, captures, JSON bodies) stay as
//! spanned JSON values here; `resolve` interprets them so it can say precisely what is wrong.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;
use serde_saphyr::Spanned;

use super::OrderedMap;
use super::raw_protocol::{
    RawAuthorize, RawDiscovery, RawEndSession, RawJwks, RawPlainHttp, RawRegister, RawRules,
    RawToken, RawTokenOperation, RawUserinfo,
};

/// A scenario: a named, ordered list of steps.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    #[serde(default)]
    pub doc: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Scenario variables, usable as `{{ name }}` in every step.
    #[serde(default)]
    pub vars: OrderedMap<Spanned<String>, Spanned<Value>>,
    #[serde(default)]
    pub rules: Option<RawRules>,
    /// Endpoints the target must have; without one, the scenario is skipped with the reason.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub requires: Vec<Spanned<String>>,
    #[schemars(with = "Vec<RawStep>")]
    pub steps: Vec<Spanned<RawStep>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// Wait before the step's request: a duration (`1500ms`, `2s`), or
    /// `{ until_expired: authorization_code }` for a lifetime the environment declares under
    /// `lifetimes:`, plus one second.
    #[serde(default)]
    #[schemars(with = "Option<RawDelay>")]
    pub delay: Option<Spanned<Value>>,
    /// The action: exactly one of these per step.
    #[serde(default)]
    #[schemars(with = "Option<RawHttp>")]
    pub http: Option<Spanned<RawHttp>>,
    #[serde(default)]
    #[schemars(with = "Option<RawDiscovery>")]
    pub discovery: Option<Spanned<RawDiscovery>>,
    #[serde(default)]
    #[schemars(with = "Option<RawJwks>")]
    pub jwks: Option<Spanned<RawJwks>>,
    #[serde(default)]
    #[schemars(with = "Option<RawAuthorize>")]
    pub authorize: Option<Spanned<RawAuthorize>>,
    #[serde(default)]
    #[schemars(with = "Option<RawToken>")]
    pub token: Option<Spanned<RawToken>>,
    #[serde(default)]
    #[schemars(with = "Option<RawUserinfo>")]
    pub userinfo: Option<Spanned<RawUserinfo>>,
    #[serde(default)]
    #[schemars(with = "Option<RawTokenOperation>")]
    pub introspect: Option<Spanned<RawTokenOperation>>,
    #[serde(default)]
    #[schemars(with = "Option<RawTokenOperation>")]
    pub revoke: Option<Spanned<RawTokenOperation>>,
    #[serde(default)]
    #[schemars(with = "Option<RawEndSession>")]
    pub end_session: Option<Spanned<RawEndSession>>,
    #[serde(default)]
    #[schemars(with = "Option<RawRegister>")]
    pub register: Option<Spanned<RawRegister>>,
    #[serde(default)]
    #[schemars(with = "Option<RawPlainHttp>")]
    pub plain_http: Option<Spanned<RawPlainHttp>>,
    #[serde(default)]
    pub rules: Option<RawRules>,
    /// The later steps rely on what this step expects: they are skipped, with the reason, when
    /// one of its expectations does not hold, even one graded `should` or `info`.
    #[serde(default)]
    pub prerequisite: bool,
    #[serde(default)]
    pub expect: Option<RawExpect>,
    #[serde(default)]
    pub capture: OrderedMap<Spanned<String>, Spanned<Value>>,
}

/// The shape of `delay` (for the schema; the resolver reads it, to say what is wrong).
#[derive(JsonSchema)]
#[serde(untagged)]
#[expect(dead_code, reason = "only its JSON Schema is used")]
pub enum RawDelay {
    /// A duration: `500ms`, `2s`, `1m`.
    For(String),
    Until(RawUntilExpired),
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[expect(dead_code, reason = "only its JSON Schema is used")]
pub struct RawUntilExpired {
    /// A lifetime the environment declares under `lifetimes:` (`authorization_code`).
    pub until_expired: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawHttp {
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub method: Option<Spanned<String>>,
    #[schemars(with = "String")]
    pub url: Spanned<String>,
    #[serde(default)]
    pub headers: OrderedMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    pub query: OrderedMap<Spanned<String>, Spanned<StringOrList>>,
    #[serde(default)]
    #[schemars(with = "Option<OrderedMap<Spanned<String>, Spanned<StringOrList>>>")]
    pub form: Option<Spanned<OrderedMap<Spanned<String>, Spanned<StringOrList>>>>,
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub json: Option<Spanned<Value>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub body: Option<Spanned<String>>,
    /// `{ basic: CLIENT }` or `{ basic: { username: ..., password: ... } }`.
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub auth: Option<Spanned<Value>>,
}

/// A parameter value; a list sends the parameter once per item (to test repeated parameters).
/// YAML numbers and booleans are taken as their text (`max_age: 60`).
#[derive(Debug)]
pub enum StringOrList {
    One(String),
    Many(Vec<String>),
}

impl<'de> Deserialize<'de> for StringOrList {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = StringOrList;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(StringOrList::One(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(StringOrList::One(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(StringOrList::One(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(StringOrList::One(v.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(StringOrList::One(v.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<StringOrList>()? {
                    match item {
                        StringOrList::One(s) => items.push(s),
                        StringOrList::Many(_) => {
                            return Err(serde::de::Error::custom("nested lists are not allowed"));
                        }
                    }
                }
                Ok(StringOrList::Many(items))
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl JsonSchema for StringOrList {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "StringOrList".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A value, or a list of values (the parameter is repeated)",
            "anyOf": [
                { "type": ["string", "number", "boolean"] },
                { "type": "array", "items": { "type": ["string", "number", "boolean"] } }
            ]
        })
    }
}

impl StringOrList {
    pub fn values(&self) -> Vec<&str> {
        match self {
            StringOrList::One(s) => vec![s.as_str()],
            StringOrList::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawExpect {
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub status: Option<Spanned<Value>>,
    #[serde(default)]
    pub headers: OrderedMap<Spanned<String>, Spanned<Value>>,
    #[serde(default)]
    pub json: OrderedMap<Spanned<String>, Spanned<Value>>,
    /// JWTs in the JSON body, by member name: `{ id_token: { verify: true, claims: {...} } }`.
    #[serde(default)]
    pub jwt: OrderedMap<Spanned<String>, Spanned<RawJwtExpect>>,
    /// The conformance rule these expectations enforce: their failures are that rule's.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub rule: Option<Spanned<String>>,
    /// `true`, a name, or `{ name, per_environment, redact }`: see `docs/snapshots.md`.
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub snapshot: Option<Spanned<Value>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawJwtExpect {
    /// Verify the signature against the server's key set (default true).
    #[serde(default)]
    pub verify: Option<bool>,
    #[serde(default)]
    pub header: OrderedMap<Spanned<String>, Spanned<Value>>,
    #[serde(default)]
    pub claims: OrderedMap<Spanned<String>, Spanned<Value>>,
}
