import { randomUUID } from 'node:crypto';

/** The clock and randomness every Genesys-side server uses; tests inject their own. */
export interface Env {
  /** Milliseconds since the epoch. */
  now(): number;
  /** A fresh UUID v4 (ids of participants, sessions, messages, correlation ids). */
  uuid(): string;
  /** A fresh opaque secret (tokens, codes): URL-safe, at least 32 characters. */
  secret(): string;
}

/**
 * The real clock and crypto randomness, with optional overrides.
 *
 * @example
 * ```ts
 * let t = Date.parse('2026-01-01T00:00:00Z');
 * const env = makeEnv({ now: () => t }); // tests move `t` forward
 * ```
 */
export function makeEnv(overrides: Partial<Env> = {}): Env {
  return {
    now: overrides.now ?? (() => Date.now()),
    uuid: overrides.uuid ?? (() => randomUUID()),
    secret: overrides.secret ?? (() => randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '')),
  };
}

/**
 * ISO-8601 with milliseconds, as Genesys writes times.
 *
 * @example
 * ```ts
 * iso(0); // '1970-01-01T00:00:00.000Z'
 * ```
 */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
