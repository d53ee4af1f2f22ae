//! Refresh (ask the provider what exists) and plan (diff the fixtures against the refreshed
//! state). Planning is pure; only refreshing talks to the provider.

use serde_json::{Map, Value, json};

use super::fixtures::{ClientSpec, Fixtures, KeySpec};
use super::plan::{Action, Change, Drift, DriftKind, PLAN_FORMAT_VERSION, Plan, PlanMode, Subject};
use super::registrar::{Handle, Registrar, RegistrarError};
use super::state::{ClientResource, KeyResource, Resource, State, display_attributes};

/// Shown for a value that will be known only once applied.
pub(crate) const KNOWN_AFTER_APPLY: &str = "(known after apply)";

/// What the provider and the key directory say now; the state is updated in memory and the
/// differences are returned.
pub(crate) async fn refresh<R: Registrar>(
    registrar: &R,
    state: &mut State,
) -> Result<Vec<Drift>, RegistrarError> {
    let mut drift = Vec::new();
    let resources = state.resources.clone();
    for resource in resources {
        let address = resource.address();
        match resource {
            Resource::Key(k) => {
                if !k.private_key_file.exists() {
                    let before = display_attributes(&Resource::Key(k));
                    state.remove(&address);
                    drift.push(Drift {
                        address,
                        kind: DriftKind::Deleted,
                        before,
                        after: Map::new(),
                    });
                }
            }
            Resource::Client(c) => {
                let Some(handle) = handle(&c) else { continue };
                let before = display_attributes(&Resource::Client(c.clone()));
                match registrar.read(&handle).await? {
                    None => {
                        state.remove(&address);
                        drift.push(Drift {
                            address,
                            kind: DriftKind::Deleted,
                            before,
                            after: Map::new(),
                        });
                    }
                    Some(reg) => {
                        let mut updated = c.clone();
                        updated.metadata = managed_view(&c.metadata, &reg.metadata);
                        if let Some(s) = reg.client_secret {
                            updated.client_secret = Some(s);
                        }
                        if let Some(t) = reg.registration_access_token {
                            updated.registration_access_token = Some(t);
                        }
                        if updated.metadata != c.metadata {
                            let after = display_attributes(&Resource::Client(updated.clone()));
                            drift.push(Drift {
                                address,
                                kind: DriftKind::Changed,
                                before,
                                after,
                            });
                        }
                        state.put(Resource::Client(updated));
                    }
                }
            }
        }
    }
    Ok(drift)
}

/// The RFC 7592 handle of a client created (or imported) with a registration access token.
pub(crate) fn handle(c: &ClientResource) -> Option<Handle> {
    Some(Handle {
        client_id: c.client_id.clone(),
        registration_client_uri: c.registration_client_uri.clone()?,
        registration_access_token: c.registration_access_token.clone()?,
        client_secret: c.client_secret.clone(),
    })
}

/// The fields grantspec manages, as the provider reports them; a field the provider does not
/// echo keeps the value last sent.
pub(crate) fn managed_view(
    sent: &Map<String, Value>,
    echoed: &Map<String, Value>,
) -> Map<String, Value> {
    sent.iter()
        .map(|(k, v)| {
            (
                k.clone(),
                echoed.get(k).cloned().unwrap_or_else(|| v.clone()),
            )
        })
        .collect()
}

/// The plan that takes `state` (already refreshed) to `fixtures`. Clients named in
/// `external` are the environment's, never managed.
pub(crate) fn plan(
    fixtures: &Fixtures,
    external: &[String],
    state: &State,
    state_exists: bool,
    mode: PlanMode,
    drift: Vec<Drift>,
    replace: &[String],
) -> Plan {
    let mut changes = Vec::new();
    match mode {
        PlanMode::RefreshOnly => {}
        PlanMode::Destroy => changes.extend(deletions(state, |_| true)),
        PlanMode::Normal => {
            let mut new_keys = Vec::new();
            for spec in &fixtures.keys {
                let address = format!("key.{}", spec.name);
                let current = state.key(&spec.name);
                let (action, reason) = match current {
                    None => (Action::Create, None),
                    Some(_) if replace.contains(&address) => {
                        (Action::Replace, Some("requested with --replace".into()))
                    }
                    Some(k) => match key_difference(spec, k) {
                        Some(why) => (Action::Replace, Some(why)),
                        None => continue,
                    },
                };
                new_keys.push(spec.name.clone());
                changes.push(Change {
                    address,
                    action,
                    subject: Subject::Key {
                        spec: Some(spec.clone()),
                    },
                    before: current.map(|k| display_attributes(&Resource::Key(k.clone()))),
                    after: Some(key_after(spec)),
                    reason,
                });
            }
            for spec in fixtures
                .clients
                .iter()
                .filter(|c| !external.contains(&c.name))
            {
                if let Some(change) = client_change(spec, state, &new_keys, replace) {
                    changes.push(change);
                }
            }
            changes.extend(deletions(state, |r| match r {
                Resource::Key(k) => fixtures.key(&k.name).is_none(),
                Resource::Client(c) => {
                    fixtures.client(&c.name).is_none() || external.contains(&c.name)
                }
            }));
        }
    }
    Plan {
        format_version: PLAN_FORMAT_VERSION,
        environment: state.environment.clone(),
        lineage: state_exists.then(|| state.lineage.clone()),
        serial: state.serial,
        mode,
        drift,
        changes,
    }
}

