use std::collections::HashMap;

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::reader::Reader;

use super::*;
use crate::report::sample;

/// An element read back with quick-xml: its attributes and its own text.
#[derive(Debug)]
struct Element {
    name: String,
    attrs: HashMap<String, String>,
    text: String,
}

impl Element {
    fn attr(&self, key: &str) -> &str {
        self.attrs.get(key).map_or("", String::as_str)
    }
}

/// Parses `xml` strictly enough to reject anything a CI reporter would choke on: unbalanced
/// tags, unknown entities, characters XML 1.0 forbids.
fn parse(xml: &str) -> Vec<Element> {
    for c in xml.chars() {
        let legal = matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
            || c >= '\u{10000}';
        assert!(legal, "illegal XML character {c:?}");
    }
    let mut reader = Reader::from_str(xml);
    let mut elements: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => {
                let empty = xml.as_bytes()[..reader.buffer_position() as usize].ends_with(b"/>");
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        let key = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
                        let value = a.normalized_value(XmlVersion::Explicit1_0).unwrap();
                        (key, value.into_owned())
                    })
                    .collect();
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                elements.push(Element {
                    name,
                    attrs,
                    text: String::new(),
                });
                if !empty {
                    open.push(elements.len() - 1);
                }
            }
            Event::End(_) => {
                open.pop().unwrap();
            }
            Event::Text(t) => {
                let text = t.xml10_content().unwrap();
                if let Some(&i) = open.last() {
                    elements[i].text.push_str(&text);
                }
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().unwrap() {
                    Some(c) => c,
                    None => match r.decode().unwrap().as_ref() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("unknown entity &{other};"),
                    },
                };
                if let Some(&i) = open.last() {
                    elements[i].text.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(open.is_empty(), "unclosed elements");
    elements
}

fn render(run: &RunResult) -> String {
    crate::report::render_one(JunitReport::new(&RunStart::of(run)), run)
}

fn named<'a>(elements: &'a [Element], name: &str) -> Vec<&'a Element> {
    elements.iter().filter(|e| e.name == name).collect()
}

#[test]
fn one_suite_per_scenario_and_one_case_per_step() {
    let xml = render(&sample::mixed_run());
    let elements = parse(&xml);
    let root = named(&elements, "testsuites");
    assert_eq!(root.len(), 1);
    assert_eq!(root[0].attr("name"), "grantspec (sandbox)");
    assert_eq!(root[0].attr("tests"), "6");
    assert_eq!(root[0].attr("failures"), "1");
    assert_eq!(root[0].attr("errors"), "2");
    assert_eq!(
        root[0].attr("skipped"),
        "",
        "the schema has no skipped on the root"
    );
    assert_eq!(root[0].attr("time"), "2.500");
    let suites: Vec<&str> = named(&elements, "testsuite")
        .iter()
        .map(|s| s.attr("name"))
        .collect();
    assert_eq!(
        suites,
        [
            "grantspec (sandbox)",
            "app credentials (sandbox)",
            "secret rotation (sandbox)"
        ]
    );
    let cases = named(&elements, "testcase");
    assert_eq!(cases[1].attr("name"), "app credentials › get token");
    assert_eq!(cases[1].attr("classname"), "scenarios.app_credentials");
    assert_eq!(cases[1].attr("time"), "0.020");
    assert_eq!(
        cases[3].attr("classname"),
        "scenarios.nested.secret-rotation"
    );
}

#[test]
fn failure_names_the_first_failed_check_and_lists_all_with_locations() {
    let elements = parse(&render(&sample::mixed_run()));
    let failures = named(&elements, "failure");
    assert_eq!(failures.len(), 1);
    let failure = failures[0];
    assert_eq!(
        failure.attr("message"),
        "status equals: expected 401, got 200 (scenarios/app_credentials.yaml:16:9) (and 1 more)"
    );
    assert!(
        failure
            .text
            .contains("expected: 401\n  actual:   200\n  at scenarios/app_credentials.yaml:16:9")
    );
    assert!(failure.text.contains("json $.error equals\n  expected: \"invalid_client\"\n  actual:   <absent>\n  at scenarios/app_credentials.yaml:17:9"));
    assert!(
        !failure.text.contains("header content-type"),
        "passed checks are not listed"
    );
}

#[test]
fn errored_and_skipped_steps_have_their_elements() {
    let elements = parse(&render(&sample::mixed_run()));
    let errors = named(&elements, "error");
    let step_error = errors.iter().find(|e| e.attr("type") == "timeout").unwrap();
    assert_eq!(step_error.attr("message"), "timeout: no response within 5s");
    assert!(
        step_error
            .text
            .contains("scenarios/app_credentials.yaml:22:5")
    );
    let skipped = named(&elements, "skipped");
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].attr("message"), "an earlier step did not pass");
}

#[test]
fn exchanges_go_to_system_out() {
    let elements = parse(&render(&sample::mixed_run()));
    let out = named(&elements, "system-out");
    assert_eq!(out.len(), 4);
    assert!(out[0].text.contains("> POST http://127.0.0.1:8080/token\n"));
    assert!(out[0].text.contains("< 200 (12.5 ms)\n"));
}

