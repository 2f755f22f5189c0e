import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { BodyError, readForm } from '../http/body.js';
import { applyCors, type CorsOrigins } from '../http/cors.js';
import { latencyFor } from '../http/latency.js';
import { escapeHtml, redirect, sendHtml, sendJson } from '../http/send.js';
import { USERS } from '../seed.js';
import { codeForStatus, sendErrorBody } from './error-body.js';
import { CODE_VERIFIER, verifyS256 } from './pkce.js';
import type { GenesysService } from './service.js';

const AuthorizeQuery = z.object({
  client_id: z.string().min(1).max(200),
  redirect_uri: z.string().min(1).max(2000),
  response_type: z.string().max(100).optional(),
  state: z.string().max(4096).optional(),
  code_challenge: z.string().max(200).optional(),
  code_challenge_method: z.string().max(20).optional(),
  login_hint: z.string().max(200).optional(),
  prompt: z.string().max(50).optional(),
  org: z.string().max(200).optional(),
  provider: z.string().max(200).optional(),
});

const TokenForm = z.discriminatedUnion('grant_type', [
  z.object({
    grant_type: z.literal('authorization_code'),
    code: z.string().min(1).max(500),
    redirect_uri: z.string().min(1).max(2000),
    client_id: z.string().min(1).max(200).optional(),
    code_verifier: z.string().max(200).optional(),
  }),
  z.object({ grant_type: z.literal('client_credentials') }),
]);

type OAuthError =
  | 'invalid_request'
  | 'unauthorized_client'
  | 'unsupported_response_type'
  | 'invalid_grant'
  | 'invalid_client'
  | 'unsupported_grant_type'
  | 'access_denied';

/**
 * The login origin's request handler: `GET /oauth/authorize` (implicit and authorization code + PKCE, exact
 * redirect-URI and grant checks, errors delivered on the redirect when the URI is valid, else a 400 page) and
 * `POST /oauth/token` (`authorization_code` with S256 verification and one-time codes; `client_credentials` with
 * HTTP Basic), JSON `{error, error_description}` on failure, CORS for the page origin.
 *
 * @example
 * ```ts
 * const login = await listen(loginHandler(service, () => corsOrigins));
 * ```
 */
export function loginHandler(g: GenesysService, cors: () => CorsOrigins) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (
      applyCors(req, res, {
        origins: cors(),
        exposeHeaders: ['inin-correlation-id'],
        methods: ['POST', 'GET', 'OPTIONS'],
      })
    )
      return;
    await sleepFor(g, url.pathname);
    // an injected failure is answered once the caller is identified (see `InjectedFailure`)
    const injected: InjectedFailure = () => {
      const failed = g.faultState.takeFailure(req.method ?? 'GET', url.pathname);
      if (failed === undefined) return false;
      sendErrorBody(res, failed, codeForStatus(failed), `Injected sandbox failure (status ${failed}).`, g.env.uuid());
      return true;
    };
    if (url.pathname === '/oauth/authorize' && req.method === 'GET') return authorize(g, url, res, injected);
    if (url.pathname === '/oauth/token' && req.method === 'POST') return token(g, req, res, injected);
    if (injected()) return;
    sendHtml(res, 404, '<!doctype html><title>Not found</title><h1>Not found</h1>');
  };
}

/**
 * Answers a queued `failNext` failure and returns true, else false. The login origin calls it after it has
 * identified the caller — `/oauth/authorize` after the client and its redirect URI are checked, `/oauth/token` after
 * the client authenticated (and, for a code, the code is this client's, live and unused) but before the code is
 * spent — so an unknown client or a wrong secret is refused as usual and leaves the failure queued.
 */
type InjectedFailure = () => boolean;

async function sleepFor(g: GenesysService, path: string): Promise<void> {
  const ms = latencyFor(g.faultState.latency, path);
  if (ms > 0) await g.sleep(ms);
}

/**
 * The headers of a login page that refuses to be framed (fault `refuseFraming`).
 *
 * @example
 * ```ts
 * expect(res.headers.get('x-frame-options')).toBe(REFUSE_FRAMING_HEADERS['x-frame-options']);
 * ```
 */
export const REFUSE_FRAMING_HEADERS = {
  'x-frame-options': 'DENY',
  'content-security-policy': "frame-ancestors 'none'",
} as const;

