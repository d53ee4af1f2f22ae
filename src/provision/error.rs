//! Why provisioning could not do its job.

use std::path::PathBuf;

use super::registrar::RegistrarError;

#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the state file {} is not valid: {message}", path.display())]
    CorruptState { path: PathBuf, message: String },
    #[error(
        "the state of environment `{environment}` is locked by {holder} (lock file {}); \
         wait for it to finish or pass a longer --lock-timeout",
        path.display()
    )]
    Locked {
        environment: String,
        path: PathBuf,
        holder: String,
    },
    #[error(transparent)]
    Registrar(#[from] RegistrarError),
    #[error("key generation failed")]
    KeyGeneration,
    #[error(
        "the saved plan was made against state serial {planned_serial} (lineage {planned_lineage}), \
         but the state is now at serial {serial} (lineage {lineage}); run plan again"
    )]
    StalePlan {
        planned_serial: u64,
        planned_lineage: String,
        serial: u64,
        lineage: String,
    },
    #[error("the saved plan is for environment `{planned}`, not `{actual}`")]
    PlanEnvironment { planned: String, actual: String },
    #[error("{0}")]
    Config(String),
}
