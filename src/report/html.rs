//! `index.html`: one self-contained page (inline CSS and JS, no network) rendered with
//! handlebars in strict mode from [`PageView`]. Every value is HTML-escaped by handlebars;
//! the templates never use triple-stash.

use std::path::Path;
use std::sync::LazyLock;

use handlebars::Handlebars;

use super::ReportError;
use super::atomic_file::write_atomically;
use super::html_view::PageView;
use crate::outcome::RunResult;

const PAGE: &str = "index";

/// Compiled once per process; a template error is a bug caught by the tests.
static TEMPLATES: LazyLock<Result<Handlebars<'static>, String>> = LazyLock::new(|| {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(escape);
    hb.register_partial("style", include_str!("templates/style.css"))
        .and_then(|()| hb.register_partial("script", include_str!("templates/filter.js")))
        .and_then(|()| hb.register_template_string(PAGE, include_str!("templates/index.hbs")))
        .and_then(|()| hb.register_template_string("flow", include_str!("templates/flow.hbs")))
        .and_then(|()| hb.register_template_string("flows", include_str!("templates/flows.hbs")))
        .map_err(|e| e.to_string())?;
    Ok(hb)
});

pub(crate) fn write(run: &RunResult, path: &Path) -> Result<(), ReportError> {
    let hb = templates()?;
    let view = PageView::new(run);
    write_atomically(path, |writer| {
        hb.render_to_write(PAGE, &view, writer)
            .map_err(|source| ReportError::Html {
                path: path.to_path_buf(),
                source: Box::new(source),
            })
    })
}

/// Renders the template `name` (`flow`, `flows`: the pages of `grantspec docs`) for `path`.
pub(crate) fn render_named(
    name: &str,
    data: &impl serde::Serialize,
    path: &Path,
) -> Result<String, ReportError> {
    templates()?
        .render(name, data)
        .map_err(|source| ReportError::Html {
            path: path.to_path_buf(),
            source: Box::new(source),
        })
}

/// HTML-escapes `text` for element content and quoted attributes; control characters, which
/// HTML forbids, become their visible Unicode control pictures (ESC shows as `␛`).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            '`' => out.push_str("&#x60;"),
            '\t' | '\n' | '\r' => out.push(c),
            '\u{0}'..='\u{1f}' => {
                out.push(char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{FFFD}'))
            }
            '\u{7f}' => out.push('\u{2421}'),
            '\u{80}'..='\u{9f}' | '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            _ => out.push(c),
        }
    }
    out
}

fn templates() -> Result<&'static Handlebars<'static>, ReportError> {
    TEMPLATES.as_ref().map_err(|message| ReportError::Template {
        message: message.clone(),
    })
}

#[cfg(test)]
fn render(run: &RunResult) -> Result<String, ReportError> {
    templates()?
        .render(PAGE, &PageView::new(run))
        .map_err(|source| ReportError::Html {
            path: "index.html".into(),
            source: Box::new(source),
        })
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on any unexpected error"
)]
mod tests;
