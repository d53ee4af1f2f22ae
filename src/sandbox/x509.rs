//! What a client certificate says about its holder — the subject (RFC 5280 §4.1.2.6) and the
//! subject alternative names (§4.2.1.6) — and RFC 4514 distinguished names, to compare them
//! with a `tls_client_auth` client's registration (RFC 8705 §2.1.2).

use std::net::IpAddr;

use super::der::{self, OCTET_STRING, OID, SEQUENCE, SET};

/// An attribute of a distinguished name: its RFC 4514 short name (or dotted OID), its value.
type Attribute = (String, String);

/// Short names of RFC 4514 §3, by the DER content of their OID.
const SHORT_NAMES: &[(&[u8], &str)] = &[
    (&[0x55, 0x04, 0x03], "CN"),
    (&[0x55, 0x04, 0x07], "L"),
    (&[0x55, 0x04, 0x08], "ST"),
    (&[0x55, 0x04, 0x0a], "O"),
    (&[0x55, 0x04, 0x0b], "OU"),
    (&[0x55, 0x04, 0x06], "C"),
    (&[0x55, 0x04, 0x09], "STREET"),
    (
        &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19],
        "DC",
    ),
    (
        &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01],
        "UID",
    ),
];
const SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];

/// The names a certificate gives its holder.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct CertificateNames {
    /// The subject's RDNs as encoded: the most significant (e.g. `C`) first.
    subject: Vec<Vec<Attribute>>,
    pub(crate) dns: Vec<String>,
    pub(crate) uris: Vec<String>,
    pub(crate) ips: Vec<IpAddr>,
    pub(crate) emails: Vec<String>,
}

impl CertificateNames {
    /// Reads a DER certificate; `None` if it is not one.
    pub(crate) fn read(certificate: &[u8]) -> Option<Self> {
        let cert = der::expect(certificate, SEQUENCE)?;
        let tbs = der::children(cert.content)?.first().copied()?;
        let fields = der::children(tbs.content)?;
        let first = usize::from(fields.first()?.tag == 0xa0);
        let subject = fields.get(first + 4).filter(|f| f.tag == SEQUENCE)?;
        let mut names = Self {
            subject: read_name(subject.content)?,
            ..Self::default()
        };
        if let Some(extensions) = fields.iter().find(|f| f.tag == 0xa3) {
            let list = der::expect(extensions.content, SEQUENCE)?;
            for extension in der::children(list.content)? {
                let parts = der::children(extension.content)?;
                let (Some(id), Some(value)) = (parts.first(), parts.last()) else {
                    return None;
                };
                if id.tag == OID && id.content == SUBJECT_ALT_NAME && value.tag == OCTET_STRING {
                    names.read_alt_names(value.content)?;
                }
            }
        }
        Some(names)
    }

    fn read_alt_names(&mut self, value: &[u8]) -> Option<()> {
        let list = der::expect(value, SEQUENCE)?;
        for name in der::children(list.content)? {
            let text = || String::from_utf8(name.content.to_vec()).ok();
            match name.tag {
                0x81 => self.emails.extend(text()),
                0x82 => self.dns.extend(text()),
                0x86 => self.uris.extend(text()),
                0x87 => match name.content.len() {
                    4 => self
                        .ips
                        .extend(<[u8; 4]>::try_from(name.content).ok().map(IpAddr::from)),
                    16 => self
                        .ips
                        .extend(<[u8; 16]>::try_from(name.content).ok().map(IpAddr::from)),
                    _ => {}
                },
                _ => {}
            }
        }
        Some(())
    }

