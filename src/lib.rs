//! grantspec: a conformance test harness for OAuth 2.0 / OpenID Connect authorization servers.
//!
//! The data flows one way: `scenario → resolve → runner → outcome → report`, with `check`
//! called by the runner. `sandbox` is the embedded authorization server and depends on nothing
//! but `secret` and its own code.

pub mod check;
pub mod cli;
pub mod diag;
pub mod environment;
pub mod fuzzing;
pub mod oauth;
pub mod outcome;
pub mod provision;
pub mod report;
pub mod resolve;
pub mod rules;
pub mod runner;
pub mod sandbox;
pub mod scenario;
pub mod secret;
pub mod snapshot;
pub mod template;
