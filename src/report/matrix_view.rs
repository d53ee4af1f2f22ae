//! The conformance matrix of the HTML report: one row per rule that some check enforced, one
//! column per scenario, each cell the worst verdict of that rule's checks in that scenario.
//! Rows are sorted by rule ID; a rule's ID links to its clause in the specification.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::outcome::{RuleRef, ScenarioResult, Verdict};

#[derive(Serialize)]
pub(crate) struct MatrixView<'a> {
    /// The scenarios, numbered from 1 as in the column headers.
    columns: Vec<ColumnView<'a>>,
    rows: Vec<RowView<'a>>,
}

#[derive(Serialize)]
struct ColumnView<'a> {
    number: usize,
    name: &'a str,
    /// The `id` of the scenario's section in the page.
    anchor: String,
}

#[derive(Serialize)]
struct RowView<'a> {
    id: &'a str,
    title: &'a str,
    severity: &'a str,
    clause: &'a str,
    /// The clause's address, only when it is an `http(s)` URL.
    url: Option<&'a str>,
    /// The worst verdict over every scenario, for the row's colour.
    verdict: &'static str,
    cells: Vec<CellView>,
}

#[derive(Serialize)]
struct CellView {
    /// `none` when the scenario does not exercise the rule.
    verdict: &'static str,
    /// Checks of the rule in the scenario.
    checks: usize,
}

/// Scenario index -> (worst verdict, number of checks), for one rule.
type Cells = BTreeMap<usize, (Verdict, usize)>;

/// What the matrix needs of each scenario, gathered as scenarios finish: its name, and for each
/// rule its checks enforced there.
#[derive(Default)]
pub(crate) struct MatrixTally {
    names: Vec<String>,
    rules: BTreeMap<String, (RuleRef, Cells)>,
}

impl MatrixTally {
    /// The next scenario of the suite.
    pub(crate) fn add(&mut self, scenario: &ScenarioResult) {
        let i = self.names.len();
        self.names.push(scenario.name.clone());
        let checks = scenario.steps.iter().flat_map(|st| &st.checks);
        for (rule, verdict) in checks.filter_map(|c| Some((c.rule.as_ref()?, c.verdict))) {
            let cells = match self.rules.get_mut(&rule.id) {
                Some((_, cells)) => cells,
                None => {
                    let entry = (rule.clone(), BTreeMap::new());
                    &mut self.rules.entry(rule.id.clone()).or_insert(entry).1
                }
            };
            let cell = cells.entry(i).or_insert((verdict, 0));
            cell.0 = cell.0.max(verdict);
            cell.1 += 1;
        }
    }

    /// Every rule ID seen, sorted.
    pub(crate) fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.rules.keys().map(String::as_str)
    }
}

impl<'a> MatrixView<'a> {
    pub(crate) fn new(tally: &'a MatrixTally) -> Self {
        let columns = tally
            .names
            .iter()
            .enumerate()
            .map(|(i, name)| ColumnView {
                number: i + 1,
                name,
                anchor: scenario_anchor(i),
            })
            .collect();
        let rows = tally
            .rules
            .values()
            .map(|(rule, cells)| RowView {
                id: &rule.id,
                title: &rule.title,
                severity: &rule.severity,
                clause: &rule.clause,
                url: Some(rule.url.as_str())
                    .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
                verdict: cells
                    .values()
                    .map(|(v, _)| *v)
                    .max()
                    .unwrap_or(Verdict::Skipped)
                    .as_str(),
                cells: (0..tally.names.len())
                    .map(|i| match cells.get(&i) {
                        Some((verdict, checks)) => CellView {
                            verdict: verdict.as_str(),
                            checks: *checks,
                        },
                        None => CellView {
                            verdict: "none",
                            checks: 0,
                        },
                    })
                    .collect(),
            })
            .collect();
        Self { columns, rows }
    }
}

/// The `id` of the `i`-th scenario's section (0-based).
pub(crate) fn scenario_anchor(i: usize) -> String {
    format!("scenario-{}", i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn cells_hold_the_worst_verdict_and_rows_are_sorted() {
        let mut tally = MatrixTally::default();
        for scenario in &sample::ruled_run().scenarios {
            tally.add(scenario);
        }
        let view = serde_json::to_value(MatrixView::new(&tally)).unwrap();
        let rows = view["rows"].as_array().unwrap();
        let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["A-01", "B-02", "C-03"]);
        assert_eq!(rows[0]["cells"][0]["verdict"], "passed");
        assert_eq!(rows[0]["cells"][1]["verdict"], "failed");
        assert_eq!(rows[0]["cells"][1]["checks"], 2);
        assert_eq!(rows[0]["verdict"], "failed");
        assert_eq!(rows[1]["cells"][0]["verdict"], "none");
        assert_eq!(rows[1]["cells"][1]["verdict"], "warned");
        assert_eq!(
            rows[2]["url"],
            serde_json::Value::Null,
            "javascript: is no link"
        );
        assert_eq!(view["columns"][1]["anchor"], "scenario-2");
    }
}
