//! `expect: { snapshot: ... }` as the scenario wrote it, checked: `true`, a name, or a mapping
//! with `name`, `per_environment` and `redact`.

use serde_json::Value;

use super::path_redaction::PathRedaction;
use super::snapshot_path::check_name;
use crate::diag::Location;

/// A step's snapshot, resolved.
#[derive(Clone, Debug)]
pub struct SnapshotSpec {
    /// The file name (without `.snap`); the step's slug when `None`.
    pub name: Option<String>,
    /// Under `snapshots/<environment>/` rather than shared by every environment.
    pub per_environment: bool,
    /// Declared redactions, applied after the default ones.
    pub redactions: Vec<PathRedaction>,
    /// The `snapshot:` node.
    pub location: Location,
}

const FORMS: &str = "`snapshot` is `true`, a name, or a mapping with `name`, `per_environment` \
                     and `redact`";

impl SnapshotSpec {
    /// `Ok(None)` for `snapshot: false`.
    pub fn parse(value: &Value, location: Location) -> Result<Option<Self>, String> {
        let mut spec = Self {
            name: None,
            per_environment: false,
            redactions: Vec::new(),
            location,
        };
        match value {
            Value::Bool(false) => return Ok(None),
            Value::Bool(true) => {}
            Value::String(name) => {
                check_name(name)?;
                spec.name = Some(name.clone());
            }
            Value::Object(map) => {
                for (key, v) in map {
                    match (key.as_str(), v) {
                        ("name", Value::String(name)) => {
                            check_name(name)?;
                            spec.name = Some(name.clone());
                        }
                        ("per_environment", Value::Bool(b)) => spec.per_environment = *b,
                        ("redact", v) => spec.redactions = redactions(v)?,
                        ("name" | "per_environment", _) => {
                            return Err(format!(
                                "`{key}` must be a {}",
                                if key == "name" { "string" } else { "boolean" }
                            ));
                        }
                        (other, _) => {
                            return Err(format!("unknown snapshot option `{other}`: {FORMS}"));
                        }
                    }
                }
            }
            _ => return Err(FORMS.into()),
        }
        Ok(Some(spec))
    }
}

/// `[PATH, ...]` (placeholder `[redacted]`) or `{PATH: PLACEHOLDER, ...}`.
fn redactions(value: &Value) -> Result<Vec<PathRedaction>, String> {
    match value {
        Value::Array(paths) => paths
            .iter()
            .map(|p| match p {
                Value::String(path) => PathRedaction::parse(path, None),
                _ => Err("`redact` lists JSONPath strings".into()),
            })
            .collect(),
        Value::Object(map) => map
            .iter()
            .map(|(path, placeholder)| match placeholder {
                Value::String(text) => PathRedaction::parse(path, Some(text)),
                _ => Err(format!("the placeholder for `{path}` must be a string")),
            })
            .collect(),
        _ => Err("`redact` is a list of JSONPaths or a mapping of JSONPath to placeholder".into()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn parse(v: Value) -> Result<Option<SnapshotSpec>, String> {
        SnapshotSpec::parse(&v, Location::new("s.yaml".into(), 1, 1))
    }

    #[test]
    fn every_form_is_read() {
        assert!(parse(json!(false)).unwrap().is_none());
        let s = parse(json!(true)).unwrap().unwrap();
        assert!(s.name.is_none() && !s.per_environment && s.redactions.is_empty());
        assert_eq!(
            parse(json!("doc")).unwrap().unwrap().name.as_deref(),
            Some("doc")
        );
        let s = parse(json!({"name": "jwks", "per_environment": true, "redact": ["$.keys[*].n"]}))
            .unwrap()
            .unwrap();
        assert!(s.per_environment);
        assert_eq!(s.redactions.len(), 1);
        let s = parse(json!({"redact": {"$.keys[*].kid": "[kid]"}}))
            .unwrap()
            .unwrap();
        assert_eq!(s.redactions.len(), 1);
    }

    #[test]
    fn mistakes_are_explained() {
        assert!(
            parse(json!(3))
                .unwrap_err()
                .contains("`snapshot` is `true`")
        );
        assert!(
            parse(json!({"nmae": "x"}))
                .unwrap_err()
                .contains("unknown snapshot option `nmae`")
        );
        assert!(
            parse(json!({"per_environment": "yes"}))
                .unwrap_err()
                .contains("boolean")
        );
        assert!(
            parse(json!("../x"))
                .unwrap_err()
                .contains("invalid snapshot name")
        );
        assert!(
            parse(json!({"redact": ["$.a["]}))
                .unwrap_err()
                .contains("invalid JSONPath")
        );
        assert!(
            parse(json!({"redact": "$.a"}))
                .unwrap_err()
                .contains("list of JSONPaths")
        );
    }
}
