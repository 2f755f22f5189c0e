import { KaaError, isKaaError, type KaaErrorCode } from '@kaa/core';
import { createClientCredentialsAuth } from '@kaa/genesys-adapter';
import type { LoadedConfig } from '../config/loaded-config.js';
import { genesysEnvironment } from '../connections.js';
import type { CliIo } from '../io.js';
import { createPlatformSdk, type PlatformSdk } from './platform-sdk.js';

/**
 * The admin scope each kind of call needs (docs/assumptions.md#admin-client-scopes): the first is what a write needs,
 * a read also works with the `:readonly` one.
 *
 * @example
 * ```ts
 * ADMIN_SCOPES.oauth; // 'oauth'
 * ```
 */
export const ADMIN_SCOPES = {
  oauth: 'oauth',
  integrations: 'integrations',
  authorization: 'authorization',
  routing: 'routing',
  groups: 'groups:readonly',
  users: 'users:readonly',
  architect: 'architect',
} as const;

/** A kind of admin call (a key of {@link ADMIN_SCOPES}). */
export type AdminArea = keyof typeof ADMIN_SCOPES;

/**
 * A signed-in admin client: the platform SDK and `call`, which turns any failure into a `KaaError` that names what
 * kaa was doing and, for a 403, the scope to give the client.
 *
 * @example
 * ```ts
 * const session = await openAdminSession(loaded, io, { who: '"kaa provision"' });
 * const clients = await session.call('list the OAuth clients', 'oauth', () => session.sdk.oauth.getOauthClients());
 * ```
 */
export interface AdminSession {
  readonly sdk: PlatformSdk;
  /** The OAuth client the session signed in with. */
  readonly clientId: string;
  /** Which config key it came from: `genesys.adminClient` or `genesys.clientCredentials`. */
  readonly clientKey: 'adminClient' | 'clientCredentials';
  call<T>(what: string, area: AdminArea, run: () => Promise<T>, options?: { write?: boolean }): Promise<T>;
}

/**
 * Signs in with `genesys.adminClient` (or, with `allowReadClient`, `genesys.clientCredentials` when there is no admin
 * client: enough for `kaa doctor`'s reads) through genesys-adapter's client-credentials login, and opens the platform
 * SDK on the config's environment. The secret and the token join `loaded.secrets`, so nothing prints them.
 *
 * @example
 * ```ts
 * const session = await openAdminSession(loaded, io, { who: '"kaa provision"' });
 * ```
 */
export async function openAdminSession(
  loaded: LoadedConfig,
  io: CliIo,
  options: { who: string; allowReadClient?: boolean; sleep?: (ms: number) => Promise<void> },
): Promise<AdminSession> {
  const g = loaded.config.genesys;
  const clientKey =
    g.adminClient !== undefined
      ? 'adminClient'
      : options.allowReadClient && g.clientCredentials !== undefined
        ? 'clientCredentials'
        : undefined;
  const cc = clientKey === undefined ? undefined : g[clientKey];
  if (clientKey === undefined || cc === undefined) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `${loaded.where(['genesys'])}: ${options.who} needs "genesys.adminClient": a Client Credentials OAuth client { clientId, clientSecret } with the scopes ${Object.values(ADMIN_SCOPES).join(', ')} (Admin > Integrations > OAuth > Add client, grant Client Credentials). Keep it apart from genesys.clientCredentials, whose secret goes into the AudioHook integration.`,
      {
        details: { file: loaded.file, ...loaded.locate(['genesys']), field: 'genesys.adminClient' },
      },
    );
  }
  const clientSecret = await loaded.secret(cc.clientSecret, ['genesys', clientKey, 'clientSecret']);
  const environment = genesysEnvironment(loaded);
  const fetch = (u: string, i?: RequestInit) => io.fetch(u, i);
  const auth = createClientCredentialsAuth({
    clientId: cc.clientId,
    clientSecret,
    environment,
    fetch,
    now: () => io.now(),
  });
  const accessToken = await auth.getToken();
  (loaded.secrets as string[]).push(accessToken);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const sdk = createPlatformSdk({ environment, accessToken, fetch, sleep });
  return {
    sdk,
    clientId: cc.clientId,
    clientKey,
    async call(what, area, run, callOptions = {}) {
      try {
        return await run();
      } catch (e) {
        throw adminError(e, {
          what,
          area,
          write: callOptions.write ?? false,
          clientId: cc.clientId,
          clientKey,
          apiBase: environment.apiBase,
          secrets: loaded.secrets,
        });
      }
    },
  };
}

