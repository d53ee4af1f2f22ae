//! A redaction the scenario declares: every node a JSONPath (RFC 9535, wildcards and `..`
//! included) selects is replaced by a placeholder.

use serde_json::Value;
use serde_json_path::JsonPath;

#[derive(Clone, Debug)]
pub struct PathRedaction {
    path: JsonPath,
    placeholder: String,
}

impl PathRedaction {
    pub(crate) fn parse(path: &str, placeholder: Option<&str>) -> Result<Self, String> {
        if !path.starts_with('$') {
            return Err(format!(
                "a redaction is a JSONPath starting with `$` (like `$.keys[*].n`), not `{path}`"
            ));
        }
        let parsed = JsonPath::parse(path)
            .map_err(|e| format!("invalid JSONPath `{path}` in `redact`: {e}"))?;
        Ok(Self {
            path: parsed,
            placeholder: placeholder.unwrap_or("[redacted]").to_string(),
        })
    }

    /// Replaces every selected node; a path that selects nothing changes nothing.
    pub(crate) fn apply(&self, value: &mut Value) {
        let pointers: Vec<String> = self
            .path
            .query_located(value)
            .locations()
            .map(|l| l.to_json_pointer())
            .collect();
        for pointer in pointers {
            if let Some(node) = value.pointer_mut(&pointer) {
                *node = Value::String(self.placeholder.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn wildcards_select_every_match() {
        let mut v = json!({"keys": [{"kid": "a", "n": "x", "e": "AQAB"}, {"kid": "b", "n": "y", "e": "AQAB"}]});
        PathRedaction::parse("$.keys[*].n", None)
            .unwrap()
            .apply(&mut v);
        PathRedaction::parse("$..kid", Some("[kid]"))
            .unwrap()
            .apply(&mut v);
        assert_eq!(
            v,
            json!({"keys": [
                {"kid": "[kid]", "n": "[redacted]", "e": "AQAB"},
                {"kid": "[kid]", "n": "[redacted]", "e": "AQAB"},
            ]})
        );
    }

    #[test]
    fn paths_are_checked() {
        assert!(
            PathRedaction::parse("keys", None)
                .unwrap_err()
                .contains("starting with `$`")
        );
        assert!(
            PathRedaction::parse("$.keys[", None)
                .unwrap_err()
                .contains("invalid JSONPath")
        );
        let mut v = json!({"a": 1});
        PathRedaction::parse("$.b", None).unwrap().apply(&mut v);
        assert_eq!(v, json!({"a": 1}));
    }
}
