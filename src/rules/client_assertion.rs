//! H. Client authentication with a signed JWT (`private_key_jwt`): the assertion's audience,
//! times, subject and shape (RFC 7523 §2.2, §3; RFC 7521 §4.2; OIDC Core §9; RFC 10070), and
//! how a refused one is answered (RFC 7523 §3.2). The certificate flow's documented response
//! shape (H-02) is with the other response shapes in `token.rs`.

use serde_json::Value;

use super::catalogue::asserted;
use super::{Finding, Observation, Rule, Severity};

const RFC7523_3: &str = "https://www.rfc-editor.org/rfc/rfc7523#section-3";
/// Updates RFC 7523's audience rules (checklist §2 F3, F4).
const RFC10070: &str = "https://www.rfc-editor.org/rfc/rfc10070";

pub(super) const RULES: &[Rule] = &[
    asserted(
        "H-01",
        "A valid client assertion in the form body gives an access token",
        Severity::Must,
        "RFC 7523 §2.2, §3; OIDC Core §9",
        RFC7523_3,
    ),
    asserted(
        "H-04",
        "An assertion whose `aud` is the token endpoint URL is rejected: the issuer is the sole audience",
        Severity::Must,
        "RFC 10070, updating RFC 7523 §3 item 3",
        RFC10070,
    ),
    asserted(
        "H-05",
        "An assertion with several audiences (the issuer and the token endpoint) is rejected",
        Severity::Must,
        "RFC 10070, updating RFC 7523 §3 item 3",
        RFC10070,
    ),
    asserted(
        "H-06",
        "An assertion with a wrong `aud` is rejected with invalid_client",
        Severity::Must,
        "RFC 7523 §3 item 3",
        RFC7523_3,
    ),
    asserted(
        "H-07",
        "An assertion without `exp` is rejected",
        Severity::Must,
        "RFC 7523 §3 item 4",
        RFC7523_3,
    ),
    asserted(
        "H-08",
        "An expired assertion is rejected",
        Severity::Must,
        "RFC 7523 §3 item 4",
        RFC7523_3,
    ),
    asserted(
        "H-09",
        "An assertion whose `nbf` is in the future is rejected",
        Severity::Must,
        "RFC 7523 §3 item 5",
        RFC7523_3,
    ),
    asserted(
        "H-10",
        "An assertion with RFC 3339 string timestamps is rejected",
        Severity::Must,
        "RFC 7519 §2, §4.1.4",
        "https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4",
    ),
    asserted(
        "H-11",
        "An assertion issued in the future is rejected",
        Severity::Should,
        "RFC 7523 §3 item 6",
        RFC7523_3,
    ),
    asserted(
        "H-14",
        "A replayed assertion (same jti) is rejected",
        Severity::Must,
        "RFC 7523 §3 item 7; OIDC Core §9",
        "https://openid.net/specs/openid-connect-core-1_0.html#ClientAuthentication",
    ),
    asserted(
        "H-15",
        "An assertion without `jti` is rejected",
        Severity::Must,
        "OIDC Core §9",
        "https://openid.net/specs/openid-connect-core-1_0.html#ClientAuthentication",
    ),
    asserted(
        "H-16",
        "An assertion whose `sub` is not the client_id is rejected",
        Severity::Must,
        "RFC 7523 §3 item 2",
        RFC7523_3,
    ),
    asserted(
        "H-17",
        "An assertion whose `iss` is not the client_id is rejected",
        Severity::Must,
        "OIDC Core §9",
        "https://openid.net/specs/openid-connect-core-1_0.html#ClientAuthentication",
    ),
    asserted(
        "H-18",
        "A client_id parameter other than the assertion's `sub` is rejected with invalid_client",
        Severity::Must,
        "RFC 7521 §4.2",
        "https://www.rfc-editor.org/rfc/rfc7521#section-4.2",
    ),
    asserted(
        "H-19",
        "An assertion with a bad signature is rejected",
        Severity::Must,
        "RFC 7523 §3 item 9",
        RFC7523_3,
    ),
    asserted(
        "H-20",
        "An assertion with alg none is rejected",
        Severity::Must,
        "RFC 8725 §2.1, §3.1",
        "https://www.rfc-editor.org/rfc/rfc8725#section-3.1",
    ),
    asserted(
        "H-21",
        "A missing or wrong client_assertion_type is rejected",
        Severity::Must,
        "RFC 7523 §2.2",
        "https://www.rfc-editor.org/rfc/rfc7523#section-2.2",
    ),
    asserted(
        "H-22",
        "A client_assertion holding more than one JWT is rejected",
        Severity::Must,
        "RFC 7523 §2.2",
        "https://www.rfc-editor.org/rfc/rfc7523#section-2.2",
    ),
    Rule {
        id: "H-23",
        title: "A refused client assertion is answered with invalid_client, status 400 or 401",
        severity: Severity::Must,
        clause: "RFC 7523 §3.2; RFC 6749 §5.2",
        url: "https://www.rfc-editor.org/rfc/rfc7523#section-3.2",
        kinds: &["token"],
        profiles: &[],
        check: Some(assertion_refusal),
    },
    asserted(
        "H-24",
        "An assertion typed client-authentication+jwt, and an untyped one, are accepted",
        Severity::Should,
        "RFC 10070 (explicit typing)",
        RFC10070,
    ),
    asserted(
        "H-25",
        "A `use` member in the assertion header is ignored",
        Severity::Must,
        "RFC 7515 §4",
        "https://www.rfc-editor.org/rfc/rfc7515#section-4",
    ),
    asserted(
        "H-26",
        "An assertion together with Basic credentials is rejected",
        Severity::Must,
        "RFC 6749 §2.3",
        "https://www.rfc-editor.org/rfc/rfc6749#section-2.3",
    ),
];

