//! `grantspec docs`: a Markdown and an HTML page per flow from the scenarios and the last run,
//! with no secret in them.

mod support;

use support::Test;

const CANARY: &str = "canary-Docs-7f3k-s3cr3t-do-not-leak";

const CANARY_ENV: &str = "issuer: embedded\nvariables: { app_scope: PersonneConsult }\nsecrets:\n  canary: { env: GRANTSPEC_CANARY }\n";

const CANARY_SCENARIO: &str = r#"name: "Canary <script>document.title='pwned'</script>"
doc: A secret sent in the query, a header and the form never reaches the documentation.
tags: [canary]
steps:
  - name: send the canary
    http:
      method: POST
      url: "{{ endpoints.token }}"
      query: { hint: "{{ secrets.canary }}" }
      headers: { x-canary: "{{ secrets.canary }}" }
      form: { grant_type: client_credentials, client_id: nobody, client_secret: "{{ secrets.canary }}" }
    expect:
      status: { one_of: [400, 401] }
      json:
        error: { exists: true }
"#;

/// The bundled suite's scenarios, plus the one each test adds.
fn suite_size() -> usize {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let yaml = std::fs::read_dir(dir)
        .expect("scenarios/")
        .filter(|e| {
            e.as_ref().is_ok_and(|e| {
                e.path()
                    .extension()
                    .is_some_and(|x| x == "yaml" || x == "yml")
            })
        })
        .count();
    yaml + 1
}

#[test]
fn docs_write_a_page_per_flow_with_observed_exchanges_and_no_secret() {
    let t = Test::with_bundled_suite()
        .file("environments/canary.yaml", CANARY_ENV)
        .file("scenarios/zz_canary.yaml", CANARY_SCENARIO)
        .env("GRANTSPEC_CANARY", CANARY);
    let run = t.run(&["test", "--env", "canary"]);
    assert_eq!(run.code, 0, "{run}");
    let results = run.read("reports/results.json");
    assert!(results.contains("x-canary"), "the canary step ran");
    assert!(!results.contains(CANARY));

    let out = t.run(&["docs", "--env", "canary", "--out", "site"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .contains(&format!("{} flow page(s) written to site", suite_size())),
        "{out}"
    );
    let files: Vec<_> = std::fs::read_dir(t.path().join("site"))
        .expect("site")
        .map(|e| e.expect("entry").file_name().into_string().expect("utf-8"))
        .collect();
    assert_eq!(files.len(), 2 + 2 * suite_size(), "{files:?}");
    for file in &files {
        let text = out.read(&format!("site/{file}"));
        assert!(!text.contains(CANARY), "{file} leaks the secret");
    }

    let md = out.read("site/zz_canary.md");
    assert!(
        md.starts_with("# Canary &lt;script&gt;document.title='pwned'&lt;/script&gt;\n"),
        "{md}"
    );
    assert!(md.contains("A secret sent in the query, a header and the form never reaches"));
    assert!(md.contains("- `status one_of [400,401]`"), "{md}");
    assert!(md.contains("- `json error present`"), "{md}");
    assert!(md.contains("Observed: **passed**"), "{md}");
    assert!(md.contains("> x-canary: [REDACTED"), "{md}");
    let html = out.read("site/zz_canary.html");
    assert!(
        html.contains("<h1>Canary &lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;")
    );
    assert!(!html.contains("<script"));
    let index = out.read("site/index.md");
    assert!(
        index.contains("- [Discovery](discovery.md) — passed"),
        "{index}"
    );
    assert!(
        out.read("site/index.html")
            .contains("<a href=\"app_credentials.html\">App credentials</a>")
    );
}

#[test]
fn docs_without_a_run_show_expectations_only() {
    let t = Test::with_bundled_suite();
    let out = t.run(&["docs", "scenarios/discovery.yaml"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stderr.contains("no reports/results.json"), "{out}");
    let md = out.read("reports/docs/discovery.md");
    assert!(md.contains("Not observed"), "{md}");
    assert!(
        md.contains("- `json response_types_supported contains \"code\"`"),
        "{md}"
    );
}

#[test]
fn docs_with_a_broken_results_file_is_a_located_error() {
    let t = Test::with_bundled_suite().file(
        "reports/results.json",
        "{\"schema_version\": 1,\n\"tool\": 7}",
    );
    let out = t.run(&["docs"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("reports/results.json:2:"), "{out}");
}
