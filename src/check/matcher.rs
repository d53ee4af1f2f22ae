use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, LazyLock, Mutex};

use regex::Regex;
use serde_json::Value;

/// One test applied to an observed value. A YAML scalar means `equals`; a mapping may combine
/// several matchers, each reported as its own check.
#[derive(Clone, Debug)]
pub enum Matcher {
    Equals(Value),
    NotEquals(Value),
    EqualsIgnoreCase(String),
    OneOf(Vec<Value>),
    Type(JsonType),
    /// Shared by every matcher of the same pattern (see [`compiled`]).
    Regex(Arc<Regex>),
    /// A substring of a string, an element of an array, a member name of an object.
    Contains(Value),
    Exists,
    Absent,
    Min(f64),
    Max(f64),
    /// The length of a string (in characters), an array or an object.
    Length(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonType {
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
    Null,
}

const MATCHERS: &str =
    "equals, equals_ignore_case, one_of, type, regex, contains, exists, absent, min, max, length";
const TYPES: &str = "string, integer, number, boolean, array, object, null";

impl Matcher {
    /// Reads the matchers written for one subject.
    pub fn parse(value: &Value) -> Result<Vec<Matcher>, String> {
        let Value::Object(map) = value else {
            return Ok(vec![Matcher::Equals(value.clone())]);
        };
        if map.is_empty() {
            return Err(format!("empty matcher: expected one of {MATCHERS}"));
        }
        map.iter()
            .map(|(name, operand)| Self::parse_one(name, operand))
            .collect()
    }

    fn parse_one(name: &str, operand: &Value) -> Result<Matcher, String> {
        let number = |v: &Value| v.as_f64().ok_or_else(|| format!("`{name}` needs a number"));
        let flag = |v: &Value| {
            v.as_bool()
                .ok_or_else(|| format!("`{name}` needs true or false"))
        };
        Ok(match name {
            "equals" => Matcher::Equals(operand.clone()),
            "not_equals" => Matcher::NotEquals(operand.clone()),
            "equals_ignore_case" => Matcher::EqualsIgnoreCase(
                operand
                    .as_str()
                    .ok_or("`equals_ignore_case` needs a string")?
                    .to_string(),
            ),
            "one_of" => Matcher::OneOf(
                operand
                    .as_array()
                    .ok_or("`one_of` needs a list of values")?
                    .clone(),
            ),
            "type" => Matcher::Type(
                JsonType::parse(operand.as_str().unwrap_or_default())
                    .ok_or_else(|| format!("`type` needs one of {TYPES}"))?,
            ),
            "regex" => {
                let pattern = operand.as_str().ok_or("`regex` needs a string")?;
                Matcher::Regex(compiled(pattern)?)
            }
            "contains" => Matcher::Contains(operand.clone()),
            "exists" => {
                if flag(operand)? {
                    Matcher::Exists
                } else {
                    Matcher::Absent
                }
            }
            "absent" => {
                if flag(operand)? {
                    Matcher::Absent
                } else {
                    Matcher::Exists
                }
            }
            "min" => Matcher::Min(number(operand)?),
            "max" => Matcher::Max(number(operand)?),
            "length" => Matcher::Length(
                operand
                    .as_u64()
                    .and_then(|n| usize::try_from(n).ok())
                    .ok_or("`length` needs a non-negative integer")?,
            ),
            other => {
                return Err(format!(
                    "unknown matcher `{other}`, expected one of {MATCHERS}"
                ));
            }
        })
    }

    pub fn name(&self) -> &'static str {
        match self {
            Matcher::Equals(_) => "equals",
            Matcher::NotEquals(_) => "not_equals",
            Matcher::EqualsIgnoreCase(_) => "equals_ignore_case",
            Matcher::OneOf(_) => "one_of",
            Matcher::Type(_) => "type",
            Matcher::Regex(_) => "regex",
            Matcher::Contains(_) => "contains",
            Matcher::Exists => "exists",
            Matcher::Absent => "absent",
            Matcher::Min(_) => "min",
            Matcher::Max(_) => "max",
            Matcher::Length(_) => "length",
        }
    }

    /// The string operands, which may be templates rendered at run time.
    pub fn strings_mut(&mut self) -> Vec<&mut String> {
        fn walk<'a>(v: &'a mut Value, out: &mut Vec<&'a mut String>) {
            match v {
                Value::String(s) => out.push(s),
                Value::Array(items) => items.iter_mut().for_each(|i| walk(i, out)),
                Value::Object(map) => map.values_mut().for_each(|i| walk(i, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        match self {
            Matcher::Equals(v) | Matcher::NotEquals(v) | Matcher::Contains(v) => walk(v, &mut out),
            Matcher::OneOf(vs) => vs.iter_mut().for_each(|v| walk(v, &mut out)),
            Matcher::EqualsIgnoreCase(s) => out.push(s),
            _ => {}
        }
        out
    }

    /// Whether `actual` (`None` when absent) satisfies the matcher.
    pub fn matches(&self, actual: Option<&Value>) -> bool {
        let Some(actual) = actual else {
            return matches!(self, Matcher::Absent);
        };
        match self {
            Matcher::Equals(expected) => json_eq(expected, actual),
            Matcher::NotEquals(other) => !json_eq(other, actual),
            Matcher::EqualsIgnoreCase(expected) => actual
                .as_str()
                .is_some_and(|a| a.eq_ignore_ascii_case(expected)),
            Matcher::OneOf(options) => options.iter().any(|o| json_eq(o, actual)),
            Matcher::Type(t) => t.matches(actual),
            Matcher::Regex(re) => actual.as_str().is_some_and(|a| re.is_match(a)),
            Matcher::Contains(needle) => match (actual, needle) {
                (Value::String(a), Value::String(n)) => a.contains(n.as_str()),
                (Value::Array(items), n) => items.iter().any(|i| json_eq(i, n)),
                (Value::Object(map), Value::String(n)) => map.contains_key(n),
                _ => false,
            },
            Matcher::Exists => true,
            Matcher::Absent => false,
            Matcher::Min(min) => actual.as_f64().is_some_and(|a| a >= *min),
            Matcher::Max(max) => actual.as_f64().is_some_and(|a| a <= *max),
            Matcher::Length(n) => match actual {
                Value::String(s) => s.chars().count() == *n,
                Value::Array(a) => a.len() == *n,
                Value::Object(o) => o.len() == *n,
                _ => false,
            },
        }
    }
}

impl fmt::Display for Matcher {
    /// The expectation as people read it in reports.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Matcher::Equals(v) | Matcher::Contains(v) => write!(f, "{v}"),
            Matcher::NotEquals(v) => write!(f, "not {v}"),
            Matcher::EqualsIgnoreCase(s) => write!(f, "{s:?} (any case)"),
            Matcher::OneOf(vs) => write!(f, "{}", Value::Array(vs.clone())),
            Matcher::Type(t) => f.write_str(t.name()),
            Matcher::Regex(re) => write!(f, "/{}/", re.as_str()),
            Matcher::Exists => f.write_str("present"),
            Matcher::Absent => f.write_str("absent"),
            Matcher::Min(n) => write!(f, ">= {n}"),
            Matcher::Max(n) => write!(f, "<= {n}"),
            Matcher::Length(n) => write!(f, "length {n}"),
        }
    }
}

impl JsonType {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "string" => JsonType::String,
            "integer" => JsonType::Integer,
            "number" => JsonType::Number,
            "boolean" => JsonType::Boolean,
            "array" => JsonType::Array,
            "object" => JsonType::Object,
            "null" => JsonType::Null,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            JsonType::String => "string",
            JsonType::Integer => "integer",
            JsonType::Number => "number",
            JsonType::Boolean => "boolean",
            JsonType::Array => "array",
            JsonType::Object => "object",
            JsonType::Null => "null",
        }
    }

