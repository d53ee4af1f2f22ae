//! A flaky or hostile target is reported as such: every transport or server problem ends as an
//! `error` naming its cause (exit 3), never as a conformance failure; idempotent requests are
//! retried when the environment says so, and nothing else ever is.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;
use support::Test;

const GET_AND_POST: &str = r#"name: flaky
steps:
  - name: get
    http: { url: "{{ issuer }}/doc" }
    expect: { status: 200, json: { ok: true } }
  - name: post
    http: { method: POST, url: "{{ issuer }}/doc", form: { a: b } }
    expect: { status: 200 }
"#;

/// A server answering `503` to the first `failures` requests, then `200 {"ok":true}`; counts
/// the requests it saw.
fn flaky_server(failures: usize) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let (status, body) = if n < failures {
                ("503 Service Unavailable", "busy")
            } else {
                ("200 OK", "{\"ok\":true}")
            };
            let mut s = stream;
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (port, seen)
}

fn env(port: u16, http: &str) -> String {
    format!("issuer: http://127.0.0.1:{port}\nprofile: generic\nhttp: {http}\n")
}

fn results(out: &support::Output) -> Value {
    serde_json::from_str(&out.read("reports/results.json")).expect("results.json")
}

#[test]
fn idempotent_requests_are_retried_on_the_statuses_named() {
    let (port, seen) = flaky_server(2);
    let out = Test::new()
        .file("scenarios/flaky.yaml", GET_AND_POST)
        .file(
            "environments/flaky.yaml",
            &env(
                port,
                "{ timeout: 2s, retries: { attempts: 2, on: [503], backoff: 10ms } }",
            ),
        )
        .run(&["test", "--env", "flaky"]);
    assert_eq!(out.code, 0, "{out}");
    // The run's own discovery request is the first; the GET step then needed one retry.
    assert_eq!(
        seen.load(Ordering::SeqCst),
        4,
        "discovery 503, GET 503, GET 200, POST 200"
    );
}

#[test]
fn a_post_is_never_replayed_and_a_server_error_is_an_error_not_a_failure() {
    let (port, seen) = flaky_server(3);
    let out = Test::new()
        .file("scenarios/flaky.yaml", "name: flaky\nsteps:\n  - name: post\n    http: { method: POST, url: \"{{ issuer }}/doc\", form: { a: b } }\n    expect: { status: 200 }\n")
        .file("environments/flaky.yaml", &env(port, "{ retries: { attempts: 3, on: [503], backoff: 10ms } }"))
        .run(&["test", "--env", "flaky"]);
    assert_eq!(out.code, 3, "{out}");
    assert_eq!(
        seen.load(Ordering::SeqCst),
        2,
        "discovery once, the POST once: never replayed"
    );
    let r = results(&out);
    let step = &r["scenarios"][0]["steps"][0];
    assert_eq!(step["verdict"], "error");
    assert_eq!(step["error"]["kind"], "server_error");
    assert_eq!(
        r["summary"]["checks"]["failed"], 0,
        "no conformance verdict on a broken server"
    );
}

#[test]
fn a_scenario_may_expect_a_server_error() {
    let (port, _) = flaky_server(usize::MAX);
    let out = Test::new()
        .file("scenarios/s.yaml", "name: expects 503\nsteps:\n  - name: get\n    http: { url: \"{{ issuer }}/doc\" }\n    expect: { status: 503 }\n")
        .file("environments/e.yaml", &env(port, "{ timeout: 2s }"))
        .run(&["test", "--env", "e"]);
    assert_eq!(out.code, 0, "{out}");
}

