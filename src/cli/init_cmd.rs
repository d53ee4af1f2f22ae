//! `grantspec init [DIR]`: writes a new scenarios project (see `scaffold`).

use super::Exit;
use super::args::InitArgs;
use crate::scaffold::{ScaffoldError, write_project};

pub(super) fn init(args: &InitArgs) -> Exit {
    match write_project(&args.dir) {
        Ok(files) => {
            println!("created {} files in {}:", files.len(), args.dir.display());
            for f in &files {
                println!("  {f}");
            }
            println!(
                "\nnext: cd {} && grantspec test    (the scenarios against the embedded sandbox)",
                args.dir.display()
            );
            Exit::Passed
        }
        Err(e @ ScaffoldError::Exists { .. }) => {
            eprintln!("grantspec: init: {e}");
            Exit::InvalidInput
        }
        Err(e) => {
            eprintln!("grantspec: init: {e}");
            Exit::Incomplete
        }
    }
}
