//! `grantspec snapshots review`: each pending snapshot's diff, then a question — accept, reject,
//! skip or quit. The terminal check belongs to the caller; this reads answers from any input.

use std::io::{BufRead, Write};

use super::{PendingSnapshot, SnapshotError};

/// What a review did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReviewTally {
    pub accepted: usize,
    pub rejected: usize,
    pub skipped: usize,
}

/// Shows each pending snapshot on `out` and acts on the answer read from `input`. The end of
/// the input, or `q`, skips the rest. `color` paints the diff's added and removed lines.
pub fn review(
    pending: &[PendingSnapshot],
    input: &mut impl BufRead,
    out: &mut impl Write,
    color: bool,
) -> Result<ReviewTally, SnapshotError> {
    let mut tally = ReviewTally::default();
    let total = pending.len();
    for (i, snapshot) in pending.iter().enumerate() {
        let diff = snapshot.diff()?;
        let _ = writeln!(out, "\n[{}/{total}] {}", i + 1, snapshot.name);
        for line in diff.lines() {
            let _ = writeln!(out, "{}", paint(line, color));
        }
        match ask(input, out) {
            Answer::Accept => {
                snapshot.accept()?;
                tally.accepted += 1;
                let _ = writeln!(out, "accepted {}", snapshot.accepted.display());
            }
            Answer::Reject => {
                snapshot.reject()?;
                tally.rejected += 1;
                let _ = writeln!(out, "rejected {}", snapshot.pending.display());
            }
            Answer::Skip => tally.skipped += 1,
            Answer::Quit => {
                tally.skipped += total - i;
                break;
            }
        }
    }
    Ok(tally)
}

enum Answer {
    Accept,
    Reject,
    Skip,
    Quit,
}

/// Asks until the answer is one of the four; the end of the input quits. An empty answer skips.
fn ask(input: &mut impl BufRead, out: &mut impl Write) -> Answer {
    loop {
        let _ = write!(out, "a accept · r reject · s skip · q quit [a/r/s/q]: ");
        let _ = out.flush();
        let mut line = String::new();
        if matches!(input.read_line(&mut line), Ok(0) | Err(_)) {
            return Answer::Quit;
        }
        match line.trim().to_ascii_lowercase().as_str() {
            "a" | "accept" => return Answer::Accept,
            "r" | "reject" => return Answer::Reject,
            "s" | "skip" | "" => return Answer::Skip,
            "q" | "quit" => return Answer::Quit,
            _ => {
                let _ = writeln!(out, "please answer a, r, s or q");
            }
        }
    }
}

fn paint(line: &str, color: bool) -> String {
    if !color {
        return line.to_string();
    }
    let code = if line.starts_with("+++") || line.starts_with("---") {
        "1"
    } else if line.starts_with('+') {
        "32"
    } else if line.starts_with('-') {
        "31"
    } else if line.starts_with("@@") {
        "36"
    } else {
        return line.to_string();
    };
    format!("\x1b[{code}m{line}\x1b[0m")
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;
    use crate::snapshot::find_pending;

    #[test]
    fn answers_accept_reject_skip_and_quit() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in ["a", "b", "c", "d"] {
            std::fs::write(root.join(format!("{name}.snap.new")), "---\n---\n{}\n").unwrap();
        }
        let pending = find_pending(root, None).unwrap();
        let mut out = Vec::new();
        let tally = review(&pending, &mut Cursor::new("x\na\nr\ns\n"), &mut out, false).unwrap();
        assert_eq!(
            tally,
            ReviewTally {
                accepted: 1,
                rejected: 1,
                skipped: 2
            }
        );
        let shown = String::from_utf8(out).unwrap();
        assert!(shown.contains("[1/4] a.snap"), "{shown}");
        assert!(shown.contains("please answer a, r, s or q"), "{shown}");
        assert!(shown.contains("+{}"), "{shown}");
        assert!(root.join("a.snap").exists());
        assert!(!root.join("b.snap.new").exists() && !root.join("b.snap").exists());
        assert!(root.join("c.snap.new").exists() && root.join("d.snap.new").exists());

        let pending = find_pending(root, None).unwrap();
        let tally = review(&pending, &mut Cursor::new("q\n"), &mut Vec::new(), true).unwrap();
        assert_eq!(tally.skipped, 2);
    }
}
