use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use super::docs_cmd::DocsArgs;
pub use super::fixtures_args::{
    ApplyArgs, DestroyArgs, FixtureFiles, ImportArgs, PlanArgs, StateArgs,
};
pub use super::report_cmd::ReportArgs;
pub use super::snapshots::SnapshotsArgs;
use crate::snapshot::UpdateMode;

const EXAMPLES: &str = "\
Examples:
  grantspec test                              run scenarios/ against the embedded sandbox
  grantspec test --env staging                run against environments/staging.yaml
  grantspec test scenarios/discovery.yaml -j 4 --filter credentials
  grantspec validate                          check every scenario without sending a request
  grantspec test --update-snapshots           write new and changed snapshots as pending files
  grantspec snapshots review                  accept or reject each pending snapshot
  grantspec serve --addr 127.0.0.1:8080       run the sandbox authorization server standalone
  grantspec plan --env staging                show what apply would change in the fixtures
  grantspec apply --env staging               register the clients of fixtures.yaml
  grantspec init my-scenarios                 scaffold a project that passes against the sandbox
  grantspec test --watch                      re-run the scenarios a file change affects
  grantspec test --shard 2/3 --report-dir r2  run a third of the scenarios (one CI job of three)
  grantspec report merge r*/results.json      one JUnit/HTML/JSON report from the shards
  grantspec docs --out site/flows             a page per flow with the last run's exchanges

Exit codes: 0 passed, 1 conformance failures, 2 invalid input, 3 target unreachable or run
incomplete, 4 internal error.";

