//! `grantspec init`: the files of a new scenarios project. The example scenarios, snapshots,
//! fixtures and sandbox environment are the bundled suite's own (embedded at build time), so a
//! new project passes `grantspec test` against the embedded sandbox out of the box. Every
//! YAML file starts with the `yaml-language-server` line that points editors at its schema.

use std::path::{Path, PathBuf};

use thiserror::Error;

/// Which schema a YAML file follows, for its `# yaml-language-server: $schema=` line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Scenario,
    Environment,
    Fixtures,
    /// A GitHub Actions workflow, whose schema the editors' catalogue already has.
    Workflow,
    /// Not YAML: written as is.
    Plain,
}

/// One file of the scaffold: where it goes, what it follows, what it holds.
struct ScaffoldFile {
    path: &'static str,
    kind: Kind,
    text: &'static str,
}

macro_rules! bundled {
    ($kind:expr, $path:literal) => {
        ScaffoldFile {
            path: $path,
            kind: $kind,
            text: include_str!(concat!("../../", $path)),
        }
    };
}

const FILES: &[ScaffoldFile] = &[
    bundled!(Kind::Environment, "environments/sandbox.yaml"),
    ScaffoldFile {
        path: "environments/staging.yaml",
        kind: Kind::Environment,
        text: include_str!("files/issuer.yaml"),
    },
    bundled!(Kind::Fixtures, "fixtures.yaml"),
    bundled!(Kind::Scenario, "scenarios/discovery.yaml"),
    bundled!(Kind::Scenario, "scenarios/app_credentials.yaml"),
    bundled!(Kind::Scenario, "scenarios/app_credentials_certificate.yaml"),
    bundled!(Kind::Scenario, "scenarios/app_credentials_errors.yaml"),
    bundled!(Kind::Scenario, "scenarios/unauthorized_grant.yaml"),
    bundled!(Kind::Scenario, "scenarios/user_login.yaml"),
    bundled!(Kind::Scenario, "scenarios/user_login_errors.yaml"),
    bundled!(Kind::Scenario, "scenarios/pkce_plain.yaml"),
    bundled!(Kind::Scenario, "scenarios/expired_code.yaml"),
    bundled!(Kind::Scenario, "scenarios/refresh.yaml"),
    bundled!(Kind::Scenario, "scenarios/userinfo_errors.yaml"),
    bundled!(Kind::Scenario, "scenarios/introspection_revocation.yaml"),
    bundled!(Kind::Scenario, "scenarios/registration.yaml"),
    bundled!(Kind::Scenario, "scenarios/transport.yaml"),
    bundled!(Kind::Plain, "snapshots/discovery/key-set.snap"),
    bundled!(Kind::Plain, "snapshots/discovery/metadata.snap"),
    bundled!(
        Kind::Plain,
        "snapshots/introspection-and-revocation/introspect-the-access-token.snap"
    ),
    bundled!(Kind::Plain, "snapshots/user-login/userinfo-with-get.snap"),
    bundled!(Kind::Plain, "snapshots/user-login/exchange-the-code.snap"),
    bundled!(
        Kind::Plain,
        "snapshots/app-credentials-with-certificate/token.snap"
    ),
    bundled!(Kind::Plain, "snapshots/app-credentials/token.snap"),
    ScaffoldFile {
        path: ".gitignore",
        kind: Kind::Plain,
        text: include_str!("files/gitignore"),
    },
    ScaffoldFile {
        path: ".github/workflows/grantspec.yaml",
        kind: Kind::Workflow,
        text: include_str!("files/workflow.yaml"),
    },
];

#[derive(Debug, Error)]
pub enum ScaffoldError {
    #[error("{} already exist{} in {}; nothing was written (init never overwrites)",
        list(.existing), if .existing.len() == 1 { "s" } else { "" }, .dir.display())]
    Exists { dir: PathBuf, existing: Vec<String> },
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn list(files: &[String]) -> String {
    files.join(", ")
}

/// Writes the project into `dir` (created if needed), with the JSON Schemas under `schemas/`.
/// Refuses, writing nothing, if any of its files already exists. Returns the files written.
pub fn write_project(dir: &Path) -> Result<Vec<String>, ScaffoldError> {
    let files = project_files();
    let existing: Vec<String> = files
        .iter()
        .filter(|(path, _)| dir.join(path).exists())
        .map(|(path, _)| path.clone())
        .collect();
    if !existing.is_empty() {
        return Err(ScaffoldError::Exists {
            dir: dir.to_path_buf(),
            existing,
        });
    }
    for (path, text) in &files {
        let full = dir.join(path);
        let write = || {
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&full, text)
        };
        write().map_err(|source| ScaffoldError::Write {
            path: full.clone(),
            source,
        })?;
    }
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

/// Every file of the project: its path relative to the project, and its text.
fn project_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = FILES
        .iter()
        .map(|f| (f.path.to_string(), with_schema_line(f)))
        .collect();
    for (name, text) in crate::schema::all() {
        files.push((format!("schemas/{name}"), text));
    }
    files
}

/// The file's text, after the `yaml-language-server` line for its schema.
fn with_schema_line(file: &ScaffoldFile) -> String {
    let schema = match file.kind {
        Kind::Scenario => "scenario.schema.json",
        Kind::Environment => "environment.schema.json",
        Kind::Fixtures => "fixtures.schema.json",
        Kind::Workflow => {
            return format!(
                "# yaml-language-server: $schema=https://json.schemastore.org/github-workflow.json\n{}",
                file.text
            );
        }
        Kind::Plain => return file.text.to_string(),
    };
    let up = "../".repeat(file.path.matches('/').count());
    format!(
        "# yaml-language-server: $schema={up}schemas/{schema}\n{}",
        file.text
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_yaml_file_points_at_its_schema_relative_to_itself() {
        for (path, text) in project_files() {
            if !path.ends_with(".yaml") {
                continue;
            }
            let first = text.lines().next().unwrap_or_default();
            assert!(
                first.starts_with("# yaml-language-server: $schema="),
                "{path}: {first}"
            );
        }
        let files = project_files();
        let text = |p: &str| {
            files
                .iter()
                .find(|(path, _)| path == p)
                .map(|(_, t)| t.clone())
                .unwrap_or_default()
        };
        assert!(
            text("scenarios/discovery.yaml")
                .starts_with("# yaml-language-server: $schema=../schemas/scenario.schema.json\n")
        );
        assert!(
            text("fixtures.yaml")
                .starts_with("# yaml-language-server: $schema=schemas/fixtures.schema.json\n")
        );
    }

    #[test]
    fn init_refuses_to_overwrite_and_writes_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("fixtures.yaml"), "mine").expect("write");
        let err = write_project(dir.path()).expect_err("refused");
        assert!(
            err.to_string().contains("fixtures.yaml already exists"),
            "{err}"
        );
        assert!(!dir.path().join("scenarios").exists());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("fixtures.yaml")).expect("read"),
            "mine"
        );
    }
}
