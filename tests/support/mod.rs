//! A small builder for driving the real `grantspec` binary in a scratch directory.

#![allow(dead_code)]

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::rc::Rc;

pub mod pki;

pub struct Test {
    dir: Rc<tempfile::TempDir>,
    env: Vec<(String, String)>,
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub dir: PathBuf,
    _keep: Rc<tempfile::TempDir>,
}

impl Test {
    pub fn new() -> Self {
        Self {
            dir: Rc::new(tempfile::tempdir().expect("temp dir")),
            env: Vec::new(),
        }
    }

    /// A scratch directory holding the repository's bundled scenarios and environments.
    pub fn with_bundled_suite() -> Self {
        let t = Self::new();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for dir in ["scenarios", "environments", "snapshots"] {
            copy_dir(&root.join(dir), &t.dir.path().join(dir));
        }
        std::fs::copy(
            root.join("fixtures.yaml"),
            t.dir.path().join("fixtures.yaml"),
        )
        .expect("copy fixtures.yaml");
        t
    }

    pub fn file(self, path: &str, contents: &str) -> Self {
        let full = self.dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, contents).expect("write");
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_env(args, &[])
    }

    /// Like [`Test::run`], with more environment variables for this run only.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let out = Command::new(env!("CARGO_BIN_EXE_grantspec"))
            .args(args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("GRANTSPEC_ENV")
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .envs(env.iter().copied())
            .output()
            .expect("run grantspec");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            dir: self.dir.path().to_path_buf(),
            _keep: self.dir.clone(),
        }
    }
}

impl Output {
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.dir.join(path))
            .unwrap_or_else(|e| panic!("{path}: {e}\n{self}"))
    }
}

impl std::fmt::Display for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&p, to.join(entry.file_name())).expect("copy");
        }
    }
}

/// Parses XML completely; panics with the position of the first error.
pub fn assert_well_formed_xml(xml: &str) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("malformed XML at {}: {e}", reader.buffer_position()),
        }
    }
    assert_eq!(depth, 0, "unbalanced XML");
}

impl Test {
    /// Starts grantspec without waiting for it; stdout is piped.
    pub fn spawn(&self, args: &[&str]) -> Child {
        Command::new(env!("CARGO_BIN_EXE_grantspec"))
            .args(args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("GRANTSPEC_ENV")
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn grantspec")
    }
}

/// A `grantspec serve` process, killed when dropped.
pub struct Served {
    child: Child,
    pub issuer: String,
    pub stdout: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Test {
    /// Starts `grantspec serve --addr 127.0.0.1:0` with `args` and waits until it listens.
    pub fn serve(&self, args: &[&str]) -> Served {
        let mut all = vec!["serve", "--addr", "127.0.0.1:0", "--keys-dir", "keys"];
        all.extend_from_slice(args);
        let mut child = self.spawn(&all);
        let mut issuer = String::new();
        let mut stdout = String::new();
        if let Some(out) = child.stdout.as_mut() {
            for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
                if let Some(rest) = line.trim().strip_prefix("issuer:") {
                    issuer = rest.trim().to_string();
                }
                stdout.push_str(&line);
                stdout.push('\n');
                if line.starts_with("press Ctrl-C") {
                    break;
                }
            }
        }
        assert!(!issuer.is_empty(), "the sandbox did not start: {stdout}");
        Served {
            child,
            issuer,
            stdout,
        }
    }

    /// Starts the sandbox over HTTPS with the test PKI under `pki/` (`support::pki`), client
    /// certificates from its CA trusted, and `--config config`.
    pub fn serve_tls(&self, config: &str) -> Served {
        self.serve(&[
            "--config",
            config,
            "--tls-cert",
            "pki/server.pem",
            "--tls-key",
            "pki/server.key",
            "--client-ca",
            "pki/ca.pem",
        ])
    }
}
