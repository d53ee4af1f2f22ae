//! `grantspec state list|show|rm` and `grantspec import`.

use serde_json::Value;

use super::Exit;
use super::fixtures_args::{ImportArgs, StateArgs, StateCommand};
use super::fixtures_cmd::read_state;
use super::fixtures_setup::{failed, load, runtime};
use crate::provision::{
    ClientResource, Handle, ProvisionError, Registrar, Resource, StateStore, display_attributes,
};

pub(super) fn state(args: StateArgs) -> u8 {
    match args.command {
        StateCommand::List(a) => {
            let loaded = match load(&a.workspace, false) {
                Ok(l) => l,
                Err(code) => return code,
            };
            let (state, _) = match read_state(&loaded) {
                Ok(s) => s,
                Err(code) => return code,
            };
            for r in &state.resources {
                println!("{}", r.address());
            }
            Exit::Passed as u8
        }
        StateCommand::Show(a) => {
            let loaded = match load(&a.workspace, false) {
                Ok(l) => l,
                Err(code) => return code,
            };
            let (state, _) = match read_state(&loaded) {
                Ok(s) => s,
                Err(code) => return code,
            };
            let Some(resource) = state.find(&a.address) else {
                eprintln!("grantspec: error: no object {} in the state", a.address);
                return Exit::Failed as u8;
            };
            println!("# {}:", resource.address());
            let attrs = display_attributes(resource);
            let width = attrs.keys().map(String::len).max().unwrap_or(0);
            for (k, v) in &attrs {
                let shown = match v {
                    Value::String(s) => format!("{s:?}"),
                    other => other.to_string(),
                };
                println!("  {k:<width$} = {shown}");
            }
            Exit::Passed as u8
        }
        StateCommand::Rm(a) => {
            let loaded = match load(&a.workspace, false) {
                Ok(l) => l,
                Err(code) => return code,
            };
            let _lock = match loaded.lock("state rm") {
                Ok(l) => l,
                Err(code) => return code,
            };
            let (mut state, _) = match read_state(&loaded) {
                Ok(s) => s,
                Err(code) => return code,
            };
            if state.remove(&a.address).is_none() {
                eprintln!("grantspec: error: no object {} in the state", a.address);
                return Exit::Failed as u8;
            }
            if let Err(e) = loaded.workdir.write_state(&mut state) {
                return failed(&e);
            }
            println!(
                "Removed {} from the state (it still exists at the provider).",
                a.address
            );
            Exit::Passed as u8
        }
    }
}

pub(super) fn import(args: ImportArgs) -> u8 {
    let loaded = match load(&args.workspace, false) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let Some(name) = args.address.strip_prefix("client.") else {
        eprintln!("grantspec: error: only clients can be imported (client.NAME)");
        return Exit::InvalidInput as u8;
    };
    let Some(spec) = loaded.fixtures.client(name).cloned() else {
        eprintln!(
            "grantspec: error: {} is not declared in {}",
            args.address,
            args.workspace.files.fixtures.display()
        );
        return Exit::InvalidInput as u8;
    };
    let secret = |n: &Option<String>| -> Result<Option<crate::secret::Secret>, u8> {
        match n {
            None => Ok(None),
            Some(n) => match loaded.secrets.iter().find(|(k, _)| k == n) {
                Some((_, s)) => Ok(Some(s.clone())),
                None => {
                    eprintln!("grantspec: error: secret `{n}` is not declared in the environment");
                    Err(Exit::InvalidInput as u8)
                }
            },
        }
    };
    let (client_secret, token) = match (
        secret(&args.client_secret),
        secret(&args.registration_access_token),
    ) {
        (Ok(s), Ok(t)) => (s, t),
        (Err(c), _) | (_, Err(c)) => return c,
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    rt.block_on(async {
        let _lock = match loaded.lock("import") {
            Ok(l) => l,
            Err(code) => return code,
        };
        let (mut state, _) = match read_state(&loaded) {
            Ok(s) => s,
            Err(code) => return code,
        };
        if state.find(&args.address).is_some() {
            eprintln!(
                "grantspec: error: {} is already in the state; `state rm` it first",
                args.address
            );
            return Exit::Failed as u8;
        }
        let mut metadata = spec.metadata.clone();
        if let (Some(uri), Some(token)) = (&args.registration_client_uri, &token) {
            let provisioner = match loaded.provisioner().await {
                Ok(p) => p,
                Err(code) => return code,
            };
            let handle = Handle {
                client_id: args.client_id.clone(),
                registration_client_uri: uri.clone(),
                registration_access_token: token.clone(),
                client_secret: client_secret.clone(),
            };
            match provisioner.registrar.read(&handle).await {
                Ok(Some(reg)) => {
                    metadata = crate::provision::managed_view(&metadata, &reg.metadata);
                }
                Ok(None) => {
                    return failed(&ProvisionError::Config(format!(
                        "client {} does not exist at {uri} (or the token is not its own)",
                        args.client_id
                    )));
                }
                Err(e) => return failed(&e.into()),
            }
        }
        state.put(Resource::Client(ClientResource {
            name: spec.name.clone(),
            client_id: args.client_id.clone(),
            registration_client_uri: args.registration_client_uri.clone(),
            registration_access_token: token,
            client_secret,
            metadata,
            key: spec.key.clone(),
            key_thumbprint: None,
        }));
        if let Err(e) = StateStore::File(&loaded.workdir).save(&mut state) {
            return failed(&e);
        }
        println!("Imported {} (client_id={}).", args.address, args.client_id);
        Exit::Passed as u8
    })
}
