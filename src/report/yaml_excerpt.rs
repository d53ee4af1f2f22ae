//! The lines of a scenario file around a location, numbered, with a caret under the column:
//! what the console shows under a failed check so the reader sees the expectation as written.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use crate::diag::Location;

/// Lines shown before the located line (and one after).
const BEFORE: u32 = 2;

/// Reads each scenario file once.
#[derive(Default)]
pub(crate) struct Excerpts {
    files: HashMap<Arc<str>, Option<Vec<String>>>,
}

impl Excerpts {
    /// The excerpt, or `None` when the file cannot be read or the line is not in it.
    pub(crate) fn around(&mut self, at: &Location) -> Option<String> {
        if at.line == 0 {
            return None;
        }
        let lines = self
            .files
            .entry(at.file.clone())
            .or_insert_with(|| {
                std::fs::read_to_string(&*at.file)
                    .ok()
                    .map(|t| t.lines().map(str::to_owned).collect())
            })
            .as_ref()?;
        let index = usize::try_from(at.line - 1).ok()?;
        lines.get(index)?;
        let first = index.saturating_sub(BEFORE as usize);
        let last = (index + 1).min(lines.len() - 1);
        let width = (last + 1).to_string().len();
        let mut out = String::new();
        for (i, line) in lines.iter().enumerate().take(last + 1).skip(first) {
            let _ = writeln!(out, "{:>width$} | {}", i + 1, printable(line));
            if i == index {
                let column = usize::try_from(at.column.max(1) - 1).unwrap_or(0);
                let _ = writeln!(out, "{:>width$} | {}^", "", " ".repeat(column));
            }
        }
        Some(out)
    }
}

/// Control characters (an escape sequence in a scenario file) shown as their pictures, so an
/// excerpt cannot drive the terminal.
fn printable(line: &str) -> String {
    line.chars()
        .map(|c| match c {
            '\t' => ' ',
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('?'),
            '\u{7f}' => '\u{2421}',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_numbers_lines_and_points_at_the_column() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("s.yaml");
        std::fs::write(&file, "a: 1\nb: 2\nc: 3\nd: \u{1b}[31m\ne: 5\n").unwrap();
        let file: Arc<str> = Arc::from(file.to_str().unwrap());
        let mut ex = Excerpts::default();
        let text = ex.around(&Location::new(file.clone(), 3, 4)).unwrap();
        assert_eq!(
            text,
            "1 | a: 1\n2 | b: 2\n3 | c: 3\n  |    ^\n4 | d: \u{241b}[31m\n"
        );
        assert!(ex.around(&Location::new(file.clone(), 9, 1)).is_none());
        assert!(ex.around(&Location::new(file, 0, 0)).is_none());
        assert!(
            ex.around(&Location::new(Arc::from("/nonexistent.yaml"), 1, 1))
                .is_none()
        );
    }
}
