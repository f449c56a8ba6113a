// An independent OpenID Provider for the tests, built on the certified `oidc-provider` library.
// Usage: ISSUER=http://localhost:PORT PORT=PORT CLIENTS='[{"client_id": ...}]' node provider.mjs
//        (or --issuer URL --port N --host 127.0.0.1). Prints `READY <issuer>` once it listens.
// The development login form accepts any login and password; the login becomes the subject.
import { generateKeyPairSync } from 'node:crypto';
import { parseArgs } from 'node:util';

// Drop the library's "development-only" notices (wanted here); keep every other warning.
const devNotice = /^oidc-provider (NOTICE|WARNING): (a quick start development-only|default \w+ function called)/;
for (const level of ['info', 'warn']) {
  const original = console[level];
  console[level] = (first, ...rest) => (devNotice.test(String(first)) ? undefined : original(first, ...rest));
}
const { default: Provider } = await import('oidc-provider');

const { values: args } = parseArgs({ options: { issuer: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } } });
const port = Number(args.port ?? process.env.PORT ?? 4000);
const host = args.host ?? process.env.HOST ?? '127.0.0.1';
const issuer = args.issuer ?? process.env.ISSUER ?? `http://localhost:${port}`;
const clients = JSON.parse(process.env.CLIENTS ?? '[]').map((client) => ({
  grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic', ...client,
}));
// One signing key per process: the ID tokens of a run verify against the same JWKS.
const signingKey = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' };
const page = (title, body) => `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [signingKey] },
  cookies: { keys: ['habit-wizard-test-cookie-key-1', 'habit-wizard-test-cookie-key-2'] },
  pkce: { required: () => true }, // S256 is the only method oidc-provider 9 supports
  responseTypes: ['code'],
  clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  conformIdTokenClaims: false, // put the scope's claims (email, name) in the ID token too, like most IdPs
  findAccount: (ctx, sub) => ({
    accountId: sub,
    claims: () => ({ sub, email: `${sub}@example.org`, email_verified: true, name: `User ${sub}` }),
  }),
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: (ctx, form) => {
        ctx.body = page('Sign out', `${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button><button type="submit" form="op.logoutForm">No</button>`);
      },
      postLogoutSuccessSource: (ctx) => { ctx.body = page('Signed out', '<h1>Signed out</h1>'); },
    },
  },
  renderError: (ctx, out) => {
    ctx.type = 'html';
    ctx.body = page('Error', `<h1 id="error">${esc(out.error)}</h1><p id="error_description">${esc(out.error_description)}</p>`);
  },
});
provider.on('server_error', (ctx, error) => console.error('server_error', error));

// Static clients are validated lazily by the library: validate them now, so a bad one fails the start.
for (const { client_id: id } of clients) {
  if (!(await provider.Client.find(id))) throw new Error(`client ${id} was not loaded`);
}
const server = provider.listen(port, host, () => console.log(`READY ${issuer}`));
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
