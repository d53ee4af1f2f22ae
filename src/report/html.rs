//! `index.html`: one self-contained page (inline CSS and JS, no network) rendered with
//! handlebars in strict mode: the page from [`PageView`], each scenario's section from
//! [`ScenarioView`] as the scenario finishes. Every value is HTML-escaped by handlebars;
//! the templates never use triple-stash.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::LazyLock;

use handlebars::Handlebars;

use super::ReportError;
use super::html_section::{escape_into, write_scenario};
use super::html_view::{PageTally, PageView, ScenarioView};
use super::stream::{Streamed, write_around};
use crate::outcome::{RunResult, ScenarioResult};

const PAGE: &str = "index";
/// Where the page template leaves room for the scenarios' sections. Every value in the page is
/// escaped, so only the template itself can write a comment.
const SCENARIOS_MARK: &str = "<!--grantspec:scenarios-->\n";

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

/// `index.html` written as the run goes: each scenario's section as it finishes, then the page
/// (summary, matrix, filters) around them.
#[derive(Default)]
pub(crate) struct HtmlReport {
    tally: PageTally,
    /// The last scenario's section, its buffer reused.
    section: String,
}

impl Streamed for HtmlReport {
    fn scenario(
        &mut self,
        index: usize,
        scenario: &ScenarioResult,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        self.tally.add(scenario);
        self.section.clear();
        write_scenario(&mut self.section, &ScenarioView::new(index, scenario));
        out.write_all(self.section.as_bytes())
    }

    fn finish(
        &mut self,
        run: &RunResult,
        parts: &mut File,
        out: &mut BufWriter<File>,
        path: &Path,
    ) -> Result<(), ReportError> {
        let page = templates()?
            .render(PAGE, &PageView::new(run, &self.tally))
            .map_err(|source| ReportError::Html {
                path: path.to_path_buf(),
                source: Box::new(source),
            })?;
        let (head, tail) =
            page.split_once(SCENARIOS_MARK)
                .ok_or_else(|| ReportError::Template {
                    message: "the page has no place for the scenarios".into(),
                })?;
        write_around(out, head.as_bytes(), parts, tail.as_bytes(), path)
    }
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

/// HTML-escapes `text` as the sections are escaped: for element content and quoted
/// attributes, control characters as visible pictures.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

fn templates() -> Result<&'static Handlebars<'static>, ReportError> {
    TEMPLATES.as_ref().map_err(|message| ReportError::Template {
        message: message.clone(),
    })
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on any unexpected error"
)]
mod tests;