#[test]
fn sandbox_faults_end_as_errors_naming_the_cause() {
    for (fault, kind) in [
        ("fail_rate: 1.0", "server_error"),
        ("drop_rate: 1.0", "connection_reset"),
    ] {
        let out = Test::new()
            .file("scenarios/d.yaml", "name: d\nsteps:\n  - name: metadata\n    http: { url: \"{{ endpoints.discovery }}\" }\n    expect: { status: 200 }\n")
            .file("environments/faulty.yaml", &format!("issuer: embedded\nsandbox: {{ {fault} }}\n"))
            .run(&["test", "--env", "faulty"]);
        assert_eq!(out.code, 3, "{fault}: {out}");
        let r = results(&out);
        let kinds: Vec<&Value> = r["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| &e["kind"])
            .chain(
                r["scenarios"][0]["steps"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|s| &s["error"]["kind"]),
            )
            .collect();
        assert!(
            kinds.iter().any(|k| *k == kind),
            "{fault}: expected {kind} in {kinds:?}"
        );
        assert_eq!(r["summary"]["checks"]["failed"], 0, "{fault}");
    }
}

#[test]
fn a_response_larger_than_the_limit_is_an_error() {
    let out = Test::new()
        .file("scenarios/d.yaml", "name: d\nsteps:\n  - name: metadata\n    http: { url: \"{{ endpoints.discovery }}\" }\n")
        .file("environments/small.yaml", "issuer: embedded\nhttp: { max_body_bytes: 64 }\n")
        .run(&["test", "--env", "small"]);
    assert_eq!(out.code, 3, "{out}");
    assert!(out.stdout.contains("exceeds 64 bytes"), "{out}");
}

#[test]
fn an_https_issuer_that_speaks_plain_http_is_a_tls_error() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for mut s in listener.incoming().flatten() {
            let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
        }
    });
    let out = Test::new()
        .file(
            "scenarios/d.yaml",
            "name: d\nsteps:\n  - name: a\n    http: { url: \"{{ endpoints.discovery }}\" }\n",
        )
        .file(
            "environments/tls.yaml",
            &format!("issuer: https://127.0.0.1:{port}\nhttp: {{ timeout: 3s }}\n"),
        )
        .run(&["test", "--env", "tls"]);
    assert_eq!(out.code, 3, "{out}");
    assert_eq!(results(&out)["errors"][0]["kind"], "tls", "{out}");
}

#[test]
fn insecure_tls_is_warned_about_in_the_console_and_the_results() {
    let out = Test::new()
        .file(
            "scenarios/d.yaml",
            "name: d\nsteps:\n  - name: a\n    http: { url: \"{{ endpoints.discovery }}\" }\n",
        )
        .file(
            "environments/i.yaml",
            "issuer: embedded\nhttp: { insecure: true }\n",
        )
        .run(&["test", "--env", "i"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.contains("TLS certificate verification is OFF"),
        "{out}"
    );
    assert!(
        results(&out)["warnings"][0]
            .as_str()
            .is_some_and(|w| w.contains("insecure"))
    );
}

#[test]
fn bad_retry_settings_are_located_input_errors() {
    let out = Test::new()
        .file("scenarios/d.yaml", "name: d\nsteps:\n  - name: a\n    http: { url: /x }\n")
        .file("environments/r.yaml", "issuer: embedded\nhttp:\n  retries: { attempts: 2, on: [connect, 404] }\n  ca_bundle: nowhere.pem\n")
        .run(&["validate", "--env", "r"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("r.yaml:3:"), "{out}");
    assert!(out.stderr.contains("cannot retry on `404`"), "{out}");
    assert!(out.stderr.contains("nowhere.pem does not exist"), "{out}");
}

/// A server that answers every request with the same raw body and content type.
fn fixed_server(content_type: &'static str, body: &'static [u8]) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut req_body = vec![0; length];
            let _ = reader.read_exact(&mut req_body);
            let mut s = stream;
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = s.write_all(body);
        }
    });
    port
}

const PROTOCOL_STEPS: &str = r#"name: malformed
steps:
  - name: discovery
    discovery: {}
  - name: keys
    jwks: { url: "{{ issuer }}/jwks" }
  - name: token
    token: { grant_type: client_credentials, client: c }
"#;

