//! Live console output: a progress bar on a terminal (plain lines when not a terminal or in CI),
//! a line per finished scenario, then a summary with every failure and error located in its
//! YAML file, quoted from it, with expected and actual as a coloured diff. Colour follows
//! `--color` (`auto`: only on a terminal and only without `NO_COLOR`).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::yaml_excerpt::Excerpts;
use crate::outcome::{CheckResult, RunResult, RunStatus, ScenarioResult, Verdict};
use crate::runner::Event;

/// `--color`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless `NO_COLOR` is set
    #[default]
    Auto,
    Always,
    Never,
}

/// How much the console says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Verbosity {
    /// Only failures, errors and the final summary.
    Quiet,
    /// A line per scenario.
    #[default]
    Normal,
    /// A line per step too.
    Verbose,
}

pub struct Console {
    color: bool,
    verbosity: Verbosity,
    /// A progress bar, on a terminal outside CI.
    progress: Option<ProgressBar>,
    /// Each finished scenario's failures and errors, told in the summary in the suite's order;
    /// the scenarios themselves are not kept.
    problems: BTreeMap<usize, Vec<String>>,
    /// Pending `.snap.new` files written by the run.
    snapshots_written: usize,
    excerpts: Excerpts,
}

impl Console {
    pub fn new(color: ColorChoice, verbosity: Verbosity) -> Self {
        let terminal = std::io::stdout().is_terminal();
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
        let progress = (terminal && !ci).then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stdout());
            if let Ok(style) =
                ProgressStyle::with_template("{bar:30} {pos}/{len} scenarios {elapsed} {msg}")
            {
                bar.set_style(style);
            }
            bar
        });
        Self {
            color,
            verbosity,
            progress,
            problems: BTreeMap::new(),
            snapshots_written: 0,
            excerpts: Excerpts::default(),
        }
    }

    /// A line above the progress bar, or on stdout.
    fn line(&self, text: &str) {
        match &self.progress {
            Some(bar) => bar.println(text),
            None => {
                let _ = writeln!(std::io::stdout().lock(), "{text}");
            }
        }
    }

    fn paint(&self, verdict: Verdict, text: &str) -> String {
        if !self.color {
            return text.to_string();
        }
        let code = match verdict {
            Verdict::Passed => "32",
            Verdict::Failed => "31",
            Verdict::Error => "33",
            Verdict::Skipped | Verdict::Info | Verdict::Deviation => "90",
            Verdict::Warned => "35",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    pub fn event(&mut self, event: &Event) {
        match event {
            Event::RunStarted {
                scenarios,
                environment,
                issuer,
            } => {
                if let Some(bar) = &self.progress {
                    bar.set_length(u64::try_from(*scenarios).unwrap_or(u64::MAX));
                }
                if self.verbosity != Verbosity::Quiet {
                    self.line(&format!(
                        "running {scenarios} scenario{} against {environment}{}",
                        if *scenarios == 1 { "" } else { "s" },
                        issuer
                            .as_deref()
                            .map(|i| format!(" ({i})"))
                            .unwrap_or_default()
                    ));
                }
            }
            Event::ScenarioFinished { index, result } => {
                if self.verbosity != Verbosity::Quiet {
                    self.line(&self.scenario_line(result));
                }
                if let Some(bar) = &self.progress {
                    bar.set_message(result.name.clone());
                    bar.inc(1);
                }
                let problems = self.problems_of(result);
                if !problems.is_empty() {
                    self.problems.insert(*index, problems);
                }
                self.snapshots_written += result
                    .steps
                    .iter()
                    .filter_map(|st| st.snapshot.as_ref()?.written.as_deref())
                    .filter(|w| w.ends_with(".new"))
                    .count();
            }
        }
    }

    fn scenario_line(&self, s: &ScenarioResult) -> String {
        let mark = match s.verdict {
            Verdict::Passed => "PASS ",
            Verdict::Failed => "FAIL ",
            Verdict::Error => "ERROR",
            Verdict::Skipped => "SKIP ",
            Verdict::Warned => "WARN ",
            Verdict::Info => "INFO ",
            Verdict::Deviation => "KNOWN",
        };
        let mut line = format!(
            "{} {} ({}, {:.0} ms)",
            self.paint(s.verdict, mark),
            s.name,
            s.file,
            s.duration_ms
        );
        if self.verbosity == Verbosity::Verbose {
            for step in &s.steps {
                line.push_str(&format!(
                    "\n      {} {}",
                    self.paint(step.verdict, step.verdict.as_str()),
                    step.name
                ));
            }
        }
        line
    }

    /// Every failed check and every error of a finished scenario, with its location.
    fn problems_of(&mut self, s: &ScenarioResult) -> Vec<String> {
        let mut problems = Vec::new();
        for step in &s.steps {
            if let Some(e) = &step.error {
                problems.push(format!(
                    "{} {} › {}\n    {} ({})\n    --> {}",
                    self.paint(Verdict::Error, "error:"),
                    s.name,
                    step.name,
                    e.message,
                    e.kind.as_str(),
                    step.location
                ));
            }
            for c in step.checks.iter().filter(|c| c.verdict == Verdict::Failed) {
                // A snapshot's expected and actual are sentences; the diff below says it.
                let snapshot = c.matcher == "snapshot";
                let mut problem = format!(
                    "{} {} › {}\n    {}{} {}{}\n    --> {}",
                    self.paint(Verdict::Failed, "failed:"),
                    s.name,
                    step.name,
                    rule_prefix(c),
                    c.subject,
                    c.matcher,
                    if snapshot {
                        format!(": expected {}, got {}", c.expected, c.actual)
                    } else {
                        String::new()
                    },
                    c.location
                );
                if let Some(excerpt) = self.excerpts.around(&c.location) {
                    for line in excerpt.lines() {
                        problem.push_str("\n    ");
                        problem.push_str(line);
                    }
                }
                if !snapshot {
                    problem.push_str(&self.expected_actual(c));
                }
                if c.matcher == "snapshot"
                    && let Some(diff) = step.snapshot.as_ref().and_then(|r| r.diff.as_deref())
                {
                    problem.push_str(&self.diff(diff));
                }
                problems.push(problem);
            }
        }
        problems
    }

    /// The end-of-run summary: every failed check and every error of the scenarios this
    /// console was told of, with its location, then the run's errors, warnings and totals.
    pub fn summary(&self, run: &RunResult, report_dir: &str) {
        if let Some(bar) = &self.progress {
            bar.finish_and_clear();
        }
        let mut out = std::io::stdout().lock();
        let mut problems = Vec::new();
        for e in &run.errors {
            problems.push(format!(
                "{} {}",
                self.paint(Verdict::Error, "error:"),
                e.message
            ));
        }
        // Scenarios abandoned for a run-level error are never told of: the error is said once.
        problems.extend(self.problems.values().flatten().cloned());
        for w in &run.warnings {
            problems.push(format!("{} {w}", self.paint(Verdict::Warned, "warning:")));
        }
        let known: usize = run.baseline.iter().map(|b| b.occurrences).sum();
        if known > 0 {
            problems.push(format!(
                "{known} known deviation(s) of the baseline (not failing)"
            ));
        }
        for b in run.baseline.iter().filter(|b| b.occurrences == 0) {
            problems.push(format!(
                "{} baseline entry no longer observed: {} in {} ({}): remove it from the baseline",
                self.paint(Verdict::Warned, "fixed:"),
                b.rule,
                b.scenario,
                b.comment
            ));
        }
        let warned = run.summary.checks.warned;
        if warned > 0 {
            problems.push(format!(
                "{} {warned} check(s) of `should` rules did not hold",
                self.paint(Verdict::Warned, "warnings:")
            ));
        }
        if !problems.is_empty() {
            let _ = writeln!(out);
            for p in &problems {
                let _ = writeln!(out, "{p}");
            }
        }
        let sc = &run.summary.scenarios;
        let st = &run.summary.steps;
        let status = match run.status {
            RunStatus::Passed => self.paint(Verdict::Passed, "passed"),
            RunStatus::Failed => self.paint(Verdict::Failed, "FAILED"),
            RunStatus::Incomplete => self.paint(Verdict::Error, "INCOMPLETE"),
            RunStatus::Interrupted => self.paint(Verdict::Error, "INTERRUPTED"),
        };
        let _ = writeln!(
            out,
            "\n{status}: {} scenarios ({} passed, {} failed, {} errored, {} skipped), {} steps ({} passed, {} failed, {} errored, {} skipped) in {:.2}s",
            sc.total,
            sc.passed,
            sc.failed,
            sc.errored,
            sc.skipped,
            st.total,
            st.passed,
            st.failed,
            st.errored,
            st.skipped,
            run.duration_ms / 1000.0
        );
        let _ = writeln!(
            out,
            "reports: {report_dir}/junit.xml, {report_dir}/index.html, {report_dir}/results.json"
        );
        let written = self.snapshots_written;
        if written > 0 {
            let _ = writeln!(
                out,
                "snapshots: {written} pending .snap.new file{} written; review with `grantspec \
                 snapshots review`, or `grantspec snapshots accept`",
                if written == 1 { "" } else { "s" }
            );
        }
    }

    /// Expected and actual as a two-line diff: `-` expected in red, `+` actual in green.
    fn expected_actual(&self, c: &CheckResult) -> String {
        let mut out = String::new();
        for (sign, label, value, verdict) in [
            ('-', "expected", &c.expected, Verdict::Failed),
            ('+', "actual  ", &c.actual, Verdict::Passed),
        ] {
            let mut lines = value.lines();
            let first = lines.next().unwrap_or_default();
            out.push_str("\n    ");
            out.push_str(&self.paint(verdict, &format!("{sign} {label} {first}")));
            for more in lines {
                out.push_str("\n    ");
                out.push_str(&self.paint(verdict, &format!("{sign}          {more}")));
            }
        }
        out
    }

    /// A snapshot diff, indented under its failure; removed lines red, added lines green.
    fn diff(&self, diff: &str) -> String {
        let mut out = String::new();
        for line in diff.lines() {
            let painted = match line.as_bytes().first() {
                Some(b'-') if !line.starts_with("---") => self.paint(Verdict::Failed, line),
                Some(b'+') if !line.starts_with("+++") => self.paint(Verdict::Passed, line),
                _ => line.to_string(),
            };
            out.push_str("\n      ");
            out.push_str(&painted);
        }
        out
    }
}

/// `[A-03 must, RFC 6749 §5.1] ` before a check of a rule.
fn rule_prefix(c: &CheckResult) -> String {
    c.rule
        .as_ref()
        .map(|r| format!("[{} {}, {}] ", r.id, r.severity, r.clause))
        .unwrap_or_default()
}
