import type { FetchLike, Logger, RandomBytes, Timers } from '@kaa/core';
import { KaaError, listIssues, randomUnit, redact, retryAfterMs, silentLogger, sleepOn } from '@kaa/core';
import type { ZodMiniType } from 'zod/mini';
import type { GenesysHosts } from './environment.js';
import { joinUrl } from './environment.js';
import { httpError } from './http-error.js';
import type { RateBudget, RequestPriority } from './rate-budget.js';
import { defaultFetch, defaultRandom, defaultTimers } from './ports.js';

/**
 * Where the API client gets its bearer token, and how it signs in again after a 401.
 *
 * @example
 * ```ts
 * const auth: TokenProvider = { getToken: () => browserAuth.getToken()?.accessToken ?? null, relogin: () => browserAuth.login({ ctx, originalQuery }) };
 * ```
 */
export interface TokenProvider {
  /** The current access token, or null when there is none (then `relogin` runs first). */
  getToken(): string | null | Promise<string | null>;
  /** Signs in again silently; called at most once per request, after a 401 or a missing token. */
  relogin?(): Promise<unknown>;
}

/**
 * Retry policy of {@link createRequester}. Defaults follow docs/genesys-protocol.md#rate-limits-and-error-bodies.
 *
 * @example
 * ```ts
 * createGenesysApi({ environment, auth, maxAttempts: 5, backoffBaseMs: 250 } satisfies GenesysApiOptions & RetryOptions);
 * ```
 */
export interface RetryOptions {
  /** Attempts per request for 429 and (idempotent) 5xx/network failures. Default 3. */
  maxAttempts?: number;
  /** First backoff step without `Retry-After`; doubles per attempt, with full jitter. Default 500 ms. */
  backoffBaseMs?: number;
  /** Cap of one backoff step. Default 8000 ms. */
  backoffMaxMs?: number;
  /** Cap on an honoured `Retry-After`. Default 60000 ms. */
  maxRetryAfterMs?: number;
}

/** What {@link createRequester} needs (and, unchanged, what `createGenesysApi` takes). */
export interface RequesterOptions extends RetryOptions {
  /** From core's `resolveEnvironment`: the only place the API host comes from. */
  environment: GenesysHosts;
  /** Token source plus the silent re-login used once after a 401. */
  auth: TokenProvider;
  fetch?: FetchLike;
  timers?: Timers;
  random?: RandomBytes;
  logger?: Logger;
  /**
   * A token bucket every attempt waits for (docs/assumptions.md#genesys-per-user-rate-limit: 10 widget instances plus the desktop share one per-user budget).
   * A 429 pauses it for the `Retry-After` (or backoff) time, for every instance sharing it. Default: none, so
   * requests go at once and a 429 is handled by waiting and retrying alone.
   */
  rateBudget?: RateBudget;
}

/** One Genesys API call. */
export interface Call<T> {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Safe to repeat after a 5xx or a network failure. Default: true for GET and HEAD. */
  idempotent?: boolean;
  /** Plain words for messages: "read conversation c0a…". */
  purpose: string;
  /** Scope/permission named on a 403. */
  requires?: string;
  /** Set when a 404 means "conversation not visible". */
  conversationId?: string;
  /** Validates the JSON body; omit for calls without a body. */
  schema?: ZodMiniType<T>;
  /** Statuses that are answers, not failures (e.g. 404 for HEAD on a channel). */
  acceptStatuses?: readonly number[];
  signal?: AbortSignal;
  /** With a rate budget: `'low'` requests are shed instead of waiting. Default `'normal'`. */
  priority?: RequestPriority;
}

/** The answer of a call: the status and the validated body. */
export interface Answer<T> {
  status: number;
  body: T;
}

/** Runs Genesys calls with auth, retries and coded errors. */
export type Requester = <T>(call: Call<T>) => Promise<Answer<T>>;

/**
 * Builds the request runner behind {@link createGenesysApi}: bearer auth, one silent re-login on 401,
 * `Retry-After` on 429 (else exponential backoff with jitter), 5xx/network retries only for idempotent calls,
 * zod/mini validation, and a coded {@link KaaError} for every failure with the token redacted.
 *
 * @example
 * ```ts
 * const request = createRequester({ environment, auth });
 * const { body } = await request({ method: 'GET', path: '/api/v2/users/me', purpose: 'read the signed-in user', schema: UserMeSchema });
 * ```
 */