function badPage(res: ServerResponse, title: string, text: string, headers: Record<string, string> = {}): void {
  sendHtml(
    res,
    400,
    `<!doctype html><meta charset="utf-8"><title>${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`,
    headers,
  );
}

/**
 * The answer of `/oauth/authorize`: a 302, or with `refuseFraming` a sign-in page carrying the refusal headers that
 * continues to `location` by itself (meta refresh; a framed one is blocked by the browser before it renders).
 */
function answer(g: GenesysService, res: ServerResponse, location: string): void {
  if (!g.faultState.refuseFraming) return redirect(res, location);
  sendHtml(
    res,
    200,
    `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${escapeHtml(location)}"><title>Genesys Cloud sandbox login</title><h1>Signing in…</h1><p><a id="continue" href="${escapeHtml(location)}">Continue</a></p>`,
    REFUSE_FRAMING_HEADERS,
  );
}

function authorize(g: GenesysService, url: URL, res: ServerResponse, injected: InjectedFailure): void {
  const frameHeaders: Record<string, string> = g.faultState.refuseFraming ? { ...REFUSE_FRAMING_HEADERS } : {};
  const parsed = AuthorizeQuery.safeParse(Object.fromEntries(url.searchParams.entries()));
  if (!parsed.success) return badPage(res, 'Invalid request', 'client_id and redirect_uri are required.', frameHeaders);
  const q = parsed.data;
  const client = g.clients.get(q.client_id);
  if (!client)
    return badPage(
      res,
      'Unknown client',
      `No OAuth client with id "${q.client_id}" exists in this organization.`,
      frameHeaders,
    );
  if (!client.redirectUris.includes(q.redirect_uri)) {
    return badPage(
      res,
      'Invalid redirect_uri',
      `The redirect URI is not registered for client "${client.id}". Registered: ${client.redirectUris.join(', ') || '(none)'}.`,
      frameHeaders,
    );
  }
  if (injected()) return;
  const implicit = q.response_type === 'token';
  const fail = (error: OAuthError, description: string): void => {
    const params = new URLSearchParams({
      error,
      error_description: description,
      ...(q.state !== undefined ? { state: q.state } : {}),
    });
    answer(g, res, `${q.redirect_uri}${implicit ? '#' : q.redirect_uri.includes('?') ? '&' : '?'}${params}`);
  };
  if (q.response_type !== 'token' && q.response_type !== 'code')
    return fail(
      'unsupported_response_type',
      `response_type "${q.response_type ?? ''}" is not supported; use "code" or "token".`,
    );
  if (implicit && !client.grants.includes('implicit'))
    return fail('unauthorized_client', 'This client is not authorized to use the implicit grant.');
  if (!implicit && !client.grants.includes('pkce'))
    return fail('unauthorized_client', 'This client is not authorized to use the authorization code grant.');
  if (
    !implicit &&
    (!q.code_challenge || q.code_challenge_method !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(q.code_challenge))
  ) {
    return fail(
      'invalid_request',
      'PKCE is required: send code_challenge (base64url SHA-256, 43 characters) with code_challenge_method=S256.',
    );
  }
  const user = pickUser(g, q.login_hint);
  if (q.prompt === 'login') {
    const next = new URL(url);
    next.searchParams.delete('prompt');
    return sendHtml(
      res,
      200,
      `<!doctype html><meta charset="utf-8"><title>Genesys Cloud sandbox login</title><h1>Sign in</h1><p>Signed in as <strong id="user">${escapeHtml(user.name)}</strong> (${escapeHtml(user.email)}).</p><p><a id="continue" href="${escapeHtml(next.pathname + next.search)}">Continue</a></p>`,
      frameHeaders,
    );
  }
  if (implicit) {
    const t = g.tokens.issue(
      { clientId: client.id, grant: 'implicit', userId: user.id, scopes: client.scopes },
      g.faultState.tokenTtlSeconds,
    );
    const params = new URLSearchParams({
      access_token: t.token,
      expires_in: String(g.faultState.tokenTtlSeconds),
      token_type: 'bearer',
      ...(q.state !== undefined ? { state: q.state } : {}),
    });
    return answer(g, res, `${q.redirect_uri}#${params}`);
  }
  const code = g.tokens.newCode(
    { clientId: client.id, redirectUri: q.redirect_uri, codeChallenge: q.code_challenge ?? '', userId: user.id },
    g.settings.codeTtlSeconds,
  );
  const params = new URLSearchParams({ code: code.code, ...(q.state !== undefined ? { state: q.state } : {}) });
  answer(g, res, `${q.redirect_uri}${q.redirect_uri.includes('?') ? '&' : '?'}${params}`);
}

