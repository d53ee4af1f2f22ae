//! How grantspec fits its users' tools: `init`, the JSON Schemas editors read, shell
//! completions, the man page, and configuration precedence (flags over `GRANTSPEC_*`
//! variables over files).

mod support;

use std::path::Path;

use serde_json::Value;
use support::Test;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

const DISCOVERY: &str = "\
name: Metadata
steps:
  - name: metadata
    discovery: {}
    expect: { status: 200 }
";

#[test]
fn init_scaffolds_a_project_that_passes_against_the_embedded_sandbox() {
    let t = Test::new();
    let out = t.run(&["init", "project"]);
    assert_eq!(out.code, 0, "{out}");
    let project = t.path().join("project");
    for file in [
        "environments/sandbox.yaml",
        "environments/staging.yaml",
        "fixtures.yaml",
        "scenarios/user_login.yaml",
        "schemas/scenario.schema.json",
        ".gitignore",
        ".github/workflows/grantspec.yaml",
    ] {
        assert!(project.join(file).is_file(), "{file} missing\n{out}");
    }
    let scenario = std::fs::read_to_string(project.join("scenarios/discovery.yaml")).expect("read");
    assert!(
        scenario.starts_with("# yaml-language-server: $schema=../schemas/scenario.schema.json\n"),
        "{scenario}"
    );
    let ignore = std::fs::read_to_string(project.join(".gitignore")).expect("read");
    assert!(ignore.contains("/reports/") && ignore.contains("/.grantspec/"));

    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_grantspec"))
            .args(args)
            .current_dir(&project)
            .env("NO_COLOR", "1")
            .env_remove("GRANTSPEC_ENV")
            .env_remove("GRANTSPEC_REPORT_DIR")
            .output()
            .expect("run grantspec")
    };
    let test = run(&["test"]);
    let stdout = String::from_utf8_lossy(&test.stdout);
    assert_eq!(
        test.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&test.stderr)
    );
    assert!(stdout.contains("0 failed"), "{stdout}");
    // The real issuer's environment is well-formed with its placeholders.
    let validate = run(&["validate", "--env", "staging"]);
    assert_eq!(
        validate.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&validate.stderr)
    );
}

#[test]
fn init_refuses_to_overwrite_an_existing_file() {
    let t = Test::new().file("project/fixtures.yaml", "keys: {}\n");
    let out = t.run(&["init", "project"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("fixtures.yaml already exists"), "{out}");
    assert!(out.stderr.contains("nothing was written"), "{out}");
    assert!(!t.path().join("project/scenarios").exists());
    assert_eq!(
        std::fs::read_to_string(t.path().join("project/fixtures.yaml")).expect("read"),
        "keys: {}\n"
    );
}

#[test]
fn committed_schemas_are_generated_from_the_code() {
    let t = Test::new();
    let out = t.run(&["schema", "--out", "generated"]);
    assert_eq!(out.code, 0, "{out}");
    for name in [
        "scenario.schema.json",
        "environment.schema.json",
        "fixtures.schema.json",
    ] {
        let committed =
            std::fs::read_to_string(Path::new(ROOT).join("schemas").join(name)).expect(name);
        assert!(
            committed == out.read(&format!("generated/{name}")),
            "schemas/{name} is stale: run `cargo run -- schema`"
        );
    }
}

/// The committed schema `name`, compiled.
fn schema(name: &str) -> (boon::Schemas, boon::SchemaIndex) {
    let path = Path::new(ROOT).join("schemas").join(name);
    let text = std::fs::read_to_string(&path).expect("schema");
    let value: Value = serde_json::from_str(&text).expect("schema is JSON");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let url = format!("file://{}", path.display());
    compiler.add_resource(&url, value).expect("add schema");
    let index = compiler
        .compile(&url, &mut schemas)
        .expect("schema compiles");
    (schemas, index)
}

fn validate(schema: &(boon::Schemas, boon::SchemaIndex), yaml: &str) -> Result<(), String> {
    let value: Value = serde_saphyr::from_str(yaml).map_err(|e| e.to_string())?;
    schema
        .0
        .validate(&value, schema.1)
        .map_err(|e| format!("{e:#}"))
}

fn yaml_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("read dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_bundled_files_follow_their_schemas() {
    let root = Path::new(ROOT);
    let cases = [
        ("scenario.schema.json", yaml_files(&root.join("scenarios"))),
        (
            "environment.schema.json",
            yaml_files(&root.join("environments"))
                .into_iter()
                .filter(|f| !f.to_string_lossy().ends_with(".baseline.yaml"))
                .collect(),
        ),
        ("fixtures.schema.json", vec![root.join("fixtures.yaml")]),
    ];
    for (name, files) in cases {
        let schema = schema(name);
        assert!(!files.is_empty(), "{name}: no files");
        for file in files {
            let text = std::fs::read_to_string(&file).expect("read");
            if let Err(e) = validate(&schema, &text) {
                panic!("{} does not follow {name}:\n{e}", file.display());
            }
        }
    }
}

#[test]
fn the_schemas_reject_a_misspelled_field() {
    let scenario = schema("scenario.schema.json");
    assert_eq!(validate(&scenario, DISCOVERY), Ok(()));
    let typo = DISCOVERY.replace("expect:", "expcet:");
    let err = validate(&scenario, &typo).expect_err("misspelled step field");
    assert!(err.contains("expcet"), "{err}");
    let nested = DISCOVERY.replace("status:", "staus:");
    assert!(
        validate(&scenario, &nested).is_err(),
        "misspelled matcher field"
    );

    let environment = schema("environment.schema.json");
    assert_eq!(validate(&environment, "issuer: embedded\n"), Ok(()));
    let err = validate(&environment, "isuer: embedded\n").expect_err("misspelled");
    assert!(err.contains("isuer"), "{err}");

    let fixtures = schema("fixtures.schema.json");
    let client = "clients:\n  a: { auth_method: none, grant_type: [x] }\n";
    let err = validate(&fixtures, client).expect_err("grant_type for grant_types");
    assert!(err.contains("grant_type"), "{err}");
}

#[test]
fn completions_are_generated_for_bash_zsh_and_fish() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef grantspec"),
        ("fish", "complete -c grantspec"),
    ] {
        let out = Test::new().run(&["completions", shell]);
        assert_eq!(out.code, 0, "{out}");
        assert!(out.stdout.contains(marker), "{shell}: {out}");
        for word in ["init", "validate", "report-dir"] {
            assert!(out.stdout.contains(word), "{shell} lacks {word}");
        }
    }
    // The bash script is valid bash.
    let t = Test::new();
    let out = t.run(&["completions", "bash"]);
    std::fs::write(t.path().join("grantspec.bash"), &out.stdout).expect("write");
    let syntax = std::process::Command::new("bash")
        .args(["-n", "grantspec.bash"])
        .current_dir(t.path())
        .output()
        .expect("bash");
    assert!(
        syntax.status.success(),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    let out = Test::new().run(&["completions", "tcsh"]);
    assert_eq!(out.code, 2, "{out}");
}

