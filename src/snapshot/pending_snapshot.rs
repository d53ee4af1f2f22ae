//! Pending snapshots: the `.snap.new` files `--update-snapshots=new` wrote, waiting for a person
//! to accept (rename over the `.snap`) or reject (delete) them — as `cargo insta` does.

use std::path::{Path, PathBuf};

use super::SnapshotError;
use super::diff::unified_diff;
use super::files::{read, remove_if_present};
use super::snap_file::SnapFile;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingSnapshot {
    /// The `.snap.new` file.
    pub pending: PathBuf,
    /// The `.snap` file it would replace (which may not exist).
    pub accepted: PathBuf,
    /// The accepted file relative to the snapshot root, with `/`: `discovery/metadata.snap`.
    pub name: String,
}

/// Every pending snapshot under `root` whose name contains `filter` (ignoring case), sorted by
/// name. A missing `root` has none.
pub fn find_pending(
    root: &Path,
    filter: Option<&str>,
) -> Result<Vec<PendingSnapshot>, SnapshotError> {
    let mut found = Vec::new();
    collect(root, root, &mut found)?;
    if let Some(filter) = filter {
        let filter = filter.to_lowercase();
        found.retain(|p| p.name.to_lowercase().contains(&filter));
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

fn collect(root: &Path, dir: &Path, found: &mut Vec<PendingSnapshot>) -> Result<(), SnapshotError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(SnapshotError::Read {
                path: dir.to_path_buf(),
                source,
            });
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // Not following symbolic links: a link to a parent would never end.
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            collect(root, &path, found)?;
            continue;
        }
        let Some(accepted) = path
            .to_str()
            .and_then(|p| p.strip_suffix(".new"))
            .filter(|p| p.ends_with(".snap"))
            .map(PathBuf::from)
        else {
            continue;
        };
        let name = accepted
            .strip_prefix(root)
            .unwrap_or(&accepted)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        found.push(PendingSnapshot {
            pending: path,
            accepted,
            name,
        });
    }
    Ok(())
}

impl PendingSnapshot {
    /// The pending file replaces the accepted one.
    pub fn accept(&self) -> Result<(), SnapshotError> {
        std::fs::rename(&self.pending, &self.accepted).map_err(|source| SnapshotError::Write {
            path: self.accepted.clone(),
            source,
        })
    }

    /// The pending file is deleted; the accepted one stays as it was.
    pub fn reject(&self) -> Result<(), SnapshotError> {
        remove_if_present(&self.pending)
    }

    /// What accepting would change, as a unified diff (all additions for a new snapshot).
    pub fn diff(&self) -> Result<String, SnapshotError> {
        let new = read(&self.pending)?.unwrap_or_else(|| SnapFile::new(Default::default(), ""));
        let (old, label) = match read(&self.accepted)? {
            Some(old) => (
                old.contents,
                format!("{} (accepted)", self.accepted.display()),
            ),
            None => (String::new(), "(no accepted snapshot)".to_string()),
        };
        Ok(unified_diff(
            &old,
            &new.contents,
            &label,
            &self.pending.display().to_string(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_files_are_found_filtered_accepted_and_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("discovery")).unwrap();
        std::fs::create_dir_all(root.join("app-credentials")).unwrap();
        std::fs::write(root.join("discovery/metadata.snap"), "---\n---\nold\n").unwrap();
        std::fs::write(root.join("discovery/metadata.snap.new"), "---\n---\nnew\n").unwrap();
        std::fs::write(
            root.join("app-credentials/token.snap.new"),
            "---\n---\n{}\n",
        )
        .unwrap();
        std::fs::write(root.join("app-credentials/notes.txt"), "x").unwrap();

        let all = find_pending(root, None).unwrap();
        let names: Vec<&str> = all.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            ["app-credentials/token.snap", "discovery/metadata.snap"]
        );
        assert!(all[1].diff().unwrap().contains("-old\n+new\n"));
        assert!(all[0].diff().unwrap().contains("(no accepted snapshot)"));

        let only = find_pending(root, Some("DISCOVERY")).unwrap();
        assert_eq!(only.len(), 1);
        only[0].accept().unwrap();
        assert_eq!(
            std::fs::read_to_string(root.join("discovery/metadata.snap")).unwrap(),
            "---\n---\nnew\n"
        );
        all[0].reject().unwrap();
        assert!(find_pending(root, None).unwrap().is_empty());
        assert!(
            find_pending(&root.join("missing"), None)
                .unwrap()
                .is_empty()
        );
    }
}
