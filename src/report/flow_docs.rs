//! `grantspec docs`: writes one Markdown and one HTML page per flow ([`FlowPage`]) and an
//! index of them. Markdown escapes every user-controlled string outside code blocks and fences
//! each exchange with more backticks than it contains; HTML goes through the report's
//! handlebars templates, which escape everything.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::ReportError;
use super::atomic_file::write_atomically;
use super::flow_doc::{FlowPage, RunFacts, pages};
use crate::outcome::RunResult;
use crate::resolve::Scenario;

#[derive(Serialize)]
struct IndexView<'a> {
    run: Option<RunFacts<'a>>,
    flows: &'a [FlowPage<'a>],
}

#[derive(Serialize)]
struct PageView<'a, 'b> {
    run: Option<RunFacts<'a>>,
    flow: &'b FlowPage<'a>,
}

/// Writes `index.md`, `index.html` and `SLUG.md`, `SLUG.html` per scenario into `dir`; returns
/// the files written.
pub fn write_docs(
    scenarios: &[Scenario],
    run: Option<&RunResult>,
    dir: &Path,
) -> Result<Vec<PathBuf>, ReportError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let flows = pages(scenarios, run);
    let mut written = Vec::new();
    let index = IndexView {
        run: run.map(RunFacts::new),
        flows: &flows,
    };
    write_text(dir, "index.md", &index_markdown(&index), &mut written)?;
    let html = super::html::render_named("flows", &index, &dir.join("index.html"))?;
    write_text(dir, "index.html", &html, &mut written)?;
    for flow in &flows {
        write_text(
            dir,
            &format!("{}.md", flow.slug),
            &markdown(flow, run),
            &mut written,
        )?;
        let view = PageView {
            run: run.map(RunFacts::new),
            flow,
        };
        let name = format!("{}.html", flow.slug);
        let html = super::html::render_named("flow", &view, &dir.join(&name))?;
        write_text(dir, &name, &html, &mut written)?;
    }
    Ok(written)
}

fn write_text(
    dir: &Path,
    name: &str,
    text: &str,
    written: &mut Vec<PathBuf>,
) -> Result<(), ReportError> {
    let path = dir.join(name);
    write_atomically(&path, |w| {
        w.write_all(text.as_bytes())
            .map_err(|source| ReportError::Io {
                path: path.clone(),
                source,
            })
    })?;
    written.push(path);
    Ok(())
}

fn index_markdown(index: &IndexView<'_>) -> String {
    let mut out = String::from("# Flows\n\n");
    if let Some(run) = &index.run {
        let _ = writeln!(
            out,
            "Observed in the run against **{}** started {} ({}).\n",
            text(run.environment),
            run.started_at,
            run.status
        );
    }
    for flow in index.flows {
        let _ = write!(out, "- [{}]({}.md)", text(flow.name), flow.slug);
        if let Some(verdict) = flow.verdict {
            let _ = write!(out, " — {verdict}");
        }
        out.push('\n');
    }
    out
}

fn markdown(flow: &FlowPage<'_>, run: Option<&RunResult>) -> String {
    let mut out = format!("# {}\n\n", text(flow.name));
    let _ = write!(out, "Scenario `{}`", code(flow.file));
    if !flow.tags.is_empty() {
        let tags: Vec<String> = flow.tags.iter().map(|t| format!("`{}`", code(t))).collect();
        let _ = write!(out, " · tags {}", tags.join(", "));
    }
    out.push_str("\n\n");
    if let Some(doc) = flow.doc {
        let _ = writeln!(out, "{}\n", text(doc.trim()));
    }
    match (run, flow.verdict) {
        (Some(run), Some(verdict)) => {
            let _ = writeln!(
                out,
                "Last run: **{verdict}** against {} ({}).\n",
                text(&run.environment),
                run.started_at
            );
        }
        _ => out.push_str("Not observed: no results of a run that included this flow.\n\n"),
    }
    for step in &flow.steps {
        let _ = writeln!(out, "## {}. {}\n", step.number, text(step.name));
        let _ = write!(out, "`{}` step at `{}`", step.kind, code(&step.location));
        if let Some(rule) = step.rule {
            let _ = write!(out, ", enforcing rule {}", text(rule));
        }
        out.push_str(".\n\n");
        if !step.expectations.is_empty() {
            out.push_str("Expected:\n\n");
            for e in &step.expectations {
                let _ = writeln!(out, "- `{}`", code(e));
            }
            out.push('\n');
        }
        if !step.captures.is_empty() {
            let names: Vec<String> = step
                .captures
                .iter()
                .map(|c| format!("`{}`", code(c)))
                .collect();
            let _ = writeln!(out, "Captures {} for later steps.\n", names.join(", "));
        }
        if let Some(seen) = &step.observed {
            let _ = write!(out, "Observed: **{}**", seen.verdict);
            if let Some(reason) = seen.skip_reason.or(seen.error) {
                let _ = write!(out, " — {}", text(reason));
            }
            out.push_str("\n\n");
            if !seen.exchanges.is_empty() {
                let fence = fence(&seen.exchanges);
                let _ = writeln!(out, "{fence}http\n{}\n{fence}\n", seen.exchanges.trim_end());
            }
        }
    }
    out
}

/// Prose: Markdown and HTML markup characters escaped, so a name renders as written.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Inside single backticks: backticks and newlines would end or break the span.
fn code(s: &str) -> String {
    s.replace('`', "'").replace(['\r', '\n'], " ")
}

/// A code fence longer than any run of backticks in `body`.
fn fence(body: &str) -> String {
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_escaped_and_fences_outgrow_the_content() {
        assert_eq!(
            text("<script>x</script> *a* [l](u)"),
            "&lt;script&gt;x&lt;/script&gt; \\*a\\* \\[l\\](u)"
        );
        assert_eq!(fence("no ticks"), "```");
        assert_eq!(fence("a ```` b"), "`````");
        assert_eq!(code("a`b\nc"), "a'b c");
    }
}
