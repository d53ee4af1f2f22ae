//! Baselines: the deviations an environment is known to have (scenario × rule), each with the
//! reason it is accepted. A known deviation is reported apart and does not fail the run; one that
//! stopped happening is reported as fixed, so the baseline is kept honest.

use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diag::{Diagnostic, Diagnostics};
use crate::scenario::parse_yaml;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBaseline {
    deviations: Vec<Spanned<RawEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    /// A scenario name, or `*` for every scenario.
    scenario: String,
    rule: Spanned<String>,
    /// Why the deviation is accepted (a ticket, the clause that allows it).
    comment: String,
}

/// One accepted deviation.
#[derive(Clone, Debug)]
pub struct BaselineEntry {
    pub scenario: String,
    pub rule: String,
    pub comment: String,
}

impl BaselineEntry {
    pub fn covers(&self, scenario: &str, rule: &str) -> bool {
        self.rule == rule && (self.scenario == "*" || self.scenario == scenario)
    }
}

pub(super) fn load_baseline(path: &Path) -> Result<Vec<BaselineEntry>, Diagnostics> {
    let source = crate::scenario::load::read_source(path).map_err(|d| Diagnostics(vec![d]))?;
    let raw: RawBaseline = parse_yaml(&source).map_err(|d| Diagnostics(vec![d]))?;
    let mut diags = Diagnostics::default();
    let mut out = Vec::new();
    for entry in raw.deviations {
        let e = entry.value;
        if crate::rules::find(&e.rule.value).is_none() {
            let at = source.location(e.rule.referenced.line(), e.rule.referenced.column());
            diags.push(Diagnostic::at(
                &source,
                at,
                format!("unknown rule `{}` (see docs/rules.md)", e.rule.value),
            ));
        }
        out.push(BaselineEntry {
            scenario: e.scenario,
            rule: e.rule.value,
            comment: e.comment,
        });
    }
    diags.into_result(out)
}
