// panva's oidc-provider, configured as an independent peer for grantspec's bundled suite.
//
// Everything the suite exercises is switched on: discovery, JWKS, the authorization code flow
// with PKCE and refresh tokens, client credentials (client_secret_basic, client_secret_post,
// private_key_jwt), UserInfo (GET and POST), introspection, revocation, RP-initiated logout and
// dynamic registration (RFC 7591, with an initial access token) with RFC 7592 management.
//
// The interaction pages (login and consent) are our own: plain HTML forms that work without
// JavaScript; the login form checks the password. oidc-provider leaves these pages to the
// deployer (its devInteractions accept any password and are off here).
//
// Configuration comes from the environment, set by run.sh:
//   OIDC_PEER_PORT            the loopback port (default 3939)
//   OIDC_PEER_IAT             the initial access token for registration (required)
//   OIDC_PEER_TOPSI_PASSWORD  the test user's password (required)
//   OIDC_PEER_RESERVED_SECRET the secret of the static client `app reserved:id` (required)
// It listens on 127.0.0.1 only and prints `issuer: URL` on stdout once it accepts connections.

import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';

import Provider, { errors } from 'oidc-provider';

const port = Number(process.env.OIDC_PEER_PORT ?? 3939);
const issuer = `http://127.0.0.1:${port}`;

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set (run.sh generates it)`);
    process.exit(2);
  }
  return value;
}

const initialAccessToken = required('OIDC_PEER_IAT');

// The API the client credentials grant gets tokens for.
const API = 'urn:grantspec:api';
const API_SCOPES = ['PersonneConsult', 'UserConsult', 'ENT_ContratServicesManage', 'ENT_ContratServicesConsult'];

// The test users. The password is a secret generated per run; the claims are the test user's
// profile the bundled suite reads back from UserInfo.
const users = new Map([
  ['topsi@example.com', {
    accountId: 'c2f1e5d0-7b1a-4f4e-9d55-0d3f3b4c8a21',
    password: required('OIDC_PEER_TOPSI_PASSWORD'),
    claims: {
      name: 'Topsi Testtopsiun',
      given_name: 'TOPSI',
      family_name: 'TESTTOPSIUN',
      email: 'topsi@example.com',
      email_verified: true,
    },
  }],
]);

function findUser(accountId) {
  return [...users.values()].find((u) => u.accountId === accountId);
}

function passwordMatches(given, expected) {
  const a = Buffer.from(String(given ?? ''));
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

// A fresh signing key at every start, as a real deployment would load from its key store.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' };

const configuration = {
  jwks: { keys: [signingKey] },
  // The code flow only: no implicit or hybrid response types (RFC 9700 §2.1.2).
  responseTypes: ['code'],
  // PKCE (S256 only) is required of public clients; confidential clients may do without, so
  // that the suite can check that a verifier sent for a code issued without a challenge is
  // refused (M-04, RFC 9700 §4.8).
  pkce: {
    methods: ['S256'],
    required: (ctx, client) => (client.clientAuthMethod ?? client.tokenEndpointAuthMethod) === 'none',
  },
  // Every client of fixtures.yaml comes from dynamic registration. The one static client is
  // what registration cannot give: an id and a secret full of characters that HTTP Basic must
  // form-urlencode (RFC 6749 §2.3.1), as the suite's `app_reserved`.
  clients: [{
    client_id: 'app reserved:id',
    client_secret: required('OIDC_PEER_RESERVED_SECRET'),
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'PersonneConsult UserConsult',
  }],
  scopes: [
    'openid', 'offline_access', 'profile', 'email', 'roles', 'identifiers',
    'ConsommationConsult', 'PersonneConsult', 'UserConsult',
    'ENT_ContratServicesManage', 'ENT_ContratServicesConsult',
  ],
  claims: {
    openid: ['sub'],
    profile: ['name', 'given_name', 'family_name'],
    email: ['email', 'email_verified'],
  },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    // Client credentials tokens are for an API: JWT access tokens (RFC 9068) signed with the
    // provider's key, as the suite's certificate flow expects a verifiable JWT. Tokens of the
    // code flow stay opaque, for UserInfo.
    resourceIndicators: {
      enabled: true,
      defaultResource: (ctx) => (ctx.oidc.params?.grant_type === 'client_credentials' ? API : undefined),
      useGrantedResource: () => false,
      getResourceServerInfo: (_ctx, resource) => {
        if (resource !== API) throw new errors.InvalidTarget();
        return {
          audience: API,
          scope: API_SCOPES.join(' '),
          accessTokenTTL: 3600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
    registration: {
      enabled: true,
      initialAccessToken,
    },
    // RFC 7592; a new registration access token after every update (the default), which
    // grantspec keeps in its state.
    registrationManagement: { enabled: true, rotateRegistrationAccessToken: true },
  },
  // oidc-provider accepts http redirect URIs for web clients of the code flow; RFC 9700 §2.6
  // forbids them except on loopback (RFC 8252 §7.3). The validator of client metadata runs
  // for every client, so it enforces that too. `grantspec_response_style` is grantspec's
  // extension member; declaring it makes RFC 7592 reads echo it back.
  extraClientMetadata: {
    properties: ['grantspec_response_style'],
    validator(_ctx, key, value, metadata) {
      if (key !== 'grantspec_response_style') return;
      if (value !== undefined && !['consumer', 'certificate'].includes(value)) {
        throw new errors.InvalidClientMetadata('grantspec_response_style must be consumer or certificate');
      }
      for (const uri of [...(metadata.redirect_uris ?? []), ...(metadata.post_logout_redirect_uris ?? [])]) {
        const { protocol, hostname } = new URL(uri);
        if (protocol === 'http:' && !['127.0.0.1', '[::1]'].includes(hostname)) {
          throw new errors.InvalidRedirectUri('http redirect URIs are only allowed on loopback (RFC 9700 §2.6)');
        }
      }
    },
  },
  // A client allowed the refresh_token grant gets a refresh token with its code.
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,
  async findAccount(_ctx, sub) {
    const user = findUser(sub);
    if (!user) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, ...user.claims };
      },
    };
  },
  interactions: {
    url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
  },
  ttl: {
    AccessToken: 3600,
    ClientCredentials: 3600,
    // Short, so that "Expired authorization code" (E-08) waits 3 s; declared in the environment.
    AuthorizationCode: 2,
    IdToken: 3600,
    RefreshToken: 14 * 24 * 3600,
    Grant: 14 * 24 * 3600,
    Interaction: 600,
    Session: 24 * 3600,
  },
  cookies: {
    keys: [randomBytes(32).toString('base64url')],
  },
};

const provider = new Provider(issuer, configuration);

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res, status, title, body) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  // The login page must not be framed (clickjacking, RFC 9700 §4.16) nor leak its URL.
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; form-action 'self'");
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.end(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${body}</body></html>`);
}

