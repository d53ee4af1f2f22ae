//! Proof Key for Code Exchange (RFC 7636): challenge methods and verifier checks.

use aws_lc_rs::constant_time::verify_slices_are_equal;
use aws_lc_rs::digest;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// A `code_challenge_method` (RFC 7636 §4.3; `plain` when absent).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ChallengeMethod {
    S256,
    Plain,
}

impl ChallengeMethod {
    pub(crate) fn parse(method: Option<&str>) -> Option<Self> {
        match method {
            None | Some("plain") => Some(ChallengeMethod::Plain),
            Some("S256") => Some(ChallengeMethod::S256),
            Some(_) => None,
        }
    }
}

/// A challenge and its method, as stored with the code.
#[derive(Clone, Debug)]
pub(crate) struct Challenge {
    pub(crate) value: String,
    pub(crate) method: ChallengeMethod,
}

/// 43 to 128 characters of `[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"` (RFC 7636 §4.1, §4.2).
pub(crate) fn is_well_formed(value: &str) -> bool {
    (43..=128).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

impl Challenge {
    /// Whether `verifier` answers this challenge (RFC 7636 §4.6).
    /// With `as_plain`, an S256 challenge is compared as if it were plain; with `any_shape`, a
    /// verifier outside RFC 7636 §4.1's 43-128 unreserved characters is compared too (defects).
    pub(crate) fn is_answered_by(&self, verifier: &str, as_plain: bool, any_shape: bool) -> bool {
        if !any_shape && !is_well_formed(verifier) {
            return false;
        }
        let computed = match self.method {
            ChallengeMethod::S256 if !as_plain => {
                URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, verifier.as_bytes()))
            }
            ChallengeMethod::S256 | ChallengeMethod::Plain => verifier.to_owned(),
        };
        verify_slices_are_equal(computed.as_bytes(), self.value.as_bytes()).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_7636_appendix_b_example_verifies() {
        let challenge = Challenge {
            value: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".into(),
            method: ChallengeMethod::S256,
        };
        assert!(challenge.is_answered_by(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            false,
            false
        ));
        assert!(!challenge.is_answered_by(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXY",
            false,
            false
        ));
    }

    #[test]
    fn malformed_verifiers_never_verify() {
        let short = "a".repeat(42);
        let challenge = Challenge {
            value: short.clone(),
            method: ChallengeMethod::Plain,
        };
        assert!(!challenge.is_answered_by(&short, false, false));
        assert!(challenge.is_answered_by(&short, false, true));
        assert!(!is_well_formed(&"a".repeat(129)));
        assert!(!is_well_formed(&format!("{}+", "a".repeat(43))));
        assert!(is_well_formed(&"a".repeat(43)));
    }

    #[test]
    fn an_absent_method_means_plain() {
        assert_eq!(ChallengeMethod::parse(None), Some(ChallengeMethod::Plain));
        assert_eq!(ChallengeMethod::parse(Some("S512")), None);
    }
}
