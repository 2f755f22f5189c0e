import { z } from 'zod';
import type { Latency } from '../http/latency.js';

/**
 * `POST /sandbox/v1/faults` body (also `sandbox.genesys.faults(…)`). Every field is optional.
 *
 * @example
 * ```ts
 * FaultsSchema.parse({ latencyMs: 100, failNext: { method: 'GET', pathPrefix: '/api/v2/users/me', status: 503 } });
 * ```
 */
export const FaultsSchema = z
  .object({
    /** Latency on every Genesys route (number), or path prefix → ms (`'*'` fallback). 0 turns it off. */
    latencyMs: z.union([z.number().min(0).max(60_000), z.record(z.string(), z.number().min(0).max(60_000))]).optional(),
    /** Requests per minute per token before 429 (Genesys default 300). */
    rateLimitPerMinute: z.number().int().positive().optional(),
    /** Requests per minute per user per OAuth client, over all of that user's tokens (`org.app.user.rate.per.minute`). */
    userRateLimitPerMinute: z.number().int().positive().optional(),
    /**
     * Lifetime in seconds of the access tokens issued from now on (start-up option `tokenTtlSeconds`). Genesys lets an
     * OAuth client choose 300–172 800 s; shorter values let a test watch a token really expire.
     */
    tokenTtlSeconds: z.number().int().min(1).max(172_800).optional(),
    /** Every token issued so far expires now (API calls get 401; notification sockets as on expiry, see `expiredTokenSockets`). */
    expireTokens: z.literal(true).optional(),
    /** Every token issued so far is revoked; channels created with them get `v2.system.token_revoked`. */
    revokeTokens: z.literal(true).optional(),
    /** Every notification socket is terminated abruptly (no close frame). */
    dropSockets: z.literal(true).optional(),
    /** Every notification socket gets `v2.system.socket_closing`, then is closed after the grace period. */
    socketClosing: z.literal(true).optional(),
    /**
     * The login page refuses to be framed, like an IdP that sends `X-Frame-Options: DENY` and CSP
     * `frame-ancestors 'none'` (docs/genesys-protocol.md#redirect-or-popup-inside-the-iframe): every `/oauth/authorize` answer carries both headers, and a
     * successful one is a sign-in page that continues to the redirect URI (a browser never renders a 302, so the
     * headers would not show there). A popup (top-level) still works. `false` turns it off.
     */
    refuseFraming: z.boolean().optional(),
    /** The next `times` requests whose method and path match answer `status` with a Genesys error body. */
    failNext: z
      .object({
        method: z.string().min(1).max(10).default('*'),
        pathPrefix: z.string().min(1).max(500),
        status: z.number().int().min(400).max(599),
        times: z.number().int().positive().max(10_000).default(1),
      })
      .optional(),
  })
  .strict();

/** A parsed faults request. */
export type FaultsInput = z.input<typeof FaultsSchema>;

interface FailRule {
  method: string;
  pathPrefix: string;
  status: number;
  remaining: number;
}

/**
 * The fault state of the Genesys servers: latency, rate budget, and pending injected failures.
 * One-shot faults (expire, revoke, drop, socket_closing) act immediately and are not stored.
 *
 * @example
 * ```ts
 * faults.failNext({ method: 'GET', pathPrefix: '/api/v2/users/me', status: 503, times: 2 });
 * faults.takeFailure('GET', '/api/v2/users/me'); // 503
 * ```
 */
export class FaultState {
  latency: Latency;
  rateLimitPerMinute: number;
  userRateLimitPerMinute: number;
  /** Lifetime of access tokens issued from now on. */
  tokenTtlSeconds: number;
  /** `/oauth/authorize` refuses framing (see `FaultsSchema.refuseFraming`). */
  refuseFraming = false;
  private rules: FailRule[] = [];

  constructor(
    private readonly defaults: {
      latency: Latency;
      rateLimitPerMinute: number;
      userRateLimitPerMinute: number;
      tokenTtlSeconds: number;
    },
  ) {
    this.latency = defaults.latency;
    this.tokenTtlSeconds = defaults.tokenTtlSeconds;
    this.rateLimitPerMinute = defaults.rateLimitPerMinute;
    this.userRateLimitPerMinute = defaults.userRateLimitPerMinute;
  }

  /** Queues an injected failure. */
  failNext(rule: { method: string; pathPrefix: string; status: number; times: number }): void {
    this.rules.push({
      method: rule.method.toUpperCase(),
      pathPrefix: rule.pathPrefix,
      status: rule.status,
      remaining: rule.times,
    });
  }

  /** The status to fail this request with, consuming one use of the first matching rule. */
  takeFailure(method: string, path: string): number | undefined {
    const rule = this.rules.find(
      (r) => (r.method === '*' || r.method === method.toUpperCase()) && path.startsWith(r.pathPrefix),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule.status;
  }

  /** Back to the start-up values. */
  reset(): void {
    this.latency = this.defaults.latency;
    this.rateLimitPerMinute = this.defaults.rateLimitPerMinute;
    this.userRateLimitPerMinute = this.defaults.userRateLimitPerMinute;
    this.tokenTtlSeconds = this.defaults.tokenTtlSeconds;
    this.refuseFraming = false;
    this.rules = [];
  }

  /** A JSON view for the state endpoint. */
  toJSON(): {
    latencyMs: Latency;
    rateLimitPerMinute: number;
    userRateLimitPerMinute: number;
    tokenTtlSeconds: number;
    refuseFraming: boolean;
    pendingFailures: { method: string; pathPrefix: string; status: number; remaining: number }[];
  } {
    return {
      latencyMs: this.latency,
      rateLimitPerMinute: this.rateLimitPerMinute,
      userRateLimitPerMinute: this.userRateLimitPerMinute,
      tokenTtlSeconds: this.tokenTtlSeconds,
      refuseFraming: this.refuseFraming,
      pendingFailures: this.rules.map((r) => ({ ...r })),
    };
  }
}
