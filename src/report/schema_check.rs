//! A small JSON Schema checker for the keywords `docs/results-schema.json` uses, so tests can
//! hold the serialised run and its documented schema together without a schema crate. Any
//! other keyword is rejected, so the schema cannot silently say more than is checked.

use serde_json::{Map, Value};

const ANNOTATIONS: &[&str] = &["$schema", "$id", "title", "description", "$defs"];

/// Every place where `value` does not match `schema` (empty when it matches).
pub(crate) fn violations(schema: &Value, value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    Checker { root: schema }.check(schema, value, "$", &mut found);
    found
}

struct Checker<'a> {
    root: &'a Value,
}

impl Checker<'_> {
    fn check(&self, schema: &Value, value: &Value, at: &str, found: &mut Vec<String>) {
        let rules = match schema {
            Value::Bool(true) => return,
            Value::Bool(false) => return found.push(format!("{at}: not allowed")),
            Value::Object(rules) => rules,
            _ => panic!("{at}: a schema must be an object or a boolean"),
        };
        for (keyword, rule) in rules {
            match keyword.as_str() {
                "$ref" => self.check(self.resolve(rule), value, at, found),
                "type" => check_type(rule, value, at, found),
                "enum" => {
                    if !rule.as_array().is_some_and(|a| a.contains(value)) {
                        found.push(format!("{at}: {value} is not one of {rule}"));
                    }
                }
                "const" if rule != value => found.push(format!("{at}: {value} is not {rule}")),
                "const" => {}
                "required" => check_required(rule, value, at, found),
                "properties" => self.check_properties(rule, value, at, found),
                "additionalProperties" => check_additional(rules, rule, value, at, found),
                "prefixItems" => self.check_prefix_items(rule, value, at, found),
                "items" => self.check_items(rules, rule, value, at, found),
                "anyOf" => self.check_any_of(rule, value, at, found),
                "minimum" | "maximum" => check_bound(keyword, rule, value, at, found),
                "minItems" => {
                    let min = rule.as_u64().unwrap_or(0) as usize;
                    if value.as_array().is_some_and(|a| a.len() < min) {
                        found.push(format!("{at}: fewer than {min} items"));
                    }
                }
                other if ANNOTATIONS.contains(&other) => {}
                other => panic!("{at}: keyword {other} is not supported by this checker"),
            }
        }
    }

    fn resolve(&self, reference: &Value) -> &Value {
        let name = reference
            .as_str()
            .and_then(|r| r.strip_prefix("#/$defs/"))
            .unwrap_or_else(|| panic!("unsupported $ref {reference}"));
        self.root
            .get("$defs")
            .and_then(|d| d.get(name))
            .unwrap_or_else(|| panic!("unknown $ref {reference}"))
    }

    fn check_properties(&self, rule: &Value, value: &Value, at: &str, found: &mut Vec<String>) {
        let (Some(props), Some(object)) = (rule.as_object(), value.as_object()) else {
            return;
        };
        for (name, schema) in props {
            if let Some(field) = object.get(name) {
                self.check(schema, field, &format!("{at}.{name}"), found);
            }
        }
    }

    fn check_prefix_items(&self, rule: &Value, value: &Value, at: &str, found: &mut Vec<String>) {
        let (Some(schemas), Some(items)) = (rule.as_array(), value.as_array()) else {
            return;
        };
        for (i, (schema, item)) in schemas.iter().zip(items).enumerate() {
            self.check(schema, item, &format!("{at}[{i}]"), found);
        }
    }

    fn check_items(
        &self,
        rules: &Map<String, Value>,
        rule: &Value,
        value: &Value,
        at: &str,
        found: &mut Vec<String>,
    ) {
        let Some(items) = value.as_array() else {
            return;
        };
        let skip = rules
            .get("prefixItems")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        for (i, item) in items.iter().enumerate().skip(skip) {
            self.check(rule, item, &format!("{at}[{i}]"), found);
        }
    }

    fn check_any_of(&self, rule: &Value, value: &Value, at: &str, found: &mut Vec<String>) {
        let schemas = rule.as_array().map_or(&[][..], Vec::as_slice);
        let matches = schemas.iter().any(|schema| {
            let mut inner = Vec::new();
            self.check(schema, value, at, &mut inner);
            inner.is_empty()
        });
        if !matches {
            found.push(format!("{at}: matches none of anyOf"));
        }
    }
}

fn check_type(rule: &Value, value: &Value, at: &str, found: &mut Vec<String>) {
    let allowed: Vec<&str> = match rule {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => panic!("{at}: bad type {rule}"),
    };
    let matches = allowed.iter().any(|t| match *t {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.is_u64() || value.is_i64(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        other => panic!("{at}: unknown type {other}"),
    });
    if !matches {
        found.push(format!("{at}: {value} is not of type {rule}"));
    }
}

fn check_required(rule: &Value, value: &Value, at: &str, found: &mut Vec<String>) {
    let Some(object) = value.as_object() else {
        return;
    };
    for name in rule
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !object.contains_key(name) {
            found.push(format!("{at}: missing required field {name}"));
        }
    }
}

fn check_additional(
    rules: &Map<String, Value>,
    rule: &Value,
    value: &Value,
    at: &str,
    found: &mut Vec<String>,
) {
    assert_eq!(
        rule,
        &Value::Bool(false),
        "{at}: only additionalProperties: false"
    );
    let Some(object) = value.as_object() else {
        return;
    };
    let known = rules.get("properties").and_then(Value::as_object);
    for name in object.keys() {
        if !known.is_some_and(|k| k.contains_key(name)) {
            found.push(format!("{at}: field {name} is not in the schema"));
        }
    }
}

fn check_bound(keyword: &str, rule: &Value, value: &Value, at: &str, found: &mut Vec<String>) {
    let (Some(bound), Some(number)) = (rule.as_f64(), value.as_f64()) else {
        return;
    };
    let outside = if keyword == "minimum" {
        number < bound
    } else {
        number > bound
    };
    if outside {
        found.push(format!("{at}: {number} is outside {keyword} {bound}"));
    }
}
