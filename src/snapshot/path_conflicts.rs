//! Two steps must never share a snapshot file. Step and scenario names are unique, but their
//! slugs (or a given name) may not be: that is found before the run, with both locations.

use std::collections::HashMap;

use super::SnapshotSpec;
use super::snapshot_path::SnapshotPath;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::resolve::Scenario;

/// `Err` with one diagnostic per step whose snapshot file another step already uses.
pub fn check_paths(scenarios: &[Scenario]) -> Result<(), Diagnostics> {
    check_uses(scenarios.iter().flat_map(|scenario| {
        scenario.steps.iter().filter_map(|step| {
            Some((
                scenario.name.as_str(),
                step.name.as_str(),
                step.snapshot.as_ref()?,
            ))
        })
    }))
}

/// The same check over each snapshot-taking step as (scenario, step, spec).
pub fn check_uses<'a>(
    uses: impl Iterator<Item = (&'a str, &'a str, &'a SnapshotSpec)>,
) -> Result<(), Diagnostics> {
    let mut seen: HashMap<SnapshotPath, (&str, &str, &Location)> = HashMap::new();
    let mut diags = Diagnostics::default();
    for (scenario, step, spec) in uses {
        // The environment is the same for the whole run: a placeholder stands for it.
        let env = spec.per_environment.then_some("ENV");
        let path = SnapshotPath::new(env, scenario, step, spec.name.as_deref());
        if let Some((other_scenario, other_step, at)) = seen.get(&path) {
            diags.push(Diagnostic::plain(
                Some(spec.location.clone()),
                format!(
                    "the snapshot of `{scenario} › {step}` would be {}, like the one of \
                     `{other_scenario} › {other_step}` ({at}): give one of them a name \
                     (`snapshot: NAME`)",
                    path.relative.replacen("ENV/", "<environment>/", 1),
                ),
            ));
        } else {
            seen.insert(path, (scenario, step, &spec.location));
        }
    }
    diags.into_result(())
}
