/**
 * The mutable state of one running sandbox Kore platform, shared by its route handlers.
 */
import type { HttpAnswer } from '../http/answer.js';
import type { SecretLog } from '../secret-log.js';
import type { BotKey, SandboxBot } from './bot-keys.js';
import type { DataTable } from './data-table.js';
import type { RateWindow } from './rate-window.js';
import type { KoreRecorded } from './recorded.js';
import type { ThirdPartyRecord } from './third-party.js';

/** An access token issued by jwtgrant. */
export interface IssuedAccessToken {
  botId: string;
  clientId: string;
  sub: string;
  expiresAt: number;
}

/** Settings that can change while the platform runs. */
export interface KoreSettings {
  tableRateLimitPerMinute: number;
  accessTokenTtlSeconds: number;
  hooksPathPrefix: string;
  hooksAuthHeader: string;
  thirdPartyPath: string;
}

/** Everything the handlers read and write. */
export interface KoreWorld {
  origin: string;
  now: () => number;
  newId: () => string;
  bots: Record<BotKey, SandboxBot>;
  tables: Map<string, DataTable>;
  /** Data apps (appId → client secret) allowed to sign Data Table JWTs. */
  dataApps: Map<string, string>;
  /** Apps (appId → client secret and account) whose JWT may read that account's Third-Party Configuration. */
  thirdPartyApps: Map<string, { clientSecret: string; accountId: string }>;
  thirdParty: ThirdPartyRecord[];
  recorded: KoreRecorded;
  accessTokens: Map<string, IssuedAccessToken>;
  seenJti: Set<string>;
  widgetStates: Map<string, unknown>;
  rate: RateWindow;
  settings: KoreSettings;
  /** Every credential issued or received (tokens, JWTs, secrets served in rows); never cleared. */
  secrets: SecretLog;
}

/**
 * Records the secret cells of bot-table rows (ClientSecret, RSPrivatePem) that the platform served or received.
 *
 * @example
 * ```ts
 * recordRowSecrets(world.secrets, table.rows());
 * ```
 */
export function recordRowSecrets(secrets: SecretLog, rows: unknown): void {
  if (!Array.isArray(rows)) return;
  for (const row of rows) {
    if (typeof row !== 'object' || row === null) continue;
    const r = row as Record<string, unknown>;
    secrets.add('bot-client-secret', r['ClientSecret']);
    secrets.addPem('bot-rs-private-key', r['RSPrivatePem']);
  }
}

/** The bot with `botId`, if any. */
export function botById(world: KoreWorld, botId: string): SandboxBot | undefined {
  return Object.values(world.bots).find((b) => b.botId === botId);
}

/** The bot whose JWT app has `clientId`, if any. */
export function botByClientId(world: KoreWorld, clientId: string): SandboxBot | undefined {
  return Object.values(world.bots).find((b) => b.clientId === clientId);
}

/** Kore's public-API error body: `{"errors":[{"msg","code"}]}`. */
export function koreError(status: number, msg: string, headers?: Record<string, string>): HttpAnswer {
  return headers
    ? { status, json: { errors: [{ msg, code: status }] }, headers }
    : { status, json: { errors: [{ msg, code: status }] } };
}

/** The access token of an `Authorization: bearer <token>` header, if it is live. */
export function liveAccessToken(world: KoreWorld, header: string | undefined): IssuedAccessToken | undefined {
  const match = /^bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const issued = world.accessTokens.get(match[1]);
  if (!issued || issued.expiresAt <= world.now()) return undefined;
  return issued;
}
