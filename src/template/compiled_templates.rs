//! Templates compiled once per source text and shared: a suite repeats the same few strings
//! (`{{ endpoints.token }}`, `{{ access_token }}`) in every scenario, and compiling is most of
//! the cost of rendering a short template.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use handlebars::Template as Compiled;

/// Source text → its compiled form, `None` when it does not compile (the caller compiles it
/// again for the error: a rare path). Bounded by the distinct template strings of the suite.
#[derive(Default)]
pub(super) struct CompiledTemplates {
    by_source: RwLock<HashMap<String, Option<Arc<Compiled>>>>,
}

impl CompiledTemplates {
    pub(super) fn get(&self, source: &str) -> Option<Arc<Compiled>> {
        if let Some(found) = self
            .by_source
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(source)
        {
            return found.clone();
        }
        let compiled = Compiled::compile(source).ok().map(Arc::new);
        self.by_source
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(source.to_string())
            .or_insert(compiled)
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_is_compiled_once_and_shared() {
        let cache = CompiledTemplates::default();
        let a = cache.get("{{ endpoints.token }}");
        let b = cache.get("{{ endpoints.token }}");
        let (Some(a), Some(b)) = (a, b) else {
            panic!("a valid template compiles");
        };
        assert!(Arc::ptr_eq(&a, &b));
    }

    #[test]
    fn a_template_that_does_not_parse_keeps_its_error() {
        let cache = CompiledTemplates::default();
        assert!(cache.get("{{#if}").is_none());
    }
}
