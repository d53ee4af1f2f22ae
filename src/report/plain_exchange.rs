//! A step's captures and HTTP exchanges as plain text, in the style of `curl -v`, for JUnit's
//! `<system-out>`.

use std::fmt;

use crate::outcome::{Exchange, StepResult};

/// Displays a step's captures, then each exchange: `>` request lines, `<` response lines.
pub(crate) struct PlainExchanges<'a>(pub(crate) &'a StepResult);

impl fmt::Display for PlainExchanges<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for capture in &self.0.captures {
            writeln!(f, "captured {} = {}", capture.name, capture.value)?;
        }
        for (i, exchange) in self.0.exchanges.iter().enumerate() {
            if i > 0 || !self.0.captures.is_empty() {
                writeln!(f)?;
            }
            write_exchange(f, exchange)?;
        }
        Ok(())
    }
}

fn write_exchange(f: &mut fmt::Formatter<'_>, exchange: &Exchange) -> fmt::Result {
    let request = &exchange.request;
    writeln!(f, "> {} {}", request.method, request.url)?;
    for (name, value) in &request.headers {
        writeln!(f, "> {name}: {value}")?;
    }
    if let Some(body) = &request.body {
        writeln!(f, ">")?;
        writeln!(f, "{body}")?;
    }
    let Some(response) = &exchange.response else {
        return writeln!(f, "< no response ({:.1} ms)", exchange.duration_ms);
    };
    writeln!(f, "< {} ({:.1} ms)", response.status, exchange.duration_ms)?;
    for (name, value) in &response.headers {
        writeln!(f, "< {name}: {value}")?;
    }
    if let Some(body) = &response.body {
        writeln!(f, "<")?;
        writeln!(f, "{body}")?;
    }
    if response.body_truncated {
        writeln!(f, "[body truncated]")?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on any unexpected error"
)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn request_and_response_are_shown_like_curl() {
        let run = sample::mixed_run();
        let text = PlainExchanges(&run.scenarios[0].steps[0]).to_string();
        assert!(text.starts_with("captured access_token = [redacted]\n\n> POST http://"));
        assert!(text.contains("> authorization: Basic [redacted]\n"));
        assert!(text.contains("\ngrant_type=client_credentials&scope=read\n< 200 (12.5 ms)\n"));
        assert!(text.contains("< content-type: application/json\n<\n{\"access_token\""));
    }

    #[test]
    fn missing_response_is_stated() {
        let run = sample::mixed_run();
        let text = PlainExchanges(&run.scenarios[1].steps[2]).to_string();
        assert!(text.contains("< no response (12.5 ms)"), "{text}");
    }
}
