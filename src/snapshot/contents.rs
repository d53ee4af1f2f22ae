//! A response body → the text of its snapshot: JWTs decoded, the default redactions, then the
//! scenario's, keys sorted, pretty JSON. The run's `Redactor` goes over every string and then
//! over the final text, as a last line of defence: a secret the run knows never reaches a file.

use serde_json::Value;

use super::SnapshotSpec;
use super::default_redactions::redact_defaults;
use crate::runner::Redactor;

/// The snapshot text of a response whose body is `body` (parsed as `json` when it is JSON).
pub(crate) fn snapshot_contents(
    body: &str,
    json: Option<&Value>,
    spec: &SnapshotSpec,
    issuer: Option<&str>,
    clients: &[(String, String)],
    redactor: &Redactor,
) -> String {
    let mut value = json
        .cloned()
        .unwrap_or_else(|| Value::String(body.to_string()));
    redact_defaults(&mut value, issuer);
    redact_client_ids(&mut value, clients);
    for redaction in &spec.redactions {
        redaction.apply(&mut value);
    }
    redact_strings(&mut value, redactor);
    sort_keys(&mut value);
    let text = match &value {
        // A body that is not JSON (nor a JWT) is kept as text, which reads better than one
        // escaped JSON string.
        Value::String(text) if json.is_none() => text.clone(),
        other => serde_json::to_string_pretty(other).unwrap_or_else(|e| format!("<{e}>")),
    };
    redactor.redact(&text)
}

/// A client's id becomes `[client_id:NAME]`: as a whole value, or inside a longer one (a
/// `service-account-…` subject) when the id is long enough not to match by chance.
fn redact_client_ids(value: &mut Value, clients: &[(String, String)]) {
    match value {
        Value::String(s) => {
            for (name, id) in clients {
                if s == id {
                    *s = format!("[client_id:{name}]");
                } else if id.len() >= 8 && s.contains(id.as_str()) {
                    *s = s.replace(id.as_str(), &format!("[client_id:{name}]"));
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| redact_client_ids(i, clients)),
        Value::Object(map) => map.values_mut().for_each(|v| redact_client_ids(v, clients)),
        _ => {}
    }
}

fn redact_strings(value: &mut Value, redactor: &Redactor) {
    match value {
        Value::String(s) => *s = redactor.redact(s),
        Value::Array(items) => items.iter_mut().for_each(|i| redact_strings(i, redactor)),
        Value::Object(map) => {
            // Member names can carry values too (a map keyed by token).
            let entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
            for (key, mut v) in entries {
                redact_strings(&mut v, redactor);
                map.insert(redactor.redact(&key), v);
            }
        }
        Value::Bool(_) | Value::Number(_) | Value::Null => {}
    }
}

fn sort_keys(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(sort_keys),
        Value::Object(map) => {
            map.sort_keys();
            map.values_mut().for_each(sort_keys);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::diag::Location;

    fn spec(redact: Value) -> SnapshotSpec {
        let spec = SnapshotSpec::parse(
            &json!({ "redact": redact }),
            Location::new("s".into(), 1, 1),
        );
        spec.unwrap().unwrap()
    }

    #[test]
    fn pretty_json_with_sorted_keys_and_redactions() {
        let body =
            json!({"z": 1, "access_token": "at-1", "a": {"y": "$", "b": [2, {"d": 1, "c": 0}]}});
        let text = snapshot_contents(
            "",
            Some(&body),
            &spec(json!(["$.a.y"])),
            None,
            &[],
            &Redactor::default(),
        );
        assert_eq!(
            text,
            "{\n  \"a\": {\n    \"b\": [\n      2,\n      {\n        \"c\": 0,\n        \"d\": 1\n      }\n    ],\n    \"y\": \"[redacted]\"\n  },\n  \"access_token\": \"[access_token]\",\n  \"z\": 1\n}"
        );
    }

    #[test]
    fn known_secrets_never_survive_wherever_they_are() {
        let mut redactor = Redactor::default();
        redactor.add("canary", "canary-s3cret-value");
        let body = json!({
            "note": "echo: canary-s3cret-value",
            "canary-s3cret-value": "as a key",
            "quoted": "say \"canary-s3cret-value\"",
        });
        let text = snapshot_contents("", Some(&body), &spec(json!([])), None, &[], &redactor);
        assert!(!text.contains("canary-s3cret-value"), "{text}");
        assert!(text.contains("[REDACTED:canary]"), "{text}");
        let text = snapshot_contents(
            "plain canary-s3cret-value",
            None,
            &spec(json!([])),
            None,
            &[],
            &redactor,
        );
        assert_eq!(text, "plain [REDACTED:canary]");
        let clients = [("web_app".to_string(), "dyn-abcdefgh1234".to_string())];
        let body = json!({"aud": "dyn-abcdefgh1234", "sub": "service-account-dyn-abcdefgh1234"});
        let text = snapshot_contents("", Some(&body), &spec(json!([])), None, &clients, &redactor);
        assert!(text.contains("\"aud\": \"[client_id:web_app]\""), "{text}");
        assert!(
            text.contains("service-account-[client_id:web_app]"),
            "{text}"
        );
    }
}
