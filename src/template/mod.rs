//! Handlebars templating for scenario strings, in strict mode: a variable that does not exist
//! is an error. Checked statically by `resolve` (against a probe of every name that can exist)
//! and rendered by `runner` with the values of the moment.

mod compiled_templates;
mod helpers;

use std::collections::HashSet;

use handlebars::{
    Context, Handlebars, Output, RenderContext, RenderError, RenderErrorReason, Renderable,
};
use serde_json::{Map, Value};

use self::compiled_templates::CompiledTemplates;
use crate::diag::Location;

/// A user-authored string that may contain `{{ ... }}`.
#[derive(Clone, Debug)]
pub struct Template {
    pub source: String,
    pub location: Location,
}

impl Template {
    pub fn new(source: String, location: Location) -> Self {
        Self { source, location }
    }

    /// A string without `{{` renders to itself; rendering it is skipped.
    pub fn is_dynamic(&self) -> bool {
        self.source.contains("{{")
    }
}

pub struct Renderer {
    hb: Handlebars<'static>,
    compiled: CompiledTemplates,
}

impl Default for Renderer {
    fn default() -> Self {
        Self::new()
    }
}

impl Renderer {
    pub fn new() -> Self {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(handlebars::no_escape);
        helpers::register(&mut hb);
        Self {
            hb,
            compiled: CompiledTemplates::default(),
        }
    }

    /// Renders `source` with `ctx`, compiling it only the first time this renderer sees it
    /// (what `Handlebars::render_template_with_context` does at every call).
    fn render_source(&self, source: &str, ctx: &Context) -> Result<String, RenderError> {
        let Some(template) = self.compiled.get(source) else {
            return Err(handlebars::Template::compile(source)
                .err()
                .map(RenderError::from)
                .unwrap_or_else(|| RenderErrorReason::Other("invalid template".into()).into()));
        };
        let mut out = Rendered(String::with_capacity(source.len()));
        template.render(&self.hb, ctx, &mut RenderContext::new(None), &mut out)?;
        Ok(out.0)
    }

    pub fn render(&self, template: &Template, ctx: &Context) -> Result<String, String> {
        if !template.is_dynamic() {
            return Ok(template.source.clone());
        }
        self.render_source(&template.source, ctx)
            .map_err(|e| describe(&e))
    }

    /// Checks that `template` parses and names only variables that can exist: those in
    /// `probe`, or anything under a capture (whose shape is known only at run time).
    pub fn check(
        &self,
        template: &Template,
        probe: &Context,
        captures: &HashSet<String>,
    ) -> Result<(), String> {
        if !template.is_dynamic() {
            return Ok(());
        }
        let mut learned: Option<Context> = None;
        // Each pass either succeeds, fails on a name that cannot exist, or learns one more
        // path under a capture; templates are short, so a few passes suffice. The probe is
        // copied only when a path under a capture has to be learned.
        for _ in 0..32 {
            let ctx = learned.as_ref().unwrap_or(probe);
            match self.render_source(&template.source, ctx) {
                Ok(_) => return Ok(()),
                Err(e) => match e.reason() {
                    RenderErrorReason::MissingVariable(Some(path)) => {
                        let root = path.split('.').next().unwrap_or_default();
                        if !captures.contains(root) {
                            return Err(describe(&e));
                        }
                        let ctx = learned.get_or_insert_with(|| probe.clone());
                        if !insert_path(ctx.data_mut(), path) {
                            return Ok(());
                        }
                    }
                    _ => return Err(describe(&e)),
                },
            }
        }
        Ok(())
    }
}

/// A rendering's text, grown as needed: handlebars' `StringOutput` reserves 8 KiB for every
/// rendering, and most of ours are a URL or a short form value.
struct Rendered(String);

impl Output for Rendered {
    fn write(&mut self, seg: &str) -> std::io::Result<()> {
        self.0.push_str(seg);
        Ok(())
    }

    fn write_fmt(&mut self, args: std::fmt::Arguments<'_>) -> std::io::Result<()> {
        std::fmt::Write::write_fmt(&mut self.0, args).map_err(std::io::Error::other)
    }
}

/// Makes `path` exist in `probe`; `false` when the path cannot be modelled (array indexes),
/// in which case the rest of the template is taken on trust.
fn insert_path(probe: &mut Value, path: &str) -> bool {
    let segments: Vec<&str> = path.split('.').collect();
    if segments.iter().any(|s| s.starts_with('[') || s.is_empty()) {
        return false;
    }
    let mut node = probe;
    for (i, seg) in segments.iter().enumerate() {
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        let Value::Object(map) = node else {
            return false;
        };
        let last = i + 1 == segments.len();
        node = map.entry((*seg).to_string()).or_insert_with(|| {
            if last {
                Value::String("probe".into())
            } else {
                Value::Object(Map::new())
            }
        });
    }
    true
}

fn describe(e: &RenderError) -> String {
    match e.reason() {
        RenderErrorReason::MissingVariable(Some(path)) => format!("unknown variable `{path}`"),
        RenderErrorReason::TemplateError(t) => format!("invalid template: {}", t.reason()),
        other => other.to_string(),
    }
}
