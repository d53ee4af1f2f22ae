//! The unified diff between an accepted snapshot and a new one, as shown in the console and in
//! every report.

use similar::TextDiff;

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// `old` → `new` as a unified diff (`---`/`+++` headers, `@@` hunks), or an empty string when
/// they are equal.
pub(crate) fn unified_diff(old: &str, new: &str, old_label: &str, new_label: &str) -> String {
    let old = with_final_newline(old);
    let new = with_final_newline(new);
    TextDiff::from_lines(old.as_str(), new.as_str())
        .unified_diff()
        .context_radius(CONTEXT)
        .header(old_label, new_label)
        .to_string()
}

fn with_final_newline(text: &str) -> String {
    if text.is_empty() || text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_is_shown_with_its_context() {
        let old = "{\n  \"a\": 1,\n  \"b\": 2\n}";
        let new = "{\n  \"a\": 1,\n  \"b\": 3\n}";
        assert_eq!(
            unified_diff(old, new, "accepted", "new"),
            "--- accepted\n+++ new\n@@ -1,4 +1,4 @@\n {\n   \"a\": 1,\n-  \"b\": 2\n+  \"b\": 3\n }\n"
        );
        assert_eq!(unified_diff(old, old, "a", "b"), "");
    }

    #[test]
    fn a_new_snapshot_is_all_additions() {
        assert_eq!(
            unified_diff("", "{}", "none", "new"),
            "--- none\n+++ new\n@@ -0,0 +1 @@\n+{}\n"
        );
    }
}
