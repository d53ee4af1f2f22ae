//! A scenario's section of `index.html`, written directly rather than through handlebars: the
//! sections are nearly all of the page, and rendering them with the template took about five
//! times as long as this (the template engine copies the whole view into JSON values and clones
//! each element it iterates over; see `bench/RESULTS.md`). The page around the sections stays a
//! template (`templates/index.hbs`). Every value is escaped by [`escape_into`], as the template
//! escapes them.

use super::html_view::{CheckView, ExchangeView, HeaderView, ScenarioView, StepView};

/// Appends the section of `scenario` to `out`.
pub(crate) fn write_scenario(out: &mut String, s: &ScenarioView<'_>) {
    out.push_str("<details class=\"scenario v-");
    out.push_str(s.verdict);
    out.push_str("\" id=\"");
    escape_into(out, &s.anchor);
    out.push_str("\" data-verdict=\"");
    out.push_str(s.verdict);
    out.push_str("\" data-search=\"");
    escape_into(out, &s.search);
    out.push_str("\" data-tags=\"");
    escape_into(out, &s.tag_list);
    out.push_str("\" data-rules=\"");
    escape_into(out, &s.rule_list);
    out.push('"');
    if s.open {
        out.push_str(" open");
    }
    out.push_str(">\n<summary>");
    badge(out, s.verdict);
    out.push_str(" <span class=\"name\">");
    escape_into(out, s.name);
    out.push_str("</span> <span class=\"meta\">");
    escape_into(out, &s.duration);
    out.push_str("</span>");
    for tag in s.tags {
        out.push_str(" <span class=\"tag\">");
        escape_into(out, tag);
        out.push_str("</span>");
    }
    out.push_str("</summary>\n<div class=\"content\">\n");
    if let Some(doc) = s.doc.filter(|d| !d.is_empty()) {
        out.push_str("<p class=\"doc\">");
        escape_into(out, doc);
        out.push_str("</p>\n");
    }
    out.push_str("<p class=\"meta\">");
    escape_into(out, &s.location);
    out.push_str("</p>\n");
    for step in &s.steps {
        write_step(out, step);
    }
    out.push_str("</div>\n</details>\n");
}

