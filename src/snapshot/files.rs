//! Reading and writing snapshot files.

use std::path::{Path, PathBuf};

use super::SnapshotError;
use super::snap_file::SnapFile;

/// The snapshot at `path`, or `None` when there is no such file.
pub(crate) fn read(path: &Path) -> Result<Option<SnapFile>, SnapshotError> {
    match std::fs::read_to_string(path) {
        Ok(text) => SnapFile::parse(&text)
            .map(Some)
            .map_err(|message| SnapshotError::Parse {
                path: path.to_path_buf(),
                message,
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(SnapshotError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Written beside the target and renamed into place: a reader never sees half a file.
pub(crate) fn write_file(path: &Path, text: &str) -> Result<(), SnapshotError> {
    let err = |source| SnapshotError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".{}.tmp", std::process::id()));
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text).map_err(err)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        err(e)
    })
}

pub(crate) fn remove_if_present(path: &Path) -> Result<(), SnapshotError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(SnapshotError::Write {
            path: path.to_path_buf(),
            source: e,
        }),
        _ => Ok(()),
    }
}