function pickUser(g: GenesysService, hint: string | undefined): { id: string; name: string; email: string } {
  const byHint = hint
    ? Object.values(USERS).find((u) => u.id === hint || u.email.toLowerCase() === hint.toLowerCase())
    : undefined;
  return byHint ?? Object.values(USERS).find((u) => u.id === g.loginUserId) ?? USERS.agent;
}

function oauthError(res: ServerResponse, status: number, error: OAuthError, description: string): void {
  sendJson(
    res,
    status,
    { error, description, error_description: description },
    status === 401 ? { 'www-authenticate': 'Basic realm="sandbox"' } : {},
  );
}

async function token(
  g: GenesysService,
  req: IncomingMessage,
  res: ServerResponse,
  injected: InjectedFailure,
): Promise<void> {
  let form: Record<string, string>;
  try {
    form = await readForm(req);
  } catch (e) {
    return oauthError(
      res,
      e instanceof BodyError ? e.status : 400,
      'invalid_request',
      'The request body could not be read.',
    );
  }
  const parsed = TokenForm.safeParse(form);
  if (!parsed.success) {
    const known = form.grant_type === 'authorization_code' || form.grant_type === 'client_credentials';
    return oauthError(
      res,
      400,
      known ? 'invalid_request' : 'unsupported_grant_type',
      known
        ? 'Missing or invalid parameters for this grant_type.'
        : `grant_type "${form.grant_type ?? ''}" is not supported.`,
    );
  }
  const basic = parseBasic(req.headers.authorization);
  const body = parsed.data;
  g.secrets.add('genesys-client-secret', basic?.secret);
  if (body.grant_type === 'authorization_code') g.secrets.add('genesys-pkce-verifier', body.code_verifier);
  if (body.grant_type === 'client_credentials') {
    const client = basic ? g.clients.get(basic.id) : undefined;
    if (!basic || !client || client.secret === undefined || client.secret !== basic.secret)
      return oauthError(res, 401, 'invalid_client', 'Client authentication failed.');
    if (!client.grants.includes('client_credentials'))
      return oauthError(
        res,
        400,
        'unauthorized_client',
        'This client is not authorized to use the client credentials grant.',
      );
    if (injected()) return;
    const t = g.tokens.issue(
      { clientId: client.id, grant: 'client_credentials', scopes: client.scopes },
      g.faultState.tokenTtlSeconds,
    );
    return sendJson(res, 200, {
      access_token: t.token,
      token_type: 'bearer',
      expires_in: g.faultState.tokenTtlSeconds,
    });
  }
  const clientId = body.client_id ?? basic?.id;
  const client = clientId ? g.clients.get(clientId) : undefined;
  if (!client) return oauthError(res, 401, 'invalid_client', 'Unknown client_id.');
  if (!client.grants.includes('pkce'))
    return oauthError(
      res,
      400,
      'unauthorized_client',
      'This client is not authorized to use the authorization code grant.',
    );
  const code = g.tokens.code(body.code);
  if (!code || code.used || code.expiresAt <= g.env.now() || code.clientId !== client.id)
    return oauthError(res, 400, 'invalid_grant', 'The authorization code is invalid, expired or already used.');
  if (injected()) return;
  code.used = true;
  if (code.redirectUri !== body.redirect_uri)
    return oauthError(res, 400, 'invalid_grant', 'redirect_uri does not match the one used to get the code.');
  if (
    body.code_verifier === undefined ||
    !CODE_VERIFIER.test(body.code_verifier) ||
    !verifyS256(body.code_verifier, code.codeChallenge)
  ) {
    return oauthError(res, 400, 'invalid_grant', 'code_verifier does not match the code_challenge.');
  }
  const t = g.tokens.issue(
    { clientId: client.id, grant: 'pkce', userId: code.userId, scopes: client.scopes },
    g.faultState.tokenTtlSeconds,
  );
  sendJson(res, 200, { access_token: t.token, token_type: 'bearer', expires_in: g.faultState.tokenTtlSeconds });
}

function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!m?.[1]) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const i = text.indexOf(':');
  if (i < 0) return undefined;
  return { id: text.slice(0, i), secret: text.slice(i + 1) };
}
