//! Where a step's snapshot lives: `<root>/[<env>/]<scenario-slug>/<name>.snap`, where the name
//! is the step's slug unless the scenario gives one.

use std::path::{Path, PathBuf};

/// The accepted file of one step's snapshot; the pending file sits beside it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct SnapshotPath {
    /// Relative to the snapshot root, with `/` separators: `app-credentials/token.snap`.
    pub(crate) relative: String,
}

impl SnapshotPath {
    pub(crate) fn new(
        environment: Option<&str>,
        scenario: &str,
        step: &str,
        name: Option<&str>,
    ) -> Self {
        let mut parts = Vec::new();
        if let Some(env) = environment {
            parts.push(slug(env));
        }
        parts.push(slug(scenario));
        let file = name.map_or_else(|| slug(step), str::to_string);
        parts.push(format!("{file}.snap"));
        Self {
            relative: parts.join("/"),
        }
    }

    pub(crate) fn accepted(&self, root: &Path) -> PathBuf {
        root.join(&self.relative)
    }

    pub(crate) fn pending(&self, root: &Path) -> PathBuf {
        root.join(format!("{}.new", self.relative))
    }
}

/// Lower-case letters and digits; every other run of characters becomes one `-`.
/// `App credentials` → `app-credentials`; a name with no letter or digit → `_`.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() { "_".into() } else { out }
}

/// A name the scenario gives a snapshot must be a plain file name: it is used as written.
pub(crate) fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && !name.ends_with(".snap");
    if ok {
        Ok(())
    } else {
        Err(format!(
            "invalid snapshot name `{name}`: use letters, digits, `-`, `_` and `.`, starting with a \
             letter or digit and without the `.snap` extension"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_dashes() {
        assert_eq!(slug("App credentials"), "app-credentials");
        assert_eq!(
            slug("a second token — is a Different token!"),
            "a-second-token-is-a-different-token"
        );
        assert_eq!(slug("  ../etc/passwd "), "etc-passwd");
        assert_eq!(slug("Ünïcödé"), "ünïcödé");
        assert_eq!(slug("!!!"), "_");
    }

    #[test]
    fn paths_are_per_scenario_and_optionally_per_environment() {
        let p = SnapshotPath::new(None, "App credentials", "token", None);
        assert_eq!(p.relative, "app-credentials/token.snap");
        let p = SnapshotPath::new(Some("Staging"), "Discovery", "metadata", Some("doc"));
        assert_eq!(p.relative, "staging/discovery/doc.snap");
        assert_eq!(
            p.pending(Path::new("snapshots")),
            Path::new("snapshots/staging/discovery/doc.snap.new")
        );
    }

    #[test]
    fn given_names_must_be_plain_file_names() {
        assert!(check_name("token-response_v2").is_ok());
        for bad in ["", "../x", "a/b", "x.snap", ".hidden", "sp ace"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }
}
