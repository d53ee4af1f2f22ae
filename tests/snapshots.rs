//! Response snapshots, driven as a user drives them: the real binary, the embedded sandbox (a
//! fresh one, with fresh secrets and tokens, at every run), real `.snap` files.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use support::{Test, assert_well_formed_xml};

const TOKEN: &str = r#"name: Token shape
steps:
  - name: client credentials token
    http:
      method: POST
      url: "{{ endpoints.token }}"
      auth: { basic: app_basic }
      form: { grant_type: client_credentials }
    expect:
      status: 200
      snapshot: true
"#;

const SNAP: &str = "snapshots/token-shape/client-credentials-token.snap";

/// A scratch directory, outside CI whatever runs the tests: these runs write snapshots.
fn test() -> Test {
    Test::new().env("CI", "").env("TF_BUILD", "")
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(files_under(&path));
            } else {
                out.push(path.display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn pending_snapshots_are_accepted_and_the_next_run_passes() {
    let t = test().file("scenarios/token.yaml", TOKEN);

    let first = t.run(&["test", "--update-snapshots=new"]);
    assert_eq!(first.code, 1, "a new snapshot is not a pass: {first}");
    assert!(first.stdout.contains(&format!("{SNAP}.new")), "{first}");
    assert!(
        first.stdout.contains("grantspec snapshots accept"),
        "{first}"
    );
    assert!(!t.path().join(SNAP).exists());
    let pending = first.read(&format!("{SNAP}.new"));
    assert!(
        pending.starts_with("---\nsource: scenarios/token.yaml\n"),
        "{pending}"
    );
    assert!(
        pending.contains("\"access_token\": \"[access_token]\""),
        "{pending}"
    );
    assert!(!pending.contains("at-"), "no token in clear: {pending}");

    let accept = t.run(&["snapshots", "accept"]);
    assert_eq!(accept.code, 0, "{accept}");
    assert!(accept.stdout.contains("accepted 1 snapshot"), "{accept}");
    assert_eq!(
        files_under(&t.path().join("snapshots")),
        [t.path().join(SNAP).display().to_string()]
    );

    // A new sandbox, new secrets and a new token: the redacted snapshot is the same.
    let second = t.run(&["test"]);
    assert_eq!(second.code, 0, "{second}");
    let third = t.run(&["test", "--update-snapshots=new"]);
    assert_eq!(third.code, 0, "{third}");
    assert!(!t.path().join(format!("{SNAP}.new")).exists());
    let results: Value = serde_json::from_str(&third.read("reports/results.json")).unwrap();
    let step = &results["scenarios"][0]["steps"][0];
    assert_eq!(step["snapshot"]["comparison"], "matched");
    assert_eq!(step["snapshot"]["path"], SNAP);
}

#[test]
fn a_changed_response_fails_with_a_readable_diff_in_every_report() {
    let accepted = "---\nsource: scenarios/token.yaml\n---\n{\n  \"access_token\": \"[access_token]\",\n  \"expires_in\": 7200,\n  \"refresh_credit\": 0,\n  \"scope\": \"PersonneConsult\",\n  \"token_type\": \"Bearer\"\n}\n";
    let t = test()
        .file("scenarios/token.yaml", TOKEN)
        .file(SNAP, accepted);
    let out = t.run(&["test"]);
    assert_eq!(out.code, 1, "{out}");
    for line in [
        "response body snapshot: expected snapshots/token-shape/client-credentials-token.snap, got a different response",
        "--- snapshots/token-shape/client-credentials-token.snap (accepted)",
        "+++ this run",
        "-  \"expires_in\": 7200,",
        "+  \"expires_in\": 3600,",
        "--> scenarios/token.yaml:11:17",
        "grantspec test --update-snapshots=new",
    ] {
        assert!(out.stdout.contains(line), "missing {line:?} in {out}");
    }
    assert_eq!(out.read(SNAP), accepted, "nothing is written by default");
    assert!(!t.path().join(format!("{SNAP}.new")).exists());

    let junit = out.read("reports/junit.xml");
    assert_well_formed_xml(&junit);
    assert!(
        junit.contains("-  &quot;expires_in&quot;: 7200,")
            || junit.contains("-  \"expires_in\": 7200,"),
        "{junit}"
    );
    let html = out.read("reports/index.html");
    assert!(
        html.contains("<span class=\"d-del\">-  &quot;expires_in&quot;: 7200,</span>"),
        "{html}"
    );
    let results: Value = serde_json::from_str(&out.read("reports/results.json")).unwrap();
    assert_eq!(
        results["scenarios"][0]["steps"][0]["snapshot"]["comparison"],
        "changed"
    );
}

#[test]
fn always_overwrites_and_passes_but_ci_never_writes() {
    let t = test().file("scenarios/token.yaml", TOKEN);
    let ci = t.run_with_env(&["test", "--update-snapshots=always"], &[("CI", "true")]);
    assert_eq!(ci.code, 1, "{ci}");
    assert!(
        ci.stderr
            .contains("CI is set: --update-snapshots=always is ignored"),
        "{ci}"
    );
    assert!(
        ci.stdout.contains("snapshots are never written in CI"),
        "{ci}"
    );
    assert!(files_under(&t.path().join("snapshots")).is_empty());

    let always = t.run_with_env(&["test", "--update-snapshots=always"], &[("CI", "")]);
    assert_eq!(always.code, 0, "{always}");
    assert!(always.read(SNAP).contains("\"expires_in\": 3600"));
    assert!(!t.path().join(format!("{SNAP}.new")).exists());
}

#[test]
fn pending_snapshots_can_be_rejected_by_filter_and_review_needs_a_terminal() {
    let t = test()
        .file("scenarios/token.yaml", TOKEN)
        .file("snapshots/other/step.snap.new", "---\n---\n{}\n");
    t.run(&["test", "--update-snapshots"]);
    let review = t.run(&["snapshots", "review"]);
    assert_eq!(review.code, 2, "{review}");
    assert!(review.stderr.contains("needs a terminal"), "{review}");
    assert!(
        review
            .stderr
            .contains("grantspec snapshots accept [FILTER]"),
        "{review}"
    );

    let reject = t.run(&["snapshots", "reject", "TOKEN-shape"]);
    assert_eq!(reject.code, 0, "{reject}");
    assert!(reject.stdout.contains("rejected 1 snapshot"), "{reject}");
    assert_eq!(
        files_under(&t.path().join("snapshots")),
        [t.path()
            .join("snapshots/other/step.snap.new")
            .display()
            .to_string()]
    );
    let none = t.run(&["snapshots", "accept", "nothing-matches"]);
    assert_eq!(none.code, 0, "{none}");
    assert!(
        none.stdout
            .contains("no pending snapshot matching `nothing-matches`"),
        "{none}"
    );
}

#[test]
fn snapshot_mistakes_are_located_before_any_request() {
    let out = test()
        .file(
            "scenarios/bad.yaml",
            "name: Bad\nsteps:\n  - name: a\n    http: { url: /x }\n    expect:\n      snapshot: { redact: [\"$.a[\"] }\n  - name: A\n    http: { url: /x }\n    expect: { snapshot: true }\n  - name: b\n    http: { url: /x }\n    expect: { snapshot: \"../escape\" }\n",
        )
        .run(&["validate"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("scenarios/bad.yaml:6:17"), "{out}");
    assert!(out.stderr.contains("invalid JSONPath"), "{out}");
    assert!(
        out.stderr.contains("invalid snapshot name `../escape`"),
        "{out}"
    );

    let out = test()
        .file(
            "scenarios/dup.yaml",
            "name: Dup\nsteps:\n  - name: a b\n    http: { url: /x }\n    expect: { snapshot: true }\n  - name: A-B\n    http: { url: /x }\n    expect: { snapshot: true }\n",
        )
        .run(&["validate"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("would be dup/a-b.snap"), "{out}");
    assert!(out.stderr.contains("scenarios/dup.yaml:8:"), "{out}");
}

#[test]
fn per_environment_snapshots_live_under_the_environment() {
    let scenario = TOKEN.replace(
        "snapshot: true",
        "snapshot: { name: token, per_environment: true }",
    );
    let t = test().file("scenarios/token.yaml", &scenario);
    let out = t.run(&["test", "--update-snapshots=always"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        t.path()
            .join("snapshots/sandbox/token-shape/token.snap")
            .is_file(),
        "{out}"
    );
}

/// A server that answers every request with JSON echoing what it received, in clear, in
/// several shapes (as a value, as text, inside a JWT), plus volatile ids and times.
fn echo_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let issuer = format!("http://{}", listener.local_addr().expect("address"));
    let base = issuer.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(50) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some((name, value)) = line.split_once(':')
                    && name.eq_ignore_ascii_case("content-length")
                {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let text = String::from_utf8_lossy(&body).into_owned();
            let echo: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("after 1970")
                .as_nanos();
            let b64 = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
            let claims = json!({"iss": base, "sub": "alice", "iat": now / 1_000_000_000, "jti": format!("j{now}"), "echo": echo});
            let jwt = format!(
                "{}.{}.{}",
                b64(&json!({"alg": "RS256", "kid": "k1"})),
                b64(&claims),
                URL_SAFE_NO_PAD.encode(now.to_string())
            );
            let uuid = format!(
                "{:08x}-0000-4000-8000-{:012x}",
                now % 0xffff_ffff,
                now % 0xffff_ffff_ffff
            );
            let response = json!({
                "issuer": base, "token_endpoint": format!("{base}/echo"),
                "echo": echo, "raw": text, "id_token": jwt, "request_id": uuid,
                "iat": now / 1_000_000_000, "kept": "stable", "volatile": now.to_string(),
            })
            .to_string();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{response}",
                response.len()
            );
        }
    });
    issuer
}

const CANARY: &str = "canary-Zq8w-s3cr3t-do-not-leak";

#[test]
fn a_canary_secret_never_reaches_a_snapshot_and_volatile_values_stay_stable() {
    let issuer = echo_server();
    let t = test()
        .file(
            "environments/echo.yaml",
            &format!("issuer: {issuer}\nsecrets:\n  canary: {{ env: GRANTSPEC_CANARY }}\n"),
        )
        .file(
            "scenarios/echo.yaml",
            r#"name: Echo
steps:
  - name: echo
    http:
      method: POST
      url: "{{ endpoints.token }}"
      json:
        note: "{{ secrets.canary }}"
        nested: { deep: ["before {{ secrets.canary }} after"] }
        client_secret: "{{ secrets.canary }}"
    expect:
      status: 200
      snapshot: { redact: { "$.volatile": "[per-request]" } }
"#,
        )
        .env("GRANTSPEC_CANARY", CANARY);
    let first = t.run(&["test", "--env", "echo", "--update-snapshots=new"]);
    assert_eq!(first.code, 1, "{first}");
    assert_eq!(t.run(&["snapshots", "accept"]).code, 0);
    let again = t.run(&["test", "--env", "echo"]);
    assert_eq!(
        again.code, 0,
        "uuids, times, jtis and the declared path are stable: {again}"
    );

    let snap = again.read("snapshots/echo/echo.snap");
    for expected in [
        "\"note\": \"[REDACTED:canary]\"",
        "\"client_secret\": \"[client_secret]\"",
        "\"signature\": \"[signature]\"",
        "\"iat\": \"[timestamp]\"",
        "\"jti\": \"[jti]\"",
        "\"request_id\": \"[uuid]\"",
        "\"iss\": \"[issuer]\"",
        "\"token_endpoint\": \"[issuer]/echo\"",
        "\"volatile\": \"[per-request]\"",
        "\"kept\": \"stable\"",
    ] {
        assert!(snap.contains(expected), "missing {expected} in\n{snap}");
    }
    assert!(
        !snap.contains("eyJ"),
        "a JWT is never snapshotted compact:\n{snap}"
    );
    for file in files_under(&t.path().join("snapshots"))
        .iter()
        .chain(&files_under(&t.path().join("reports")))
    {
        let text = std::fs::read_to_string(file).unwrap();
        assert!(!text.contains(CANARY), "the canary is in {file}:\n{text}");
    }
}