    fn matches(self, v: &Value) -> bool {
        match self {
            JsonType::String => v.is_string(),
            JsonType::Integer => v.is_i64() || v.is_u64(),
            JsonType::Number => v.is_number(),
            JsonType::Boolean => v.is_boolean(),
            JsonType::Array => v.is_array(),
            JsonType::Object => v.is_object(),
            JsonType::Null => v.is_null(),
        }
    }
}

/// JSON equality where `3600` equals `3600.0`.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// The regex of `pattern`, compiled once per process: a suite repeats its patterns in every
/// scenario, and each compiled regex (with its match caches) weighs kilobytes: 10,000 copies of
/// `^at-` took 60 MB.
fn compiled(pattern: &str) -> Result<Arc<Regex>, String> {
    static COMPILED: LazyLock<Mutex<HashMap<String, Arc<Regex>>>> = LazyLock::new(Mutex::default);
    let mut compiled = COMPILED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(regex) = compiled.get(pattern) {
        return Ok(regex.clone());
    }
    let regex = Arc::new(Regex::new(pattern).map_err(|e| format!("invalid regex: {e}"))?);
    compiled.insert(pattern.to_owned(), regex.clone());
    Ok(regex)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn check(spec: Value, actual: Option<Value>) -> bool {
        Matcher::parse(&spec)
            .unwrap()
            .iter()
            .all(|m| m.matches(actual.as_ref()))
    }

    #[test]
    fn a_scalar_means_equals() {
        assert!(check(json!("Bearer"), Some(json!("Bearer"))));
        assert!(!check(json!("Bearer"), Some(json!("bearer"))));
        assert!(check(json!(3600), Some(json!(3600.0))));
        assert!(!check(json!(3600), None));
    }

    #[test]
    fn each_matcher_passes_and_fails() {
        assert!(check(
            json!({"equals_ignore_case": "bearer"}),
            Some(json!("Bearer"))
        ));
        assert!(check(json!({"one_of": [200, 201]}), Some(json!(201))));
        assert!(!check(json!({"one_of": [200, 201]}), Some(json!(400))));
        assert!(check(json!({"type": "integer"}), Some(json!(3))));
        assert!(!check(json!({"type": "integer"}), Some(json!(3.5))));
        assert!(!check(json!({"type": "string"}), Some(json!(3))));
        assert!(check(json!({"regex": "^at-"}), Some(json!("at-123"))));
        assert!(!check(json!({"regex": "^at-"}), Some(json!("xt-123"))));
        assert!(check(
            json!({"contains": "no-store"}),
            Some(json!("no-store, private"))
        ));
        assert!(check(
            json!({"contains": "openid"}),
            Some(json!(["openid", "x"]))
        ));
        assert!(!check(
            json!({"contains": "y"}),
            Some(json!(["openid", "x"]))
        ));
        assert!(check(json!({"exists": true}), Some(json!(null))));
        assert!(!check(json!({"exists": true}), None));
        assert!(check(json!({"absent": true}), None));
        assert!(!check(json!({"absent": true}), Some(json!(1))));
        assert!(check(json!({"min": 1, "max": 3600}), Some(json!(3600))));
        assert!(!check(json!({"min": 1}), Some(json!(0))));
        assert!(!check(json!({"max": 10}), Some(json!(11))));
        assert!(check(json!({"length": 3}), Some(json!("abc"))));
        assert!(!check(json!({"length": 3}), Some(json!([1]))));
    }

    #[test]
    fn mistakes_are_explained() {
        let err = |v: Value| Matcher::parse(&v).unwrap_err();
        assert!(err(json!({"equal": 1})).contains("unknown matcher `equal`"));
        assert!(err(json!({"regex": "("})).contains("invalid regex"));
        assert!(err(json!({"type": "int"})).contains("`type` needs one of"));
        assert!(err(json!({"min": "a"})).contains("needs a number"));
    }
}