function loginPage(res, uid, error) {
  page(res, 200, 'Sign in', `${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Email <input type="text" name="username" autocomplete="username"></label>
<label>Password <input type="password" name="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form>`);
}

function consentPage(res, uid, clientId, details) {
  const scopes = details.missingOIDCScope ?? [];
  page(res, 200, 'Authorize', `<p>${escape(clientId)} asks for: ${scopes.map(escape).join(', ')}</p>
<form method="post" action="/interaction/${escape(uid)}/confirm">
<button type="submit" name="decision" value="allow">Allow</button>
</form>
<form method="post" action="/interaction/${escape(uid)}/abort">
<button type="submit">Deny</button>
</form>`);
}

async function formBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    page(res, 400, 'Error', '<p>This sign-in request has expired.</p>');
    return;
  }
  const { prompt, params, session, grantId } = details;
  if (req.method === 'GET' && !action) {
    if (prompt.name === 'login') loginPage(res, uid);
    else consentPage(res, uid, params.client_id, prompt.details);
    return;
  }
  if (req.method !== 'POST') {
    page(res, 405, 'Error', '<p>Method not allowed.</p>');
    return;
  }
  const form = await formBody(req);
  if (action === 'login' && prompt.name === 'login') {
    const user = users.get(form.get('username') ?? '');
    if (!user || !passwordMatches(form.get('password'), user.password)) {
      loginPage(res, uid, 'Wrong email or password.');
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: user.accountId } }, {
      mergeWithLastSubmission: false,
    });
    return;
  }
  if (action === 'confirm' && prompt.name === 'consent' && form.get('decision') === 'allow') {
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    const missing = prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    if (missing.missingResourceScopes) {
      for (const [indicator, scope] of Object.entries(missing.missingResourceScopes)) {
        grant.addResourceScope(indicator, scope.join(' '));
      }
    }
    await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, {
      mergeWithLastSubmission: true,
    });
    return;
  }
  if (action === 'abort') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: 'End-User aborted interaction',
    }, { mergeWithLastSubmission: false });
    return;
  }
  page(res, 400, 'Error', '<p>Unexpected submission.</p>');
}

const INTERACTION = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm|abort))?$/;
const callback = provider.callback();

const server = createServer((req, res) => {
  const path = new URL(req.url, issuer).pathname;
  const match = INTERACTION.exec(path);
  if (!match) {
    callback(req, res);
    return;
  }
  interaction(req, res, match[1], match[2]).catch((err) => {
    if (!res.headersSent) page(res, 400, 'Error', `<p>${escape(err.error_description ?? err.message)}</p>`);
    else res.end();
  });
});

server.listen(port, '127.0.0.1', () => {
  console.log(`issuer: ${issuer}`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
