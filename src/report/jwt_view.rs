//! JWTs found in an exchange (a `application/jwt` UserInfo response, a logout token, an
//! unredacted assertion), decoded for the HTML report: the header and the claims as indented
//! JSON. The signature is never shown. Secret-bearing tokens were redacted before the run
//! result was built, so only what the results already hold in clear text is decoded here.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// At most this many tokens are decoded per exchange.
const MAX_PER_EXCHANGE: usize = 8;

pub(crate) struct JwtView {
    /// Where the token was found: `request`, `response`.
    pub(super) found_in: &'static str,
    pub(super) header: String,
    pub(super) claims: String,
}

/// Every compact JWS in `text` whose header and payload are base64url-encoded JSON objects.
pub(crate) fn decode_all(text: &str, found_in: &'static str, into: &mut Vec<JwtView>) {
    let is_token_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    for candidate in text.split(|c| !is_token_char(c)) {
        if into.len() >= MAX_PER_EXCHANGE {
            return;
        }
        if let Some(view) = decode(candidate, found_in) {
            into.push(view);
        }
    }
}

fn decode(candidate: &str, found_in: &'static str) -> Option<JwtView> {
    if !candidate.starts_with("eyJ") {
        return None;
    }
    let mut parts = candidate.split('.');
    let (header, claims, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Some(JwtView {
        found_in,
        header: json_object(header)?,
        claims: json_object(claims)?,
    })
}

fn json_object(segment: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(segment).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    value
        .is_object()
        .then(|| serde_json::to_string_pretty(&value).ok())?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(header: &str, claims: &str) -> String {
        format!(
            "{}.{}.c2ln",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(claims)
        )
    }

    #[test]
    fn tokens_in_bodies_and_headers_are_decoded() {
        let jwt = token(
            r#"{"alg":"RS256","kid":"k1"}"#,
            r#"{"sub":"alice","aud":"app"}"#,
        );
        let mut found = Vec::new();
        decode_all(
            &format!("{{\"id_token\":\"{jwt}\"}}"),
            "response",
            &mut found,
        );
        decode_all(&format!("Bearer {jwt}"), "request", &mut found);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].header,
            "{\n  \"alg\": \"RS256\",\n  \"kid\": \"k1\"\n}"
        );
        assert!(found[0].claims.contains("\"sub\": \"alice\""));
        assert_eq!(found[1].found_in, "request");
    }

    #[test]
    fn redacted_and_non_jwt_text_is_left_alone() {
        let mut found = Vec::new();
        decode_all(
            r#"{"id_token":"[REDACTED:id_token]","x":"eyJub3Q.json.x","y":"a.b.c"}"#,
            "response",
            &mut found,
        );
        decode_all(&token("[1]", "{}"), "response", &mut found);
        decode_all(
            &format!("{}.extra", token("{}", "{}")),
            "response",
            &mut found,
        );
        assert!(found.is_empty());
    }

    #[test]
    fn decoding_stops_at_the_limit() {
        let jwt = token(r#"{"alg":"none"}"#, "{}");
        let mut found = Vec::new();
        decode_all(&vec![jwt; 20].join(" "), "response", &mut found);
        assert_eq!(found.len(), MAX_PER_EXCHANGE);
    }
}
