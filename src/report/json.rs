//! `results.json`: the run as data, exactly the serde serialisation of [`RunResult`]. Its
//! schema is `docs/results-schema.json`; the fields are described in `docs/reports.md`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::ReportError;
use super::stream::{Streamed, write_around};
use crate::outcome::{RunResult, ScenarioResult};

/// `results.json` written as the run goes; the same bytes as `serde_json::to_writer_pretty` of
/// the whole run followed by a newline.
#[derive(Default)]
pub(crate) struct JsonReport {
    scenarios: usize,
}

/// The indentation of a scenario object inside `"scenarios": [...]`.
const INDENT: &[u8] = b"    ";

impl Streamed for JsonReport {
    fn scenario(
        &mut self,
        _index: usize,
        scenario: &ScenarioResult,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        let text = serde_json::to_vec_pretty(scenario)?;
        if self.scenarios > 0 {
            out.write_all(b",\n")?;
        }
        self.scenarios += 1;
        out.write_all(INDENT)?;
        // Newlines within strings are escaped: every newline is the formatter's.
        for (i, line) in text.split(|b| *b == b'\n').enumerate() {
            if i > 0 {
                out.write_all(b"\n")?;
                out.write_all(INDENT)?;
            }
            out.write_all(line)?;
        }
        Ok(())
    }

    fn finish(
        &mut self,
        run: &RunResult,
        parts: &mut File,
        out: &mut BufWriter<File>,
        path: &Path,
    ) -> Result<(), ReportError> {
        let head = serde_json::to_string_pretty(&run.without_scenarios()).map_err(|source| {
            ReportError::Json {
                path: path.to_path_buf(),
                source,
            }
        })?;
        // The header ends with `"scenarios": []` and the closing brace.
        match head.strip_suffix("[]\n}") {
            Some(head) if self.scenarios > 0 => {
                let head = format!("{head}[\n");
                write_around(out, head.as_bytes(), parts, b"\n  ]\n}\n", path)
            }
            _ => write_around(out, head.as_bytes(), parts, b"\n", path),
        }
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on any unexpected error"
)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::outcome::{ErrorKind, RunStatus, SCHEMA_VERSION, Verdict};
    use crate::report::sample;
    use crate::report::schema_check::violations;
    use crate::report::write_one;

    const SCHEMA: &str = include_str!("../../docs/results-schema.json");
    const REPORTS_DOC: &str = include_str!("../../docs/reports.md");

    fn schema() -> Value {
        serde_json::from_str(SCHEMA).unwrap()
    }

    fn samples() -> Vec<Value> {
        [
            sample::mixed_run(),
            sample::interrupted_run(),
            sample::empty_run(),
            sample::hostile_run(),
        ]
        .iter()
        .map(|run| serde_json::to_value(run).unwrap())
        .collect()
    }

    fn def_enum(name: &str) -> Vec<Value> {
        schema()["$defs"][name]["enum"].as_array().unwrap().clone()
    }

    fn names<T: serde::Serialize>(all: &[T]) -> Vec<Value> {
        all.iter()
            .map(|v| serde_json::to_value(v).unwrap())
            .collect()
    }

