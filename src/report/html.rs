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
    hb.register_partial("style", include_str!("templates/style.css"))
        .and_then(|()| hb.register_partial("script", include_str!("templates/filter.js")))
        .and_then(|()| hb.register_template_string(PAGE, include_str!("templates/index.hbs")))
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
