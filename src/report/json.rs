//! `results.json`: the run as data, exactly the serde serialisation of [`RunResult`]. Its
//! schema is `docs/results-schema.json`; the fields are described in `docs/reports.md`.

use std::io::Write;
use std::path::Path;

use super::ReportError;
use super::atomic_file::write_atomically;
use crate::outcome::RunResult;

pub(crate) fn write(run: &RunResult, path: &Path) -> Result<(), ReportError> {
    write_atomically(path, |writer| {
        serde_json::to_writer_pretty(&mut *writer, run).map_err(|source| ReportError::Json {
            path: path.to_path_buf(),
            source,
        })?;
        writer.write_all(b"\n").map_err(|source| ReportError::Io {
            path: path.to_path_buf(),
            source,
        })
    })
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
        write(&run, &path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
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
