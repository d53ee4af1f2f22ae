//! The little XML that `junit.xml` needs, written into a reusable buffer: elements indented by
//! four spaces a level, attribute values and text escaped, and whatever XML 1.0 cannot hold
//! taken out first: ANSI escape sequences (a server's coloured error page), other control
//! characters but tab, newline and carriage return, and the noncharacters U+FFFE and U+FFFF
//! (replaced by U+FFFD).

#[derive(Default)]
pub(crate) struct XmlWriter {
    out: String,
}

impl XmlWriter {
    pub(crate) fn clear(&mut self) {
        self.out.clear();
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.out.as_bytes()
    }

    pub(crate) fn declaration(&mut self) {
        self.out
            .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }

    /// `<name a="v">` on a line of its own.
    pub(crate) fn start(&mut self, depth: usize, name: &str, attributes: &[(&str, &str)]) {
        self.open_tag(depth, name, attributes);
        self.out.push_str(">\n");
    }

    /// `<name a="v"/>` on a line of its own.
    pub(crate) fn empty(&mut self, depth: usize, name: &str, attributes: &[(&str, &str)]) {
        self.open_tag(depth, name, attributes);
        self.out.push_str("/>\n");
    }

    /// `</name>` on a line of its own.
    pub(crate) fn end(&mut self, depth: usize, name: &str) {
        self.indent(depth);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// `<name a="v">text</name>`, the text as it is (its own newlines kept).
    pub(crate) fn text_element(
        &mut self,
        depth: usize,
        name: &str,
        attributes: &[(&str, &str)],
        text: &str,
    ) {
        self.open_tag(depth, name, attributes);
        self.out.push('>');
        escape_into(&mut self.out, text);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    fn open_tag(&mut self, depth: usize, name: &str, attributes: &[(&str, &str)]) {
        self.indent(depth);
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attributes {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value);
            self.out.push('"');
        }
    }

    fn indent(&mut self, depth: usize) {
        for _ in 0..depth {
            self.out.push_str("    ");
        }
    }
}

/// Appends `text` escaped for XML text and quoted attributes, without what XML cannot hold.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    let mut chars = text.char_indices().peekable();
    let mut plain = 0;
    while let Some((i, c)) = chars.next() {
        let replacement = match c {
            '<' => "&lt;",
            '>' => "&gt;",
            '&' => "&amp;",
            '\'' => "&apos;",
            '"' => "&quot;",
            '\u{FFFE}' | '\u{FFFF}' => "\u{FFFD}",
            '\t' | '\n' | '\r' => continue,
            '\u{1b}' => {
                out.push_str(&text[plain..i]);
                plain = skip_escape_sequence(text, &mut chars);
                continue;
            }
            '\u{0}'..='\u{1f}' | '\u{7f}' => "",
            _ => continue,
        };
        out.push_str(&text[plain..i]);
        out.push_str(replacement);
        plain = i + c.len_utf8();
    }
    out.push_str(&text[plain..]);
}

/// Consumes an ANSI escape sequence whose ESC was just read; returns where the text resumes.
/// CSI (`ESC [` … final byte), OSC and the other string sequences (`ESC ]`, `P`, `X`, `^`,
/// `_` … BEL or `ESC \`), and two-character sequences (`ESC` and one more character).
fn skip_escape_sequence(
    text: &str,
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
) -> usize {
    let Some(&(i, introducer)) = chars.peek() else {
        return text.len();
    };
    if !('\u{20}'..='\u{7e}').contains(&introducer) {
        // A lone ESC: only it goes; what follows is read as usual.
        return i;
    }
    chars.next();
    match introducer {
        '[' => {
            while let Some(&(j, c)) = chars.peek() {
                if ('\u{40}'..='\u{7e}').contains(&c) {
                    chars.next();
                    return j + c.len_utf8();
                }
                if !('\u{20}'..='\u{3f}').contains(&c) {
                    // Not a CSI after all: what follows is read as usual.
                    return j;
                }
                chars.next();
            }
            text.len()
        }
        ']' | 'P' | 'X' | '^' | '_' => {
            while let Some((j, c)) = chars.next() {
                if c == '\u{7}' {
                    return j + 1;
                }
                if c == '\u{1b}' && chars.peek().is_some_and(|(_, n)| *n == '\\') {
                    chars.next();
                    return j + 2;
                }
            }
            text.len()
        }
        _ => i + introducer.len_utf8(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut out = String::new();
        escape_into(&mut out, text);
        out
    }

    #[test]
    fn markup_is_escaped_and_controls_removed() {
        assert_eq!(
            escaped("<a href=\"x\">'&'</a>\u{0}\u{8}\tok\n\u{FFFF}"),
            "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;\tok\n\u{FFFD}"
        );
    }

    #[test]
    fn ansi_sequences_are_removed() {
        assert_eq!(escaped("\u{1b}[1;31mred\u{1b}[0m plain"), "red plain");
        assert_eq!(escaped("a\u{1b}]0;title\u{7}b\u{1b}]8;;x\u{1b}\\c"), "abc");
        assert_eq!(escaped("x\u{1b}Dy\u{1b}"), "xy");
        assert_eq!(escaped("\u{1b}[12"), "");
        assert_eq!(
            escaped("\u{1b}[1\u{0}<"),
            "&lt;",
            "a control ends a broken CSI"
        );
        assert_eq!(escaped("\u{1b}\u{1b}\u{0}é"), "é");
    }

    #[test]
    fn elements_are_indented_by_level() {
        let mut xml = XmlWriter::default();
        xml.start(0, "a", &[("k", "<v>")]);
        xml.empty(1, "b", &[]);
        xml.text_element(1, "c", &[], "t\n");
        xml.end(0, "a");
        assert_eq!(
            String::from_utf8_lossy(xml.as_bytes()),
            "<a k=\"&lt;v&gt;\">\n    <b/>\n    <c>t\n</c>\n</a>\n"
        );
    }
}
