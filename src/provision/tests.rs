//! Plan and apply against an in-memory registrar: convergence, failure midway, destroy order.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::{Map, Value};

use super::fixtures::parse_fixtures;
use super::registrar::{Handle, Registered, Registrar, RegistrarError};
use super::*;
use crate::diag::SourceFile;
use crate::secret::Secret;

/// Clients by id; `fail_on_create` makes the Nth create (1-based) fail.
#[derive(Default)]
struct MemoryRegistrar {
    clients: Mutex<HashMap<String, Map<String, Value>>>,
    creates: Mutex<usize>,
    fail_on_create: Option<usize>,
}

impl MemoryRegistrar {
    fn registered(&self, id: String, metadata: Map<String, Value>) -> Registered {
        Registered {
            registration_client_uri: Some(format!("mem://{id}")),
            registration_access_token: Some(Secret::new(format!("rat-{id}"))),
            client_secret: Some(Secret::new(format!("secret-{id}"))),
            client_id: id,
            metadata,
        }
    }

    fn len(&self) -> usize {
        self.clients.lock().unwrap().len()
    }
}

impl Registrar for MemoryRegistrar {
    async fn create(&self, m: &Map<String, Value>) -> Result<Registered, RegistrarError> {
        let n = {
            let mut c = self.creates.lock().unwrap();
            *c += 1;
            *c
        };
        if self.fail_on_create == Some(n) {
            return Err(RegistrarError::Unsupported("boom".into()));
        }
        let id = format!("c{n}");
        self.clients.lock().unwrap().insert(id.clone(), m.clone());
        Ok(self.registered(id, m.clone()))
    }

    async fn read(&self, h: &Handle) -> Result<Option<Registered>, RegistrarError> {
        let found = self.clients.lock().unwrap().get(&h.client_id).cloned();
        Ok(found.map(|m| self.registered(h.client_id.clone(), m)))
    }

    async fn update(
        &self,
        h: &Handle,
        m: &Map<String, Value>,
    ) -> Result<Registered, RegistrarError> {
        self.clients
            .lock()
            .unwrap()
            .insert(h.client_id.clone(), m.clone());
        Ok(self.registered(h.client_id.clone(), m.clone()))
    }

    async fn delete(&self, h: &Handle) -> Result<(), RegistrarError> {
        self.clients.lock().unwrap().remove(&h.client_id);
        Ok(())
    }
}

const FIXTURES: &str = "keys:\n  k: { type: ec }\nclients:\n  a: { auth_method: client_secret_basic, scope: X }\n  b: { auth_method: private_key_jwt, key: k }\n";

fn provisioner(
    text: &str,
    registrar: MemoryRegistrar,
    dir: &std::path::Path,
) -> Provisioner<MemoryRegistrar> {
    Provisioner {
        workdir: Workdir::new(dir, "t"),
        fixtures: parse_fixtures(&SourceFile::new("fixtures.yaml", text)).unwrap(),
        external: Vec::new(),
        registrar,
    }
}

fn block_on<F: Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

#[test]
fn apply_converges_and_a_second_plan_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let p = provisioner(FIXTURES, MemoryRegistrar::default(), dir.path());
    block_on(async {
        let mut state = State::new("t");
        let plan = p
            .plan(&mut state, false, PlanMode::Normal, &[])
            .await
            .unwrap();
        let order: Vec<_> = plan.changes.iter().map(|c| c.address.as_str()).collect();
        assert_eq!(order, ["key.k", "client.a", "client.b"]);
        let store = StateStore::File(&p.workdir);
        p.apply(&plan, &mut state, &store, &mut |_| {})
            .await
            .unwrap();
        assert_eq!(p.registrar.len(), 2);
        let again = p
            .plan(&mut state, true, PlanMode::Normal, &[])
            .await
            .unwrap();
        assert!(!again.has_changes(), "{}", render_plan(&again));
        let jwks = &p.registrar.clients.lock().unwrap()["c2"]["jwks"];
        assert_eq!(jwks["keys"][0]["crv"], "P-256");
    });
}

#[test]
fn an_apply_failing_midway_keeps_what_it_created_and_the_next_one_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let failing = MemoryRegistrar {
        fail_on_create: Some(2),
        ..MemoryRegistrar::default()
    };
    let p = provisioner(FIXTURES, failing, dir.path());
    block_on(async {
        let mut state = State::new("t");
        let plan = p
            .plan(&mut state, false, PlanMode::Normal, &[])
            .await
            .unwrap();
        let store = StateStore::File(&p.workdir);
        let err = p.apply(&plan, &mut state, &store, &mut |_| {}).await;
        assert!(err.is_err());
        let saved = p.workdir.read_state().unwrap().unwrap();
        let held: Vec<_> = saved.resources.iter().map(Resource::address).collect();
        assert_eq!(held, ["key.k", "client.a"]);
        let mut state = saved;
        let next = p
            .plan(&mut state, true, PlanMode::Normal, &[])
            .await
            .unwrap();
        let planned: Vec<_> = next.changes.iter().map(|c| c.address.as_str()).collect();
        assert_eq!(planned, ["client.b"]);
        p.apply(&next, &mut state, &store, &mut |_| {})
            .await
            .unwrap();
        assert_eq!(p.registrar.len(), 2);
    });
}

#[test]
fn destroy_deletes_clients_before_keys_and_removes_key_files() {
    let dir = tempfile::tempdir().unwrap();
    let p = provisioner(FIXTURES, MemoryRegistrar::default(), dir.path());
    block_on(async {
        let mut state = State::new("t");
        let plan = p
            .plan(&mut state, false, PlanMode::Normal, &[])
            .await
            .unwrap();
        let store = StateStore::File(&p.workdir);
        p.apply(&plan, &mut state, &store, &mut |_| {})
            .await
            .unwrap();
        let key_file = p.workdir.key_path("k");
        assert!(key_file.exists());
        let destroy = p
            .plan(&mut state, true, PlanMode::Destroy, &[])
            .await
            .unwrap();
        let order: Vec<_> = destroy.changes.iter().map(|c| c.address.as_str()).collect();
        assert_eq!(order, ["client.b", "client.a", "key.k"]);
        p.apply(&destroy, &mut state, &store, &mut |_| {})
            .await
            .unwrap();
        assert_eq!(p.registrar.len(), 0);
        assert!(!key_file.exists());
        assert!(state.resources.is_empty());
    });
}

#[test]
fn rendered_plans_and_displayed_state_never_show_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let p = provisioner(FIXTURES, MemoryRegistrar::default(), dir.path());
    block_on(async {
        let mut state = State::new("t");
        let plan = p
            .plan(&mut state, false, PlanMode::Normal, &[])
            .await
            .unwrap();
        p.apply(&plan, &mut state, &StateStore::Memory, &mut |_| {})
            .await
            .unwrap();
        let destroy = p
            .plan(&mut state, true, PlanMode::Destroy, &[])
            .await
            .unwrap();
        let mut shown = render_plan(&destroy);
        for r in &state.resources {
            shown.push_str(&format!("{:?}", display_attributes(r)));
        }
        assert!(shown.contains("(sensitive value)"), "{shown}");
        assert!(!shown.contains("secret-c"), "{shown}");
        assert!(!shown.contains("rat-c"), "{shown}");
        assert!(!shown.contains("PRIVATE KEY"), "{shown}");
    });
}
