//! Just enough HTML to log in headlessly: the forms of a page, their action, method and
//! fields. Login pages are simple by design (they must work without JavaScript); a full HTML
//! parser would add a large dependency for no gain here.

/// A `<form>` and its successful controls.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HtmlForm {
    pub action: Option<String>,
    pub method: String,
    /// `(name, type, value)` of each `<input>`, in order.
    pub inputs: Vec<(String, String, String)>,
    /// `(name, value)` of each named submit `<button>` or `<input type=submit>`.
    pub buttons: Vec<(String, String)>,
}

impl HtmlForm {
    pub fn has_password_field(&self) -> bool {
        self.inputs.iter().any(|(_, t, _)| t == "password")
    }

    /// The first password field's name.
    pub fn password_field(&self) -> Option<&str> {
        self.inputs
            .iter()
            .find(|(_, t, _)| t == "password")
            .map(|(n, _, _)| n.as_str())
    }

    /// The text-like field just before the password field (`text`, `email`, `tel`, no type).
    pub fn username_field(&self) -> Option<&str> {
        let pw = self.inputs.iter().position(|(_, t, _)| t == "password")?;
        self.inputs[..pw]
            .iter()
            .rev()
            .find(|(_, t, _)| matches!(t.as_str(), "text" | "email" | "tel" | ""))
            .map(|(n, _, _)| n.as_str())
    }

    /// Hidden fields and other pre-filled controls that a browser would send as they are.
    pub fn prefilled(&self) -> impl Iterator<Item = (&str, &str)> {
        self.inputs
            .iter()
            .filter(|(_, t, _)| {
                !matches!(
                    t.as_str(),
                    "submit" | "button" | "image" | "reset" | "password" | "checkbox" | "radio"
                )
            })
            .map(|(n, _, v)| (n.as_str(), v.as_str()))
    }
}

/// Every form of `html`, in document order.
pub fn parse_forms(html: &str) -> Vec<HtmlForm> {
    let lower = html.to_ascii_lowercase();
    let mut forms = Vec::new();
    let mut pos = 0;
    while let Some(start) = lower[pos..].find("<form").map(|i| i + pos) {
        let end = lower[start..]
            .find("</form")
            .map(|i| i + start)
            .unwrap_or(html.len());
        let Some(tag_end) = lower[start..end].find('>').map(|i| i + start) else {
            break;
        };
        let attrs = attributes(&html[start + 5..tag_end]);
        let mut form = HtmlForm {
            action: get(&attrs, "action"),
            method: get(&attrs, "method")
                .unwrap_or_else(|| "get".into())
                .to_ascii_lowercase(),
            ..HtmlForm::default()
        };
        let body = &html[tag_end + 1..end];
        let body_lower = &lower[tag_end + 1..end];
        for (tag, is_button) in [("<input", false), ("<button", true)] {
            let mut p = 0;
            while let Some(i) = body_lower[p..].find(tag).map(|i| i + p) {
                let close = body_lower[i..]
                    .find('>')
                    .map(|c| c + i)
                    .unwrap_or(body.len());
                let a = attributes(&body[i + tag.len()..close]);
                p = close;
                let Some(name) = get(&a, "name") else {
                    continue;
                };
                let kind = get(&a, "type")
                    .unwrap_or_else(|| {
                        if is_button {
                            "submit".into()
                        } else {
                            String::new()
                        }
                    })
                    .to_ascii_lowercase();
                let value = get(&a, "value").unwrap_or_default();
                if kind == "submit" {
                    form.buttons.push((name, value));
                } else if !is_button {
                    form.inputs.push((name, kind, value));
                }
            }
        }
        forms.push(form);
        pos = end.max(start + 5);
    }
    forms
}

fn get(attrs: &[(String, String)], name: &str) -> Option<String> {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

/// `name="value"`, `name='value'`, `name=value` and bare `name`.
fn attributes(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == '/') {
            i += 1;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '=' && chars[i] != '/' {
            i += 1;
        }
        if start == i {
            i += 1;
            continue;
        }
        let name: String = chars[start..i]
            .iter()
            .collect::<String>()
            .to_ascii_lowercase();
        let mut value = String::new();
        if i < chars.len() && chars[i] == '=' {
            i += 1;
            if i < chars.len() && (chars[i] == '"' || chars[i] == '\'') {
                let quote = chars[i];
                i += 1;
                let vs = i;
                while i < chars.len() && chars[i] != quote {
                    i += 1;
                }
                value = chars[vs..i].iter().collect();
                i += 1;
            } else {
                let vs = i;
                while i < chars.len() && !chars[i].is_whitespace() {
                    i += 1;
                }
                value = chars[vs..i].iter().collect();
            }
        }
        out.push((name, decode_entities(&value)));
    }
    out
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|e| *e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<html><body>
      <form action="/search"><input name=q></form>
      <FORM method="POST" action="/login?x=1&amp;y=2">
        <input type="hidden" name="request_id" value="r-&quot;1&quot;">
        <label>User <input name='username' autocomplete=username required></label>
        <label>Password <input name="password" type="password"></label>
        <button type="submit" name="cancel" value="1" formnovalidate>Cancel</button>
        <button>Log in</button>
      </FORM></body></html>"#;

    #[test]
    fn finds_the_login_form_and_its_fields() {
        let forms = parse_forms(PAGE);
        assert_eq!(forms.len(), 2);
        let login = forms.iter().find(|f| f.has_password_field()).unwrap();
        assert_eq!(login.action.as_deref(), Some("/login?x=1&y=2"));
        assert_eq!(login.method, "post");
        assert_eq!(login.username_field(), Some("username"));
        assert_eq!(login.password_field(), Some("password"));
        assert_eq!(
            login.prefilled().collect::<Vec<_>>(),
            vec![("request_id", "r-\"1\""), ("username", "")]
        );
        assert_eq!(login.buttons, vec![("cancel".to_string(), "1".to_string())]);
    }
}
