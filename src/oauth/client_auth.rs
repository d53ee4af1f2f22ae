use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The `Authorization` header value for `client_secret_basic`: both parts are
/// `application/x-www-form-urlencoded` first, then joined by `:` and base64-encoded
/// (RFC 6749 §2.3.1).
pub fn basic_authorization(client_id: &str, client_secret: &str) -> String {
    let id = form_urlencode(client_id);
    let secret = form_urlencode(client_secret);
    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
}

fn form_urlencode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_characters_are_form_encoded_before_base64() {
        // "a:b" / "c d+" → "a%3Ab:c+d%2B"
        let header = basic_authorization("a:b", "c d+");
        let decoded = STANDARD
            .decode(header.trim_start_matches("Basic "))
            .unwrap();
        assert_eq!(String::from_utf8(decoded).unwrap(), "a%3Ab:c+d%2B");
    }
}
