import type { FetchLike } from '@kaa/core';
import { KaaError, redact } from '@kaa/core';
import { joinUrl } from '../environment.js';
import { readTokenResponse } from '../token-response.js';
import { isGrantRefusal } from './grant-fallback.js';

/** What the token endpoint made of an authorization code: a token, or a refusal of the grant itself. */
export type CodeExchangeResult =
  { accessToken: string; expiresIn?: number } | { refused: string; description?: string };

/** Trades an authorization code and its PKCE verifier for a token at `redirectUri`. */
export type CodeExchange = (code: string, verifier: string, redirectUri: string) => Promise<CodeExchangeResult>;

/**
 * The Authorization Code + PKCE exchange, `POST {loginBase}/oauth/token` (docs/genesys-protocol.md#oauth-inside-the-iframe).
 * An unreachable server is `E_NETWORK`; any other refusal than a grant refusal is `E_AUTH_DENIED`. The code and the
 * verifier never appear in an error.
 *
 * @example
 * ```ts
 * const exchange = createCodeExchange({ fetch, loginBase: environment.loginBase, clientId });
 * const result = await exchange(code, record.codeVerifier, redirectUri);
 * ```
 */
export function createCodeExchange(options: { fetch: FetchLike; loginBase: string; clientId: string }): CodeExchange {
  const { loginBase, clientId } = options;
  return async (code, verifier, redirectUri) => {
    const secrets = [code, verifier];
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: clientId,
      code_verifier: verifier,
    });
    let response: Response;
    try {
      response = await options.fetch(joinUrl(loginBase, '/oauth/token'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: body.toString(),
      });
    } catch (cause) {
      throw new KaaError(
        'E_NETWORK',
        `Could not reach the Genesys login server to finish signing in (POST ${joinUrl(loginBase, '/oauth/token')}). Check the network, and that the login host is not blocked by a proxy or CSP.`,
        {
          details: { reason: redact(String((cause as Error)?.message ?? cause), secrets) },
          secrets,
        },
      );
    }
    const answer = await readTokenResponse(response, loginBase, secrets);
    if (answer.ok)
      return answer.expiresIn === undefined
        ? { accessToken: answer.accessToken }
        : { accessToken: answer.accessToken, expiresIn: answer.expiresIn };
    if (answer.error && isGrantRefusal(answer.error))
      return answer.description
        ? { refused: answer.error, description: answer.description }
        : { refused: answer.error };
    throw new KaaError(
      'E_AUTH_DENIED',
      `The Genesys login server would not exchange the authorization code (HTTP ${answer.status}${answer.error ? `, ${answer.error}` : ''}, POST ${joinUrl(loginBase, '/oauth/token')}). Sign in again; if it repeats, check that redirect URI "${redirectUri}" is registered exactly on OAuth client "${clientId}".`,
      {
        details: {
          status: answer.status,
          error: answer.error,
          description: answer.description,
          correlationId: answer.correlationId,
        },
        secrets,
      },
    );
  };
}
