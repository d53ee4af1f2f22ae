//! The lock that keeps two grantspec processes from changing one environment's state at once:
//! an OS advisory lock on `<env>.lock` (released by the kernel even when the holder is killed),
//! the file naming its holder for the message the other one prints.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::time::{Duration, Instant};

use super::error::ProvisionError;
use super::secret_file::create_private_dir;
use super::state_file::Workdir;

/// Held until dropped.
#[derive(Debug)]
pub struct StateLock {
    file: File,
}

impl StateLock {
    /// Takes the lock, retrying until `timeout` has passed.
    pub fn acquire(
        workdir: &Workdir,
        operation: &str,
        timeout: Duration,
    ) -> Result<Self, ProvisionError> {
        let path = workdir.lock_path();
        let io = |source| ProvisionError::Io {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            create_private_dir(parent).map_err(io)?;
        }
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&path).map_err(io)?;
        let deadline = Instant::now() + timeout;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(TryLockError::WouldBlock) => {
                    let holder = read_holder(&mut file);
                    let holder = holder.trim();
                    return Err(ProvisionError::Locked {
                        environment: workdir.environment.clone(),
                        path,
                        holder: if holder.is_empty() {
                            "another grantspec process".into()
                        } else {
                            holder.to_string()
                        },
                    });
                }
                Err(TryLockError::Error(e)) => return Err(io(e)),
            }
        }
        let holder = format!(
            "grantspec {operation} (pid {}, since {})",
            std::process::id(),
            now_utc()
        );
        let written = file
            .set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(holder.as_bytes()))
            .and_then(|()| file.flush());
        written.map_err(io)?;
        Ok(Self { file })
    }
}

/// The holder's description. The holder writes it just after taking the lock, so a file still
/// empty is read again for a moment before giving up on naming the holder.
fn read_holder(file: &mut File) -> String {
    let mut holder = String::new();
    for _ in 0..20 {
        holder.clear();
        let _ = file
            .seek(SeekFrom::Start(0))
            .and_then(|_| file.read_to_string(&mut holder));
        if !holder.trim().is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    holder
}

fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    i64::try_from(secs)
        .ok()
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

impl Drop for StateLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_with_the_first_named() {
        let dir = tempfile::tempdir().unwrap();
        let w = Workdir::new(dir.path(), "e");
        let first = StateLock::acquire(&w, "apply", Duration::ZERO).unwrap();
        let err = StateLock::acquire(&w, "plan", Duration::from_millis(200)).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("grantspec apply (pid"), "{msg}");
        drop(first);
        StateLock::acquire(&w, "plan", Duration::ZERO).unwrap();
    }
}
