// panva's oidc-provider, standalone, configured like the sandbox's `app_basic` client:
// client_credentials with client_secret_basic, introspection enabled, default in-memory
// adapter. Used by bench/sandbox.sh for the side-by-side throughput comparison.
// Usage: node server.js PORT CLIENT_ID CLIENT_SECRET
import Provider from 'oidc-provider';

const [port, clientId, clientSecret] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'PersonneConsult',
  }],
  scopes: ['openid', 'PersonneConsult'],
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    devInteractions: { enabled: false },
  },
});
// The library logs a warning per request about the development adapter; silence it.
provider.on('server_error', (ctx, err) => console.error(err));

provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`oidc-provider ${issuer}`);
});
