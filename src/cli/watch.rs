//! `grantspec test --watch`: runs, then polls the scenario, environment and fixtures files and
//! re-runs what a change affects: only the changed (or new) scenario files when nothing else
//! changed, everything otherwise. Polling keeps it dependency-free; a burst of writes (an
//! editor saving several files) is debounced into one run. Ctrl-C ends it.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use super::Exit;
use super::args::TestArgs;
use super::setup::{prepare_run, print_diagnostics};
use super::test_cmd::{interrupted, run_once};

/// How often the files are looked at.
const POLL: Duration = Duration::from_millis(250);
/// How long the files must stay unchanged before a run starts.
const SETTLE: Duration = Duration::from_millis(300);

/// Modification time and a hash of the contents of every watched YAML file (the hash because
/// an edit within the file system's timestamp granularity keeps the time).
#[derive(Debug, Default, PartialEq, Eq)]
struct Stamps(BTreeMap<PathBuf, (Option<SystemTime>, u64)>);

impl Stamps {
    fn read(roots: &[PathBuf]) -> Self {
        let mut stamps = Stamps::default();
        for root in roots {
            stamps.add(root);
        }
        stamps
    }

    fn add(&mut self, path: &Path) {
        if path.is_dir() {
            let Ok(entries) = std::fs::read_dir(path) else {
                return;
            };
            for entry in entries.flatten() {
                self.add(&entry.path());
            }
        } else if let Ok(meta) = std::fs::metadata(path) {
            let yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
            if yaml {
                let mut hasher = DefaultHasher::new();
                std::fs::read(path).unwrap_or_default().hash(&mut hasher);
                self.0
                    .insert(path.to_path_buf(), (meta.modified().ok(), hasher.finish()));
            }
        }
    }

    /// The files added, changed or removed since `before`.
    fn changed_since(&self, before: &Stamps) -> Vec<PathBuf> {
        let mut changed: Vec<PathBuf> = self
            .0
            .iter()
            .filter(|(path, stamp)| before.0.get(*path) != Some(*stamp))
            .map(|(path, _)| path.clone())
            .collect();
        changed.extend(
            before
                .0
                .keys()
                .filter(|p| !self.0.contains_key(*p))
                .cloned(),
        );
        changed
    }
}

pub(super) async fn watch(args: &TestArgs) -> Exit {
    let selection = &args.selection;
    let scenario_roots = if selection.paths.is_empty() {
        vec![PathBuf::from("scenarios")]
    } else {
        selection.paths.clone()
    };
    let mut roots = scenario_roots.clone();
    roots.push(selection.environments_dir.clone());
    roots.push(selection.fixture_files.fixtures.clone());

    let stopped = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stopped);
    let mut stop = pin!(async move {
        let signal = interrupted().await;
        flag.store(true, Ordering::SeqCst);
        signal
    });

    let mut stamps = Stamps::read(&roots);
    let mut only: Option<Vec<String>> = None;
    loop {
        let last = match prepare_run(selection) {
            Ok(prepared) => run_once(args, prepared, only.as_deref(), stop.as_mut()).await,
            Err(d) => {
                print_diagnostics(&d);
                Exit::InvalidInput
            }
        };
        if stopped.load(Ordering::SeqCst) {
            return last;
        }
        println!(
            "\nwatch: waiting for changes to {} (Ctrl-C to stop)",
            list(&roots)
        );
        let changed = tokio::select! {
            changed = next_change(&roots, &mut stamps) => changed,
            _ = stop.as_mut() => return last,
        };
        let scenarios_only = changed
            .iter()
            .all(|p| p.exists() && scenario_roots.iter().any(|r| p.starts_with(r)));
        only = scenarios_only.then(|| changed.iter().map(|p| p.display().to_string()).collect());
        println!(
            "watch: changed: {}; re-running {}",
            list(&changed),
            if scenarios_only {
                "their scenarios"
            } else {
                "every scenario"
            }
        );
    }
}

/// Waits until a watched file changes and the files then stay unchanged for [`SETTLE`];
/// returns every file that changed in that time.
async fn next_change(roots: &[PathBuf], stamps: &mut Stamps) -> Vec<PathBuf> {
    let mut changed = Vec::new();
    loop {
        tokio::time::sleep(POLL).await;
        let now = Stamps::read(roots);
        let new = now.changed_since(stamps);
        if new.is_empty() {
            continue;
        }
        changed.extend(new);
        *stamps = now;
        // Debounce: wait for the burst to end.
        loop {
            tokio::time::sleep(SETTLE).await;
            let now = Stamps::read(roots);
            let more = now.changed_since(stamps);
            if more.is_empty() {
                break;
            }
            changed.extend(more);
            *stamps = now;
        }
        changed.sort();
        changed.dedup();
        return changed;
    }
}

fn list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_changed_and_removed_files_are_changes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = vec![dir.path().to_path_buf()];
        let a = dir.path().join("a.yaml");
        let b = dir.path().join("sub/b.yml");
        std::fs::write(&a, "one").expect("write");
        std::fs::write(dir.path().join("notes.txt"), "ignored").expect("write");
        let before = Stamps::read(&root);
        assert_eq!(before.0.len(), 1, "only YAML files are watched");
        assert!(Stamps::read(&root).changed_since(&before).is_empty());

        std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
        std::fs::write(&b, "new").expect("write");
        std::fs::write(&a, "longer").expect("write");
        assert_eq!(
            Stamps::read(&root).changed_since(&before),
            vec![a.clone(), b.clone()]
        );

        let before = Stamps::read(&root);
        std::fs::remove_file(&b).expect("rm");
        assert_eq!(Stamps::read(&root).changed_since(&before), vec![b]);
    }
}