    #[test]
    fn written_file_round_trips_with_schema_version() {
        let dir = std::env::temp_dir().join(format!("grantspec-json-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("results.json");
        let run = sample::mixed_run();
        write_one(JsonReport::default(), &path, &run).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, serde_json::to_string_pretty(&run).unwrap() + "\n");
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["schema_version"], SCHEMA_VERSION);
        assert_eq!(value, serde_json::to_value(&run).unwrap());
        assert!(text.ends_with("}\n") && text.contains("\n  \"tool\": \"grantspec\","));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn samples_match_the_documented_schema() {
        for sample in samples() {
            assert_eq!(violations(&schema(), &sample), Vec::<String>::new());
        }
    }

    #[test]
    fn schema_version_in_the_schema_is_the_current_one() {
        assert_eq!(
            schema()["properties"]["schema_version"]["const"],
            SCHEMA_VERSION
        );
    }

    #[test]
    fn renamed_or_missing_fields_are_caught() {
        let mut run = samples().remove(0);
        let step = run["scenarios"][1]["steps"][1].as_object_mut().unwrap();
        let verdict = step.remove("verdict").unwrap();
        step.insert("outcome".to_owned(), verdict);
        run.as_object_mut().unwrap().remove("issuer");
        let found = violations(&schema(), &run);
        assert!(
            found
                .iter()
                .any(|v| v.contains("missing required field verdict"))
        );
        assert!(
            found
                .iter()
                .any(|v| v.contains("field outcome is not in the schema"))
        );
        assert!(
            found
                .iter()
                .any(|v| v == "$: missing required field issuer")
        );
    }

    #[test]
    fn unknown_enum_values_are_caught() {
        let mut run = samples().remove(0);
        run["status"] = Value::from("aborted");
        run["scenarios"][0]["verdict"] = Value::from("ok");
        assert_eq!(violations(&schema(), &run).len(), 2);
    }

    #[test]
    fn schema_enums_list_every_variant() {
        let verdicts = [
            Verdict::Passed,
            Verdict::Skipped,
            Verdict::Info,
            Verdict::Warned,
            Verdict::Deviation,
            Verdict::Failed,
            Verdict::Error,
        ];
        for v in verdicts {
            match v {
                Verdict::Passed
                | Verdict::Skipped
                | Verdict::Info
                | Verdict::Warned
                | Verdict::Deviation
                | Verdict::Failed
                | Verdict::Error => {}
            }
        }
        assert_eq!(def_enum("Verdict"), names(&verdicts));

        let statuses = [
            RunStatus::Passed,
            RunStatus::Failed,
            RunStatus::Incomplete,
            RunStatus::Interrupted,
        ];
        for s in statuses {
            match s {
                RunStatus::Passed
                | RunStatus::Failed
                | RunStatus::Incomplete
                | RunStatus::Interrupted => {}
            }
        }
        assert_eq!(def_enum("RunStatus"), names(&statuses));

        let kinds = [
            ErrorKind::Connect,
            ErrorKind::Timeout,
            ErrorKind::ConnectionReset,
            ErrorKind::Tls,
            ErrorKind::Http,
            ErrorKind::ServerError,
            ErrorKind::MissingValue,
            ErrorKind::Template,
            ErrorKind::Interrupted,
            ErrorKind::Internal,
        ];
        for k in kinds {
            match k {
                ErrorKind::Connect
                | ErrorKind::Timeout
                | ErrorKind::ConnectionReset
                | ErrorKind::Tls
                | ErrorKind::Http
                | ErrorKind::ServerError
                | ErrorKind::MissingValue
                | ErrorKind::Template
                | ErrorKind::Interrupted
                | ErrorKind::Internal => {}
            }
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        assert_eq!(def_enum("ErrorKind"), names(&kinds));
    }

    #[test]
    fn every_schema_property_is_required_and_documented() {
        let schema = schema();
        let mut objects = vec![("RunResult", &schema)];
        for (name, def) in schema["$defs"].as_object().unwrap() {
            if def.get("properties").is_some() {
                objects.push((name.as_str(), def));
            }
        }
        for (name, object) in objects {
            let mut props: Vec<&str> = object["properties"]
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            let mut required: Vec<&str> = object["required"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap())
                .collect();
            props.sort_unstable();
            required.sort_unstable();
            assert_eq!(props, required, "{name}: every field is always serialised");
            assert_eq!(object["additionalProperties"], false, "{name}");
            for prop in props {
                assert!(
                    REPORTS_DOC.contains(&format!("`{prop}`")),
                    "docs/reports.md does not describe {name}.{prop}"
                );
            }
        }
    }
}
