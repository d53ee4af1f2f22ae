//! The keys a sandbox makes up when it starts — its own signing key, and one for each
//! `private_key_jwt` client configured without one — generated off the start path.
//!
//! An RSA-2048 key takes tens of milliseconds to generate. The sandbox listens at once and
//! generates its keys side by side in the background ([`super::key_pool`]); what needs one
//! waits for it: the JWKS, every signed token, a generated client's assertions, and the list
//! of clients with their private keys.

use super::client::SandboxClient;
use super::client_key::ClientKey;
use super::defect_set::DefectSet;
use super::discovery;
use super::registered_client::ClientRegistry;
use super::signing_key::{KeyError, SigningKey};
use axum::body::Bytes;

/// The sandbox's own key, with what is derived from it once.
pub(crate) struct Signing {
    pub(crate) key: SigningKey,
    /// The public half, to verify our own ID tokens (`id_token_hint`).
    pub(crate) own_key: ClientKey,
    /// The JWKS document, serialized once.
    pub(crate) jwks_json: Bytes,
}

/// Everything generated: the signing key, and every configured client with its key filled in.
pub(crate) struct SandboxKeys {
    pub(crate) signing: Signing,
    pub(crate) clients: Vec<SandboxClient>,
}

/// Generates the signing key and a key for each client in `pending` (by index into `clients`;
/// each has its `key_id`), and registers those clients' public keys in `registry` before
/// returning, so that whoever waited for the keys finds the clients complete.
pub(crate) fn generate(
    mut clients: Vec<SandboxClient>,
    pending: Vec<usize>,
    registry: &ClientRegistry,
    defects: DefectSet,
) -> Result<SandboxKeys, KeyError> {
    let key = SigningKey::generate()?;
    let signing = Signing {
        own_key: ClientKey::from_jwk(key.public_jwk()).map_err(|_| KeyError::Generate)?,
        jwks_json: discovery::jwks(&key, defects).to_string().into(),
        key,
    };
    for i in pending {
        let Some(client) = clients.get_mut(i) else {
            continue;
        };
        let kid = client.key_id.clone().unwrap_or_default();
        let key = SigningKey::generate_with_kid(kid)?;
        client.private_key_pem = Some(key.private_pem()?);
        let public = ClientKey::from_jwk(key.public_jwk()).map_err(|_| KeyError::Generate)?;
        registry.set_keys(&client.client_id, vec![public]);
    }
    Ok(SandboxKeys { signing, clients })
}
