use super::{Finding, Observation, Severity};

/// A conformance rule.
pub struct Rule {
    /// The conformance checklist's ID (`A-03`, `F-07`, ...).
    pub id: &'static str,
    /// What the rule checks, in one sentence.
    pub title: &'static str,
    pub severity: Severity,
    /// The clause it enforces (`RFC 6749 §5.1`).
    pub clause: &'static str,
    /// Where the clause can be read.
    pub url: &'static str,
    /// The step kinds it applies to by itself. Empty: only where a scenario names it
    /// (`expect: { rule: ID }`), for rules that need a crafted request.
    pub kinds: &'static [&'static str],
    /// Profiles it belongs to; empty for every profile (an RFC rule).
    pub profiles: &'static [&'static str],
    pub check: Option<fn(&Observation<'_>) -> Finding>,
}

/// A rule a scenario asserts with a crafted request (`expect: { rule: ID }`).
pub(super) const fn asserted(
    id: &'static str,
    title: &'static str,
    severity: Severity,
    clause: &'static str,
    url: &'static str,
) -> Rule {
    Rule {
        id,
        title,
        severity,
        clause,
        url,
        kinds: &[],
        profiles: &[],
        check: None,
    }
}

impl Rule {
    pub fn applies_in(&self, profile: &str) -> bool {
        self.profiles.is_empty() || self.profiles.contains(&profile)
    }
}

/// Every rule, by family, in checklist order.
pub const RULES: &[&[Rule]] = &[
    super::transport::RULES,
    super::discovery::RULES,
    super::discovery_advertised::RULES,
    super::jwks::RULES,
    super::authorize::RULES,
    super::token::RULES,
    super::client_assertion::RULES,
    super::refresh::RULES,
    super::id_token::RULES,
    super::userinfo::RULES,
    super::introspection::RULES,
    super::revocation::RULES,
    super::registration::RULES,
    super::keycloak::RULES,
];

pub fn all() -> impl Iterator<Item = &'static Rule> {
    RULES.iter().flat_map(|family| family.iter())
}

pub fn find(id: &str) -> Option<&'static Rule> {
    all().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn ids_are_unique_and_every_rule_says_what_and_where() {
        let mut seen = HashSet::new();
        for r in all() {
            assert!(seen.insert(r.id), "duplicate rule {}", r.id);
            assert!(
                !r.title.is_empty() && !r.clause.is_empty() && r.url.starts_with("https://"),
                "{}",
                r.id
            );
            assert_eq!(
                r.kinds.is_empty(),
                r.check.is_none(),
                "{}: automatic rules have kinds and a check",
                r.id
            );
        }
    }
}
