//! Comparing presented secrets (client secrets, passwords, access tokens of the registration
//! endpoint) in constant time.

use aws_lc_rs::constant_time::verify_slices_are_equal;

use crate::secret::Secret;

/// Whether `given` equals `expected`, in time independent of where they differ.
pub(crate) fn matches(expected: &Secret, given: &str) -> bool {
    verify_slices_are_equal(expected.expose().as_bytes(), given.as_bytes()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_same_value_matches() {
        let secret = Secret::new("s3cret");
        assert!(matches(&secret, "s3cret"));
        assert!(!matches(&secret, "s3cre"));
        assert!(!matches(&secret, "s3cret "));
    }
}
