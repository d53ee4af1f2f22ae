//! `--update-snapshots`: whether a run may write snapshot files, and which.

/// What a run does with a snapshot that is new or differs from the accepted one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum UpdateMode {
    /// Write nothing: a new or changed snapshot is a failure (the default, and always in CI).
    #[default]
    No,
    /// Write it as a pending `.snap.new` file, to review, accept or reject; the check fails.
    New,
    /// Overwrite the accepted `.snap` file; the check passes.
    Always,
}

impl UpdateMode {
    /// The mode in force: in CI (`CI` set, and not `false` or `0`) nothing is ever written.
    pub fn effective(self, ci: bool) -> Self {
        if ci { UpdateMode::No } else { self }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            UpdateMode::No => "no",
            UpdateMode::New => "new",
            UpdateMode::Always => "always",
        }
    }
}

/// Whether the process runs in CI, as insta decides it: `CI` (or Azure's `TF_BUILD`) is set.
pub fn running_in_ci() -> bool {
    ["CI", "TF_BUILD"].iter().any(|name| {
        std::env::var(name)
            .is_ok_and(|v| !v.is_empty() && !v.eq_ignore_ascii_case("false") && v != "0")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_never_writes() {
        assert_eq!(UpdateMode::Always.effective(true), UpdateMode::No);
        assert_eq!(UpdateMode::New.effective(false), UpdateMode::New);
    }
}