/// Conformance tests for OAuth 2.0 / OpenID Connect authorization servers.
#[derive(Debug, Parser)]
#[command(name = "grantspec", version, about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run scenarios against an environment and write reports.
    Test(TestArgs),
    /// Parse and resolve scenarios and the environment; send nothing.
    Validate(ValidateArgs),
    /// Run the embedded sandbox authorization server standalone.
    Serve(ServeArgs),
    /// Review, accept or reject pending snapshots (.snap.new files).
    Snapshots(SnapshotsArgs),
    /// Show what apply would change to make the provider match fixtures.yaml.
    Plan(PlanArgs),
    /// Register, update and delete clients so that the provider matches fixtures.yaml.
    Apply(ApplyArgs),
    /// Delete every client and key grantspec manages in an environment.
    Destroy(DestroyArgs),
    /// Inspect or edit the state: list, show, rm.
    State(StateArgs),
    /// Adopt an existing client into the state.
    Import(ImportArgs),
    /// List the conformance rules.
    Rules(RulesArgs),
    /// Scaffold a scenarios project that passes against the embedded sandbox.
    Init(InitArgs),
    /// Write the JSON Schemas of scenario, environment and fixtures files.
    Schema(SchemaArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the man page (roff).
    Man,
    /// Work on reports: merge the results of shards.
    Report(ReportArgs),
    /// Write a Markdown and HTML page per flow from the scenarios and the last run.
    Docs(DocsArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The project directory (created if needed)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Where the .schema.json files are written
    #[arg(long, default_value = "schemas", value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print docs/rules.md (a Markdown table) instead of a plain list
    #[arg(long)]
    pub markdown: bool,
}

#[derive(Debug, Args)]
pub struct Selection {
    /// Scenario files or directories (searched for *.yaml) [default: scenarios]
    pub paths: Vec<PathBuf>,
    /// Environment name (environments/NAME.yaml) or path; default: the embedded sandbox
    #[arg(long, short, env = "GRANTSPEC_ENV")]
    pub env: Option<String>,
    /// Rule profile, instead of the environment's: generic, bouygues or keycloak
    #[arg(long, value_parser = ["generic", "bouygues", "keycloak"], env = "GRANTSPEC_PROFILE")]
    pub profile: Option<String>,
    /// Where environment files are looked up
    #[arg(
        long,
        default_value = "environments",
        env = "GRANTSPEC_ENVIRONMENTS_DIR"
    )]
    pub environments_dir: PathBuf,
    #[command(flatten)]
    pub fixture_files: FixtureFiles,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    #[command(flatten)]
    pub selection: Selection,
    /// Scenarios run at once [default: the environment's concurrency, else 4 per core]
    #[arg(long, short, env = "GRANTSPEC_JOBS")]
    pub jobs: Option<usize>,
    /// Run only scenarios whose name or file contains PATTERN (case-insensitive)
    #[arg(long, short)]
    pub filter: Option<String>,
    /// Where reports are written
    #[arg(long, default_value = "reports", env = "GRANTSPEC_REPORT_DIR")]
    pub report_dir: PathBuf,
    /// Print every step, not only every scenario
    #[arg(long, short, conflicts_with = "quiet")]
    pub verbose: bool,
    /// Print only failures, errors and the final summary
    #[arg(long, short)]
    pub quiet: bool,
    /// Colour the console output: auto (on a terminal, unless NO_COLOR is set), always, never
    #[arg(long, value_enum, value_name = "WHEN", default_value = "auto")]
    pub color: crate::report::console::ColorChoice,
    /// Write new and changed snapshots: `new` as pending .snap.new files, `always` over the
    /// accepted ones; never in CI
    #[arg(long, value_enum, value_name = "MODE", default_value = "no", num_args = 0..=1,
          require_equals = true, default_missing_value = "new")]
    pub update_snapshots: UpdateMode,
    /// Where snapshots are stored
    #[arg(long, default_value = "snapshots", env = "GRANTSPEC_SNAPSHOT_DIR")]
    pub snapshot_dir: PathBuf,
    /// Apply the fixtures before the run and destroy them after, even on failure
    #[arg(long)]
    pub ephemeral_fixtures: bool,
    /// Run, then re-run the affected scenarios whenever a scenario, environment or fixtures
    /// file changes, until Ctrl-C
    #[arg(long)]
    pub watch: bool,
    /// Run only shard K of N: a deterministic 1/N of the scenarios (merge the shards' results
    /// with `grantspec report merge`)
    #[arg(long, value_name = "K/N", env = "GRANTSPEC_SHARD")]
    pub shard: Option<super::shard::Shard>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub selection: Selection,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// A path for the issuer under the server root, like the provider's /ap4
    #[arg(long)]
    pub issuer_path: Option<String>,
    /// Clients, users, lifetimes and defects from a YAML file (docs/sandbox.md)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Answer as the provider's own server (generic) or as a Keycloak realm (keycloak)
    #[arg(long, value_parser = ["generic", "keycloak"])]
    pub flavour: Option<String>,
    /// Break one conformance rule on purpose (repeatable; see --list-defects)
    #[arg(long = "defect", value_name = "NAME")]
    pub defects: Vec<String>,
    /// List the deliberate defects with the clause each one violates, and exit
    #[arg(long)]
    pub list_defects: bool,
    /// Delay added before every response (e.g. 200ms)
    #[arg(long, value_name = "DURATION")]
    pub latency: Option<String>,
    /// Share of requests answered 500 (0.0 to 1.0)
    #[arg(long, default_value_t = 0.0)]
    pub fail_rate: f64,
    /// Share of responses whose connection is dropped mid-body (0.0 to 1.0)
    #[arg(long, default_value_t = 0.0)]
    pub drop_rate: f64,
    /// Where the private keys of private_key_jwt clients are written (mode 0600)
    #[arg(long, default_value = ".grantspec/sandbox", value_name = "DIR")]
    pub keys_dir: PathBuf,
    /// Serve HTTPS with this PEM certificate chain; client certificates are then asked for,
    /// optionally, and read at the mutual-TLS endpoint aliases under /mtls (RFC 8705)
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// PEM certificates of the CAs that issue the certificates of tls_client_auth clients
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub client_ca: Option<PathBuf>,
    /// With --tls-cert, also listen on this address for plain http, which is redirected to the
    /// same path over https without its parameters (see `plain_http` steps, rule A-01)
    #[arg(long, value_name = "ADDR", requires = "tls_cert")]
    pub plain_http: Option<SocketAddr>,
}
