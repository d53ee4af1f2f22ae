//! Deliberate defects: each makes the sandbox break exactly one conformance rule, so that the
//! rule's failure path can be tested against a known-bad server.

use super::defect_macro::defects;

defects! {
    ///
    NoStoreMissing = "no-store-missing", "RFC 6749 §5.1",
        "token responses carry neither Cache-Control: no-store nor Pragma: no-cache";
    ///
    RepeatedParametersAccepted = "repeated-parameters-accepted", "RFC 6749 §3.2",
        "a parameter repeated in a token request is accepted (the last value wins)";
    /// B-10.
    DiscoveryEmptyArrays = "discovery-empty-arrays", "RFC 8414 §3.2",
        "the discovery document carries empty arrays";
    /// D-02.
    StateNotEchoed = "state-not-echoed", "RFC 6749 §4.1.2",
        "the authorization response omits the client's state";
    /// D-05.
    RedirectUriPrefixMatch = "redirect-uri-prefix-match", "RFC 9700 §4.1.3; RFC 6749 §3.1.2.4",
        "any redirect_uri that starts with a registered one is accepted";
    /// D-09.
    FramableLoginPage = "framable-login-page", "RFC 9700 §4.16",
        "the login page can be framed (no X-Frame-Options, no frame-ancestors)";
    /// D-11.
    Redirect307 = "redirect-307", "RFC 9700 §4.12",
        "the redirect after the login POST is a 307, which replays the credentials";
    /// F-03.
    WrongIdTokenIssuer = "wrong-id-token-iss", "OIDC Core §3.1.3.7 step 2",
        "ID tokens carry an iss that is not the issuer";
    /// F-07.
    NonceNotReturned = "nonce-not-returned", "OIDC Core §3.1.3.7 step 11",
        "ID tokens omit the nonce the client sent";
    /// E-07.
    CodeReuseAccepted = "code-reuse-accepted", "RFC 6749 §4.1.2, §10.5",
        "an authorization code can be exchanged more than once";
    /// E-08.
    ExpiredCodeAccepted = "expired-code-accepted", "RFC 6749 §4.1.2",
        "an expired authorization code is still exchanged";
    /// M-02/M-03.
    PkceIgnored = "pkce-ignored", "RFC 7636 §4.6; RFC 9700 §2.1.1",
        "the code_verifier is not checked against the code_challenge";
    /// I-04.
    RefreshReuseAccepted = "refresh-reuse-accepted", "RFC 9700 §4.14.2",
        "a rotated refresh token stays usable";
    /// K-04.
    RevokedTokenActive = "revoked-token-active", "RFC 7662 §2.2; RFC 7009 §2",
        "introspection reports revoked tokens as active";
    /// L-03/L-09.
    RevocationIgnored = "revocation-ignored", "RFC 7009 §2.1",
        "revocation answers 200 but the token stays valid";
    /// J-02.
    UserinfoGetOnly = "userinfo-get-only", "OIDC Core §5.3.1",
        "UserInfo refuses POST";
    /// N-05.
    RegistrationOpen = "registration-open", "RFC 7591 §3",
        "the registration endpoint accepts requests without the initial access token";
    /// B-11.
    ImplicitAdvertised = "implicit-advertised", "RFC 9700 §2.1.2; RFC 8414 §2",
        "discovery advertises implicit and hybrid response types it does not serve";
    /// E-09.
    RedirectUriNotChecked = "redirect-uri-not-checked", "RFC 6749 §4.1.3",
        "the token endpoint exchanges a code whatever redirect_uri is sent";
    /// E-10.
    CodeNotBoundToClient = "code-not-bound-to-client", "RFC 6749 §4.1.3",
        "a code issued to one client is exchanged by another";
    /// F-10.
    WrongAtHash = "wrong-at-hash", "OIDC Core §3.1.3.8",
        "ID tokens carry an at_hash that does not match the access token";
    /// J-04.
    TokenInQueryAccepted = "token-in-query-accepted", "RFC 9700 §4.3.2; RFC 6750 §2.3",
        "UserInfo accepts the access token in the query string";
    /// N-11.
    HttpRedirectUriRegistered = "http-redirect-uri-registered", "RFC 9700 §2.6",
        "registration accepts http redirect URIs on non-loopback hosts";
    /// E-11.
    NoBasicChallenge = "no-basic-challenge", "RFC 6749 §5.2",
        "a failed Basic client authentication is answered without WWW-Authenticate";
    /// H-06.
    AssertionAudienceUnchecked = "assertion-audience-unchecked", "RFC 7523 §3 item 3",
        "a client assertion is accepted whatever its aud";
    /// H-14.
    AssertionReplayAccepted = "assertion-replay-accepted", "RFC 7523 §3 item 7; OIDC Core §9",
        "a client assertion is accepted again with the same jti";
    /// G-06.
    BasicNotUrlDecoded = "basic-not-urldecoded", "RFC 6749 §2.3.1",
        "Basic credentials are compared without form-urldecoding them first";
    /// B-01.
    DiscoveryStatus203 = "discovery-status-203", "OIDC Discovery §4.2",
        "the discovery document is served with 203 Non-Authoritative Information, not 200";
    /// B-02.
    DiscoveryIssuerTrailingSlash = "discovery-issuer-trailing-slash", "OIDC Discovery §3, §4.3",
        "the discovery document's issuer carries a trailing slash the issuer does not have";
    /// B-03.
    SubjectTypesMissing = "subject-types-missing", "OIDC Discovery §3",
        "the discovery document omits the required subject_types_supported";
    /// B-04.
    Rs256NotAdvertised = "rs256-not-advertised", "OIDC Discovery §3",
        "id_token_signing_alg_values_supported lists PS256 only, not RS256";
    /// B-05.
    ClaimsNotAdvertised = "claims-not-advertised", "OIDC Discovery §3",
        "the discovery document omits the recommended claims_supported";
    /// B-06.
    PkceNotAdvertised = "pkce-not-advertised", "RFC 8414 §2; RFC 9700 §2.1.1",
        "the discovery document omits code_challenge_methods_supported";
    /// B-07.
    AssertionAlgNoneAdvertised = "assertion-alg-none-advertised", "OIDC Discovery §3",
        "token_endpoint_auth_signing_alg_values_supported lists none";
    /// C-01.
    JwksKeyWithoutExponent = "jwks-key-without-exponent", "RFC 7518 §6.3.1",
        "the key set also lists an RSA key without its exponent e";
    /// C-02.
    JwksSecretKey = "jwks-secret-key", "RFC 7518 §6.4",
        "the key set also publishes a symmetric key with its secret k";
    /// C-03.
    JwksKidMissing = "jwks-kid-missing", "OIDC Core §10.1",
        "the key set lists a second key without kid";
    /// C-05.
    JwksShortModulus = "jwks-short-modulus", "RFC 7518 §3.3",
        "the key set also lists a 1024-bit RSA key";
    /// D-01.
    CodeParameterRenamed = "code-parameter-renamed", "RFC 6749 §4.1.2",
        "the authorization response carries the code as authorization_code, not code";
    /// D-10.
    NoReferrerPolicy = "no-referrer-policy", "RFC 9700 §4.2.4",
        "the login page is served without Referrer-Policy";
    /// D-13.
    WrongAuthorizationIss = "wrong-authorization-iss", "RFC 9207 §2",
        "the authorization response's iss is not the issuer";
    /// F-01.
    IdTokenJwkHeader = "id-token-jwk-header", "OIDC Core §3.1.3.7 step 7; RFC 8725 §3.10",
        "ID tokens embed the verification key in a jwk header";
    /// F-02.
    IdTokenBadSignature = "id-token-bad-signature", "OIDC Core §3.1.3.7 step 6",
        "ID tokens carry a signature that does not verify";
    /// F-04.
    IdTokenWrongAud = "id-token-wrong-aud", "OIDC Core §3.1.3.7 step 3",
        "ID tokens are addressed to another audience than the client";
    /// F-05.
    IdTokenWrongAzp = "id-token-wrong-azp", "OIDC Core §3.1.3.7 steps 4-5",
        "ID tokens carry an azp that is not the client";
    /// F-06.
    IdTokenExpired = "id-token-expired", "OIDC Core §3.1.3.7 step 9",
        "ID tokens are issued already expired";
    /// G-02.
    ClientCredentialsRefreshToken = "client-credentials-refresh-token", "RFC 6749 §4.4.3",
        "client_credentials responses carry a refresh token";
    /// J-06.
    UserinfoOtherSubject = "userinfo-other-subject", "OIDC Core §5.3.2",
        "UserInfo's sub is not the ID token's sub";
    /// J-10.
    UnknownTokenBareChallenge = "unknown-token-bare-challenge", "RFC 6750 §3.1",
        "UserInfo answers a token it never issued with a Bearer challenge without error";
    /// K-04.
    InactiveTokenExplained = "inactive-token-explained", "RFC 7662 §2.2",
        "introspection of an inactive token says why beside active: false";
    /// K-06.
    IntrospectionStringTimes = "introspection-string-times", "RFC 7662 §2.2",
        "introspection gives exp and iat as strings";
    ///
    IntrospectionTextPlain = "introspection-text-plain", "RFC 7662 §2.2",
        "introspection answers with Content-Type text/plain";
    /// L-01.
    UnknownTokenRevocationRefused = "unknown-token-revocation-refused", "RFC 7009 §2.2",
        "revoking a token the server does not know answers 400";
    /// N-10.
    RegistrationCacheable = "registration-cacheable", "RFC 7591 §3.2.1",
        "registration responses carry no Cache-Control: no-store";
    /// H-07.
    AssertionExpOptional = "assertion-exp-optional", "RFC 7523 §3 item 4",
        "a client assertion without exp is accepted";
    /// H-08.
    ExpiredAssertionAccepted = "expired-assertion-accepted", "RFC 7523 §3 item 4",
        "an expired client assertion is accepted (neither exp nor the age of iat is checked)";
    /// H-10.
    StringTimestampsAccepted = "string-timestamps-accepted", "RFC 7519 §2, §4.1.4",
        "client assertion timestamps given as RFC 3339 strings are accepted";
    /// H-11.
    FutureAssertionAccepted = "future-assertion-accepted", "RFC 7523 §3 item 6",
        "a client assertion issued in the future is accepted";
    /// H-15.
    AssertionJtiOptional = "assertion-jti-optional", "OIDC Core §9",
        "a client assertion without jti is accepted";
    /// H-16.
    AssertionSubUnchecked = "assertion-sub-unchecked", "RFC 7523 §3 item 2",
        "the client is named by the assertion's iss; its sub is not checked";
    /// H-17.
    AssertionIssUnchecked = "assertion-iss-unchecked", "OIDC Core §9",
        "the assertion's iss is not checked against the client";
    /// H-19.
    AssertionSignatureUnchecked = "assertion-signature-unchecked", "RFC 7523 §3 item 9",
        "the client assertion's signature is not verified";
    /// H-20.
    AssertionAlgNoneAccepted = "assertion-alg-none-accepted", "RFC 8725 §2.1, §3.1",
        "an unsigned client assertion (alg none) is accepted";
    /// H-21.
    AssertionTypeUnchecked = "assertion-type-unchecked", "RFC 7523 §2.2",
        "any client_assertion_type is accepted with a client assertion";
    /// A-05 (with E-13, whose step pins the code).
    UnregisteredErrorCode = "unregistered-error-code", "RFC 6749 §5.2",
        "an unknown grant type is answered with the unregistered error code unsupported_grant";
    /// E-13.
    UnknownGrantInvalidRequest = "unknown-grant-invalid-request", "RFC 6749 §5.2",
        "an unknown grant type is answered invalid_request, not unsupported_grant_type";
    /// E-06.
    TwoAuthMethodsAccepted = "two-auth-methods-accepted", "RFC 6749 §2.3",
        "a request authenticated with Basic and client_secret_post at once is accepted";
    /// G-01.
    RequestedScopeRefused = "requested-scope-refused", "RFC 6749 §4.4.2, §3.3",
        "client_credentials requests that name a scope are refused, even an allowed one";
    /// G-04.
    UnauthorizedScopeGranted = "unauthorized-scope-granted", "RFC 6749 §3.3, §5.2",
        "client_credentials grants whatever scope is asked";
    /// G-05.
    MissingAuthInvalidRequest = "missing-auth-invalid-request", "RFC 6749 §5.2",
        "a request without client authentication gets invalid_request, not invalid_client";
    /// H-01.
    AssertionNeedsClientId = "assertion-needs-client-id", "RFC 7523 §3.1",
        "a client assertion is refused unless the optional client_id parameter comes with it";
    /// I-01.
    RefreshTokenRefused = "refresh-token-refused", "RFC 6749 §6",
        "a valid refresh token is answered invalid_grant";
    /// K-01.
    IntrospectionAlwaysInactive = "introspection-always-inactive", "RFC 7662 §2.2",
        "introspection says active: false for every token";
    /// K-02.
    IntrospectionOpen = "introspection-open", "RFC 7662 §2.1",
        "introspection answers requests without client authentication";
    /// N-01.
    Registration200 = "registration-200", "RFC 7591 §3.2.1",
        "a successful registration answers 200, not 201 Created";
    /// N-07.
    UnknownClient404 = "unknown-client-404", "RFC 7592 §2.1",
        "management of an unknown client answers 404 before the registration access token is checked";
    /// J-03.
    UserinfoBodyTokenRefused = "userinfo-body-token-refused", "RFC 6750 §2.2",
        "UserInfo refuses an access token sent in a form body with 400";
    /// J-09.
    MissingTokenErrorCode = "missing-token-error-code", "RFC 6750 §3.1",
        "a UserInfo request without a token gets an error code in its challenge";
    /// J-11.
    ClientTokenGetsAProfile = "client-token-gets-a-profile", "OIDC Core §5.3",
        "UserInfo answers a client_credentials token with the first test user's profile";
    /// D-08.
    PromptNoneShowsLogin = "prompt-none-shows-login", "OIDC Core §3.1.2.6",
        "prompt=none without a session shows the login page instead of login_required";
    /// M-02.
    VerifierOptional = "verifier-optional", "RFC 7636 §4.6; RFC 9700 §2.1.1",
        "a code issued with a challenge is exchanged without its verifier";
    /// M-04.
    PkceDowngradeAccepted = "pkce-downgrade-accepted", "RFC 9700 §4.8",
        "a code issued without a challenge is exchanged with a code_verifier";
    /// M-08.
    PublicClientWithoutPkce = "public-client-without-pkce", "RFC 9700 §2.1.1",
        "a public client's authorization request without a code_challenge is accepted";
    /// E-03.
    ConsumerLifetime7200 = "consumer-lifetime-7200", "provider documentation (App credentials)",
        "consumer access tokens live 7200 s instead of the documented 3600";
    /// H-02.
    CertificateRefreshExpiryMissing = "certificate-refresh-expiry-missing",
        "provider documentation (App credentials with certificate)",
        "certificate-style token responses omit refresh_expires_in";
    /// J-07.
    UserinfoRolesString = "userinfo-roles-string", "provider documentation (User info)",
        "UserInfo gives roles as a comma-separated string instead of an array";
    /// D-04.
    CodeWithoutPrefix = "code-without-prefix", "provider documentation (User login)",
        "authorization codes lack the documented ac- prefix";
    /// F-08.
    LongSubject = "long-subject", "OIDC Core §2",
        "subjects are 320 characters long";
    /// J-01 (and J-07, which pins the documented payload).
    UserinfoGetSubOnly = "userinfo-get-sub-only", "OIDC Core §5.3.1",
        "UserInfo answers GET with the sub alone, whatever the scopes";
    /// D-06.
    ErrorPageForBadRequest = "error-page-for-bad-request", "RFC 6749 §4.1.2.1",
        "an unsupported response_type from a valid client gets an error page, not a redirect";
    /// E-02.
    IdTokenMissing = "id-token-missing", "OIDC Core §3.1.3.3",
        "the code exchange answers without an ID token although openid was granted";
    /// E-05.
    QueryCredentialsAccepted = "query-credentials-accepted", "RFC 6749 §2.3.1",
        "client_id and client_secret in the token endpoint's query string are accepted";
    /// H-25.
    AssertionUseChecked = "assertion-use-checked", "RFC 7515 §4",
        "a client assertion whose header use is not sig is refused";
    /// I-02.
    RefreshTokenNotBoundToClient = "refresh-token-not-bound-to-client", "RFC 6749 §6, §10.4",
        "a refresh token issued to one client is accepted from another";
    /// L-04.
    RefreshRevocationKeepsAccessTokens = "refresh-revocation-keeps-access-tokens",
        "RFC 7009 §2.1", "revoking a refresh token leaves the access tokens of its grant active";
    /// L-05.
    CrossClientRevocation = "cross-client-revocation", "RFC 7009 §2.1",
        "a client can revoke a token issued to another client";
    /// H-26.
    AssertionWithBasicAccepted = "assertion-with-basic-accepted", "RFC 6749 §2.3",
        "a client assertion sent with a Basic header is accepted (the header is ignored)";
    /// M-01.
    S256VerifiedAsPlain = "s256-verified-as-plain", "RFC 7636 §4.6",
        "S256 challenges are compared with the verifier as if they were plain";
    /// KC-01 (the keycloak flavour).
    NotBeforePolicyMissing = "not-before-policy-missing", "Keycloak AccessTokenResponse",
        "keycloak flavour: token responses omit not-before-policy";
    /// KC-02 (the keycloak flavour).
    SessionStateMissing = "session-state-missing", "Keycloak TokenManager",
        "keycloak flavour: token responses of a user's grant omit session_state";
    /// KC-03 (the keycloak flavour).
    CodeErrorsUndescribed = "code-errors-undescribed", "Keycloak AuthorizationCodeGrantType",
        "keycloak flavour: refused code exchanges carry no error_description";
    /// KC-04 (the keycloak flavour).
    ClientAuthErrorUndescribed = "client-auth-error-undescribed", "Keycloak AuthenticationProcessor",
        "keycloak flavour: a failed client authentication carries no error_description";
    /// KC-05 (the keycloak flavour).
    ServiceAccountRefusalUndescribed = "service-account-refusal-undescribed",
        "Keycloak ClientCredentialsGrantType",
        "keycloak flavour: client_credentials from a client without a service account carries no error_description";
    /// KC-06 (the keycloak flavour).
    UserinfoChallengeUndescribed = "userinfo-challenge-undescribed", "Keycloak UserInfoEndpoint",
        "keycloak flavour: UserInfo refuses a bad token with a challenge without realm or error_description";
    /// KC-07 (the keycloak flavour).
    GenericEndpointPaths = "generic-endpoint-paths", "Keycloak OIDCWellKnownProvider",
        "keycloak flavour: the endpoints are served at the generic sandbox's paths (/token, /jwks.json, ...)";
    // Group H/E/I/A (checklist items without a rule before).
    /// H-04.
    AssertionTokenEndpointAudAccepted = "assertion-token-endpoint-aud-accepted",
        "RFC 10070 (RFC 7523 §3 item 3)",
        "an assertion addressed to the token endpoint URL is accepted, as the provider documents";
    /// H-05.
    AssertionAudienceArrayAccepted = "assertion-audience-array-accepted",
        "RFC 10070 (RFC 7523 §3 item 3)",
        "an assertion whose aud array holds the issuer among other values is accepted";
    /// H-09.
    AssertionNbfIgnored = "assertion-nbf-ignored", "RFC 7523 §3 item 5",
        "an assertion not valid before a future time (nbf) is accepted";
    /// H-18.
    AssertionClientIdUnchecked = "assertion-client-id-unchecked", "RFC 7521 §4.2",
        "a client_id parameter other than the assertion's sub is ignored";
    /// H-22.
    AssertionExtraSegmentsIgnored = "assertion-extra-segments-ignored", "RFC 7523 §2.2",
        "only the first three dot-separated parts of client_assertion are read (two JWTs pass)";
    /// H-23.
    AssertionRefusal403 = "assertion-refusal-403", "RFC 7523 §3.2; RFC 6749 §5.2",
        "a refused client assertion is answered with 403 instead of 400";
    /// H-24.
    AssertionTypJwtRequired = "assertion-typ-jwt-required", "RFC 10070",
        "an assertion typed client-authentication+jwt, or untyped, is refused: typ must be JWT";
    /// E-01.
    CodeExchangeNeedsVerifier = "code-exchange-needs-verifier", "RFC 6749 §4.1.3",
        "a code issued without a PKCE challenge cannot be exchanged without a code_verifier";
    /// E-14.
    TokenEndpointGetAccepted = "token-endpoint-get-accepted", "RFC 6749 §3.2",
        "GET on the token endpoint is served, its query read as the form";
    /// I-03.
    RefreshScopeWidened = "refresh-scope-widened", "RFC 6749 §6",
        "a refresh may ask for more scope than the original grant, and gets it";
    /// I-05.
    RefreshedIdTokenNewAuthTime = "refreshed-id-token-new-auth-time", "OIDC Core §12.2",
        "the ID token of a refresh carries a later auth_time than the original authentication";
    ///
    EmptyParameterRefused = "empty-parameter-refused", "RFC 6749 §3.1, §3.2",
        "a token request parameter sent without a value is refused instead of treated as omitted";
    // Group K/L/J/G (checklist items without a rule before).
    /// K-03.
    IntrospectionClientError400 = "introspection-client-error-400", "RFC 7662 §2.3",
        "introspection answers a failed client authentication with 400 instead of 401";
    /// K-05.
    IntrospectionTrustsHint = "introspection-trusts-hint", "RFC 7662 §2.1",
        "introspection looks a token up only among the tokens its token_type_hint names";
    /// L-02.
    RevokedTokenRevocationRefused = "revoked-token-revocation-refused", "RFC 7009 §2.2",
        "revoking an already revoked or a malformed token is answered 400 invalid_request";
    /// L-06.
    MissingTokenRevocation200 = "missing-token-revocation-200", "RFC 7009 §2.2.1",
        "a revocation request without a token is answered 200";
    /// L-07.
    UnknownHintRefused = "unknown-hint-refused", "RFC 7009 §2.1",
        "revocation refuses an unknown token_type_hint with 400 unsupported_token_type";
    /// L-08.
    RevocationSecretUnchecked = "revocation-secret-unchecked", "RFC 7009 §2.1; RFC 6749 §2.3.1",
        "revocation accepts the client named in a Basic header or the form, whatever its credentials";
    /// L-09.
    RefreshRevocationUnsupported = "refresh-revocation-unsupported", "RFC 7009 §2",
        "revocation answers unsupported_token_type for refresh tokens";
    /// J-05.
    TwoTokenMethodsAccepted = "two-token-methods-accepted", "RFC 6750 §2",
        "UserInfo accepts a token sent in the Authorization header and in the body at once";
    /// J-08.
    UserinfoIgnoresScopes = "userinfo-ignores-scopes", "OIDC Core §5.4",
        "UserInfo releases every claim whatever scopes the token was granted";
    /// J-12.
    UserinfoWithoutOpenid = "userinfo-without-openid", "RFC 6750 §3.1; OIDC Core §5.3",
        "UserInfo answers a user's token that was not granted openid with the profile";
    /// J-13.
    UserinfoJwtOnAccept = "userinfo-jwt-on-accept", "OIDC Core §5.3.2",
        "UserInfo answers a signed JWT to a request that accepts one, though no client registered it";
    /// G-08.
    ResourceAcceptsRevokedTokens = "resource-accepts-revoked-tokens", "RFC 6750 §3.1; RFC 7009 §2",
        "the protected resource accepts revoked access tokens";
    // Group A/B/C/D/F/M (checklist items without a rule before).
    ///
    LoginOverPlainHttp = "login-over-plain-http", "RFC 6749 §3.1, §10.9",
        "the login form posts the password over plain http to a host name (localhost), not to a loopback IP literal";
    /// B-08.
    GrantTypesUnadvertised = "grant-types-unadvertised", "OIDC Discovery §3; RFC 8414 §2",
        "discovery omits grant_types_supported (so: authorization_code and implicit) yet serves client_credentials and refresh_token";
    /// B-09.
    PlainHttpEndpointAdvertised = "plain-http-endpoint-advertised", "OIDC Discovery §3",
        "discovery advertises an end_session_endpoint over plain http on another host";
    /// B-12.
    AuthorizationIssMissing = "authorization-iss-missing", "RFC 9207 §2",
        "authorization responses omit iss although discovery advertises it";
    /// C-04.
    JwksEncKeyWithoutUse = "jwks-enc-key-without-use", "OIDC Discovery §3 (jwks_uri)",
        "the key set adds an RSA-OAEP encryption key without use beside the signing key";
    /// D-07.
    UnknownChallengeMethodAccepted = "unknown-challenge-method-accepted", "RFC 7636 §4.4.1",
        "an unknown code_challenge_method is taken as plain instead of refused";
    /// D-12.
    HttpRedirectUriAuthorized = "http-redirect-uri-authorized", "RFC 9700 §2.6",
        "authorization accepts a client's redirect path on http://app.example, a development host off loopback";
    /// D-14.
    ImplicitGrantServed = "implicit-grant-served", "RFC 9700 §2.1.2",
        "response_type=token is served: an access token in the redirect's fragment";
    /// F-09.
    AuthTimeMissing = "auth-time-missing", "OIDC Core §2",
        "ID tokens omit auth_time although max_age was requested";
    /// M-05.
    MalformedVerifierAccepted = "malformed-verifier-accepted", "RFC 7636 §4.1",
        "a code_verifier is accepted whatever its length and characters, when it matches the challenge";
    /// M-07.
    MethodlessChallengeAsS256 = "methodless-challenge-as-s256", "RFC 7636 §4.3",
        "a code_challenge sent without a method is taken as S256 instead of plain";
    // A-01 (plain http next to https) and B-09 (reachability): the parts of the items
    // exercised late.
    ///
    PlainHttpServed = "plain-http-served", "RFC 6749 §3.1, §10.9",
        "the plain-http listener of an https sandbox serves every endpoint instead of redirecting to https";
    ///
    PlainHttpRedirectLeaks = "plain-http-redirect-leaks", "RFC 6749 §3.1, §10.9",
        "the plain-http listener redirects to https with the request's query and form parameters in the Location";
    /// B-09.
    UnreachableEndpointAdvertised = "unreachable-endpoint-advertised", "OIDC Discovery §3",
        "discovery advertises a device_authorization_endpoint that nothing serves (404)";
    // Group G-08/L-06 (the halves of the items that were not exercised).
    /// G-08.
    ResourceAcceptsExpiredTokens = "resource-accepts-expired-tokens", "RFC 6750 §3.1",
        "the protected resource accepts expired access tokens";
    /// L-06.
    UnsupportedTokenTypeInvalidRequest = "unsupported-token-type-invalid-request", "RFC 7009 §2.2.1",
        "an access token the sandbox does not revoke (`access_token_revocation`) gets 400 invalid_request, not unsupported_token_type";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case_and_parse_back() {
        for d in Defect::ALL {
            let name = d.name();
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            );
            assert_eq!(name.parse::<Defect>().ok(), Some(*d));
            assert!(!d.description().is_empty());
            assert!(!d.clause().is_empty());
        }
        assert!("no-such-defect".parse::<Defect>().is_err());
        assert!(
            Defect::ALL.len() <= 64 * super::super::defect_set::WORDS,
            "DefectSet has room for 256"
        );
    }
}
