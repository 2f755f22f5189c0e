import type { Latency } from '../http/latency.js';
import type { Env } from './clock.js';
import type { FaultsInput } from './faults.js';

/** Options of the Genesys half of the sandbox ({@link startGenesys}). Every default is Genesys's documented value. */
export interface GenesysOptions {
  /** Port of the login origin; 0 (default) = ephemeral. */
  loginPort?: number;
  /** Port of the API origin (REST, notification WebSocket, `/sandbox/v1` control API); 0 (default) = ephemeral. */
  apiPort?: number;
  /** Origin of the kaa page; its `/koreaiaa-genesys/` and `/koreaiaa-genesys/auth-callback.html` become registered redirect URIs. */
  pageOrigin?: string;
  /** Origin of the emulated agent desktop (allowed by CORS). */
  appsOrigin?: string;
  /** Origin of the emulated Kore platform: the legacy data table's `AgentAssist URL` default. */
  koreOrigin?: string;
  /** More registered redirect URIs for both browser OAuth clients (exact match). */
  redirectUris?: readonly string[];
  /** More origins allowed by CORS on the login and API origins (a function is read on every request). */
  corsOrigins?: readonly string[] | (() => readonly string[]);
  /**
   * Access-token lifetime in seconds. Default 86 400 (Genesys's default client setting; allowed 300–172 800). Tokens
   * really expire: API calls with them get 401 and their notification sockets end (`expiredTokenSockets`). The fault
   * `tokenTtlSeconds` changes it at run time.
   */
  tokenTtlSeconds?: number;
  /** Authorization-code lifetime in seconds. Default 300. */
  codeTtlSeconds?: number;
  /** Requests per minute per token before 429 (`token.rate.per.minute`). Default 300. */
  rateLimitPerMinute?: number;
  /**
   * Requests per minute per user per OAuth client over all of that user's tokens (`org.app.user.rate.per.minute`).
   * Public sources disagree on Genesys's value (300 or 3 000, docs/genesys-protocol.md#rate-limits-and-error-bodies); default 3 000. Client-credentials tokens
   * have no user and only the per-token limit.
   */
  userRateLimitPerMinute?: number;
  /** Interval of the `channel.metadata` "WebSocket Heartbeat". Default 30 000 ms. */
  heartbeatIntervalMs?: number;
  /** Lifetime of a notification channel. Default 24 h. */
  channelTtlMs?: number;
  /** Channels per user per OAuth client before the least recently used is evicted. Default 20. */
  maxChannelsPerUser?: number;
  /**
   * What happens to the notification socket of a channel whose access token expires (docs/assumptions.md#notification-socket-after-token-expiry). `close`
   * (default, the stricter one): the socket is closed (1008) when the token expires and the channel refuses new
   * sockets (HTTP 401 on the upgrade) until a live token manages it again (a subscription call). `silent`: the socket
   * stays open with heartbeats and delivery stops silently. Either way nothing is delivered after expiry.
   */
  expiredTokenSockets?: 'close' | 'silent';
  /** After `socket_closing`, how long until the sandbox closes the socket. Default 60 000 ms (inferred: "about a minute"). */
  socketClosingGraceMs?: number;
  /** Latency on Genesys routes (login + API, not the control API). Default 0. */
  latency?: Latency;
  /** Fill the world with seed.ts CONVERSATIONS. Default true. */
  seed?: boolean;
  /** Who the login page signs in. Default USERS.agent. */
  loginUserId?: string;
  /** Clock and randomness. */
  env?: Partial<Env>;
  /** Extra fields merged into `GET /sandbox/v1/state` (the composition adds Kore's `recorded`). */
  extraState?: () => Record<string, unknown>;
  /** Called after a faults request is applied (the composition forwards latency to the Kore platform). */
  onFaults?: (faults: FaultsInput) => void;
  /** Called after `/sandbox/v1/reset` (the composition resets the Kore platform too). */
  onReset?: () => void | Promise<void>;
}

/**
 * The resolved defaults.
 *
 * @example
 * ```ts
 * GENESYS_DEFAULTS.rateLimitPerMinute; // 300
 * ```
 */
export const GENESYS_DEFAULTS = {
  tokenTtlSeconds: 86_400,
  codeTtlSeconds: 300,
  rateLimitPerMinute: 300,
  userRateLimitPerMinute: 3_000,
  heartbeatIntervalMs: 30_000,
  channelTtlMs: 24 * 60 * 60 * 1000,
  maxChannelsPerUser: 20,
  socketClosingGraceMs: 60_000,
} as const;

/** The resolved numeric settings of a running Genesys half (every {@link GENESYS_DEFAULTS} key). */
export type GenesysSettings = { -readonly [K in keyof typeof GENESYS_DEFAULTS]: number };
