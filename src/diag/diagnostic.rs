use std::fmt;
use std::sync::Arc;

use super::Location;

/// A loaded user file, kept so that diagnostics can quote the offending line.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: Arc<str>,
    pub text: Arc<str>,
}

impl SourceFile {
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
        }
    }

    pub fn location(&self, line: u64, column: u64) -> Location {
        Location::new(
            self.name.clone(),
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
        )
    }
}

/// A mistake in user input: a message, where it is, and the source excerpt with a caret.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub message: String,
    pub location: Option<Location>,
    /// The full rustc-style rendering (message, `-->` location, excerpt, caret).
    pub rendered: String,
}

impl Diagnostic {
    /// A diagnostic pointing at `location` in `source`.
    pub fn at(source: &SourceFile, location: Location, message: impl Into<String>) -> Self {
        let message = message.into();
        let rendered = render(&source.text, &location, &message);
        Self {
            message,
            location: Some(location),
            rendered,
        }
    }

    /// A diagnostic about a whole file or about no file at all.
    pub fn plain(location: Option<Location>, message: impl Into<String>) -> Self {
        let message = message.into();
        let rendered = match &location {
            Some(loc) => format!("error: {message}\n --> {loc}\n"),
            None => format!("error: {message}\n"),
        };
        Self {
            message,
            location,
            rendered,
        }
    }

    /// A diagnostic whose rendering was already produced (by the YAML parser).
    pub fn prerendered(location: Option<Location>, message: String, rendered: String) -> Self {
        Self {
            message,
            location,
            rendered,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.rendered.trim_end())
    }
}

/// Several diagnostics found in one pass, so that a user fixes them all at once.
#[derive(Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was reported.
    pub fn into_result<T>(self, value: T) -> Result<T, Self> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Renders like rustc: two lines of context before the offending one, then a caret under the
/// column.
fn render(text: &str, loc: &Location, message: &str) -> String {
    let mut out = format!("error: {message}\n --> {loc}\n");
    if loc.line == 0 {
        return out;
    }
    let line_no = loc.line as usize;
    let first = line_no.saturating_sub(2).max(1);
    let width = line_no.to_string().len();
    out.push_str(&format!("{:width$} |\n", ""));
    for (idx, line) in text
        .lines()
        .enumerate()
        .skip(first - 1)
        .take(line_no - first + 1)
    {
        out.push_str(&format!("{:>width$} | {}\n", idx + 1, line));
    }
    let caret_pad = " ".repeat((loc.column as usize).saturating_sub(1));
    out.push_str(&format!("{:width$} | {caret_pad}^ {message}\n", ""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_line_and_a_caret_under_the_column() {
        let src = SourceFile::new("s.yaml", "name: x\nsteps:\n  - nme: y\n");
        let d = Diagnostic::at(&src, src.location(3, 5), "unknown field `nme`");
        assert!(d.rendered.contains(" --> s.yaml:3:5"), "{}", d.rendered);
        assert!(d.rendered.contains("3 |   - nme: y"), "{}", d.rendered);
        assert!(
            d.rendered.contains("  |     ^ unknown field"),
            "{}",
            d.rendered
        );
    }
}
