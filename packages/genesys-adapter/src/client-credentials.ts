import type { FetchLike, Logger } from '@kaa/core';
import { encodeBase64, KaaError, redact, silentLogger } from '@kaa/core';
import type { GenesysHosts } from './environment.js';
import { joinUrl } from './environment.js';
import { defaultFetch } from './ports.js';
import { readTokenResponse } from './token-response.js';

/**
 * Options of {@link createClientCredentialsAuth}.
 *
 * @example
 * ```ts
 * const options: ClientCredentialsOptions = { clientId, clientSecret: process.env.GENESYS_SECRET!, environment };
 * ```
 */
export interface ClientCredentialsOptions {
  clientId: string;
  /** Never logged, never in an error: redacted everywhere. */
  clientSecret: string;
  environment: GenesysHosts;
  fetch?: FetchLike;
  /** Clock in ms since the epoch. Default `Date.now`. */
  now?: () => number;
  logger?: Logger;
  /** Renew this long before expiry. Default 60 000 ms. */
  refreshBeforeMs?: number;
}

/**
 * A client-credentials token source; plugs into {@link createGenesysApi} as `auth`.
 *
 * @example
 * ```ts
 * const auth: ClientCredentialsAuth = createClientCredentialsAuth(options);
 * const token = await auth.getToken();
 * ```
 */
export interface ClientCredentialsAuth {
  /** A cached token, fetched (once, even for concurrent callers) when missing or within 60 s of expiry. */
  getToken(): Promise<string>;
  /** Drops the cached token and fetches a new one (used by the API client after a 401). */
  relogin(): Promise<void>;
  /** Expiry of the cached token (ms since epoch), or null. */
  expiresAt(): number | null;
}

/**
 * Server-side Genesys login with the client-credentials grant (docs/genesys-protocol.md#client-credentials): `POST {loginBase}/oauth/token`
 * with HTTP Basic auth. Not for browsers (the secret would be public).
 *
 * @example
 * ```ts
 * const auth = createClientCredentialsAuth({ clientId, clientSecret: process.env.GENESYS_SECRET!, environment });
 * const api = createGenesysApi({ environment, auth });
 * await api.getConversation(conversationId);
 * ```
 */
export function createClientCredentialsAuth(options: ClientCredentialsOptions): ClientCredentialsAuth {
  const fetchImpl = options.fetch ?? defaultFetch;
  const now = options.now ?? (() => Date.now());
  const logger = options.logger ?? silentLogger;
  const skew = options.refreshBeforeMs ?? 60_000;
  const basic = encodeBase64(`${options.clientId}:${options.clientSecret}`);
  const url = joinUrl(options.environment.loginBase, '/oauth/token');
  let cached: { token: string; expiresAt: number } | null = null;
  let inflight: Promise<string> | null = null;

  const fetchToken = async (): Promise<string> => {
    const secrets = [options.clientSecret, basic];
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${basic}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
      });
    } catch (cause) {
      throw new KaaError(
        'E_NETWORK',
        `Could not reach the Genesys login server ${options.environment.loginBase}. Check the network and the configured environment.`,
        {
          details: { url, reason: redact(String((cause as Error)?.message ?? cause), secrets) },
          secrets,
        },
      );
    }
    const answer = await readTokenResponse(response, options.environment.loginBase, secrets);
    if (!answer.ok) {
      const denied = answer.status === 400 || answer.status === 401 || answer.status === 403;
      throw new KaaError(
        denied ? 'E_AUTH_DENIED' : answer.status === 429 ? 'E_RATE_LIMITED' : 'E_HTTP_SERVER',
        denied
          ? `The Genesys login server refused client credentials for OAuth client "${options.clientId}" (HTTP ${answer.status}${answer.error ? `, ${answer.error}` : ''}). Check the client id and secret, and that the client's grant type is "Client Credentials".`
          : `The Genesys login server failed to issue a client-credentials token (HTTP ${answer.status}). Try again later.`,
        {
          details: {
            status: answer.status,
            error: answer.error,
            description: answer.description,
            correlationId: answer.correlationId,
            clientId: options.clientId,
          },
          secrets,
        },
      );
    }
    const expiresAt = now() + (answer.expiresIn ?? 86_400) * 1000;
    cached = { token: answer.accessToken, expiresAt };
    logger.info('genesys client-credentials token issued', { clientId: options.clientId, expiresAt });
    return answer.accessToken;
  };

  const refresh = () => {
    inflight ??= fetchToken().finally(() => {
      inflight = null;
    });
    return inflight;
  };

  return {
    async getToken() {
      if (cached && now() < cached.expiresAt - skew) return cached.token;
      return refresh();
    },
    async relogin() {
      cached = null;
      await refresh();
    },
    expiresAt: () => cached?.expiresAt ?? null,
  };
}