    /// The subject as RFC 4514 §2 writes it: the last RDN first.
    pub(crate) fn subject_dn(&self) -> String {
        self.subject
            .iter()
            .rev()
            .map(|rdn| {
                rdn.iter()
                    .map(|(name, value)| format!("{name}={}", escape(value)))
                    .collect::<Vec<_>>()
                    .join("+")
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Whether the subject is the distinguished name `dn` (RFC 4514): the same RDNs in the
    /// same order, attribute names and values compared without regard to case, as the
    /// directory string matching rules of the usual attributes do (RFC 4517 §4.2.11).
    pub(crate) fn subject_is(&self, dn: &str) -> bool {
        let Some(mut expected) = parse_dn(dn) else {
            return false;
        };
        expected.reverse();
        let normal = |rdns: &[Vec<Attribute>]| {
            rdns.iter()
                .map(|rdn| {
                    let mut rdn: Vec<_> = rdn
                        .iter()
                        .map(|(n, v)| (n.to_uppercase(), v.trim().to_lowercase()))
                        .collect();
                    rdn.sort();
                    rdn
                })
                .collect::<Vec<_>>()
        };
        normal(&self.subject) == normal(&expected)
    }
}

fn read_name(content: &[u8]) -> Option<Vec<Vec<Attribute>>> {
    der::children(content)?
        .into_iter()
        .map(|rdn| {
            if rdn.tag != SET {
                return None;
            }
            der::children(rdn.content)?
                .into_iter()
                .map(|pair| {
                    let parts = der::children(pair.content)?;
                    let [oid, value] = parts.as_slice() else {
                        return None;
                    };
                    (oid.tag == OID).then_some(())?;
                    Some((attribute_name(oid.content), attribute_value(value)))
                })
                .collect()
        })
        .collect()
}

fn attribute_name(oid: &[u8]) -> String {
    SHORT_NAMES
        .iter()
        .find(|(der, _)| *der == oid)
        .map_or_else(|| dotted(oid), |(_, name)| (*name).to_owned())
}

/// An OID's dotted-decimal form (X.690 §8.19).
fn dotted(oid: &[u8]) -> String {
    let mut arcs: Vec<u64> = Vec::new();
    let mut value = 0u64;
    for byte in oid {
        value = (value << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (value / 40).min(2);
                arcs.extend([first, value - first * 40]);
            } else {
                arcs.push(value);
            }
            value = 0;
        }
    }
    arcs.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// A directory string as text; other types as `#` and the hex of their encoding (RFC 4514 §2.4).
fn attribute_value(value: &der::Tlv<'_>) -> String {
    let text = match value.tag {
        0x0c | 0x13 | 0x16 => String::from_utf8(value.content.to_vec()).ok(),
        0x14 => Some(value.content.iter().map(|b| char::from(*b)).collect()),
        0x1e => char::decode_utf16(
            value
                .content
                .chunks_exact(2)
                .map(|p| u16::from_be_bytes([p[0], p[1]])),
        )
        .collect::<Result<String, _>>()
        .ok(),
        _ => None,
    };
    text.unwrap_or_else(|| {
        let mut encoded = vec![value.tag];
        encoded.push(u8::try_from(value.content.len()).unwrap_or(0));
        encoded.extend_from_slice(value.content);
        let hex: String = encoded.iter().map(|b| format!("{b:02x}")).collect();
        format!("#{hex}")
    })
}

fn escape(value: &str) -> String {
    if value.starts_with('#')
        && value.len() > 1
        && value[1..].chars().all(|c| c.is_ascii_hexdigit())
    {
        return value.to_owned();
    }
    let last = value.chars().count().saturating_sub(1);
    let mut out = String::with_capacity(value.len());
    for (i, c) in value.chars().enumerate() {
        let edge_space = c == ' ' && (i == 0 || i == last);
        if matches!(c, '"' | '+' | ',' | ';' | '<' | '>' | '\\')
            || edge_space
            || (i == 0 && c == '#')
        {
            out.push('\\');
        }
        if c == '\0' {
            out.push_str("\\00");
        } else {
            out.push(c);
        }
    }
    out
}

/// Parses an RFC 4514 string into its RDNs, in written order (the last RDN first); `None` for
/// one that is malformed.
pub(crate) fn parse_dn(dn: &str) -> Option<Vec<Vec<Attribute>>> {
    if dn.trim().is_empty() {
        return Some(Vec::new());
    }
    let mut rdns = vec![Vec::new()];
    let mut name = String::new();
    let mut value: Vec<u8> = Vec::new();
    let mut in_value = false;
    let mut bytes = dn.bytes().peekable();
    let finish = |name: &mut String, value: &mut Vec<u8>| -> Option<Attribute> {
        let n = name.trim().to_uppercase();
        let v = String::from_utf8(std::mem::take(value)).ok()?;
        name.clear();
        (!n.is_empty()).then(|| (short_name(&n), v))
    };
    while let Some(b) = bytes.next() {
        match b {
            b'\\' if in_value => {
                let next = bytes.next()?;
                if next.is_ascii_hexdigit() {
                    let low = bytes.next().filter(u8::is_ascii_hexdigit)?;
                    let hex = [next, low];
                    value.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
                } else {
                    value.push(next);
                }
            }
            b'=' if !in_value => in_value = true,
            b',' | b'+' if in_value => {
                let attribute = finish(&mut name, &mut value)?;
                rdns.last_mut()?.push(attribute);
                if b == b',' {
                    rdns.push(Vec::new());
                }
                in_value = false;
            }
            _ if in_value => value.push(b),
            _ => name.push(char::from(b)),
        }
    }
    if !in_value {
        return None;
    }
    let attribute = finish(&mut name, &mut value)?;
    rdns.last_mut()?.push(attribute);
    Some(rdns)
}

/// `2.5.4.3` and `cn` both name `CN`.
fn short_name(name: &str) -> String {
    SHORT_NAMES
        .iter()
        .find(|(der, _)| dotted(der) == name)
        .map_or_else(|| name.to_owned(), |(_, short)| (*short).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinguished_names_parse_with_escapes_and_multi_valued_rdns() {
        let rdns = parse_dn(r"CN=Jane\, Doe+UID=jd,O=Grant\2Bspec,2.5.4.6=FR").expect("valid");
        assert_eq!(
            rdns,
            vec![
                vec![
                    ("CN".to_owned(), "Jane, Doe".to_owned()),
                    ("UID".to_owned(), "jd".to_owned())
                ],
                vec![("O".to_owned(), "Grant+spec".to_owned())],
                vec![("C".to_owned(), "FR".to_owned())],
            ]
        );
        assert!(parse_dn("CN").is_none());
        assert!(parse_dn(r"CN=a\").is_none());
    }

    #[test]
    fn a_subject_matches_its_rfc_4514_string_regardless_of_case() {
        let names = CertificateNames {
            subject: vec![
                vec![("C".into(), "FR".into())],
                vec![("O".into(), "grantspec".into())],
                vec![("CN".into(), "mtls, app".into())],
            ],
            ..CertificateNames::default()
        };
        assert_eq!(names.subject_dn(), r"CN=mtls\, app,O=grantspec,C=FR");
        assert!(names.subject_is(r"cn=MTLS\, app, o=grantspec, c=fr"));
        assert!(!names.subject_is("CN=mtls,O=grantspec,C=FR"));
        assert!(!names.subject_is("C=FR,O=grantspec,CN=mtls\\, app"));
    }

    /// A certificate made by openssl with a multi-valued RDN, escaped characters and one SAN
    /// of each kind (a fixed public test vector; its key was thrown away).
    #[test]
    fn a_real_certificate_gives_its_subject_and_alternative_names() {
        let pem = include_str!("testdata/names.pem");
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, body)
            .expect("PEM body");
        let names = CertificateNames::read(&der).expect("a certificate");
        assert_eq!(
            names.subject_dn(),
            r"CN=mtls app+UID=app7,OU=QA,O=grant\+spec\, inc,C=FR"
        );
        assert!(names.subject_is(r"UID=app7+CN=mtls app,OU=QA,O=grant\2Bspec\, inc,C=FR"));
        assert!(!names.subject_is("CN=mtls app,OU=QA,O=grant,C=FR"));
        assert_eq!(names.dns, ["app.example"]);
        assert_eq!(names.uris, ["spiffe://example/app"]);
        assert_eq!(names.emails, ["ops@example.com"]);
        let ips: Vec<IpAddr> = ["10.0.0.7", "::1"]
            .iter()
            .filter_map(|i| i.parse().ok())
            .collect();
        assert_eq!(names.ips, ips);
        assert!(CertificateNames::read(&der[..der.len() - 1]).is_none());
    }

    #[test]
    fn oids_print_dotted() {
        assert_eq!(dotted(&[0x55, 0x04, 0x03]), "2.5.4.3");
        assert_eq!(
            dotted(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01]),
            "1.2.840.113549.1.9.1"
        );
    }
}
