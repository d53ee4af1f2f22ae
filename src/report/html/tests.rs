use super::*;
use crate::report::sample;

fn page(run: &RunResult) -> String {
    crate::report::render_one(HtmlReport::default(), run)
}

/// The values of every `attr=` attribute in `html`, quoted or not.
fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let lower = html.to_ascii_lowercase();
    let needle = format!("{attr}=");
    let mut values = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find(&needle) {
        let start = from + i + needle.len();
        let rest = &html[start..];
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
            _ => rest.split([' ', '>']).next().unwrap_or(""),
        };
        values.push(value);
        from = start;
    }
    values
}

#[test]
fn templates_compile() {
    templates().unwrap();
}

#[test]
fn header_and_summary_show_the_run() {
    let html = page(&sample::mixed_run());
    assert!(html.contains("<dt>Environment</dt><dd>sandbox</dd>"));
    assert!(html.contains("<dt>Issuer</dt><dd>http://127.0.0.1:8080</dd>"));
    assert!(html.contains("<dt>Started</dt><dd>2026-11-22T18:00:00Z</dd>"));
    assert!(html.contains("<dt>Duration</dt><dd>2.50 s</dd>"));
    assert!(html.contains(r#"<span class="badge v-error">incomplete</span>"#));
    assert!(html.contains(
        r#"<tr><th scope="row">steps</th><td>5</td><td class="c-passed">2</td><td class="c-failed">1</td><td class="c-error">1</td><td class="c-skipped">1</td><td class="c-warned">0</td><td class="c-warned">0</td><td class="c-deviation">0</td></tr>"#
    ));
    assert!(html.contains("The run is incomplete"));
}

#[test]
fn failed_scenarios_are_open_and_passed_ones_closed() {
    let html = page(&sample::mixed_run());
    assert!(html.contains(
        r#"<details class="scenario v-passed" id="scenario-1" data-verdict="passed" data-search="app credentials
client_credentials
rfc6749" data-tags="
client_credentials
rfc6749
" data-rules="

">"#
    ));
    assert!(html.contains(
        r#"<details class="scenario v-error" id="scenario-2" data-verdict="error" data-search="secret rotation"#
    ));
    assert!(html.contains("rfc6749\n\" data-rules=\"\n\n\" open>"));
}

#[test]
fn steps_show_checks_locations_errors_skips_captures_and_exchanges() {
    let html = page(&sample::mixed_run());
    assert!(html.contains("<td>json $.error</td><td>equals</td><td class=\"text\">&quot;invalid_client&quot;</td><td class=\"text\">&lt;absent&gt;</td><td class=\"loc\">scenarios/app_credentials.yaml:17:9</td>"));
    assert!(html.contains("http · 20.0 ms · scenarios/app_credentials.yaml:22:5"));
    assert!(
        html.contains(
            "<strong>timeout</strong>: <span class=\"text\">no response within 5s</span>"
        )
    );
    assert!(html.contains("skipped: <span class=\"text\">an earlier step did not pass</span>"));
    assert!(html.contains("<tr><td>access_token</td><td class=\"text\">[redacted]</td></tr>"));
    assert!(
        html.contains("<pre>POST http://127.0.0.1:8080/token\nauthorization: Basic [redacted]\n")
    );
    assert!(html.contains("No response arrived."));
}

#[test]
fn json_bodies_are_pretty_printed() {
    let html = page(&sample::mixed_run());
    assert!(html.contains(
        "<pre>HTTP 200\ncontent-type: application/json\n\n{\n  &quot;access_token&quot;: &quot;[redacted]&quot;,\n  &quot;token_type&quot;: &quot;Bearer&quot;\n}</pre>"
    ));
}

#[test]
fn run_warnings_are_shown_before_the_summary() {
    let mut run = sample::mixed_run();
    run.warnings = vec!["TLS certificate checks are off <insecure>".to_owned()];
    let html = page(&run);
    let warnings = html.find("<h2>Warnings</h2>").unwrap();
    assert!(warnings < html.find("<h2>Summary</h2>").unwrap());
    assert!(
        html.contains("<li class=\"text\">TLS certificate checks are off &lt;insecure&gt;</li>")
    );
    assert!(!page(&sample::mixed_run()).contains("<h2>Warnings</h2>"));
}

#[test]
fn run_errors_are_shown_prominently() {
    let html = page(&sample::interrupted_run());
    let errors = html.find("<h2>Run errors</h2>").unwrap();
    assert!(errors < html.find("<h2>Summary</h2>").unwrap());
    assert!(html.contains("<span class=\"badge v-error\">interrupted</span> <span class=\"text\">interrupted by SIGINT</span>"));
    assert!(html.contains("The run was interrupted before the end"));
}

#[test]
fn user_controlled_text_is_escaped_everywhere() {
    let html = page(&sample::hostile_run());
    assert!(!html.contains("<script>alert(1)"));
    assert!(!html.contains("\"&'"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;&amp;&#x27;"));
    assert_eq!(
        html.matches("<script>").count(),
        1,
        "only the page's own script"
    );
    assert!(html.contains("data-search=\"&lt;script&gt;alert(1)&lt;/script&gt; &quot;&amp;&#x27;"));
}

#[test]
fn control_characters_are_shown_as_control_pictures() {
    let html = page(&sample::hostile_run());
    assert!(html.contains("&quot;&amp;&#x27; \u{2401}\u{241b}[31m é ✓ \u{FFFD}"));
    let forbidden = |c: char| {
        matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
            || c == '\u{FFFE}'
    };
    assert!(!html.contains(forbidden));
}

#[test]
fn page_references_nothing_outside_itself() {
    for run in [
        sample::mixed_run(),
        sample::hostile_run(),
        sample::empty_run(),
        sample::ruled_run(),
    ] {
        let html = page(&run);
        for attr in ["src", "href", "action", "srcset", "poster", "data"] {
            for value in attribute_values(&html, attr) {
                let value = value.trim().to_ascii_lowercase();
                // A link to a spec clause is navigation the reader chooses, not a request the
                // page makes.
                if attr == "href" && rule_urls(&run).contains(&value) {
                    continue;
                }
                assert!(
                    !value.starts_with("http:")
                        && !value.starts_with("https:")
                        && !value.starts_with("//"),
                    "{attr}={value}"
                );
            }
        }
        let lower = html.to_ascii_lowercase();
        for needle in ["<link", "<img", "<iframe", "@import", "url(", "@font-face"] {
            assert!(!lower.contains(needle), "{needle}");
        }
        assert!(html.contains("default-src 'none'"));
    }
}

fn rule_urls(run: &RunResult) -> Vec<String> {
    run.scenarios
        .iter()
        .flat_map(|s| &s.steps)
        .flat_map(|st| &st.checks)
        .filter_map(|c| Some(c.rule.as_ref()?.url.to_ascii_lowercase()))
        .collect()
}

#[test]
fn matrix_has_a_row_per_rule_with_verdict_cells_and_clause_links() {
    let html = page(&sample::ruled_run());
    let matrix = &html[html.find("<table id=\"matrix\">").unwrap()..];
    let matrix = &matrix[..matrix.find("</table>").unwrap()];
    assert!(
        matrix.contains(
            r##"<th class="col"><a href="#scenario-2" title="secret rotation">2</a></th>"##
        )
    );
    assert!(matrix.contains(
        r#"<tr data-rule="A-01" data-verdict="failed"><th scope="row" class="rule"><a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2" rel="noreferrer">A-01</a> <span class="title">rule A-01 &lt;b&gt;holds&lt;/b&gt;</span></th><td>must</td><td class="clause">RFC 6749 §4</td><td class="cell m-passed" title="passed (1 checks)">passed</td><td class="cell m-failed" title="failed (2 checks)">failed</td></tr>"#
    ));
    assert!(matrix.contains(
        r#"<td class="cell m-none" title="none (0 checks)"></td><td class="cell m-warned""#
    ));
    assert!(
        matrix.contains(r#"<th scope="row" class="rule">C-03 <span"#),
        "no javascript: link"
    );
    assert!(!html.contains("javascript:alert"), "{html}");
    assert!(html.contains(r#"id="scenario-2" data-verdict="failed""#));
    assert!(html.contains("data-rules=\"\nA-01\nB-02\n\""));
}

#[test]
fn filters_list_every_tag_and_rule() {
    let html = page(&sample::ruled_run());
    assert!(html.contains(r#"<select id="filter-tag"><option value="">any</option><option value="client_credentials">client_credentials</option><option value="oidc">oidc</option><option value="rfc6749">rfc6749</option></select>"#));
    assert!(html.contains(r#"<option value="A-01">A-01</option><option value="B-02">B-02</option><option value="C-03">C-03</option></select>"#));
}

#[test]
fn checks_name_their_rule_and_deviations_and_warnings_are_visible() {
    let html = page(&sample::ruled_run());
    assert!(html.contains(r#"<td class="rule"><a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2" rel="noreferrer" title="rule B-02 &lt;b&gt;holds&lt;/b&gt;">B-02</a> <span class="meta">should · RFC 6749 §4</span></td><td><span class="badge v-warned">warned</span></td>"#));
    assert!(html.contains(r#"<span class="badge v-deviation">deviation</span>"#));
    assert!(html.contains("<h2>Known deviations</h2>"));
    assert!(html.contains(r#"<tr><th scope="row">checks</th><td>6</td><td class="c-passed">3</td><td class="c-failed">1</td><td class="c-error">0</td><td class="c-skipped">0</td><td class="c-warned">1</td><td class="c-warned">0</td><td class="c-deviation">1</td></tr>"#), "{html}");
    assert!(html.contains(r#"<tr class="v-deviation"><td>C-03</td><td class="text">userinfo</td><td class="text">the provider omits scope</td><td>1</td></tr>"#));
}

#[test]
fn jwts_in_exchanges_are_decoded_and_escaped() {
    let html = page(&sample::ruled_run());
    assert!(html.contains("<h4>JWT in the response, decoded (signature not shown)</h4>"));
    assert!(html.contains("<pre class=\"jwt-header\">{\n  &quot;alg&quot;: &quot;RS256&quot;,\n  &quot;typ&quot;: &quot;JWT&quot;\n}</pre>"));
    assert!(html.contains("&quot;name&quot;: &quot;&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;&quot;"));
}

#[test]
fn page_is_readable_without_javascript() {
    let html = page(&sample::mixed_run());
    assert!(html.contains("<div id=\"filters\" class=\"filters\" hidden>"));
    assert!(html.contains("@media print"));
}

#[test]
fn empty_run_says_so() {
    let html = page(&sample::empty_run());
    assert!(html.contains("No scenario ran."));
    assert!(html.ends_with("</html>\n"));
}

#[test]
fn page_size_grows_linearly() {
    // Size only: speed is measured, not asserted (see docs/reports.md, "Measured").
    let small = page(&sample::large_run(200)).len();
    let large = page(&sample::large_run(2000)).len();
    assert!(
        large < small * 11,
        "200 scenarios: {small} bytes, 2000: {large}"
    );
}
