use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Location};

/// Expands the paths given on the command line into scenario files: a file is taken as is, a
/// directory is searched recursively for `*.yaml` / `*.yml`. The result is sorted, so runs and
/// reports are in a stable order.
pub fn find_scenario_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut files)?;
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(Diagnostic::plain(
                Some(Location::file(path.display().to_string().into())),
                "no such file or directory",
            ));
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Diagnostic> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Diagnostic::plain(
            Some(Location::file(dir.display().to_string().into())),
            format!("cannot read directory: {e}"),
        )
    })?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push(path);
        }
    }
    Ok(())
}
