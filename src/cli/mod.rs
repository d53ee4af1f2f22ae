//! The command line: arguments, the commands that wire the stages together, exit codes.

mod args;
mod docs_cmd;
mod exit;
mod fixtures_args;
mod fixtures_cmd;
mod fixtures_setup;
mod init_cmd;
mod report_cmd;
mod run_fixtures;
mod schema_cmd;
mod serve;
mod serve_config;
pub(crate) mod session;
pub(crate) mod setup;
mod shard;
mod snapshots;
mod state_cmd;
mod target;
mod test_cmd;
mod validate;
mod watch;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;

use clap::Parser;

pub use args::{Cli, Command};
pub(crate) use args::{FixtureFiles, Selection};
pub use exit::Exit;

/// Parses the command line, runs the command, and maps the outcome to an exit code. A panic
/// anywhere is reported as an internal error (exit 4), never as a stack trace.
pub fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("grantspec: internal error: {info}");
        eprintln!("This is a bug in grantspec; please report it with the command you ran.");
    }));
    let cli = Cli::parse();
    let exit = catch_unwind(AssertUnwindSafe(|| run(cli))).unwrap_or(Exit::Internal as u8);
    ExitCode::from(exit)
}

/// The exit code: an [`Exit`], or `plan --detailed-exitcode`'s 2 for "changes".
fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Snapshots(args) => snapshots::snapshots(args) as u8,
        Command::Test(args) => test_cmd::test(args) as u8,
        Command::Validate(args) => validate::validate(args) as u8,
        Command::Serve(args) => serve::serve(args) as u8,
        Command::Rules(args) => {
            if args.markdown {
                print!("{}", crate::rules::markdown());
            } else {
                for r in crate::rules::all() {
                    println!("{:<5} {:<6} {} ({})", r.id, r.severity, r.title, r.clause);
                }
            }
            Exit::Passed as u8
        }
        Command::Report(args) => report_cmd::report(args) as u8,
        Command::Docs(args) => docs_cmd::docs(args) as u8,
        Command::Plan(args) => fixtures_cmd::plan(args),
        Command::Apply(args) => fixtures_cmd::apply(args),
        Command::Destroy(args) => fixtures_cmd::destroy(args),
        Command::State(args) => state_cmd::state(args),
        Command::Import(args) => state_cmd::import(args),
        Command::Init(args) => init_cmd::init(&args) as u8,
        Command::Schema(args) => schema_cmd::schema(&args) as u8,
        Command::Completions(args) => schema_cmd::completions(args.shell) as u8,
        Command::Man => schema_cmd::man() as u8,
    }
}