/// H-23 on every refusal of a request that authenticated with an assertion and was refused
/// as a client: `invalid_client`, or a 401 or 403 whatever the code. A refusal of the grant
/// itself (`invalid_scope`, `unauthorized_client` with 400, ...) is not its concern.
fn assertion_refusal(o: &Observation<'_>) -> Finding {
    if o.request.client_auth.as_deref() != Some("private_key_jwt") || o.is_success() {
        return Finding::NotApplicable;
    }
    let error = o.member("error").and_then(Value::as_str);
    if error != Some("invalid_client") && !matches!(o.status, 401 | 403) {
        return Finding::NotApplicable;
    }
    Finding::check(
        error == Some("invalid_client") && matches!(o.status, 400 | 401),
        "400 or 401 with error invalid_client",
        format!("{} with error {}", o.status, error.unwrap_or("<absent>")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{FlowView, SentRequest};

    fn refusal(client_auth: &str, status: u16, body: Value) -> Finding {
        let request = SentRequest {
            client_auth: Some(client_auth.into()),
            ..SentRequest::default()
        };
        let flow = FlowView::default();
        assertion_refusal(&Observation::of_json(
            "token", &request, status, &body, &flow,
        ))
    }

    #[test]
    fn a_refused_assertion_is_400_or_401_invalid_client() {
        let invalid_client = serde_json::json!({"error": "invalid_client"});
        assert!(matches!(
            refusal("private_key_jwt", 400, invalid_client.clone()),
            Finding::Pass { .. }
        ));
        assert!(matches!(
            refusal("private_key_jwt", 401, invalid_client.clone()),
            Finding::Pass { .. }
        ));
        assert!(matches!(
            refusal("private_key_jwt", 403, invalid_client.clone()),
            Finding::Fail { .. }
        ));
        let unauthorized = serde_json::json!({"error": "unauthorized_client"});
        assert!(matches!(
            refusal("private_key_jwt", 401, unauthorized.clone()),
            Finding::Fail { .. }
        ));
        // A grant refused for a client that did authenticate, or another method: not H-23's.
        assert_eq!(
            refusal("private_key_jwt", 400, unauthorized),
            Finding::NotApplicable
        );
        assert_eq!(
            refusal("client_secret_basic", 403, invalid_client),
            Finding::NotApplicable
        );
    }
}
