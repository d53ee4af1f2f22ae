//! Provisioning against the sandbox's RFC 7591/7592 registration endpoint, over loopback, by
//! driving the real binary: plan, apply, drift, destroy, locking, a kill midway, secrecy.

mod support;

#[path = "provision/live.rs"]
mod live;

#[path = "provision/concurrency.rs"]
mod concurrency;
#[path = "provision/lifecycle.rs"]
mod lifecycle;
#[path = "provision/runs.rs"]
mod runs;

pub(crate) use std::time::Duration;

pub(crate) use live::{IAT, Live, state_clients};
pub(crate) use serde_json::Value;
pub(crate) use support::{Output, Test};

pub(crate) const FIXTURES: &str = "keys:
  app_cert_key: { type: rsa, kid: apim-provisioner }
clients:
  app_basic:
    auth_method: client_secret_basic
    grant_types: [client_credentials]
    scope: PersonneConsult UserConsult
  app_cert:
    auth_method: private_key_jwt
    grant_types: [client_credentials]
    scope: ENT_ContratServicesManage
    response_style: certificate
    key: app_cert_key
";

pub(crate) fn workspace(live: &Live) -> Test {
    Test::new()
        .file("environments/live.yaml", &live.environment())
        .file("fixtures.yaml", FIXTURES)
        .env("LIVE_IAT", IAT)
}

pub(crate) fn state(out: &Output) -> Value {
    serde_json::from_str(&out.read(".grantspec/state/live.json")).expect("state is JSON")
}

pub(crate) fn run(t: &Test, args: &[&str]) -> Output {
    let mut all = args.to_vec();
    all.extend(["--env", "live"]);
    t.run(&all)
}
