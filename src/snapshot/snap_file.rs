//! The `.snap` file format of insta, written and read by hand: a YAML header between two `---`
//! lines, then the snapshot contents and a final newline. Files grantspec writes are accepted by
//! `cargo insta accept`, and files insta wrote are read here.

use std::fmt::Write as _;

/// The header fields grantspec writes, in insta's order. Other fields are ignored on reading.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct SnapHeader {
    /// The scenario file (insta: the source file of the assertion).
    pub(crate) source: Option<String>,
    /// `scenario › step`, shown by `cargo insta review`.
    pub(crate) description: Option<String>,
    /// What was snapshotted.
    pub(crate) expression: Option<String>,
    /// The scenario file again: insta's field for the input a snapshot was made from.
    pub(crate) input_file: Option<String>,
}

/// A whole `.snap` (or `.snap.new`) file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SnapFile {
    pub(crate) header: SnapHeader,
    /// Normalized as insta compares it: no leading newlines, no trailing whitespace, `\n` only.
    pub(crate) contents: String,
}

impl SnapFile {
    pub(crate) fn new(header: SnapHeader, contents: &str) -> Self {
        Self {
            header,
            contents: normalize(contents),
        }
    }

    /// The file's text, byte for byte as insta writes it.
    pub(crate) fn to_text(&self) -> String {
        let mut out = String::from("---\n");
        let fields = [
            ("source", &self.header.source),
            ("description", &self.header.description),
            ("expression", &self.header.expression),
            ("input_file", &self.header.input_file),
        ];
        for (key, value) in fields {
            if let Some(value) = value {
                let _ = writeln!(out, "{key}: {}", yaml_scalar(value));
            }
        }
        out.push_str("---\n");
        out.push_str(&self.contents);
        out.push('\n');
        out
    }

    /// Reads a file in insta's current format (a `---` header) or its legacy one (`key: value`
    /// lines up to the first blank line).
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = text.split_inclusive('\n');
        let mut header = SnapHeader::default();
        let first = lines.next().unwrap_or_default();
        let modern = first.trim_end() == "---";
        let mut header_lines = Vec::new();
        if !modern {
            header_lines.push(first);
        }
        let mut closed = false;
        for line in lines.by_ref() {
            let end = if modern {
                line.trim_end() == "---"
            } else {
                line.trim().is_empty()
            };
            if end {
                closed = true;
                break;
            }
            header_lines.push(line);
        }
        if !closed {
            return Err("the header is not closed (no second `---` line)".into());
        }
        for line in header_lines {
            // Nested values (insta's `info:` mapping) are indented: not ours, skipped.
            if line.starts_with([' ', '\t', '-']) {
                continue;
            }
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let value = parse_scalar(value.trim())?;
            match key.trim() {
                "source" => header.source = Some(value),
                "description" => header.description = Some(value),
                "expression" => header.expression = Some(value),
                "input_file" => header.input_file = Some(value),
                _ => {}
            }
        }
        let contents: String = lines.collect();
        Ok(Self::new(header, &contents))
    }
}

/// What insta compares: leading newlines and trailing whitespace dropped, line ends as `\n`.
pub(crate) fn normalize(contents: &str) -> String {
    contents
        .trim_start_matches(['\r', '\n'])
        .trim_end()
        .replace("\r\n", "\n")
}

