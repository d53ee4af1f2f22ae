use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// `n` bytes from the operating system's CSPRNG (`getrandom(2)` on Linux). Not aws-lc's
/// generator, which seeds itself on first use (tens of milliseconds): a run that signs nothing
/// never pays for it.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    // The system RNG fails only if the OS has no entropy source at all; there is nothing
    // sensible to continue with then.
    #[expect(
        clippy::expect_used,
        reason = "no entropy source means no security at all"
    )]
    getrandom::fill(&mut buf).expect("system random source");
    buf
}

/// A random base64url string carrying `N` bytes of entropy.
pub fn random_string<const N: usize>() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<N>())
}

/// A random (version 4) UUID.
pub fn uuid_v4() -> String {
    let mut b = random_bytes::<16>();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}
