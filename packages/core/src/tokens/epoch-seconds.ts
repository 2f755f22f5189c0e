import { KaaError, type KaaErrorCode } from '../errors.js';

/** An injected clock reading: whole or fractional **seconds** since the epoch, or a `Date`. */
export type ClockReading = number | Date;

/** Numbers at or above this are milliseconds passed by mistake (year 5138 in seconds). */
const MILLISECONDS_THRESHOLD = 1e11;

/**
 * Converts an injected clock reading to whole epoch seconds (JWT `iat`). Rejects milliseconds,
 * negative, non-finite and invalid dates, because Kore rejects tokens stamped in milliseconds (docs/assumptions.md#widget-jwt-claims).
 *
 * @example
 * ```ts
 * epochSeconds(1_700_000_000, 'E_TOKEN_SIGN_FAILED'); // → 1700000000
 * epochSeconds(new Date('2026-01-01T00:00:00Z'), 'E_TOKEN_SIGN_FAILED'); // → 1767225600
 * ```
 */
export function epochSeconds(now: ClockReading, code: KaaErrorCode): number {
  const seconds = now instanceof Date ? now.getTime() / 1000 : now;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new KaaError(code, 'The clock passed to kaa is not a valid time. Pass `now` as epoch seconds or a Date.');
  }
  if (seconds >= MILLISECONDS_THRESHOLD) {
    throw new KaaError(
      code,
      'The clock passed to kaa reads in milliseconds. Pass `now` as epoch seconds (Date.now() / 1000) or a Date.',
      {
        details: { now: seconds },
      },
    );
  }
  return Math.floor(seconds);
}

/** Validates a token lifetime in whole seconds (a config value). */
export function lifetimeSeconds(ttl: number, configKey: string, max = 86_400): number {
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > max) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `Token lifetime ${String(ttl)} is not valid. Set "${configKey}" to a whole number of seconds between 1 and ${max}.`,
      {
        details: { configKey, ttlSeconds: ttl },
      },
    );
  }
  return ttl;
}
