//! The test users who can log in at the authorization endpoint, and the claims UserInfo returns.

use aws_lc_rs::digest;

use super::random;
use crate::secret::Secret;

/// A test user.
#[derive(Clone, Debug)]
pub struct SandboxUser {
    /// Display name, the `name` claim ("Topsi Testtopsiun").
    pub name: String,
    pub username: String,
    pub password: Secret,
    pub given_name: String,
    pub family_name: String,
    pub login_type: String,
    pub user_type: String,
    pub roles: Vec<String>,
    pub acr: String,
    pub target_identity: bool,
    pub partner_id: String,
}

impl SandboxUser {
    /// The built-in user, shaped like the provider's documented UserInfo payload, with a
    /// fresh random password.
    pub fn builtin() -> Vec<SandboxUser> {
        vec![SandboxUser {
            name: "Topsi Testtopsiun".to_owned(),
            username: "topsi".to_owned(),
            password: Secret::new(random::token("")),
            given_name: "TOPSI".to_owned(),
            family_name: "TESTTOPSIUN".to_owned(),
            login_type: "COMPTE_WEB_PROSPECT".to_owned(),
            user_type: "CLIENT".to_owned(),
            roles: vec!["ROLE_CLIENT".to_owned()],
            acr: "urn:bouyguestelecom:acr:classes:low".to_owned(),
            target_identity: false,
            partner_id: "8fc95d1f-8f5d-42c8-bd01-6c624c8d2179".to_owned(),
        }]
    }

    /// The `sub`: 64 lowercase hex characters, the same for this username at every start
    /// (OIDC Core §2: stable, never reassigned; the documented payload's shape).
    pub fn subject(&self) -> String {
        let hash = digest::digest(
            &digest::SHA256,
            format!("grantspec-sandbox-user:{}", self.username).as_bytes(),
        );
        hash.as_ref().iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_is_64_hex_and_stable() {
        let user = &SandboxUser::builtin()[0];
        let sub = user.subject();
        assert_eq!(sub.len(), 64);
        assert!(
            sub.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_eq!(sub, SandboxUser::builtin()[0].subject());
    }
}