#[test]
fn the_man_page_is_generated_from_the_command_line() {
    let out = Test::new().run(&["man"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.starts_with(".ie \\n(.g"),
        "{}",
        &out.stdout[..80.min(out.stdout.len())]
    );
    assert!(out.stdout.contains(".TH grantspec 1"), "{out}");
    assert!(out.stdout.contains("Scaffold a scenarios project"), "{out}");
}

#[test]
fn a_flag_wins_over_its_environment_variable_which_wins_over_the_default() {
    let t = Test::new().file("scenarios/discovery.yaml", DISCOVERY);
    let from_var = t.run_with_env(&["test"], &[("GRANTSPEC_REPORT_DIR", "from-var")]);
    assert_eq!(from_var.code, 0, "{from_var}");
    assert!(
        t.path().join("from-var/results.json").is_file(),
        "{from_var}"
    );
    assert!(
        !t.path().join("reports").exists(),
        "the variable replaces the default"
    );

    let from_flag = t.run_with_env(
        &["test", "--report-dir", "from-flag"],
        &[("GRANTSPEC_REPORT_DIR", "ignored")],
    );
    assert_eq!(from_flag.code, 0, "{from_flag}");
    assert!(
        t.path().join("from-flag/results.json").is_file(),
        "{from_flag}"
    );
    assert!(
        !t.path().join("ignored").exists(),
        "the flag wins over the variable"
    );

    // An environment file's value comes last: GRANTSPEC_ENV picks a file, --env another.
    let t = Test::new()
        .file("scenarios/discovery.yaml", DISCOVERY)
        .file(
            "environments/one.yaml",
            "issuer: embedded\nvariables: { which: one }\n",
        )
        .file(
            "environments/two.yaml",
            "issuer: embedded\nvariables: { which: two }\n",
        );
    let out = t.run_with_env(&["validate", "--env", "two"], &[("GRANTSPEC_ENV", "one")]);
    assert!(out.stdout.contains("environment two"), "{out}");
    let out = t.run_with_env(&["validate"], &[("GRANTSPEC_ENV", "one")]);
    assert!(out.stdout.contains("environment one"), "{out}");
}

/// Lines of `child`'s stdout, as they come.
fn lines(child: &mut std::process::Child) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead as _;
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().expect("piped stdout");
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Reads lines until one contains `text`; returns everything read.
fn wait_for(rx: &std::sync::mpsc::Receiver<String>, text: &str, seen: &mut String) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !seen.lines().any(|l| l.contains(text)) {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                seen.push_str(&line);
                seen.push('\n');
            }
            Err(_) => panic!("no `{text}` within 60s; the output was:\n{seen}"),
        }
    }
}

#[test]
fn watch_reruns_the_changed_scenario_and_stops_on_ctrl_c() {
    let t = Test::new()
        .file("scenarios/discovery.yaml", DISCOVERY)
        .file(
            "scenarios/other.yaml",
            &DISCOVERY.replace("name: Metadata", "name: Other"),
        );
    let mut child = t.spawn(&["test", "--watch"]);
    let rx = lines(&mut child);
    let mut seen = String::new();
    wait_for(&rx, "watch: waiting for changes", &mut seen);
    assert!(seen.contains("passed: 2 scenarios"), "{seen}");

    let failing = DISCOVERY.replace("status: 200", "status: 201");
    std::fs::write(t.path().join("scenarios/discovery.yaml"), failing).expect("edit");
    let mut second = String::new();
    wait_for(&rx, "watch: waiting for changes", &mut second);
    assert!(
        second.contains("watch: changed: scenarios/discovery.yaml; re-running their scenarios"),
        "{second}"
    );
    assert!(
        second.contains("FAILED: 1 scenarios"),
        "only the changed one: {second}"
    );
    assert!(
        second.contains("--> scenarios/discovery.yaml:5:23"),
        "{second}"
    );

    let pid = child.id().to_string();
    let kill = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill");
    assert!(kill.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            assert_eq!(status.code(), Some(1), "the last run's verdict");
            break;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("--watch did not stop on SIGINT");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}
