//! The commands generated from grantspec's own definitions: `schema` (JSON Schemas of the
//! input files), `completions` (shell scripts) and `man` (roff), all from the types and the
//! clap definitions, so they never drift from what the binary accepts.

use std::io::Write as _;

use clap::CommandFactory;

use super::Exit;
use super::args::{Cli, SchemaArgs};

pub(super) fn schema(args: &SchemaArgs) -> Exit {
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        eprintln!("grantspec: cannot create {}: {e}", args.out.display());
        return Exit::Incomplete;
    }
    for (name, text) in crate::schema::all() {
        let path = args.out.join(name);
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("grantspec: cannot write {}: {e}", path.display());
            return Exit::Incomplete;
        }
        println!("wrote {}", path.display());
    }
    Exit::Passed
}

pub(super) fn completions(shell: clap_complete::Shell) -> Exit {
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "grantspec", &mut std::io::stdout());
    Exit::Passed
}

pub(super) fn man() -> Exit {
    let mut out = std::io::stdout().lock();
    match clap_mangen::Man::new(Cli::command()).render(&mut out) {
        Ok(()) => {
            let _ = out.flush();
            Exit::Passed
        }
        Err(e) => {
            eprintln!("grantspec: cannot write the man page: {e}");
            Exit::Incomplete
        }
    }
}
