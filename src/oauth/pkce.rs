use aws_lc_rs::digest;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::random_string;

/// A PKCE verifier and its challenge (RFC 7636 §4.1, §4.2).
#[derive(Clone, Debug)]
pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
    /// `S256` or `plain`.
    pub method: &'static str,
}

impl Pkce {
    /// A fresh verifier of 43 characters (32 random bytes) and its challenge.
    pub fn generate(method: &'static str) -> Self {
        Self::from_verifier(random_string::<32>(), method)
    }

    pub fn from_verifier(verifier: String, method: &'static str) -> Self {
        let challenge = if method == "plain" {
            verifier.clone()
        } else {
            s256(&verifier)
        };
        Self {
            verifier,
            challenge,
            method,
        }
    }
}

/// `BASE64URL(SHA256(ASCII(verifier)))`.
pub fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, verifier.as_bytes()).as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_matches_the_rfc_7636_example() {
        // RFC 7636 Appendix B.
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let p = Pkce::generate("S256");
        assert_eq!(p.verifier.len(), 43);
        assert_eq!(Pkce::generate("plain").challenge.len(), 43);
    }
}
