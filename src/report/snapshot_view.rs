//! A step's snapshot as the HTML report shows it: the file, what the comparison found, and the
//! diff with each line classed for colour.

use serde::Serialize;

use crate::outcome::SnapshotRecord;

#[derive(Serialize)]
pub(crate) struct SnapshotView<'a> {
    path: &'a str,
    comparison: &'static str,
    written: Option<&'a str>,
    diff: Vec<DiffLine<'a>>,
}

#[derive(Serialize)]
struct DiffLine<'a> {
    /// `add`, `del`, `hunk`, `file` or `ctx`.
    class: &'static str,
    text: &'a str,
}

impl<'a> SnapshotView<'a> {
    pub(crate) fn new(record: &'a SnapshotRecord) -> Self {
        Self {
            path: &record.path,
            comparison: record.comparison.as_str(),
            written: record.written.as_deref(),
            diff: record
                .diff
                .as_deref()
                .unwrap_or_default()
                .lines()
                .map(|text| DiffLine {
                    class: class(text),
                    text,
                })
                .collect(),
        }
    }
}

fn class(line: &str) -> &'static str {
    if line.starts_with("+++") || line.starts_with("---") {
        "file"
    } else if line.starts_with('+') {
        "add"
    } else if line.starts_with('-') {
        "del"
    } else if line.starts_with("@@") {
        "hunk"
    } else {
        "ctx"
    }
}
