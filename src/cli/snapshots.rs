//! `grantspec snapshots accept|reject|review [FILTER]`: what to do with the pending `.snap.new`
//! files a `test --update-snapshots` run wrote. Works without Cargo, unlike `cargo insta`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Exit;
use crate::snapshot::{PendingSnapshot, SnapshotError, find_pending, review};

#[derive(Debug, Args)]
pub struct SnapshotsArgs {
    #[command(subcommand)]
    pub action: SnapshotsAction,
    /// Where snapshots are stored
    #[arg(
        long,
        global = true,
        default_value = "snapshots",
        env = "GRANTSPEC_SNAPSHOT_DIR"
    )]
    pub snapshot_dir: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum SnapshotsAction {
    /// Show each pending snapshot's diff and ask: accept, reject or skip (needs a terminal).
    Review(Filter),
    /// Accept pending snapshots: each .snap.new replaces its .snap.
    Accept(Filter),
    /// Reject pending snapshots: each .snap.new is deleted.
    Reject(Filter),
}

#[derive(Debug, Args)]
pub struct Filter {
    /// Only snapshots whose path under the snapshot directory contains FILTER (ignoring case),
    /// like a scenario's slug: `discovery`, `app-credentials/token`
    pub filter: Option<String>,
}

pub(super) fn snapshots(args: SnapshotsArgs) -> Exit {
    let filter = match &args.action {
        SnapshotsAction::Review(f) | SnapshotsAction::Accept(f) | SnapshotsAction::Reject(f) => {
            f.filter.as_deref()
        }
    };
    let pending = match find_pending(&args.snapshot_dir, filter) {
        Ok(p) => p,
        Err(e) => return internal(&e),
    };
    if pending.is_empty() {
        let scope = filter
            .map(|f| format!(" matching `{f}`"))
            .unwrap_or_default();
        println!(
            "no pending snapshot{scope} under {}",
            args.snapshot_dir.display()
        );
        return Exit::Passed;
    }
    match &args.action {
        SnapshotsAction::Accept(_) => each(&pending, "accepted", PendingSnapshot::accept),
        SnapshotsAction::Reject(_) => each(&pending, "rejected", PendingSnapshot::reject),
        SnapshotsAction::Review(_) => interactive(&pending),
    }
}

fn each(
    pending: &[PendingSnapshot],
    done: &str,
    action: impl Fn(&PendingSnapshot) -> Result<(), SnapshotError>,
) -> Exit {
    for snapshot in pending {
        if let Err(e) = action(snapshot) {
            return internal(&e);
        }
        println!("{done} {}", snapshot.accepted.display());
    }
    println!(
        "{done} {} snapshot{}",
        pending.len(),
        if pending.len() == 1 { "" } else { "s" }
    );
    Exit::Passed
}

fn interactive(pending: &[PendingSnapshot]) -> Exit {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        eprintln!(
            "grantspec: `snapshots review` asks a question for each of the {} pending \
             snapshot(s) and needs a terminal; without one, use `grantspec snapshots accept \
             [FILTER]` or `grantspec snapshots reject [FILTER]`",
            pending.len()
        );
        return Exit::InvalidInput;
    }
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut input = std::io::stdin().lock();
    let mut out = std::io::stdout().lock();
    match review(pending, &mut input, &mut out, color) {
        Ok(tally) => {
            let _ = writeln!(
                out,
                "\n{} accepted, {} rejected, {} skipped",
                tally.accepted, tally.rejected, tally.skipped
            );
            Exit::Passed
        }
        Err(e) => internal(&e),
    }
}

fn internal(e: &SnapshotError) -> Exit {
    eprintln!("grantspec: {e}");
    Exit::Internal
}
