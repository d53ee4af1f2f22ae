//! The embedded sandbox over real HTTP on loopback: each endpoint's success and error paths,
//! each deliberate defect, and fault injection.

#[path = "support/pki.rs"]
mod pki;
#[path = "sandbox/support.rs"]
mod support;

#[path = "sandbox/authorization_code.rs"]
mod authorization_code;
#[path = "sandbox/authorize.rs"]
mod authorize;
#[path = "sandbox/client_credentials.rs"]
mod client_credentials;
#[path = "sandbox/defects.rs"]
mod defects;
#[path = "sandbox/defects_assertion.rs"]
mod defects_assertion;
#[path = "sandbox/defects_checklist.rs"]
mod defects_checklist;
#[path = "sandbox/defects_checklist_gaps.rs"]
mod defects_checklist_gaps;
#[path = "sandbox/defects_code_flow.rs"]
mod defects_code_flow;
#[path = "sandbox/defects_kljg.rs"]
mod defects_kljg;
#[path = "sandbox/defects_metadata.rs"]
mod defects_metadata;
#[path = "sandbox/defects_requests.rs"]
mod defects_requests;
#[path = "sandbox/defects_tokens.rs"]
mod defects_tokens;
#[path = "sandbox/discovery.rs"]
mod discovery;
#[path = "sandbox/end_session.rs"]
mod end_session;
#[path = "sandbox/faults.rs"]
mod faults;
#[path = "sandbox/introspection_revocation.rs"]
mod introspection_revocation;
#[path = "sandbox/keycloak.rs"]
mod keycloak;
#[path = "sandbox/mtls.rs"]
mod mtls;
#[path = "sandbox/plain_http.rs"]
mod plain_http;
#[path = "sandbox/private_key_jwt.rs"]
mod private_key_jwt;
#[path = "sandbox/refresh.rs"]
mod refresh;
#[path = "sandbox/registration.rs"]
mod registration;
#[path = "sandbox/short_lived_and_unrevoked.rs"]
mod short_lived_and_unrevoked;
#[path = "sandbox/userinfo.rs"]
mod userinfo;
