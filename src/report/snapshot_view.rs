//! A step's snapshot as the HTML report shows it: the file, what the comparison found, and the
//! diff with each line classed for colour.

use crate::outcome::SnapshotRecord;

pub(crate) struct SnapshotView<'a> {
    pub(super) path: &'a str,
    pub(super) comparison: &'static str,
    pub(super) written: Option<&'a str>,
    pub(super) diff: Vec<DiffLine<'a>>,
}

pub(crate) struct DiffLine<'a> {
    /// `add`, `del`, `hunk`, `file` or `ctx`.
    pub(super) class: &'static str,
    pub(super) text: &'a str,
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
