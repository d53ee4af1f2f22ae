//! The documentation page of one flow (one scenario) for `grantspec docs`: what the scenario
//! says the server does (its `doc` text, its steps and their expectations) and, when the last
//! run is at hand, what the server was seen doing (each step's verdict and its exchanges, as
//! recorded in `results.json`, where every secret is already redacted).

use serde::Serialize;

use super::plain_exchange::PlainExchanges;
use crate::check::{Expectation, JsonSelector, Subject};
use crate::outcome::{RunResult, ScenarioResult};
use crate::resolve::{Scenario, Step};

/// One flow's page.
#[derive(Serialize)]
pub(crate) struct FlowPage<'a> {
    /// The page's file name without extension, unique in the suite.
    pub(crate) slug: String,
    pub(crate) name: &'a str,
    pub(crate) file: &'a str,
    pub(crate) doc: Option<&'a str>,
    pub(crate) tags: &'a [String],
    /// The verdict of the last run, when it ran this flow.
    pub(crate) verdict: Option<&'static str>,
    pub(crate) steps: Vec<FlowStep<'a>>,
}

#[derive(Serialize)]
pub(crate) struct FlowStep<'a> {
    pub(crate) number: usize,
    pub(crate) name: &'a str,
    pub(crate) kind: &'static str,
    pub(crate) location: String,
    /// `expect: { rule: ID }`, when the step names the rule its expectations enforce.
    pub(crate) rule: Option<&'a str>,
    /// Each expectation as a sentence: `status equals 200`.
    pub(crate) expectations: Vec<String>,
    /// Values the step captures for later steps.
    pub(crate) captures: Vec<&'a str>,
    /// What the last run saw.
    pub(crate) observed: Option<Observed<'a>>,
}

#[derive(Serialize)]
pub(crate) struct Observed<'a> {
    pub(crate) verdict: &'static str,
    pub(crate) skip_reason: Option<&'a str>,
    pub(crate) error: Option<&'a str>,
    /// The step's captures and exchanges as `curl -v`-style text, redacted.
    pub(crate) exchanges: String,
}

/// The run the pages quote, as the index shows it.
#[derive(Serialize)]
pub(crate) struct RunFacts<'a> {
    pub(crate) environment: &'a str,
    pub(crate) started_at: &'a str,
    pub(crate) status: &'static str,
}

impl<'a> RunFacts<'a> {
    pub(crate) fn new(run: &'a RunResult) -> Self {
        Self {
            environment: &run.environment,
            started_at: &run.started_at,
            status: super::status_name(run.status),
        }
    }
}

/// A page per scenario, in the order given; `run` supplies what was observed.
pub(crate) fn pages<'a>(
    scenarios: &'a [Scenario],
    run: Option<&'a RunResult>,
) -> Vec<FlowPage<'a>> {
    let mut slugs: Vec<String> = Vec::new();
    scenarios
        .iter()
        .map(|scenario| {
            let result = run.and_then(|r| {
                r.scenarios
                    .iter()
                    .find(|s| s.file == scenario.file && s.name == scenario.name)
            });
            let mut slug = slug(&scenario.file);
            if slugs.contains(&slug) {
                slug = format!("{slug}-{}", slugs.len() + 1);
            }
            slugs.push(slug.clone());
            FlowPage {
                slug,
                name: &scenario.name,
                file: &scenario.file,
                doc: scenario.doc.as_deref(),
                tags: &scenario.tags,
                verdict: result.map(|r| r.verdict.as_str()),
                steps: scenario
                    .steps
                    .iter()
                    .enumerate()
                    .map(|(i, step)| flow_step(i, step, result))
                    .collect(),
            }
        })
        .collect()
}

fn flow_step<'a>(i: usize, step: &'a Step, result: Option<&'a ScenarioResult>) -> FlowStep<'a> {
    let mut expectations: Vec<String> = step.expectations.iter().map(sentence).collect();
    for jwt in &step.jwt_expectations {
        let parts = [("header", &jwt.header), ("claim", &jwt.claims)];
        for (part, list) in parts {
            for e in list {
                expectations.push(format!(
                    "the JWT in `{}`: {part} {}",
                    jwt.member,
                    sentence(e)
                ));
            }
        }
        if jwt.verify {
            expectations.push(format!(
                "the JWT in `{}` is signed by a key of the provider's key set",
                jwt.member
            ));
        }
    }
    if step.snapshot.is_some() {
        expectations.push("the response matches its accepted snapshot".to_owned());
    }
    let observed = result
        .and_then(|r| r.steps.iter().find(|s| s.name == step.name))
        .map(|s| Observed {
            verdict: s.verdict.as_str(),
            skip_reason: s.skip_reason.as_deref(),
            error: s.error.as_ref().map(|e| e.message.as_str()),
            exchanges: PlainExchanges(s).to_string(),
        });
    FlowStep {
        number: i + 1,
        name: &step.name,
        kind: step.action.kind(),
        location: step.location.to_string(),
        rule: step.rule.as_deref(),
        expectations,
        captures: step.captures.iter().map(|c| c.name.as_str()).collect(),
        observed,
    }
}

/// `status equals 200`, `json $.token_type equals_ignore_case "bearer" (any case)`.
fn sentence(e: &Expectation) -> String {
    let subject = match &e.subject {
        Subject::Status => "status".to_owned(),
        Subject::Header(name) => format!("header {name}"),
        Subject::Json(JsonSelector::Path(_, text)) => format!("json {text}"),
        Subject::Json(JsonSelector::Member(name)) => format!("json {name}"),
    };
    let matchers: Vec<String> = e
        .matchers
        .iter()
        .map(|m| match m.name() {
            // Their display already reads as a phrase: `not "x"`, `present`, `absent`.
            "not_equals" | "exists" | "absent" => m.to_string(),
            name => format!("{name} {m}"),
        })
        .collect();
    format!("{subject} {}", matchers.join(", "))
}

/// `scenarios/nested/App Login.yaml` → `nested-app_login`.
pub(crate) fn slug(file: &str) -> String {
    let file = file.replace('\\', "/");
    let stem = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s);
    let parts: Vec<&str> = stem
        .split('/')
        .filter(|p| !matches!(*p, "" | "." | ".." | "scenarios"))
        .collect();
    let slug: String = parts
        .join("-")
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '-' | '_' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '_',
        })
        .collect();
    if slug.is_empty() {
        "flow".to_owned()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_file_safe() {
        assert_eq!(slug("scenarios/app_credentials.yaml"), "app_credentials");
        assert_eq!(slug("./scenarios/nested/App Login.yml"), "nested-app_login");
        assert_eq!(slug("../<evil>/x.yaml"), "_evil_-x");
        assert_eq!(slug("scenarios/.yaml"), "flow");
    }
}
