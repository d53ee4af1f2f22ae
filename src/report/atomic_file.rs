//! Writing a file so that readers see either the old content or the new, never a partial one.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::ReportError;

static NEXT_TEMP: AtomicU64 = AtomicU64::new(0);

/// Calls `fill` with a buffered writer on a temporary file beside `path`, then renames the
/// temporary file to `path`. The temporary file is removed if anything fails.
pub(crate) fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<File>) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    let temp = temp_path(path);
    let result = fill_and_rename(path, &temp, fill);
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

fn fill_and_rename(
    path: &Path,
    temp: &Path,
    fill: impl FnOnce(&mut BufWriter<File>) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    let io_error = |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::create(temp).map_err(io_error)?;
    let mut writer = BufWriter::new(file);
    fill(&mut writer)?;
    writer.flush().map_err(io_error)?;
    // No fsync: the rename already gives readers the old file or the new one, and a report
    // need not survive a power cut; flushing megabytes of reports to the disk cost the end of
    // a run more than the run's own requests (bench/RESULTS.md).
    drop(writer.into_inner().map_err(|e| io_error(e.into_error()))?);
    std::fs::rename(temp, path).map_err(io_error)
}

/// A hidden name in the same directory, so the rename never crosses file systems.
pub(crate) fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let unique = NEXT_TEMP.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.{}.{unique}.tmp", std::process::id()))
}
