//! The command line: arguments, the commands that wire the stages together, exit codes.

mod args;
mod exit;
mod serve;
mod setup;
mod snapshots;
mod target;
mod test_cmd;
mod validate;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;

use clap::Parser;

pub use args::{Cli, Command};
pub use exit::Exit;

/// Parses the command line, runs the command, and maps the outcome to an exit code. A panic
/// anywhere is reported as an internal error (exit 4), never as a stack trace.
pub fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("grantspec: internal error: {info}");
        eprintln!("This is a bug in grantspec; please report it with the command you ran.");
    }));
    let cli = Cli::parse();
    let exit = catch_unwind(AssertUnwindSafe(|| run(cli))).unwrap_or(Exit::Internal);
    ExitCode::from(exit as u8)
}

fn run(cli: Cli) -> Exit {
    match cli.command {
        Command::Test(args) => test_cmd::test(args),
        Command::Validate(args) => validate::validate(args),
        Command::Serve(args) => serve::serve(args),
        Command::Snapshots(args) => snapshots::snapshots(args),
        Command::Rules(args) => {
            if args.markdown {
                print!("{}", crate::rules::markdown());
            } else {
                for r in crate::rules::all() {
                    println!("{:<5} {:<6} {} ({})", r.id, r.severity, r.title, r.clause);
                }
            }
            Exit::Passed
        }
    }
}
