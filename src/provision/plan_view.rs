//! A plan as a person reads it: each address with its action and an attribute diff. The
//! attributes come from [`display_attributes`](super::state::display_attributes) and the
//! fixtures, so secrets are already hidden; `jwks` is shortened to its keys' ids.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::plan::{Action, DriftKind, Plan, PlanMode};

/// The plan's text: drift first, then the changes, then the summary line.
pub fn render_plan(plan: &Plan) -> String {
    let mut out = String::new();
    if !plan.drift.is_empty() {
        out.push_str("Objects have changed outside of grantspec:\n\n");
        for d in &plan.drift {
            match d.kind {
                DriftKind::Deleted => {
                    let _ = writeln!(out, "  # {} has been deleted", d.address);
                }
                DriftKind::Changed => {
                    let _ = writeln!(out, "  # {} has changed", d.address);
                    attribute_diff(&mut out, Some(&d.before), Some(&d.after));
                }
            }
        }
        out.push('\n');
    }
    if plan.mode == PlanMode::RefreshOnly {
        if plan.drift.is_empty() {
            out.push_str("No changes. The state matches the provider.\n");
        } else {
            let _ = writeln!(
                out,
                "Drift: {} object(s) changed outside of grantspec. `grantspec apply` restores them.",
                plan.drift.len()
            );
        }
        return out;
    }
    if plan.changes.is_empty() {
        out.push_str("No changes. The provider matches the fixtures.\n");
        return out;
    }
    out.push_str("grantspec will perform the following actions:\n\n");
    for c in &plan.changes {
        let _ = write!(out, "  # {} {}", c.address, c.action.verb());
        if let Some(r) = &c.reason {
            let _ = write!(out, " ({r})");
        }
        out.push('\n');
        let _ = writeln!(out, "  {} {}", c.action.symbol(), c.address);
        match c.action {
            Action::Delete => attribute_diff(&mut out, c.before.as_ref(), None),
            _ => attribute_diff(&mut out, c.before.as_ref(), c.after.as_ref()),
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "Plan: {} to add, {} to change, {} to replace, {} to destroy.",
        plan.count(Action::Create),
        plan.count(Action::Update),
        plan.count(Action::Replace),
        plan.count(Action::Delete)
    );
    out
}

/// `+ k = v` for new attributes, `- k = v` for removed ones, `~ k = a -> b` for changed ones;
/// unchanged attributes are listed only when nothing changed (a create or a destroy).
fn attribute_diff(
    out: &mut String,
    before: Option<&Map<String, Value>>,
    after: Option<&Map<String, Value>>,
) {
    let empty = Map::new();
    let b = before.unwrap_or(&empty);
    let a = after.unwrap_or(&empty);
    let shown = |k: &String| {
        after.is_none() || before.is_none() || (a.get(k) != b.get(k) && !is_provider_attribute(k))
    };
    let width = b
        .keys()
        .chain(a.keys())
        .filter(|k| shown(k))
        .map(String::len)
        .max()
        .unwrap_or(0);
    for (k, v) in a {
        match b.get(k) {
            None => {
                let _ = writeln!(out, "      + {k:<width$} = {}", show(k, v));
            }
            Some(old) if old != v => {
                let _ = writeln!(
                    out,
                    "      ~ {k:<width$} = {} -> {}",
                    show(k, old),
                    show(k, v)
                );
            }
            Some(_) => {}
        }
    }
    for (k, v) in b {
        if !a.contains_key(k) && (after.is_none() || !is_provider_attribute(k)) {
            let _ = writeln!(out, "      - {k:<width$} = {}", show(k, v));
        }
    }
}

/// Attributes the provider assigns, kept across an update without being planned.
fn is_provider_attribute(k: &str) -> bool {
    matches!(
        k,
        "client_id" | "client_secret" | "registration_access_token" | "registration_client_uri"
    )
}

fn show(key: &str, v: &Value) -> String {
    if key == "jwks"
        && let Some(keys) = v.get("keys").and_then(Value::as_array)
    {
        let ids: Vec<String> = keys
            .iter()
            .map(|k| {
                format!(
                    "{} kid={}",
                    k.get("kty").and_then(Value::as_str).unwrap_or("?"),
                    k.get("kid").and_then(Value::as_str).unwrap_or("?")
                )
            })
            .collect();
        return format!("[{}]", ids.join(", "));
    }
    v.to_string()
}
