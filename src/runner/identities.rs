//! Mutual TLS (RFC 8705) on the runner's side: one pooled HTTP client per client certificate,
//! built once per run with the run's other transport settings (`reqwest` binds an identity
//! to a whole client), and the endpoint aliases a server advertises for mutual TLS (§5).

use serde_json::Value;

use super::RuntimeClient;
use super::client::Transport;
use super::target::RunTarget;

/// The auth methods that authenticate the client by its certificate (RFC 8705 §2).
const TLS_AUTH_METHODS: [&str; 2] = ["tls_client_auth", "self_signed_tls_client_auth"];

#[derive(Default)]
pub(super) struct Identities {
    /// By client name.
    clients: Vec<(String, reqwest::Client)>,
    /// Endpoint name (`token`, ...) → the URL to use over mutual TLS.
    aliases: Vec<(String, String)>,
}

impl Identities {
    /// A client for each of the target's clients that has a TLS certificate.
    pub(super) fn build(
        target: &RunTarget,
        transport: &Transport,
        jobs: usize,
    ) -> Result<Self, String> {
        let mut clients = Vec::new();
        for c in &target.clients {
            let Some(tls) = &c.tls else { continue };
            let identity = reqwest::Identity::from_pem(tls.identity_pem.expose().as_bytes())
                .map_err(|e| format!("the TLS client certificate of `{}`: {e}", c.name))?;
            let client = transport
                .builder()
                .identity(identity)
                .pool_max_idle_per_host(jobs.max(1))
                .build()
                .map_err(|e| format!("the HTTP client of `{}`: {e}", c.name))?;
            clients.push((c.name.clone(), client));
        }
        Ok(Self {
            clients,
            aliases: Vec::new(),
        })
    }

    /// Reads `mtls_endpoint_aliases` from the discovery document. An endpoint the environment
    /// sets itself keeps that URL.
    pub(super) fn learn_aliases(
        &mut self,
        metadata: Option<&Value>,
        overrides: &[(String, String)],
    ) {
        let Some(Value::Object(aliases)) = metadata.and_then(|m| m.get("mtls_endpoint_aliases"))
        else {
            return;
        };
        for (name, key) in crate::oauth::ENDPOINTS {
            if key.is_empty() {
                continue;
            }
            if let Some(Value::String(url)) = aliases.get(*key)
                && !overrides.iter().any(|(n, _)| n == name)
            {
                self.aliases.push(((*name).to_string(), url.clone()));
            }
        }
    }

    /// The HTTP client presenting `client`'s certificate, if it has one.
    pub(super) fn client(&self, client: &RuntimeClient) -> Option<&reqwest::Client> {
        self.clients
            .iter()
            .find(|(name, _)| *name == client.name)
            .map(|(_, c)| c)
    }

    /// Where a request to `endpoint` goes when made as `client` with `method`: the mTLS alias
    /// when the request uses mutual TLS and the server advertises one.
    pub(super) fn alias(
        &self,
        endpoint: &str,
        client: &RuntimeClient,
        method: &str,
    ) -> Option<&str> {
        if !uses_mtls(client, method) {
            return None;
        }
        self.aliases
            .iter()
            .find(|(name, _)| name == endpoint)
            .map(|(_, url)| url.as_str())
    }
}

/// A request uses mutual TLS when the client has a certificate or authenticates with one
/// (a `tls_client_auth` client without a certificate still goes to the alias: that is how a
/// scenario checks that the server refuses it).
fn uses_mtls(client: &RuntimeClient, method: &str) -> bool {
    client.tls.is_some() || TLS_AUTH_METHODS.contains(&method)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn client(method: &str) -> RuntimeClient {
        RuntimeClient {
            name: "c".into(),
            auth_method: method.into(),
            ..RuntimeClient::default()
        }
    }

    #[test]
    fn aliases_apply_to_mutual_tls_requests_and_yield_to_overrides() {
        let mut identities = Identities::default();
        let metadata = json!({"mtls_endpoint_aliases": {
            "token_endpoint": "https://mtls.as.example/token",
            "introspection_endpoint": "https://mtls.as.example/introspect",
        }});
        let overrides = [(
            "introspection".to_string(),
            "https://as.example/i".to_string(),
        )];
        identities.learn_aliases(Some(&metadata), &overrides);
        let tls = client("tls_client_auth");
        assert_eq!(
            identities.alias("token", &tls, "tls_client_auth"),
            Some("https://mtls.as.example/token")
        );
        assert_eq!(
            identities.alias("introspection", &tls, "tls_client_auth"),
            None
        );
        let basic = client("client_secret_basic");
        assert_eq!(
            identities.alias("token", &basic, "client_secret_basic"),
            None
        );
    }
}
