import { KaaError } from '@kaa/core';
import type { FetchLike, GenesysEnvironment } from '@kaa/core';
import { createGenesysApi } from '@kaa/genesys-adapter';
import type { GenesysApi } from '@kaa/genesys-adapter';
import type { BrokerStore } from './store.js';

/** One Genesys environment the broker serves and the organisations it serves there. */
export interface ServedEnvironment {
  readonly environment: GenesysEnvironment;
  /** Genesys organisation ids (`users/me?expand=organization` → `organization.id`). */
  readonly orgIds: readonly string[];
}

/** A verified agent: who the token belongs to. No token in it. */
export interface VerifiedAgent {
  readonly userId: string;
  readonly name?: string;
  readonly email?: string;
  readonly orgId: string;
  readonly environment: string;
}

/** What {@link createAgentVerifier} needs. */
export interface AgentVerifierOptions {
  served: readonly ServedEnvironment[];
  store: BrokerStore;
  fetch: FetchLike;
  now: () => number;
  /** Longest time a verification is reused, in ms (setting `broker.verifyCacheSeconds`). */
  cacheMaxMs: number;
  /** Genesys attempts per call (5xx and network failures of reads are retried). */
  maxAttempts: number;
}

/** Verifies agents' Genesys tokens and gives each request its Genesys API client (with the agent's own token). */
export interface AgentVerifier {
  /** The served environment named `name`, or `E_ORG_NOT_ALLOWED`. */
  environment(name: string): ServedEnvironment;
  /**
   * `users/me` with the token (cached by the token's SHA-256 for at most `cacheMaxMs` and the token's remaining
   * lifetime when the page tells it), and the organisation checked against the allow-list.
   */
  verify(
    token: string,
    environmentName: string,
    tokenExpiresAt: number | undefined,
  ): Promise<{ agent: VerifiedAgent; cached: boolean }>;
  /** The Genesys API as the agent: the conversation is read with the agent's token, never the broker's. */
  apiFor(token: string, environmentName: string): GenesysApi;
}

const encoder = new TextEncoder();

/** node:crypto where the runtime has it (Node ≥ 20.16, Deno, Bun): a synchronous hash, no WebCrypto job per request. */
const nodeCrypto = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:crypto') as
  | {
      createHash(algorithm: 'sha256'): {
        update(data: string, encoding: 'utf8'): { digest(encoding: 'base64url'): string };
      };
    }
  | undefined;

/**
 * The token hash the caches are keyed by: SHA-256, base64url — node:crypto's synchronous hash where the runtime has
 * it, WebCrypto elsewhere (the handler runs on any web-standard runtime); both give the same text. The token itself is
 * never stored or logged.
 *
 * @example
 * ```ts
 * await tokenHash('abc'); // 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0'
 * ```
 */
export async function tokenHash(token: string): Promise<string> {
  if (nodeCrypto) return nodeCrypto.createHash('sha256').update(token, 'utf8').digest('base64url');
  return webTokenHash(token);
}

/** {@link tokenHash} with WebCrypto only (runtimes without node:crypto); exported for the test that holds the two equal. */
export async function webTokenHash(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(token)));
  let binary = '';
  for (const b of digest) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Builds the {@link AgentVerifier}. Concurrent verifications of one token share one `users/me` call.
 *
 * @example
 * ```ts
 * const verifier = createAgentVerifier({ served, store, fetch, now: Date.now, cacheMaxMs: 60_000, maxAttempts: 2 });
 * const { agent } = await verifier.verify(bearer, 'prod-euw1', undefined);
 * ```
 */
export function createAgentVerifier(options: AgentVerifierOptions): AgentVerifier {
  const byName = new Map(options.served.map((s) => [s.environment.name, s]));
  const inFlight = new Map<string, Promise<VerifiedAgent>>();

  const environment = (name: string): ServedEnvironment => {
    const served = byName.get(name);
    if (served) return served;
    throw new KaaError(
      'E_ORG_NOT_ALLOWED',
      `This token broker does not serve the Genesys environment "${name}". Add it under broker.organizations in the broker's config, or point the page (tokens.serverUrl) at the broker of that environment.`,
      {
        details: { environment: name, served: [...byName.keys()] },
      },
    );
  };

  const apiFor = (token: string, environmentName: string): GenesysApi =>
    createGenesysApi({
      environment: environment(environmentName).environment,
      auth: { getToken: () => token },
      fetch: options.fetch,
      maxAttempts: options.maxAttempts,
      backoffBaseMs: 100,
      backoffMaxMs: 1_000,
      maxRetryAfterMs: 0,
    });

  const checkOrg = (served: ServedEnvironment, agent: VerifiedAgent): VerifiedAgent => {
    if (served.orgIds.includes(agent.orgId)) return agent;
    throw new KaaError(
      'E_ORG_NOT_ALLOWED',
      `The signed-in Genesys user belongs to organization "${agent.orgId}", which this token broker does not serve in environment "${served.environment.name}". Add the organization id under broker.organizations in the broker's config if it should be served.`,
      {
        details: { orgId: agent.orgId, environment: served.environment.name },
      },
    );
  };

  return {
    environment,
    apiFor,
    async verify(token, environmentName, tokenExpiresAt) {
      const served = environment(environmentName);
      const key = `verify:${served.environment.name}:${await tokenHash(token)}`;
      const hit = await options.store.get(key);
      if (hit !== undefined) {
        const agent = JSON.parse(hit) as VerifiedAgent;
        return { agent: checkOrg(served, agent), cached: true };
      }
      let pending = inFlight.get(key);
      if (!pending) {
        pending = (async () => {
          const me = await apiFor(token, environmentName)
            .getMe()
            .catch((e: unknown) => {
              // Genesys answers 400 to users/me for a token without a user (client credentials): not an agent's token
              if (e instanceof KaaError && e.code === 'E_HTTP_BAD_REQUEST') {
                throw new KaaError(
                  'E_HTTP_UNAUTHORIZED',
                  "The Genesys access token sent to the token broker belongs to no user (users/me refused it), so it is not an agent's sign-in. The page sends the signed-in agent's token.",
                  { cause: e, details: { reason: 'no-user' } },
                );
              }
              throw e;
            });
          const orgId = me.organization?.id;
          if (!orgId) {
            throw new KaaError(
              'E_ORG_NOT_ALLOWED',
              'Genesys Cloud did not name the organization of the signed-in user (users/me?expand=organization), so the token broker cannot tell whether it serves it.',
              { details: { environment: environmentName } },
            );
          }
          const agent: VerifiedAgent = {
            userId: me.id,
            ...(me.name ? { name: me.name } : {}),
            ...(me.email ? { email: me.email } : {}),
            orgId,
            environment: served.environment.name,
          };
          checkOrg(served, agent);
          const left =
            tokenExpiresAt === undefined
              ? options.cacheMaxMs
              : Math.min(options.cacheMaxMs, tokenExpiresAt - options.now());
          if (left > 0) await options.store.set(key, JSON.stringify(agent), left);
          return agent;
        })();
        inFlight.set(key, pending);
        pending.finally(() => inFlight.delete(key)).catch(() => undefined);
      }
      return { agent: await pending, cached: false };
    },
  };
}
