//! JSON Schemas of the files users write (scenarios, environments, fixtures), generated from
//! the raw types the loader deserialises, so editors complete and check what grantspec will
//! accept. Committed under `schemas/` (a test keeps them in step), written by
//! `grantspec schema` and `grantspec init`.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};

/// The schema files: name and pretty-printed JSON (ending with a newline).
pub fn all() -> Vec<(&'static str, String)> {
    [
        (
            "scenario.schema.json",
            "grantspec scenario",
            root::<crate::scenario::RawScenario>(),
        ),
        (
            "environment.schema.json",
            "grantspec environment",
            crate::environment::environment_schema(),
        ),
        (
            "fixtures.schema.json",
            "grantspec fixtures",
            crate::provision::fixtures_schema(),
        ),
    ]
    .into_iter()
    .map(|(name, title, mut schema)| {
        schema.insert("title".into(), title.into());
        let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        (name, format!("{text}\n"))
    })
    .collect()
}

/// The root schema of `T`, in draft 7 (the draft every YAML language server reads).
pub(crate) fn root<T: JsonSchema>() -> Schema {
    SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>()
}