/// A string as insta's YAML emitter writes it: plain when YAML would read it back unchanged,
/// double-quoted with JSON-style escapes otherwise.
fn yaml_scalar(value: &str) -> String {
    if !needs_quotes(value) {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if c < ' ' || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The cases in which YAML would not read a plain scalar back as the same string.
fn needs_quotes(value: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~",
    ];
    value.is_empty()
        || value.starts_with(' ')
        || value.ends_with(' ')
        || value.starts_with(['&', '*', '?', '|', '-', '<', '>', '=', '!', '%', '@', '.'])
        || value.starts_with("0x")
        || value.chars().any(|c| {
            matches!(
                c,
                ':' | '{' | '}' | '[' | ']' | ',' | '#' | '`' | '"' | '\'' | '\\'
            ) || matches!(c, '\0'..='\x06' | '\t' | '\n' | '\r' | '\x0e'..='\x1a' | '\x1c'..='\x1f')
        })
        || KEYWORDS.contains(&value)
        || value.parse::<i64>().is_ok()
        || value.parse::<f64>().is_ok()
}

/// A header value: plain, double-quoted (JSON-style escapes) or single-quoted.
fn parse_scalar(raw: &str) -> Result<String, String> {
    if let Some(inner) = raw.strip_prefix('\'') {
        let inner = inner
            .strip_suffix('\'')
            .ok_or_else(|| format!("unterminated quoted value {raw}"))?;
        return Ok(inner.replace("''", "'"));
    }
    let Some(inner) = raw.strip_prefix('"') else {
        return Ok(raw.to_string());
    };
    let inner = inner
        .strip_suffix('"')
        .ok_or_else(|| format!("unterminated quoted value {raw}"))?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('b') => out.push('\u{08}'),
            Some('f') => out.push('\u{0c}'),
            Some('0') => out.push('\0'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                let c = u32::from_str_radix(&hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| format!("bad escape \\u{hex} in {raw}"))?;
                out.push(c);
            }
            Some(other) => out.push(other),
            None => return Err(format!("dangling backslash in {raw}")),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> SnapHeader {
        SnapHeader {
            source: Some("scenarios/app_credentials.yaml".into()),
            description: Some("App credentials › token".into()),
            expression: Some("response body".into()),
            input_file: Some("scenarios/app_credentials.yaml".into()),
        }
    }

    /// The exact bytes insta 1.x writes for a JSON snapshot with these metadata fields
    /// (`insta/src/snapshot.rs`: the YAML header, `---`, the contents, one newline).
    const GOLDEN: &str = include_str!("testdata/golden.snap");

    #[test]
    fn writes_insta_format_byte_for_byte() {
        let file = SnapFile::new(
            header(),
            "{\n  \"access_token\": \"[access_token]\",\n  \"expires_in\": 3600\n}",
        );
        assert_eq!(file.to_text(), GOLDEN);
    }

    #[test]
    fn reads_back_what_it_writes() {
        let file = SnapFile::parse(GOLDEN).unwrap();
        assert_eq!(file.header, header());
        assert_eq!(file.to_text(), GOLDEN);
    }

    #[test]
    fn reads_files_insta_wrote() {
        let insta = "---\nsource: tests/api.rs\nassertion_line: 39\nexpression: value\ninfo:\n  env: staging\n---\n{\n  \"a\": 1\n}\n";
        let file = SnapFile::parse(insta).unwrap();
        assert_eq!(file.header.source.as_deref(), Some("tests/api.rs"));
        assert_eq!(file.header.expression.as_deref(), Some("value"));
        assert_eq!(file.contents, "{\n  \"a\": 1\n}");
        let legacy = "Created: 2019-01-01\nSource: x.rs\n\n{\n  \"a\": 1\n}\n";
        assert_eq!(
            SnapFile::parse(legacy).unwrap().contents,
            "{\n  \"a\": 1\n}"
        );
    }

    #[test]
    fn contents_compare_as_insta_normalizes_them() {
        let a = SnapFile::new(SnapHeader::default(), "\n\n{}\r\n  \n");
        assert_eq!(a.contents, "{}");
    }

    #[test]
    fn values_yaml_would_misread_are_quoted_and_round_trip() {
        for (value, written) in [
            ("plain words", "plain words"),
            ("a: b", "\"a: b\""),
            ("true", "\"true\""),
            ("3600", "\"3600\""),
            ("-x", "\"-x\""),
            ("say \"hi\"\n", "\"say \\\"hi\\\"\\n\""),
            ("", "\"\""),
        ] {
            assert_eq!(yaml_scalar(value), written);
            assert_eq!(parse_scalar(written).unwrap(), value);
        }
        assert!(SnapFile::parse("---\nsource: x\n").is_err());
    }
}