#[test]
fn malformed_responses_are_reported_never_a_panic() {
    let bodies: &[(&str, &[u8])] = &[
        ("application/json", b"{\"access_token\": \"at-1\", \"token_type\": "),
        ("application/json", b"\xff\xfe\x00 not utf-8 \xc3\x28"),
        ("application/json", b"{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"id_token\":\"a.b.c\",\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed448\"},{\"kty\":\"RSA\",\"n\":\"!!\",\"e\":\"AQAB\"}],\"issuer\":42}"),
        ("application/json", b"{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"id_token\":\"eyJhbGciOiJub25lIn0.%%%.\",\"keys\":\"no\"}"),
        ("text/html", b"<html><body>maintenance</body></html>"),
        ("application/json", b"[]"),
    ];
    for (content_type, body) in bodies {
        let port = fixed_server(content_type, body);
        let out = Test::new()
            .file("scenarios/m.yaml", PROTOCOL_STEPS)
            .file(
                "environments/m.yaml",
                &format!("issuer: http://127.0.0.1:{port}\nprofile: bouygues\nendpoints: {{ token: http://127.0.0.1:{port}/token, jwks: http://127.0.0.1:{port}/jwks }}\nsecrets:\n  s: {{ env: GRANTSPEC_TEST_SECRET }}\nclients:\n  c: {{ client_id: c, client_secret: s }}\n"),
            )
            .env("GRANTSPEC_TEST_SECRET", "irrelevant-secret")
            .run(&["test", "--env", "m"]);
        let shown = String::from_utf8_lossy(body);
        assert!(
            !out.stderr.contains("panicked") && !out.stderr.contains("internal error"),
            "{shown}: {out}"
        );
        assert!(
            matches!(out.code, 1 | 3),
            "{shown}: a verdict or an error, exit {}: {out}",
            out.code
        );
        let r = results(&out);
        assert!(
            r["summary"]["checks"]["failed"].as_u64() > Some(0)
                || r["summary"]["steps"]["errored"].as_u64() > Some(0),
            "{shown}: reported"
        );
        assert!(
            out.dir.join("reports/index.html").is_file()
                && out.dir.join("reports/junit.xml").is_file(),
            "{shown}"
        );
    }
}

#[test]
fn a_redirect_to_another_host_gets_no_cookie_or_credential_of_the_target() {
    // B records the headers of what it receives.
    let b = TcpListener::bind("127.0.0.1:0").expect("bind");
    let b_port = b.local_addr().expect("addr").port();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for stream in b.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            let _ = tx.send(head);
            let mut s = stream;
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
        }
    });
    // A, the target, sets a session cookie and redirects to B under another host name.
    let a = TcpListener::bind("127.0.0.1:0").expect("bind");
    let a_port = a.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in a.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
            }
            let mut s = stream;
            let _ = write!(
                s,
                "HTTP/1.1 302 Found\r\nset-cookie: sid=cnry-session-cookie; Path=/\r\nlocation: http://localhost:{b_port}/elsewhere\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
        }
    });
    let out = Test::new()
        .file("scenarios/r.yaml", "name: r\nsteps:\n  - name: authorize\n    authorize: { client: c, user: u }\n")
        .file(
            "environments/r.yaml",
            &format!("issuer: http://127.0.0.1:{a_port}\nendpoints: {{ authorization: http://127.0.0.1:{a_port}/authorize }}\nsecrets:\n  s: {{ env: GRANTSPEC_TEST_SECRET }}\n  p: {{ env: GRANTSPEC_TEST_SECRET }}\nclients:\n  c: {{ client_id: c, client_secret: s, redirect_uri: http://127.0.0.1:9/cb }}\nusers:\n  u: {{ username: u, password: p }}\n"),
        )
        .env("GRANTSPEC_TEST_SECRET", "cnry-secret-never-to-b")
        .run(&["test", "--env", "r"]);
    assert!(!out.stderr.contains("panicked"), "{out}");
    let head = rx
        .recv_timeout(std::time::Duration::from_secs(5))
        .expect("B was reached");
    let lower = head.to_ascii_lowercase();
    assert!(!lower.contains("cookie"), "B got a cookie: {head}");
    assert!(
        !lower.contains("authorization"),
        "B got credentials: {head}"
    );
    assert!(!head.contains("cnry"), "{head}");
}
