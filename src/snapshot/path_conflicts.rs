//! Two steps must never share a snapshot file. Step and scenario names are unique, but their
//! slugs (or a given name) may not be: that is found before the run, with both locations.

use std::collections::HashMap;

use super::snapshot_path::SnapshotPath;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::resolve::Scenario;

/// `Err` with one diagnostic per step whose snapshot file another step already uses.
pub fn check_paths(scenarios: &[Scenario]) -> Result<(), Diagnostics> {
    let mut seen: HashMap<SnapshotPath, (&str, &str, &Location)> = HashMap::new();
    let mut diags = Diagnostics::default();
    for scenario in scenarios {
        for step in &scenario.steps {
            let Some(spec) = &step.snapshot else {
                continue;
            };
            // The environment is the same for the whole run: a placeholder stands for it.
            let env = spec.per_environment.then_some("ENV");
            let path = SnapshotPath::new(env, &scenario.name, &step.name, spec.name.as_deref());
            if let Some((other_scenario, other_step, at)) = seen.get(&path) {
                diags.push(Diagnostic::plain(
                    Some(spec.location.clone()),
                    format!(
                        "the snapshot of `{} › {}` would be {}, like the one of `{other_scenario} \
                         › {other_step}` ({at}): give one of them a name (`snapshot: NAME`)",
                        scenario.name,
                        step.name,
                        path.relative.replacen("ENV/", "<environment>/", 1),
                    ),
                ));
            } else {
                seen.insert(path, (&scenario.name, &step.name, &spec.location));
            }
        }
    }
    diags.into_result(())
}
