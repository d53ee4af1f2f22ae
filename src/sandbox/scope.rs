//! Scope requests checked against what a client may be granted (RFC 6749 §3.3).

use super::client::SandboxClient;
use super::oauth_error::OAuthError;

/// The scope to grant: every requested scope if the client may have it, or the client's
/// default (all its scopes) when none is requested.
pub(crate) fn grant(client: &SandboxClient, requested: Option<&str>) -> Result<String, OAuthError> {
    let Some(requested) = requested else {
        return Ok(client.scopes.join(" "));
    };
    let mut granted: Vec<&str> = Vec::new();
    for scope in requested.split(' ').filter(|s| !s.is_empty()) {
        if !client.allows_scope(scope) {
            return Err(OAuthError::invalid_scope(format!(
                "scope `{scope}` is not allowed for this client"
            )));
        }
        if !granted.contains(&scope) {
            granted.push(scope);
        }
    }
    if granted.is_empty() {
        return Err(OAuthError::invalid_scope("empty scope"));
    }
    Ok(granted.join(" "))
}

/// Whether the space-separated `scope` contains `item`.
pub(crate) fn contains(scope: &str, item: &str) -> bool {
    scope.split(' ').any(|s| s == item)
}

/// Whether every scope of `narrower` is in `wider`.
pub(crate) fn is_subset(narrower: &str, wider: &str) -> bool {
    narrower
        .split(' ')
        .filter(|s| !s.is_empty())
        .all(|s| contains(wider, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> SandboxClient {
        SandboxClient::builtin().remove(0)
    }

    #[test]
    fn default_scope_is_everything_allowed() {
        assert_eq!(
            grant(&client(), None).ok().as_deref(),
            Some("PersonneConsult UserConsult")
        );
    }

    #[test]
    fn unknown_scope_is_invalid_and_duplicates_collapse() {
        assert_eq!(
            grant(&client(), Some("Other")).expect_err("x").code,
            "invalid_scope"
        );
        assert_eq!(
            grant(&client(), Some("UserConsult UserConsult"))
                .ok()
                .as_deref(),
            Some("UserConsult")
        );
    }

    #[test]
    fn subsets() {
        assert!(is_subset("a", "a b"));
        assert!(!is_subset("a c", "a b"));
    }
}
