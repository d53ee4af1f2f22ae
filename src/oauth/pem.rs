//! PEM text (RFC 7468) from DER, as keys and certificates are written for other tools.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// One PEM block: `-----BEGIN LABEL-----`, the base64 in lines of 64, `-----END LABEL-----`.
pub fn pem_block(label: &str, der: &[u8]) -> String {
    let encoded = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in encoded.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}
