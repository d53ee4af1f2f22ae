//! Known departures: RFC rules that the servers of a profile are known to break. In that
//! profile such a rule is graded down (a failure warns), and its check says why.

use super::Severity;

/// A rule a profile's servers break, and how it is graded there.
pub struct Departure {
    pub profile: &'static str,
    pub rule: &'static str,
    pub severity: Severity,
    /// What those servers do instead, in one sentence.
    pub behaviour: &'static str,
    /// Where that behaviour is shown (source code, issue).
    pub url: &'static str,
}

/// Every known departure, by profile.
pub const DEPARTURES: &[&[Departure]] = &[super::bouygues::DEPARTURES, super::keycloak::DEPARTURES];

pub fn departures() -> impl Iterator<Item = &'static Departure> {
    DEPARTURES.iter().flat_map(|d| d.iter())
}

/// The departure of `rule` in `profile`, if its servers are known to break it.
pub fn departure(rule: &str, profile: &str) -> Option<&'static Departure> {
    departures().find(|d| d.rule == rule && d.profile == profile)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departures_name_known_rules_and_grade_them_down() {
        for d in departures() {
            let rule = super::super::find(d.rule).expect("a known rule");
            assert!(rule.profiles.is_empty(), "{}: an RFC rule", d.rule);
            assert_ne!(d.severity, rule.severity, "{}: graded down", d.rule);
            assert!(d.url.starts_with("https://") && !d.behaviour.is_empty());
        }
        assert!(departure("E-11", "keycloak").is_some());
        assert!(departure("E-11", "generic").is_none());
    }
}
