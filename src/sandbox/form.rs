//! A form-encoded request body read raw, so that repeated and empty parameters can be told
//! apart (RFC 6749 §3.1, §3.2).

use axum::http::HeaderMap;

use super::media_type;
use super::oauth_error::OAuthError;

/// The decoded `name=value` pairs of an `application/x-www-form-urlencoded` body.
#[derive(Debug, Default)]
pub(crate) struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    /// Reads a request body, refusing other media types and, unless `allow_repeats`, any
    /// parameter sent twice (RFC 6749 §3.2: "MUST NOT be included more than once").
    pub(crate) fn from_body(
        headers: &HeaderMap,
        body: &[u8],
        allow_repeats: bool,
    ) -> Result<Self, OAuthError> {
        if !media_type::is(headers, "application/x-www-form-urlencoded") {
            return Err(OAuthError::invalid_request(
                "the body must be application/x-www-form-urlencoded",
            ));
        }
        let form = Self::parse(body);
        if !allow_repeats && let Some(name) = form.repeated() {
            return Err(OAuthError::invalid_request(format!(
                "parameter `{name}` is repeated"
            )));
        }
        Ok(form)
    }

    pub(crate) fn parse(body: &[u8]) -> Self {
        Self {
            pairs: url::form_urlencoded::parse(body).into_owned().collect(),
        }
    }

    /// How many times `name` occurs.
    pub(crate) fn count(&self, name: &str) -> usize {
        self.pairs.iter().filter(|(n, _)| n == name).count()
    }

    /// The first parameter that occurs more than once.
    pub(crate) fn repeated(&self) -> Option<&str> {
        self.pairs.iter().enumerate().find_map(|(i, (name, _))| {
            self.pairs[..i]
                .iter()
                .any(|(earlier, _)| earlier == name)
                .then_some(name.as_str())
        })
    }

    /// The first parameter sent without a value.
    pub(crate) fn first_empty(&self) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(_, v)| v.is_empty())
            .map(|(n, _)| n.as_str())
    }

    /// The value of `name`; an empty value counts as absent (RFC 6749 §3.1). When repeats were
    /// allowed, the last value wins.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use axum::http::header::CONTENT_TYPE;

    fn form_headers(content_type: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        h
    }

    #[test]
    fn repeated_parameters_are_refused() {
        let h = form_headers("application/x-www-form-urlencoded");
        let err = Form::from_body(&h, b"a=1&b=2&a=3", false).expect_err("repeat");
        assert_eq!(err.code, "invalid_request");
        let form = Form::from_body(&h, b"a=1&b=2&a=3", true).expect("allowed");
        assert_eq!(form.get("a"), Some("3"));
    }

    #[test]
    fn empty_values_count_as_absent_and_values_are_decoded() {
        let h = form_headers("Application/X-WWW-Form-Urlencoded; charset=UTF-8");
        let form = Form::from_body(&h, b"scope=&x=a%20b+c", false).expect("form");
        assert_eq!(form.get("scope"), None);
        assert_eq!(form.get("x"), Some("a b c"));
    }

    #[test]
    fn other_media_types_are_refused() {
        let h = form_headers("application/json");
        assert!(Form::from_body(&h, b"{}", false).is_err());
        assert!(Form::from_body(&HeaderMap::new(), b"a=1", false).is_err());
    }
}
