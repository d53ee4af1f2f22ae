//! Unguessable values: tokens, codes, secrets and identifiers (RFC 6749 §10.10).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// 192 random bits: above the 2⁻¹⁶⁰ guessing bound RFC 6749 §10.10 recommends.
const TOKEN_BYTES: usize = 24;

/// Fills `buf` from the operating system's CSPRNG (`getrandom(2)` on Linux). Not aws-lc's:
/// its generator seeds itself on first use, which took tens of milliseconds on the sandbox's
/// start path; the key generation, off that path, pays it instead.
pub(crate) fn fill(buf: &mut [u8]) {
    if getrandom::fill(buf).is_err() {
        // The OS generator fails only when the kernel has none; nothing can be issued safely.
        panic!("the system random number generator failed");
    }
}

/// A fresh value of 192 random bits, base64url without padding, after `prefix`.
pub(crate) fn token(prefix: &str) -> String {
    let mut bytes = [0u8; TOKEN_BYTES];
    fill(&mut bytes);
    let mut out = String::with_capacity(prefix.len() + 32);
    out.push_str(prefix);
    URL_SAFE_NO_PAD.encode_string(bytes, &mut out);
    out
}

/// A uniformly distributed number in `[0, 1)`, for fault injection.
pub(crate) fn unit() -> f64 {
    let mut bytes = [0u8; 8];
    fill(&mut bytes);
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_the_prefix_and_differ() {
        let a = token("at-");
        let b = token("at-");
        assert!(a.starts_with("at-"));
        assert_eq!(a.len(), 3 + 32);
        assert_ne!(a, b);
    }

    #[test]
    fn unit_stays_in_range() {
        for _ in 0..1000 {
            let u = unit();
            assert!((0.0..1.0).contains(&u));
        }
    }
}
