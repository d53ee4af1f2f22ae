use serde_json::Value;
use serde_json_path::JsonPath;

use super::Matcher;
use crate::diag::Location;
use crate::outcome::{CheckResult, Verdict};

/// What an expectation looks at.
#[derive(Clone, Debug)]
pub enum Subject {
    Status,
    /// A response header, by lower-case name; several values are joined with `, `.
    Header(String),
    /// A value in the JSON body: a JSONPath (RFC 9535) or a top-level member name.
    Json(JsonSelector),
}

#[derive(Clone, Debug)]
pub enum JsonSelector {
    Path(JsonPath, String),
    Member(String),
}

impl Subject {
    /// `$…` is a JSONPath; anything else names a top-level member.
    pub fn json(key: &str) -> Result<Subject, String> {
        if key.starts_with('$') {
            let path = JsonPath::parse(key).map_err(|e| format!("invalid JSONPath: {e}"))?;
            Ok(Subject::Json(JsonSelector::Path(path, key.to_string())))
        } else {
            Ok(Subject::Json(JsonSelector::Member(key.to_string())))
        }
    }

    fn describe(&self) -> String {
        match self {
            Subject::Status => "status".into(),
            Subject::Header(name) => format!("header {name}"),
            Subject::Json(JsonSelector::Path(_, text)) => format!("json {text}"),
            Subject::Json(JsonSelector::Member(name)) => format!("json {name}"),
        }
    }
}

impl JsonSelector {
    /// The selected value: `None` when nothing matched, the node when one did, an array of
    /// nodes when several did.
    pub fn select(&self, body: &Value) -> Option<Value> {
        match self {
            JsonSelector::Member(name) => body.get(name).cloned(),
            JsonSelector::Path(path, _) => {
                let nodes = path.query(body).all();
                match nodes.len() {
                    0 => None,
                    1 => Some(nodes[0].clone()),
                    _ => Some(Value::Array(nodes.into_iter().cloned().collect())),
                }
            }
        }
    }
}

#[derive(Clone, Debug)]
pub struct Expectation {
    pub subject: Subject,
    pub matchers: Vec<Matcher>,
    pub location: Location,
}

/// The parts of a response expectations can look at.
pub struct ResponseView<'a> {
    pub status: u16,
    /// Lower-case names.
    pub headers: &'a [(String, String)],
    /// The parsed body, when it is JSON.
    pub json: Option<&'a Value>,
}

const MAX_SHOWN: usize = 300;

/// Evaluates every matcher of `expectation`; one result each.
pub fn evaluate(expectation: &Expectation, response: &ResponseView<'_>) -> Vec<CheckResult> {
    let (actual, unavailable) = observe(&expectation.subject, response);
    let actual_text = match (&actual, unavailable) {
        (_, Some(why)) => why.to_string(),
        (Some(v), None) => shorten(&display(v)),
        (None, None) => "<absent>".into(),
    };
    expectation
        .matchers
        .iter()
        .map(|m| {
            let passed = unavailable.is_none() && m.matches(actual.as_ref());
            CheckResult {
                subject: expectation.subject.describe(),
                matcher: m.name().into(),
                expected: shorten(&m.to_string()),
                actual: actual_text.clone(),
                verdict: if passed {
                    Verdict::Passed
                } else {
                    Verdict::Failed
                },
                location: expectation.location.clone(),
                rule: None,
            }
        })
        .collect()
}

fn observe(
    subject: &Subject,
    response: &ResponseView<'_>,
) -> (Option<Value>, Option<&'static str>) {
    match subject {
        Subject::Status => (Some(Value::from(response.status)), None),
        Subject::Header(name) => {
            let values: Vec<&str> = response
                .headers
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .collect();
            if values.is_empty() {
                (None, None)
            } else {
                (Some(Value::String(values.join(", "))), None)
            }
        }
        Subject::Json(selector) => match response.json {
            Some(body) => (selector.select(body), None),
            None => (None, Some("<body is not JSON>")),
        },
    }
}

fn display(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() <= MAX_SHOWN {
        return s.to_string();
    }
    let cut: String = s.chars().take(MAX_SHOWN).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn loc() -> Location {
        Location::new("s.yaml".into(), 7, 9)
    }

    fn run(subject: Subject, spec: Value, json: Option<&Value>) -> Vec<CheckResult> {
        let headers = vec![("cache-control".to_string(), "no-store".to_string())];
        let view = ResponseView {
            status: 200,
            headers: &headers,
            json,
        };
        let e = Expectation {
            subject,
            matchers: Matcher::parse(&spec).unwrap(),
            location: loc(),
        };
        evaluate(&e, &view)
    }

    #[test]
    fn a_failed_check_carries_expected_actual_and_location() {
        let body = json!({"token_type": "Bearer", "expires_in": 3600});
        let r = run(
            Subject::json("token_type").unwrap(),
            json!("MAC"),
            Some(&body),
        );
        assert_eq!(r[0].verdict, Verdict::Failed);
        assert_eq!(r[0].expected, "\"MAC\"");
        assert_eq!(r[0].actual, "\"Bearer\"");
        assert_eq!(r[0].location.to_string(), "s.yaml:7:9");
    }

    #[test]
    fn json_paths_headers_and_status_are_observed() {
        let body = json!({"a": {"b": [1, 2]}});
        assert_eq!(
            run(Subject::json("$.a.b[1]").unwrap(), json!(2), Some(&body))[0].verdict,
            Verdict::Passed
        );
        assert_eq!(
            run(
                Subject::json("$.a.c").unwrap(),
                json!({"absent": true}),
                Some(&body)
            )[0]
            .verdict,
            Verdict::Passed
        );
        assert_eq!(
            run(
                Subject::Header("cache-control".into()),
                json!({"contains": "no-store"}),
                None
            )[0]
            .verdict,
            Verdict::Passed
        );
        assert_eq!(
            run(
                Subject::Header("pragma".into()),
                json!({"exists": true}),
                None
            )[0]
            .verdict,
            Verdict::Failed
        );
        assert_eq!(
            run(Subject::Status, json!({"one_of": [200, 201]}), None)[0].verdict,
            Verdict::Passed
        );
    }

    #[test]
    fn a_json_expectation_on_a_non_json_body_fails() {
        let r = run(Subject::json("a").unwrap(), json!({"absent": true}), None);
        assert_eq!(r[0].verdict, Verdict::Failed);
        assert_eq!(r[0].actual, "<body is not JSON>");
    }

    #[test]
    fn bad_json_paths_are_rejected() {
        assert!(
            Subject::json("$.a[")
                .unwrap_err()
                .contains("invalid JSONPath")
        );
    }
}
