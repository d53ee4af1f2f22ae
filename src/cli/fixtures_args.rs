//! Arguments of the provisioning commands: `plan`, `apply`, `destroy`, `state`, `import`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// Where the fixtures and the state are; shared with `test` and `validate`.
#[derive(Clone, Debug, Args)]
pub struct FixtureFiles {
    /// The declared clients, keys and users
    #[arg(long, default_value = "fixtures.yaml", env = "GRANTSPEC_FIXTURES")]
    pub fixtures: PathBuf,
    /// Where state files and generated keys are kept
    #[arg(long, default_value = ".grantspec", env = "GRANTSPEC_STATE_DIR")]
    pub state_dir: PathBuf,
}

/// The environment and files every provisioning command needs.
#[derive(Clone, Debug, Args)]
pub struct Workspace {
    /// Environment name (environments/NAME.yaml) or path
    #[arg(long, short, env = "GRANTSPEC_ENV")]
    pub env: String,
    /// Where environment files are looked up
    #[arg(
        long,
        default_value = "environments",
        env = "GRANTSPEC_ENVIRONMENTS_DIR"
    )]
    pub environments_dir: PathBuf,
    #[command(flatten)]
    pub files: FixtureFiles,
    /// How long to wait for another grantspec holding the state lock (e.g. 30s)
    #[arg(long, default_value = "0s")]
    pub lock_timeout: String,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub workspace: Workspace,
    /// Exit 0 when there is nothing to do, 2 when there are changes, 1 on error
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// Only report objects changed or deleted outside of grantspec
    #[arg(long, conflicts_with = "destroy")]
    pub refresh_only: bool,
    /// Plan the deletion of everything managed
    #[arg(long)]
    pub destroy: bool,
    /// Save the plan, for `grantspec apply FILE`
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Plan to replace this object even if it has not changed (e.g. key.app_cert_key)
    #[arg(long, value_name = "ADDRESS")]
    pub replace: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    pub workspace: Workspace,
    /// A plan saved by `plan --out`; it is applied only to the state it was made from
    pub plan: Option<PathBuf>,
    /// Apply without asking for confirmation
    #[arg(long)]
    pub auto_approve: bool,
    /// Only record in the state what changed outside of grantspec
    #[arg(long)]
    pub refresh_only: bool,
    /// Replace this object even if it has not changed
    #[arg(long, value_name = "ADDRESS")]
    pub replace: Vec<String>,
}

#[derive(Debug, Args)]
pub struct DestroyArgs {
    #[command(flatten)]
    pub workspace: Workspace,
    /// Destroy without asking for confirmation
    #[arg(long)]
    pub auto_approve: bool,
}

#[derive(Debug, Args)]
pub struct StateArgs {
    #[command(subcommand)]
    pub command: StateCommand,
}

#[derive(Debug, Subcommand)]
pub enum StateCommand {
    /// List the addresses the state holds
    List(StateListArgs),
    /// Show one object's attributes (secrets hidden)
    Show(StateAddressArgs),
    /// Forget an object without deleting it at the provider
    Rm(StateAddressArgs),
}

#[derive(Debug, Args)]
pub struct StateListArgs {
    #[command(flatten)]
    pub workspace: Workspace,
}

#[derive(Debug, Args)]
pub struct StateAddressArgs {
    #[command(flatten)]
    pub workspace: Workspace,
    /// client.NAME or key.NAME
    pub address: String,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub workspace: Workspace,
    /// client.NAME, declared in the fixtures
    pub address: String,
    /// The existing client's id
    pub client_id: String,
    /// The environment secret holding its client secret
    #[arg(long, value_name = "SECRET")]
    pub client_secret: Option<String>,
    /// The environment secret holding its RFC 7592 registration access token
    #[arg(long, value_name = "SECRET", requires = "registration_client_uri")]
    pub registration_access_token: Option<String>,
    /// Its RFC 7592 registration client URI
    #[arg(long, value_name = "URI")]
    pub registration_client_uri: Option<String>,
}
