use std::path::Path;

use serde::de::DeserializeOwned;

use super::RawScenario;
use crate::diag::{Diagnostic, Location, SourceFile};

/// Reads and parses one scenario file.
pub fn load_scenario(path: &Path) -> Result<(RawScenario, SourceFile), Diagnostic> {
    let source = read_source(path)?;
    let raw = parse_yaml(&source)?;
    Ok((raw, source))
}

pub(crate) fn read_source(path: &Path) -> Result<SourceFile, Diagnostic> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::plain(
            Some(Location::file(name.as_str().into())),
            format!("cannot read file: {e}"),
        )
    })?;
    Ok(SourceFile::new(name, text))
}

/// Parses YAML into `T`; errors carry the file, line, column and a caret-annotated excerpt.
pub(crate) fn parse_yaml<T: DeserializeOwned>(source: &SourceFile) -> Result<T, Diagnostic> {
    serde_saphyr::from_str::<T>(&source.text).map_err(|e| {
        let location = e
            .location()
            .map(|l| source.location(l.line(), l.column()))
            .filter(|l| l.line > 0);
        let name: &str = &source.name;
        let rendered =
            e.render_with_options(serde_saphyr::render_options! { source_name: Some(name) });
        let message = first_line(&rendered);
        Diagnostic::prerendered(location, message, rendered)
    })
}

fn first_line(rendered: &str) -> String {
    let line = rendered.lines().next().unwrap_or_default();
    let line = line.strip_prefix("error: ").unwrap_or(line);
    // serde-saphyr prefixes "line N column M: "; the location is shown separately.
    match line.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") => rest.to_string(),
        _ => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<RawScenario, Diagnostic> {
        parse_yaml(&SourceFile::new("t.yaml", text))
    }

    #[test]
    fn a_typo_in_a_field_is_located() {
        let err = parse("name: x\nsteps:\n  - name: a\n    http:\n      urll: /x\n").unwrap_err();
        let loc = err.location.expect("a location");
        assert_eq!((loc.line, loc.column), (5, 7), "{}", err.rendered);
        assert!(
            err.message.contains("unknown field `urll`"),
            "{}",
            err.message
        );
        assert!(err.rendered.contains("t.yaml:5:7"), "{}", err.rendered);
    }

    #[test]
    fn duplicate_keys_are_rejected_with_a_location() {
        let err = parse("name: x\nname: y\nsteps: []\n").unwrap_err();
        assert_eq!(err.location.map(|l| l.line), Some(2), "{}", err.rendered);
    }

    #[test]
    fn wrong_types_are_rejected_with_a_location() {
        let err = parse("name: x\nsteps: 3\n").unwrap_err();
        assert_eq!(err.location.map(|l| l.line), Some(2), "{}", err.rendered);
    }

    #[test]
    fn numbers_are_accepted_where_strings_are_expected() {
        let s = parse("name: x\nsteps:\n  - name: a\n    http:\n      url: /x\n      headers: { X-N: 42 }\n      form: { max_age: 60 }\n").unwrap();
        let http = s.steps[0].value.http.as_ref().expect("http");
        assert_eq!(http.value.headers.0[0].1.value, "42");
    }

    #[test]
    fn spans_point_at_values() {
        let s = parse("name: x\nsteps:\n  - name: a\n    http: { url: /x }\n").unwrap();
        assert_eq!(s.steps[0].value.name.referenced.line(), 3);
        assert_eq!(s.steps[0].value.name.referenced.column(), 11);
    }
}
