//! Applies the conformance rules to a step's response, and attributes a step's own
//! expectations to the rule it names.

use crate::outcome::{CheckResult, RuleRef, Verdict};
use crate::resolve::{RuleOverrides, Step};
use crate::rules::{Finding, Observation, Rule, Severity, all, departure, find};

/// The scenario's grade, else the profile's for a known departure, else the rule's.
fn severity(rule: &Rule, overrides: &RuleOverrides, profile: &str) -> Severity {
    overrides
        .grades
        .iter()
        .rev()
        .find(|(id, _)| id == rule.id)
        .map(|(_, s)| *s)
        .or_else(|| departure(rule.id, profile).map(|d| d.severity))
        .unwrap_or(rule.severity)
}

/// What a failed check expected, and why it only warns when the profile's servers are known
/// to depart from the rule.
fn expectation(expected: String, rule: &Rule, verdict: Verdict, profile: &str) -> String {
    match departure(rule.id, profile) {
        Some(d) if verdict == Verdict::Warned => {
            format!("{expected} (a known {profile} departure: {})", d.behaviour)
        }
        _ => expected,
    }
}

fn reference(rule: &Rule, severity: Severity) -> RuleRef {
    RuleRef {
        id: rule.id.into(),
        title: rule.title.into(),
        severity: severity.as_str().into(),
        clause: rule.clause.into(),
        url: rule.url.into(),
    }
}

/// The verdict of a check of a rule that did not hold.
fn failing(severity: Severity) -> Verdict {
    match severity {
        Severity::Must => Verdict::Failed,
        Severity::Should => Verdict::Warned,
        Severity::Info => Verdict::Info,
    }
}

/// The grade of the recommended half of a MUST/SHOULD rule (`info` stays `info`).
fn at_most_should(severity: Severity) -> Severity {
    match severity {
        Severity::Must => Severity::Should,
        other => other,
    }
}

/// Every automatic rule for this step's kind, in the environment's profile, not disabled.
pub(super) fn apply(step: &Step, obs: &Observation<'_>) -> Vec<CheckResult> {
    let overrides = &step.rule_overrides;
    let mut out = Vec::new();
    for rule in all() {
        let Some(check) = rule.check else { continue };
        if !rule.kinds.contains(&obs.kind)
            || !rule.applies_in(obs.profile)
            || overrides.disabled.iter().any(|d| d == rule.id)
        {
            continue;
        }
        let mut sev = severity(rule, overrides, obs.profile);
        let (verdict, expected, actual) = match check(obs) {
            Finding::NotApplicable => continue,
            Finding::Pass { actual } => (Verdict::Passed, rule.title.to_string(), actual),
            Finding::Fail { expected, actual } => (failing(sev), expected, actual),
            Finding::FailShould { expected, actual } => {
                sev = at_most_should(sev);
                (failing(sev), expected, actual)
            }
        };
        out.push(CheckResult {
            subject: format!("rule {}", rule.id),
            matcher: "rule".into(),
            expected: expectation(expected, rule, verdict, obs.profile),
            actual,
            verdict,
            location: step.location.clone(),
            rule: Some(reference(rule, sev)),
        });
    }
    out
}

/// Marks the step's own expectations as checks of the rule it names (`expect: { rule: ID }`).
pub(super) fn attribute(step: &Step, checks: &mut [CheckResult], profile: &str) {
    let Some(rule) = step.rule.as_deref().and_then(find) else {
        return;
    };
    if step.rule_overrides.disabled.iter().any(|d| d == rule.id) {
        return;
    }
    let sev = severity(rule, &step.rule_overrides, profile);
    for c in checks.iter_mut().filter(|c| c.rule.is_none()) {
        if c.verdict == Verdict::Failed {
            c.verdict = failing(sev);
            c.expected = expectation(std::mem::take(&mut c.expected), rule, c.verdict, profile);
        }
        c.rule = Some(reference(rule, sev));
    }
}

/// Failures the baseline expects become deviations: reported, not failing.
pub(super) fn apply_baseline(
    scenario: &str,
    checks: &mut [CheckResult],
    baseline: &[crate::environment::BaselineEntry],
) {
    for c in checks
        .iter_mut()
        .filter(|c| matches!(c.verdict, Verdict::Failed | Verdict::Warned))
    {
        if let Some(rule) = &c.rule
            && baseline.iter().any(|b| b.covers(scenario, &rule.id))
        {
            c.verdict = Verdict::Deviation;
        }
    }
}