fn write_step(out: &mut String, st: &StepView<'_>) {
    out.push_str("<section class=\"step v-");
    out.push_str(st.verdict);
    out.push_str("\">\n<h3>");
    badge(out, st.verdict);
    out.push_str(" <span class=\"name\">");
    escape_into(out, st.name);
    out.push_str("</span> <span class=\"meta\">");
    escape_into(out, st.kind);
    out.push_str(" · ");
    escape_into(out, &st.duration);
    out.push_str(" · ");
    escape_into(out, &st.location);
    out.push_str("</span></h3>\n");
    if let Some(error) = &st.error {
        out.push_str("<p class=\"problem v-error\"><strong>");
        escape_into(out, error.kind);
        out.push_str("</strong>: <span class=\"text\">");
        escape_into(out, error.message);
        out.push_str("</span></p>\n");
    }
    if let Some(reason) = st.skip_reason.filter(|r| !r.is_empty()) {
        out.push_str("<p class=\"problem v-skipped\">skipped: <span class=\"text\">");
        escape_into(out, reason);
        out.push_str("</span></p>\n");
    }
    if !st.checks.is_empty() {
        out.push_str(
            "<table class=\"checks\">\n<thead><tr><th>subject</th><th>matcher</th>\
             <th>expected</th><th>actual</th><th>location</th><th>rule</th><th>verdict</th>\
             </tr></thead>\n<tbody>\n",
        );
        for check in &st.checks {
            write_check(out, check);
        }
        out.push_str("</tbody>\n</table>\n");
    }
    if let Some(snapshot) = &st.snapshot {
        out.push_str("<div class=\"snapshot\">\n<h4>Snapshot</h4>\n<p class=\"meta\"><code>");
        escape_into(out, snapshot.path);
        out.push_str("</code> · ");
        escape_into(out, snapshot.comparison);
        if let Some(written) = snapshot.written.filter(|w| !w.is_empty()) {
            out.push_str(" · written to <code>");
            escape_into(out, written);
            out.push_str("</code>");
        }
        out.push_str("</p>\n");
        if !snapshot.diff.is_empty() {
            out.push_str("<pre class=\"diff\">");
            for line in &snapshot.diff {
                out.push_str("<span class=\"d-");
                out.push_str(line.class);
                out.push_str("\">");
                escape_into(out, line.text);
                out.push_str("</span>\n");
            }
            out.push_str("</pre>\n");
        }
        out.push_str("</div>\n");
    }
    if !st.captures.is_empty() {
        out.push_str(
            "<table class=\"captures\">\n<thead><tr><th>captured</th><th>value</th></tr>\
             </thead>\n<tbody>\n",
        );
        for capture in st.captures {
            out.push_str("<tr><td>");
            escape_into(out, &capture.name);
            out.push_str("</td><td class=\"text\">");
            escape_into(out, &capture.value);
            out.push_str("</td></tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
    for exchange in &st.exchanges {
        write_exchange(out, exchange);
    }
    out.push_str("</section>\n");
}

fn write_check(out: &mut String, c: &CheckView<'_>) {
    out.push_str("<tr class=\"v-");
    out.push_str(c.verdict);
    out.push_str("\"><td>");
    escape_into(out, c.subject);
    out.push_str("</td><td>");
    escape_into(out, c.matcher);
    out.push_str("</td><td class=\"text\">");
    escape_into(out, c.expected);
    out.push_str("</td><td class=\"text\">");
    escape_into(out, c.actual);
    out.push_str("</td><td class=\"loc\">");
    escape_into(out, &c.location);
    out.push_str("</td><td class=\"rule\">");
    if let Some(rule) = &c.rule {
        match rule.url.filter(|u| !u.is_empty()) {
            Some(url) => {
                out.push_str("<a href=\"");
                escape_into(out, url);
                out.push_str("\" rel=\"noreferrer\" title=\"");
                escape_into(out, rule.title);
                out.push_str("\">");
                escape_into(out, rule.id);
                out.push_str("</a>");
            }
            None => {
                out.push_str("<span title=\"");
                escape_into(out, rule.title);
                out.push_str("\">");
                escape_into(out, rule.id);
                out.push_str("</span>");
            }
        }
        out.push_str(" <span class=\"meta\">");
        escape_into(out, rule.severity);
        out.push_str(" · ");
        escape_into(out, rule.clause);
        out.push_str("</span>");
    }
    out.push_str("</td><td>");
    badge(out, c.verdict);
    out.push_str("</td></tr>\n");
}

fn write_exchange(out: &mut String, e: &ExchangeView<'_>) {
    out.push_str("<details class=\"exchange\"");
    if e.open {
        out.push_str(" open");
    }
    out.push_str(">\n<summary><code>");
    escape_into(out, e.method);
    out.push(' ');
    escape_into(out, e.url);
    out.push_str("</code> → ");
    match &e.response {
        Some(r) => {
            out.push_str("<span class=\"badge v-");
            out.push_str(r.status_class);
            out.push_str("\">");
            out.push_str(&r.status.to_string());
            out.push_str("</span>");
        }
        None => out.push_str("<span class=\"badge v-error\">no response</span>"),
    }
    out.push_str(" <span class=\"meta\">");
    escape_into(out, &e.duration);
    out.push_str("</span></summary>\n<div class=\"http\">\n<h4>Request</h4>\n<pre>");
    escape_into(out, e.method);
    out.push(' ');
    escape_into(out, e.url);
    out.push('\n');
    message(out, &e.headers, e.body.as_deref());
    out.push_str("</pre>\n");
    match &e.response {
        Some(r) => {
            out.push_str("<h4>Response</h4>\n<pre>HTTP ");
            out.push_str(&r.status.to_string());
            out.push('\n');
            message(out, &r.headers, r.body.as_deref());
            out.push_str("</pre>\n");
            if r.body_truncated {
                out.push_str("<p class=\"meta\">The body was cut at the size limit.</p>\n");
            }
        }
        None => out.push_str("<p class=\"problem v-error\">No response arrived.</p>\n"),
    }
    for jwt in &e.jwts {
        out.push_str("<h4>JWT in the ");
        escape_into(out, jwt.found_in);
        out.push_str(
            ", decoded (signature not shown)</h4>\n<div class=\"jwt\"><pre class=\"jwt-header\">",
        );
        escape_into(out, &jwt.header);
        out.push_str("</pre><pre class=\"jwt-claims\">");
        escape_into(out, &jwt.claims);
        out.push_str("</pre></div>\n");
    }
    out.push_str("</div>\n</details>\n");
}

/// Headers one per line, then a blank line and the body if there is one.
fn message(out: &mut String, headers: &[HeaderView<'_>], body: Option<&str>) {
    for h in headers {
        escape_into(out, h.name);
        out.push_str(": ");
        escape_into(out, h.value);
        out.push('\n');
    }
    if let Some(body) = body.filter(|b| !b.is_empty()) {
        out.push('\n');
        escape_into(out, body);
    }
}

fn badge(out: &mut String, verdict: &str) {
    out.push_str("<span class=\"badge v-");
    out.push_str(verdict);
    out.push_str("\">");
    out.push_str(verdict);
    out.push_str("</span>");
}

/// Appends `text` HTML-escaped for element content and quoted attributes; control characters,
/// which HTML forbids, become their visible Unicode control pictures (ESC shows as `␛`).
pub(crate) fn escape_into(out: &mut String, text: &str) {
    let mut plain = 0;
    for (i, c) in text.char_indices() {
        let replacement = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&#x27;",
            '`' => "&#x60;",
            '\t' | '\n' | '\r' => continue,
            '\u{0}'..='\u{1f}' | '\u{7f}' | '\u{80}'..='\u{9f}' | '\u{FFFE}' | '\u{FFFF}' => {
                out.push_str(&text[plain..i]);
                out.push(picture(c));
                plain = i + c.len_utf8();
                continue;
            }
            _ => continue,
        };
        out.push_str(&text[plain..i]);
        out.push_str(replacement);
        plain = i + c.len_utf8();
    }
    out.push_str(&text[plain..]);
}

/// The visible stand-in of a character HTML forbids.
fn picture(c: char) -> char {
    match c {
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{FFFD}'),
        '\u{7f}' => '\u{2421}',
        _ => '\u{FFFD}',
    }
}
