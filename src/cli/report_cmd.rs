//! `grantspec report merge results-*.json [--out DIR]`: one JUnit, HTML and JSON report from
//! the `results.json` of each shard of a run. Exits like `test` would have for the whole run,
//! so a CI job that merges can also fail the pipeline.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Exit;
use crate::report::merge::{merge, read_results};

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(subcommand)]
    pub command: ReportCommand,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Merge the results.json of several shards into one set of reports.
    Merge(MergeArgs),
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The results.json of each shard
    #[arg(required = true, value_name = "RESULTS_JSON")]
    pub files: Vec<PathBuf>,
    /// Where the merged reports are written
    #[arg(long, default_value = "reports", env = "GRANTSPEC_REPORT_DIR")]
    pub out: PathBuf,
}

pub(super) fn report(args: ReportArgs) -> Exit {
    match args.command {
        ReportCommand::Merge(args) => merge_cmd(args),
    }
}

fn merge_cmd(args: MergeArgs) -> Exit {
    let mut parts = Vec::with_capacity(args.files.len());
    for path in args.files {
        match read_results(&path) {
            Ok(run) => parts.push((path, run)),
            Err(e) => {
                eprintln!("grantspec: {e}");
                return Exit::InvalidInput;
            }
        }
    }
    let shards = parts.len();
    let run = match merge(parts) {
        Ok(run) => run,
        Err(e) => {
            eprintln!("grantspec: {e}");
            return Exit::InvalidInput;
        }
    };
    if let Err(e) = crate::report::write_all(&run, &args.out) {
        eprintln!("grantspec: {e}");
        return Exit::Internal;
    }
    let sc = &run.summary.scenarios;
    let st = &run.summary.steps;
    println!(
        "merged {shards} shard(s) of {}: {}: {} scenarios ({} passed, {} failed, {} errored, {} skipped), {} steps ({} passed, {} failed, {} errored, {} skipped)",
        run.environment,
        crate::report::status_name(run.status),
        sc.total,
        sc.passed,
        sc.failed,
        sc.errored,
        sc.skipped,
        st.total,
        st.passed,
        st.failed,
        st.errored,
        st.skipped
    );
    let dir = args.out.display();
    println!("reports: {dir}/junit.xml, {dir}/index.html, {dir}/results.json");
    Exit::from(run.status)
}