/** What the SDK rejects with: Genesys's `ErrorBody` (status, code, message, contextId), or a network error. */
interface SdkFailure {
  status?: number;
  code?: string;
  message?: string;
  contextId?: string;
}

/**
 * A failed admin call as a `KaaError`: what kaa was doing, Genesys's status, code and message, and what to change;
 * a 403 names the scope the client needs.
 *
 * @example
 * ```ts
 * throw adminError(e, { what: 'create the OAuth client', area: 'oauth', write: true, clientId, clientKey: 'adminClient', apiBase, secrets });
 * ```
 */
export function adminError(
  e: unknown,
  input: {
    what: string;
    area: AdminArea;
    write: boolean;
    clientId: string;
    clientKey: string;
    apiBase: string;
    secrets: readonly string[];
  },
): KaaError {
  if (isKaaError(e)) return e;
  const f = (typeof e === 'object' && e !== null ? e : {}) as SdkFailure;
  const status = typeof f.status === 'number' ? f.status : undefined;
  const genesys =
    status === undefined ? '' : ` (HTTP ${status}${f.code ? ` ${f.code}` : ''}${f.message ? `: ${f.message}` : ''})`;
  const scope = ADMIN_SCOPES[input.area];
  const details = {
    status: status ?? null,
    genesysCode: f.code ?? null,
    correlationId: f.contextId ?? null,
    scope,
    clientId: input.clientId,
  };
  let code: KaaErrorCode;
  let fix: string;
  if (status === undefined) {
    code = 'E_NETWORK';
    fix = `Genesys Cloud at ${input.apiBase} could not be reached (${e instanceof Error ? e.message : String(e)}). Check genesys.environment and the network, then run the command again.`;
    return new KaaError(code, `kaa could not ${input.what}: ${fix}`, { details, cause: e, secrets: input.secrets });
  }
  if (status === 401) {
    code = 'E_HTTP_UNAUTHORIZED';
    fix = `Check genesys.${input.clientKey} (client ${input.clientId}) and its secret.`;
  } else if (status === 403) {
    code = 'E_HTTP_FORBIDDEN';
    const wanted =
      input.write || !scope.endsWith(':readonly') ? scope : `${scope} (or ${scope.replace(/:readonly$/, '')})`;
    fix = `Give OAuth client ${input.clientId} (genesys.${input.clientKey}) the scope "${input.write ? scope.replace(/:readonly$/, '') : wanted}" in Admin > Integrations > OAuth > Scope (and a role with the matching permission), then run the command again.`;
  } else if (status === 404) {
    code = 'E_HTTP_NOT_FOUND';
    fix = 'It does not exist (any more): run "kaa provision plan" again.';
  } else if (status === 429) {
    code = 'E_RATE_LIMITED';
    fix =
      'Genesys kept answering 429 after kaa waited for Retry-After several times: wait a minute and run the command again.';
  } else if (status >= 500) {
    code = 'E_HTTP_SERVER';
    fix = 'Genesys Cloud failed; run the command again (what was applied stays applied).';
  } else {
    code = 'E_HTTP_BAD_REQUEST';
    fix =
      "Genesys's message says what it refused: change that value in the config, or in the organization (a licence or an org setting), then run the command again.";
  }
  return new KaaError(code, `Genesys refused to ${input.what}${genesys}. ${fix}`, { details, secrets: input.secrets });
}
