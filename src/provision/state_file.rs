//! Where an environment's state and keys live under `.grantspec/`, and reading and writing
//! the state file (atomically, mode 0600, the previous version kept as `.backup`).

use std::path::{Path, PathBuf};

use super::error::ProvisionError;
use super::secret_file::write_private;
use super::state::{STATE_VERSION, State};

/// The `.grantspec/` directory of one environment.
#[derive(Clone, Debug)]
pub struct Workdir {
    pub root: PathBuf,
    pub environment: String,
}

impl Workdir {
    pub fn new(root: impl Into<PathBuf>, environment: &str) -> Self {
        Self {
            root: root.into(),
            environment: environment.into(),
        }
    }

    pub fn state_path(&self) -> PathBuf {
        self.root
            .join("state")
            .join(format!("{}.json", self.environment))
    }

    pub fn backup_path(&self) -> PathBuf {
        self.root
            .join("state")
            .join(format!("{}.json.backup", self.environment))
    }

    pub fn lock_path(&self) -> PathBuf {
        self.root
            .join("state")
            .join(format!("{}.lock", self.environment))
    }

    pub fn key_path(&self, key: &str) -> PathBuf {
        self.root
            .join("keys")
            .join(&self.environment)
            .join(format!("{key}.pem"))
    }

    /// The state, or `None` when none was ever written.
    pub fn read_state(&self) -> Result<Option<State>, ProvisionError> {
        let path = self.state_path();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(ProvisionError::Io { path, source }),
        };
        let state: State =
            serde_json::from_str(&text).map_err(|e| ProvisionError::CorruptState {
                path: path.clone(),
                message: e.to_string(),
            })?;
        if state.version != STATE_VERSION {
            return Err(ProvisionError::CorruptState {
                path,
                message: format!(
                    "format version {} (this grantspec reads version {STATE_VERSION})",
                    state.version
                ),
            });
        }
        Ok(Some(state))
    }

    /// The state, or a new empty one (serial 0, fresh lineage).
    pub fn read_or_new(&self) -> Result<State, ProvisionError> {
        Ok(self
            .read_state()?
            .unwrap_or_else(|| State::new(&self.environment)))
    }

    /// Increments the serial and replaces the file, keeping the previous one as the backup.
    /// Call it only while holding the [`StateLock`](super::StateLock).
    pub fn write_state(&self, state: &mut State) -> Result<(), ProvisionError> {
        state.serial += 1;
        let path = self.state_path();
        let mut text = serde_json::to_string_pretty(state).map_err(|e| ProvisionError::Io {
            path: path.clone(),
            source: std::io::Error::other(e),
        })?;
        text.push('\n');
        if let Ok(previous) = std::fs::read(&path) {
            write_private(&self.backup_path(), &previous)?;
        }
        write_private(&path, text.as_bytes())
    }
}

/// The file a user passes: `.grantspec` unless configured.
pub fn default_root() -> &'static Path {
    Path::new(".grantspec")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_bump_the_serial_and_keep_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let w = Workdir::new(dir.path(), "staging");
        assert!(w.read_state().unwrap().is_none());
        let mut s = w.read_or_new().unwrap();
        w.write_state(&mut s).unwrap();
        w.write_state(&mut s).unwrap();
        let back = w.read_state().unwrap().unwrap();
        assert_eq!(back.serial, 2);
        assert_eq!(back.lineage, s.lineage);
        let backup: State =
            serde_json::from_str(&std::fs::read_to_string(w.backup_path()).unwrap()).unwrap();
        assert_eq!(backup.serial, 1);
    }

    #[test]
    fn a_corrupt_state_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let w = Workdir::new(dir.path(), "e");
        std::fs::create_dir_all(w.state_path().parent().unwrap()).unwrap();
        std::fs::write(w.state_path(), "{").unwrap();
        let err = w.read_state().unwrap_err().to_string();
        assert!(err.contains("e.json"), "{err}");
    }
}
