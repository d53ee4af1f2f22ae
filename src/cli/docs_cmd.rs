//! `grantspec docs [--out DIR]`: the expected behaviour of each flow, as Markdown and HTML
//! pages generated from the scenarios and the exchanges of the last run (`results.json`,
//! already redacted).

use std::path::PathBuf;

use clap::Args;

use super::Exit;
use super::args::Selection;
use super::setup::{prepare, print_diagnostics};
use crate::report::merge::read_results;

#[derive(Debug, Args)]
pub struct DocsArgs {
    #[command(flatten)]
    pub selection: Selection,
    /// The run whose exchanges the pages quote; without it the pages show expectations only
    #[arg(long, default_value = "reports/results.json")]
    pub results: PathBuf,
    /// Where the pages are written
    #[arg(long, default_value = "reports/docs")]
    pub out: PathBuf,
}

pub(super) fn docs(args: DocsArgs) -> Exit {
    let prepared = match prepare(&args.selection) {
        Ok(p) => p,
        Err(d) => {
            print_diagnostics(&d);
            return Exit::InvalidInput;
        }
    };
    let run = if args.results.is_file() {
        match read_results(&args.results) {
            Ok(run) => Some(run),
            Err(e) => {
                eprintln!("grantspec: {e}");
                return Exit::InvalidInput;
            }
        }
    } else {
        eprintln!(
            "grantspec: no {}: the pages show the expectations without observed exchanges \
             (run `grantspec test` first)",
            args.results.display()
        );
        None
    };
    match crate::report::write_docs(&prepared.scenarios, run.as_ref(), &args.out) {
        Ok(written) => {
            println!(
                "{} flow page(s) written to {} (index.md, index.html)",
                prepared.scenarios.len(),
                args.out.display()
            );
            debug_assert_eq!(written.len(), 2 + 2 * prepared.scenarios.len());
            Exit::Passed
        }
        Err(e) => {
            eprintln!("grantspec: {e}");
            Exit::Internal
        }
    }
}
