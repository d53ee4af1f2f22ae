//! Applying a plan: each change in order (keys before the clients that use them, deletions of
//! clients before their keys), the state persisted after every change, so that a failure or a
//! kill midway leaves a state that knows everything created so far.

use serde_json::{Map, Value};

use super::error::ProvisionError;
use super::fixtures::{ClientSpec, KeySpec};
use super::key_material::KeyMaterial;
use super::plan::{Action, Change, Plan, Subject};
use super::planner::{desired_metadata, handle, managed_view};
use super::registrar::Registrar;
use super::state::{ClientResource, KeyResource, Resource, State};
use super::state_file::Workdir;

/// Where the state goes after each change.
pub enum StateStore<'a> {
    /// `.grantspec/state/<env>.json` (the caller holds the lock).
    File(&'a Workdir),
    /// Kept in memory only: the embedded sandbox forgets everything when it stops.
    Memory,
}

impl StateStore<'_> {
    pub fn save(&self, state: &mut State) -> Result<(), ProvisionError> {
        match self {
            StateStore::File(w) => w.write_state(state),
            StateStore::Memory => {
                state.serial += 1;
                Ok(())
            }
        }
    }
}

/// Applies `plan.changes` in order. `progress` receives one line per step (never a secret).
/// On error the state holds every change completed before it.
pub async fn apply<R: Registrar>(
    plan: &Plan,
    registrar: &R,
    workdir: &Workdir,
    state: &mut State,
    store: &StateStore<'_>,
    progress: &mut dyn FnMut(String),
) -> Result<(), ProvisionError> {
    for change in &plan.changes {
        progress(format!("{}: {}...", change.address, doing(change.action)));
        apply_one(change, registrar, workdir, state, store).await?;
        let detail = match state.client(change.address.trim_start_matches("client.")) {
            Some(c) if change.address.starts_with("client.") && change.action != Action::Delete => {
                format!(" [client_id={}]", c.client_id)
            }
            _ => String::new(),
        };
        progress(format!(
            "{}: {} complete{detail}",
            change.address,
            done(change.action)
        ));
    }
    Ok(())
}

async fn apply_one<R: Registrar>(
    change: &Change,
    registrar: &R,
    workdir: &Workdir,
    state: &mut State,
    store: &StateStore<'_>,
) -> Result<(), ProvisionError> {
    match (&change.subject, change.action) {
        (Subject::Key { spec: Some(spec) }, Action::Create | Action::Replace) => {
            let key = generate_key(spec, workdir)?;
            state.put(Resource::Key(key));
            store.save(state)
        }
        (Subject::Key { .. }, Action::Delete) => {
            if let Some(Resource::Key(k)) = state.find(&change.address).cloned() {
                match std::fs::remove_file(&k.private_key_file) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(source) => {
                        return Err(ProvisionError::Io {
                            path: k.private_key_file.clone(),
                            source,
                        });
                    }
                }
            }
            state.remove(&change.address);
            store.save(state)
        }
        (Subject::Client { spec: Some(spec) }, Action::Create) => {
            create_client(spec, registrar, state, store).await
        }
        (Subject::Client { spec: Some(spec) }, Action::Replace) => {
            delete_client(&change.address, registrar, state, store).await?;
            create_client(spec, registrar, state, store).await
        }
        (Subject::Client { spec: Some(spec) }, Action::Update) => {
            let Some(current) = state.client(&spec.name).cloned() else {
                return create_client(spec, registrar, state, store).await;
            };
            let Some(h) = handle(&current) else {
                return Err(ProvisionError::Config(format!(
                    "{} was imported without a registration access token; it cannot be updated",
                    change.address
                )));
            };
            let metadata = metadata_for(spec, state)?;
            let reg = registrar.update(&h, &metadata).await?;
            let mut updated = current;
            updated.metadata = managed_view(&metadata, &reg.metadata);
            if reg.client_id != updated.client_id {
                updated.client_id = reg.client_id;
            }
            if reg.client_secret.is_some() {
                updated.client_secret = reg.client_secret;
            }
            if reg.registration_access_token.is_some() {
                updated.registration_access_token = reg.registration_access_token;
            }
            if let Some(uri) = reg.registration_client_uri {
                updated.registration_client_uri = Some(uri);
            }
            updated.key = spec.key.clone();
            updated.key_thumbprint = key_thumbprint(spec, state);
            state.put(Resource::Client(updated));
            store.save(state)
        }
        (Subject::Client { .. }, Action::Delete) => {
            delete_client(&change.address, registrar, state, store).await
        }
        _ => Err(ProvisionError::Config(format!(
            "the plan's change for {} has no fixture to apply",
            change.address
        ))),
    }
}

fn doing(action: Action) -> &'static str {
    match action {
        Action::Create => "Creating",
        Action::Update => "Modifying",
        Action::Replace => "Replacing",
        Action::Delete => "Destroying",
    }
}

fn done(action: Action) -> &'static str {
    match action {
        Action::Create => "Creation",
        Action::Update => "Modifications",
        Action::Replace => "Replacement",
        Action::Delete => "Destruction",
    }
}

fn generate_key(spec: &KeySpec, workdir: &Workdir) -> Result<KeyResource, ProvisionError> {
    let material = KeyMaterial::generate(spec)?;
    let thumbprint = material.thumbprint();
    let kid = spec.kid.clone().unwrap_or_else(|| thumbprint.clone());
    let path = workdir.key_path(&spec.name);
    material.write(&path)?;
    Ok(KeyResource {
        name: spec.name.clone(),
        key_type: spec.key_type,
        size: spec.size,
        alg: spec.alg.clone(),
        kid: kid.clone(),
        kid_declared: spec.kid.clone(),
        thumbprint,
        public_jwk: material.public_jwk(&kid, &spec.alg),
        private_key_file: path,
    })
}

fn metadata_for(spec: &ClientSpec, state: &State) -> Result<Map<String, Value>, ProvisionError> {
    let metadata = desired_metadata(spec, state, &[]);
    if let Some(key) = &spec.key
        && state.key(key).is_none()
    {
        return Err(ProvisionError::Config(format!(
            "client.{} needs key.{key}, which the state does not hold",
            spec.name
        )));
    }
    Ok(metadata)
}

fn key_thumbprint(spec: &ClientSpec, state: &State) -> Option<String> {
    spec.key
        .as_ref()
        .and_then(|k| state.key(k))
        .map(|k| k.thumbprint.clone())
}

async fn create_client<R: Registrar>(
    spec: &ClientSpec,
    registrar: &R,
    state: &mut State,
    store: &StateStore<'_>,
) -> Result<(), ProvisionError> {
    let metadata = metadata_for(spec, state)?;
    let reg = registrar.create(&metadata).await?;
    let resource = ClientResource {
        name: spec.name.clone(),
        client_id: reg.client_id,
        registration_client_uri: reg.registration_client_uri,
        registration_access_token: reg.registration_access_token,
        client_secret: reg.client_secret,
        metadata: managed_view(&metadata, &reg.metadata),
        key: spec.key.clone(),
        key_thumbprint: key_thumbprint(spec, state),
    };
    state.put(Resource::Client(resource));
    store.save(state)
}

async fn delete_client<R: Registrar>(
    address: &str,
    registrar: &R,
    state: &mut State,
    store: &StateStore<'_>,
) -> Result<(), ProvisionError> {
    if let Some(Resource::Client(c)) = state.find(address)
        && let Some(h) = handle(c)
    {
        registrar.delete(&h).await?;
    }
    state.remove(address);
    store.save(state)
}