#[test]
fn incomplete_run_without_run_errors_is_reported_as_an_error_case() {
    let elements = parse(&render(&sample::mixed_run()));
    let case = &named(&elements, "testcase")[0];
    assert_eq!(case.attr("name"), "grantspec › incomplete");
    assert_eq!(case.attr("classname"), "grantspec");
    let error = named(&elements, "error")[0];
    assert_eq!(error.attr("type"), "incomplete");
    assert!(error.attr("message").contains("1 of 5 steps"));
}

#[test]
fn run_errors_become_error_cases_in_the_tool_suite() {
    let elements = parse(&render(&sample::interrupted_run()));
    let suites = named(&elements, "testsuite");
    assert_eq!(suites[0].attr("name"), "grantspec (sandbox)");
    assert_eq!(suites[0].attr("errors"), "1");
    let cases = named(&elements, "testcase");
    assert_eq!(cases[0].attr("name"), "grantspec › interrupted");
    let error = named(&elements, "error")[0];
    assert_eq!(error.attr("type"), "interrupted");
    assert_eq!(error.attr("message"), "interrupted by SIGINT");
    let status = named(&elements, "property")
        .into_iter()
        .find(|p| p.attr("name") == "run_status")
        .unwrap();
    assert_eq!(status.attr("value"), "interrupted");
}

#[test]
fn hostile_text_stays_well_formed_and_round_trips() {
    let xml = render(&sample::hostile_run());
    assert!(!xml.contains("<script>"));
    let elements = parse(&xml);
    let expected = "<script>alert(1)</script> \"&'  é ✓ \u{FFFD}";
    let suite = named(&elements, "testsuite")[1];
    assert_eq!(suite.attr("name"), format!("{expected} ({expected})"));
    let failure = named(&elements, "failure")[0];
    assert!(failure.text.contains(&format!("expected: {expected}\n")));
    let out = named(&elements, "system-out")[0];
    assert!(out.text.contains(&format!("x-evil: {expected}\n")));
}

#[test]
fn empty_run_is_an_empty_testsuites() {
    let elements = parse(&render(&sample::empty_run()));
    assert_eq!(elements.len(), 1);
    assert_eq!(elements[0].attr("tests"), "0");
}

#[test]
fn classname_is_the_file_path_without_extension() {
    assert_eq!(
        classname("scenarios/app_credentials.yaml"),
        "scenarios.app_credentials"
    );
    assert_eq!(classname("./a/b.c/d.yml"), "a.b.c.d");
    assert_eq!(classname("C:\\s\\x.yaml"), "C:.s.x");
    assert_eq!(classname("noext"), "noext");
    assert_eq!(classname(".hidden"), ".hidden");
}

#[test]
fn bad_durations_do_not_panic() {
    assert_eq!(seconds(-1.0), Duration::ZERO);
    assert_eq!(seconds(f64::NAN), Duration::ZERO);
    assert_eq!(seconds(f64::INFINITY), Duration::ZERO);
}

#[test]
fn warnings_and_deviations_are_in_system_out_without_failing() {
    let elements = parse(&render(&sample::ruled_run()));
    let cases = named(&elements, "testcase");
    assert_eq!(
        named(&elements, "failure").len(),
        1,
        "only the failed step fails"
    );
    let outs: Vec<&str> = named(&elements, "system-out")
        .iter()
        .map(|e| e.text.as_str())
        .collect();
    assert!(outs[0].starts_with(
        "deviation: [C-03 must, RFC 6749 §4] json $.scope equals: expected present, got <absent> (scenarios/app_credentials.yaml:9:9)\n2 check(s) evaluated\n"
    ), "{}", outs[0]);
    assert!(outs[1].contains("warned: [B-02 should, RFC 6749 §4] header cache-control equals"));
    assert_eq!(cases.len(), 2);
}

#[test]
fn root_element_has_only_the_attributes_the_schema_allows() {
    for run in [
        sample::mixed_run(),
        sample::empty_run(),
        sample::hostile_run(),
    ] {
        let elements = parse(&render(&run));
        let root = &elements[0];
        assert_eq!(root.name, "testsuites");
        let mut keys: Vec<&str> = root.attrs.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["errors", "failures", "name", "tests", "time"]);
        for suite in named(&elements, "testsuite") {
            assert!(suite.attrs.contains_key("skipped"));
            assert_eq!(suite.attr("timestamp"), "2026-11-22T18:00:00.000+00:00");
        }
    }
}

/// Every sample run (passing, failing, erroring, skipped, interrupted, empty, hostile text,
/// warnings and deviations) validates against the vendored Jenkins xUnit schema with xmllint;
/// skipped with a notice when xmllint is missing outside CI.
#[test]
fn every_sample_validates_against_the_junit_schema() {
    let has_xmllint = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok();
    if !has_xmllint {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty()),
            "CI is set but xmllint is missing (.ci/run installs libxml2-utils)"
        );
        eprintln!("notice: skipping, xmllint is not installed");
        return;
    }
    let xsd = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/junit-10.xsd");
    let dir = tempfile::tempdir().unwrap();
    for (name, run) in [
        ("mixed", sample::mixed_run()),
        ("interrupted", sample::interrupted_run()),
        ("empty", sample::empty_run()),
        ("hostile", sample::hostile_run()),
        ("ruled", sample::ruled_run()),
    ] {
        let path = dir.path().join(format!("{name}.xml"));
        std::fs::write(&path, render(&run)).unwrap();
        let out = std::process::Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(&xsd)
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