fn key_difference(spec: &KeySpec, k: &KeyResource) -> Option<String> {
    let mut why = Vec::new();
    if spec.key_type != k.key_type {
        why.push("type");
    }
    if spec.size != k.size {
        why.push("size");
    }
    if spec.alg != k.alg {
        why.push("alg");
    }
    if spec.kid != k.kid_declared {
        why.push("kid");
    }
    (!why.is_empty()).then(|| format!("{} changed", why.join(", ")))
}

fn key_after(spec: &KeySpec) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("key_type".into(), json!(spec.key_type));
    m.insert("size".into(), json!(spec.size));
    m.insert("alg".into(), json!(spec.alg));
    m.insert(
        "kid".into(),
        json!(spec.kid.clone().unwrap_or_else(|| KNOWN_AFTER_APPLY.into())),
    );
    m.insert("thumbprint".into(), json!(KNOWN_AFTER_APPLY));
    m
}

/// The client's metadata as it will be registered; `jwks` from the key's state, or unknown
/// when the key is created or replaced by this plan.
pub(crate) fn desired_metadata(
    spec: &ClientSpec,
    state: &State,
    new_keys: &[String],
) -> Map<String, Value> {
    let mut m = spec.metadata.clone();
    if let Some(key) = &spec.key {
        let jwks = match state.key(key) {
            Some(k) if !new_keys.contains(key) => json!({ "keys": [k.public_jwk] }),
            _ => json!(KNOWN_AFTER_APPLY),
        };
        m.insert("jwks".into(), jwks);
    }
    m
}

fn client_change(
    spec: &ClientSpec,
    state: &State,
    new_keys: &[String],
    replace: &[String],
) -> Option<Change> {
    let address = format!("client.{}", spec.name);
    let after = desired_metadata(spec, state, new_keys);
    let current = state.client(&spec.name);
    let subject = Subject::Client {
        spec: Some(spec.clone()),
    };
    let Some(c) = current else {
        return Some(Change {
            address,
            action: Action::Create,
            subject,
            before: None,
            after: Some(after),
            reason: None,
        });
    };
    let before = display_attributes(&Resource::Client(c.clone()));
    if replace.contains(&address) {
        return Some(Change {
            address,
            action: Action::Replace,
            subject,
            before: Some(before),
            after: Some(after),
            reason: Some("requested with --replace".into()),
        });
    }
    let mut differs: Vec<String> = after
        .iter()
        .filter(|(k, v)| c.metadata.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    differs.extend(
        c.metadata
            .keys()
            .filter(|k| !after.contains_key(*k))
            .cloned(),
    );
    if differs.is_empty() {
        return None;
    }
    let mut shown = before.clone();
    for k in c.metadata.keys() {
        shown.remove(k);
    }
    shown.extend(after);
    Some(Change {
        address,
        action: Action::Update,
        subject,
        before: Some(before),
        after: Some(shown),
        reason: Some(format!("{} changed", differs.join(", "))),
    })
}

/// Deletions of the matching resources: clients first, then the keys they used.
fn deletions(state: &State, matches: impl Fn(&Resource) -> bool) -> Vec<Change> {
    let mut clients = Vec::new();
    let mut keys = Vec::new();
    for r in state.resources.iter().rev().filter(|r| matches(r)) {
        let change = Change {
            address: r.address(),
            action: Action::Delete,
            subject: match r {
                Resource::Key(_) => Subject::Key { spec: None },
                Resource::Client(_) => Subject::Client { spec: None },
            },
            before: Some(display_attributes(r)),
            after: None,
            reason: None,
        };
        match r {
            Resource::Client(_) => clients.push(change),
            Resource::Key(_) => keys.push(change),
        }
    }
    clients.extend(keys);
    clients
}