export function createRequester(options: RequesterOptions): Requester {
  const fetchImpl = options.fetch ?? defaultFetch;
  const sleep = sleepOn(options.timers ?? defaultTimers);
  const random = options.random ?? defaultRandom;
  const logger = options.logger ?? silentLogger;
  const maxAttempts = options.maxAttempts ?? 3;
  const base = options.backoffBaseMs ?? 500;
  const cap = options.backoffMaxMs ?? 8000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;

  const backoff = (attempt: number) => Math.round(randomUnit(random) * Math.min(cap, base * 2 ** (attempt - 1)));

  return async function request<T>(call: Call<T>): Promise<Answer<T>> {
    const idempotent = call.idempotent ?? (call.method === 'GET' || call.method === 'HEAD');
    const path = call.path + queryString(call.query);
    const url = joinUrl(options.environment.apiBase, path);
    let relogged = false;
    let attempts = 0;
    const secrets: string[] = [];

    const tokenOrRelogin = async (): Promise<string> => {
      let token = await options.auth.getToken();
      if (!token && options.auth.relogin && !relogged) {
        relogged = true;
        await options.auth.relogin();
        token = await options.auth.getToken();
      }
      if (!token) {
        throw new KaaError(
          'E_AUTH_EXPIRED',
          `There is no Genesys Cloud login to ${call.purpose}. Sign in again (the login may have expired).`,
          {
            details: { method: call.method, path },
          },
        );
      }
      secrets.push(token);
      return token;
    };

    for (;;) {
      attempts += 1;
      const token = await tokenOrRelogin();
      if (options.rateBudget) {
        try {
          await options.rateBudget.take({
            priority: call.priority ?? 'normal',
            purpose: call.purpose,
            signal: call.signal,
          });
        } catch (e) {
          if (e instanceof KaaError)
            throw new KaaError(e.code, e.message, {
              details: { ...e.details, method: call.method, path, attempts },
              secrets,
            });
          throw e;
        }
      }
      const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
      if (call.body !== undefined) headers['Content-Type'] = 'application/json';
      let response: Response;
      try {
        response = await fetchImpl(url, {
          method: call.method,
          headers,
          body: call.body === undefined ? undefined : JSON.stringify(call.body),
          signal: call.signal,
        });
      } catch (cause) {
        if (call.signal?.aborted) throw cause;
        logger.warn('genesys request failed on the network', { method: call.method, path, attempt: attempts });
        if (idempotent && attempts < maxAttempts) {
          await sleep(backoff(attempts), call.signal);
          continue;
        }
        throw new KaaError(
          'E_NETWORK',
          `Could not reach Genesys Cloud to ${call.purpose} (${call.method} ${joinUrl(options.environment.apiBase, call.path)}) after ${attempts} attempt${attempts === 1 ? '' : 's'}. Check the network, and that the environment in the widget URL is right.`,
          {
            details: {
              method: call.method,
              path,
              attempts,
              reason: redact(String((cause as Error)?.message ?? cause), secrets),
            },
            secrets,
          },
        );
      }
      logger.debug('genesys request', { method: call.method, path, status: response.status, attempt: attempts });

      if (response.ok || call.acceptStatuses?.includes(response.status)) {
        return { status: response.status, body: await readBody(call, path, response, secrets) };
      }
      const text = await response.text().catch(() => '');
      if (response.status === 401 && options.auth.relogin && !relogged) {
        relogged = true;
        attempts -= 1;
        logger.info('genesys answered 401; signing in again once', { method: call.method, path });
        await options.auth.relogin();
        continue;
      }
      if (response.status === 429 && attempts < maxAttempts) {
        const hinted = retryAfterMs(response.headers.get('retry-after'));
        const wait = hinted === undefined ? backoff(attempts) : Math.min(maxRetryAfter, hinted);
        logger.warn('genesys rate limit; waiting', { method: call.method, path, waitMs: wait, attempt: attempts });
        if (options.rateBudget)
          options.rateBudget.pause(wait); // the next take() waits it out, as every sharing instance does
        else await sleep(wait, call.signal);
        continue;
      }
      if (response.status >= 500 && idempotent && attempts < maxAttempts) {
        await sleep(backoff(attempts), call.signal);
        continue;
      }
      throw httpError(
        {
          method: call.method,
          path,
          origin: options.environment.apiBase.replace(/\/+$/, ''),
          purpose: call.purpose,
          requires: call.requires,
          conversationId: call.conversationId,
          attempts,
          secrets,
        },
        response.status,
        response.headers,
        text,
      );
    }
  };
}

async function readBody<T>(call: Call<T>, path: string, response: Response, secrets: readonly string[]): Promise<T> {
  if (!call.schema) {
    await response.body?.cancel().catch(() => undefined);
    return undefined as T;
  }
  const invalid = (why: string, extra: Record<string, unknown> = {}) =>
    new KaaError(
      'E_RESPONSE_INVALID',
      `Genesys Cloud answered the request to ${call.purpose} with ${why}. Check that the environment in the widget URL points at Genesys Cloud (not a proxy or login page).`,
      {
        details: {
          method: call.method,
          path,
          status: response.status,
          correlationId: response.headers.get('inin-correlation-id') ?? undefined,
          ...extra,
        },
        secrets,
      },
    );
  let text: string;
  try {
    text = await response.text();
  } catch {
    throw invalid('a body that could not be read');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid('a body that is not JSON', { bodyStart: text.slice(0, 80) });
  }
  const parsed = call.schema.safeParse(json);
  if (!parsed.success) {
    const issues = listIssues(parsed.error.issues, { limit: 5 });
    throw invalid(`JSON of an unexpected shape (${issues.join('; ')})`, { issues });
  }
  return parsed.data;
}

function queryString(query: Call<unknown>['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}
