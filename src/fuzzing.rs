//! Entry points for the coverage-guided fuzzers in `fuzz/`: each loader on text held in memory,
//! through the same code paths as files on disk. A loader may reject its input with
//! diagnostics; it must never panic.

use crate::diag::SourceFile;
use crate::resolve::Scope;

/// Parses and resolves a scenario against a fixed environment scope.
pub fn scenario(text: &str) {
    let source = SourceFile::new("fuzz.yaml", text);
    let scope = Scope {
        variables: vec!["app_scope".into()],
        secrets: vec!["s".into()],
        clients: vec!["app_basic".into(), "web_app".into()],
        users: vec!["topsi".into()],
        lifetimes: vec![(
            "authorization_code".into(),
            std::time::Duration::from_secs(1),
        )],
    };
    let _ = crate::resolve::resolve_source(&source, &scope);
}

/// Parses and checks an environment file.
pub fn environment(text: &str) {
    let _ = crate::environment::environment_from_source(&SourceFile::new("fuzz.yaml", text));
}

/// Parses and checks a fixtures file.
pub fn fixtures(text: &str) {
    let _ = crate::provision::parse_fixtures(&SourceFile::new("fuzz.yaml", text));
}

/// Reads every regression input of `fuzz/regressions/<target>/` through its loader.
#[doc(hidden)]
pub fn replay(target: &str, text: &str) {
    match target {
        "scenario" => scenario(text),
        "environment" => environment(text),
        "fixtures" => fixtures(text),
        _ => {}
    }
}
