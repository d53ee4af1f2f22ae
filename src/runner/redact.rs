//! Redaction by construction: every secret the run knows (configured secrets, client secrets,
//! Basic headers, passwords, tokens the server issued) is registered here, and every string
//! that leaves the runner for `outcome` goes through [`Redactor::redact`].

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

/// Secrets shorter than this are not searched for: replacing two-letter strings everywhere
/// would destroy every report while protecting nothing.
const MIN_LEN: usize = 4;

/// Response members whose values are credentials (RFC 6749 §5.1, OIDC Core §3.1.3.3,
/// RFC 7591 §3.2.1).
const SENSITIVE_MEMBERS: &[&str] = &[
    "access_token",
    "refresh_token",
    "id_token",
    "code",
    "client_secret",
    "registration_access_token",
    "device_code",
    "client_assertion",
    "assertion",
    "password",
];

/// Headers whose values are always hidden, whatever they contain.
const SENSITIVE_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];

#[derive(Clone, Debug, Default)]
pub struct Redactor {
    /// (needle, label), longest first so that a secret containing another is replaced whole.
    needles: Vec<(String, String)>,
}

impl Redactor {
    /// Registers `value` and the encodings it travels in (form/URL encoding, base64).
    pub fn add(&mut self, label: &str, value: &str) {
        if value.len() < MIN_LEN {
            return;
        }
        let form: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
        let pct = form.replace('+', "%20");
        let b64 = STANDARD.encode(value);
        for needle in [value.to_string(), form, pct, b64] {
            if !self.needles.iter().any(|(n, _)| *n == needle) {
                self.needles.push((needle, format!("[REDACTED:{label}]")));
            }
        }
        self.needles.sort_by_key(|n| std::cmp::Reverse(n.0.len()));
    }

    /// Registers a PEM private key: the whole text, and each base64 line of its body, so that
    /// no fragment of it survives in output.
    pub fn add_private_key(&mut self, label: &str, pem: &str) {
        self.add(label, pem.trim());
        for line in pem
            .lines()
            .map(str::trim)
            .filter(|l| !l.starts_with("-----") && l.len() >= 16)
        {
            self.add(label, line);
        }
    }

    /// Learns the credentials a response carries, so they are hidden wherever they appear.
    pub fn learn_from_json(&mut self, body: &Value) {
        match body {
            Value::Object(map) => {
                for (key, value) in map {
                    match value {
                        Value::String(s) if SENSITIVE_MEMBERS.contains(&key.as_str()) => {
                            self.add(key, s)
                        }
                        other => self.learn_from_json(other),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| self.learn_from_json(i)),
            _ => {}
        }
    }

    /// Learns credentials carried in a URL's query (an authorization redirect's `code`).
    pub fn learn_from_url(&mut self, location: &str) {
        if let Ok(url) = url::Url::parse(location) {
            for (key, value) in url.query_pairs().chain(fragment_pairs(&url)) {
                if SENSITIVE_MEMBERS.contains(&key.as_ref()) {
                    self.add(&key, &value);
                }
            }
        }
    }

    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (needle, label) in &self.needles {
            if out.contains(needle.as_str()) {
                out = out.replace(needle.as_str(), label);
            }
        }
        out
    }

    pub fn redact_header(&self, name: &str, value: &str) -> String {
        if SENSITIVE_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            match value.split_once(' ') {
                Some((scheme, _)) if name.eq_ignore_ascii_case("authorization") => {
                    format!("{scheme} [REDACTED]")
                }
                _ => "[REDACTED]".into(),
            }
        } else {
            self.redact(value)
        }
    }
}

fn fragment_pairs(url: &url::Url) -> Vec<(std::borrow::Cow<'_, str>, std::borrow::Cow<'_, str>)> {
    url.fragment()
        .map(|f| url::form_urlencoded::parse(f.as_bytes()).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn secrets_are_hidden_in_every_encoding() {
        let mut r = Redactor::default();
        r.add("pw", "s3cr et+/=");
        let form: String = url::form_urlencoded::byte_serialize(b"s3cr et+/=").collect();
        for text in [
            "x s3cr et+/= y".to_string(),
            format!("a={form}"),
            STANDARD.encode("s3cr et+/="),
        ] {
            assert!(!r.redact(&text).contains("s3cr"), "{text}");
            assert!(r.redact(&text).contains("[REDACTED:pw]"));
        }
    }

    #[test]
    fn issued_tokens_are_learned_from_responses_and_redirects() {
        let mut r = Redactor::default();
        r.learn_from_json(
            &json!({"access_token": "at-canary-123", "nested": {"refresh_token": "rt-canary-456"}}),
        );
        r.learn_from_url("https://cb.example/cb?code=ac-canary-789&state=s");
        let out = r.redact("at-canary-123 rt-canary-456 ac-canary-789 state=s");
        assert_eq!(
            out,
            "[REDACTED:access_token] [REDACTED:refresh_token] [REDACTED:code] state=s"
        );
    }

    #[test]
    fn credential_headers_are_always_hidden() {
        let r = Redactor::default();
        assert_eq!(
            r.redact_header("Authorization", "Basic YWJjOmRlZg=="),
            "Basic [REDACTED]"
        );
        assert_eq!(r.redact_header("set-cookie", "sid=abc"), "[REDACTED]");
        assert_eq!(
            r.redact_header("content-type", "application/json"),
            "application/json"
        );
    }
}
