//! Just enough DER (ITU-T X.690) to read the parts of a certificate the sandbox compares:
//! tag-length-value triples, nested. Anything unexpected reads as `None`, never a panic.

/// One DER value: its identifier octet and its content octets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tlv<'a> {
    pub(crate) tag: u8,
    pub(crate) content: &'a [u8],
}

pub(crate) const SEQUENCE: u8 = 0x30;
pub(crate) const SET: u8 = 0x31;
pub(crate) const OID: u8 = 0x06;
pub(crate) const OCTET_STRING: u8 = 0x04;

/// The value at the start of `input`, and what follows it.
pub(crate) fn read(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let (&tag, rest) = input.split_first()?;
    if tag & 0x1f == 0x1f {
        // High tag numbers do not occur in the structures read here.
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    let (content, rest) = rest.split_at(len);
    Some((Tlv { tag, content }, rest))
}

/// The values inside a constructed value's content, in order.
pub(crate) fn children(content: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let mut out = Vec::new();
    let mut rest = content;
    while !rest.is_empty() {
        let (tlv, next) = read(rest)?;
        out.push(tlv);
        rest = next;
    }
    Some(out)
}

/// The single value `input` holds, which must have `tag`.
pub(crate) fn expect(input: &[u8], tag: u8) -> Option<Tlv<'_>> {
    match read(input)? {
        (tlv, []) if tlv.tag == tag => Some(tlv),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_lengths_are_read_and_truncation_is_refused() {
        let (tlv, rest) = read(&[0x04, 0x02, 0xaa, 0xbb, 0xff]).expect("short form");
        assert_eq!(
            (tlv.tag, tlv.content, rest),
            (0x04, &[0xaa, 0xbb][..], &[0xff][..])
        );
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7; 0x80]);
        assert_eq!(read(&long).map(|(t, _)| t.content.len()), Some(0x80));
        assert!(read(&[0x04, 0x05, 0x00]).is_none());
        assert!(read(&[0x04, 0x85, 0, 0, 0, 0, 1]).is_none());
        assert!(children(&[0x30, 0x00, 0x04]).is_none());
    }
}
