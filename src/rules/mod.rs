//! Conformance rules: each with a stable ID (the conformance checklist's), a severity, the
//! spec clause it enforces and the step kinds it applies to automatically. Pure functions of
//! an [`Observation`]; one rule family per file. A profile's rules (`profiles`) run only in
//! it; its known departures (`departure.rs`) grade RFC rules down in it.

mod catalogue;
mod channel;
mod departure;
mod markdown;
mod observation;
mod plain_http;
mod reachability;
mod severity;

mod authorize;
mod bouygues;
mod client_assertion;
mod discovery;
mod discovery_advertised;
mod id_token;
mod introspection;
mod jwks;
mod keycloak;
mod refresh;
mod registration;
mod revocation;
mod token;
mod transport;
mod userinfo;

pub use catalogue::{RULES, Rule, all, find};
pub use departure::{DEPARTURES, Departure, departure, departures};
pub use markdown::markdown;
pub use observation::{
    Finding, FlowView, Observation, Probe, ProbeAnswer, RedirectView, SentRequest,
};
pub use severity::Severity;
