import { expect } from 'vitest';
import { KaaError } from '@kaa/core';
import type { KaaErrorCode } from '@kaa/core';

/**
 * Runs `fn`, expects it to throw a `KaaError`, and returns it (fails the test when `fn` returns or throws
 * anything else).
 *
 * @example
 * ```ts
 * expect(errorOf(() => parseSettings({ kore: 1 })).code).toBe('E_CONFIG_INVALID');
 * ```
 */
export function errorOf(fn: () => unknown): KaaError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KaaError);
    return e as KaaError;
  }
  throw new Error('expected a KaaError');
}

/**
 * The code of the `KaaError` that `fn` throws (see {@link errorOf}).
 *
 * @example
 * ```ts
 * expect(codeOf(() => decodeAuthState('x'))).toBe('E_AUTH_STATE_INVALID');
 * ```
 */
export function codeOf(fn: () => unknown): KaaErrorCode {
  return errorOf(fn).code;
}

/**
 * Awaits `promise`, expects it to reject with a `KaaError` (with `code`, when given), and returns the error.
 *
 * @example
 * ```ts
 * const e = await rejectionOf(signWidgetJwt({ clientId: '', clientSecret: 's', subject: 'u', now }), 'E_CONFIG_INVALID');
 * ```
 */
export async function rejectionOf(promise: Promise<unknown>, code?: KaaErrorCode): Promise<KaaError> {
  let settled = false;
  let error: unknown;
  try {
    await promise;
    settled = true;
  } catch (e) {
    error = e;
  }
  if (settled) throw new Error('expected a KaaError, got success');
  expect(error).toBeInstanceOf(KaaError);
  if (code !== undefined) expect((error as KaaError).code).toBe(code);
  return error as KaaError;
}

/**
 * Runs `fn` (awaiting it when it is async) and lets it succeed, or throw a `KaaError`; anything else thrown
 * fails the test. The body of every "no input makes it throw anything but a KaaError" property.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(fc.jsonValue(), (value) => expectOnlyKaaError(() => parseConversation(value))));
 * await fc.assert(fc.asyncProperty(fc.string(), (s) => expectOnlyKaaError(() => auth.handleRedirect({ search: s, hash: '' }))));
 * ```
 */
export function expectOnlyKaaError(fn: () => Promise<unknown>): Promise<void>;
export function expectOnlyKaaError(fn: () => unknown): void;
export function expectOnlyKaaError(fn: () => unknown): void | Promise<void> {
  let result: unknown;
  try {
    result = fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KaaError);
    return;
  }
  if (result instanceof Promise) {
    return result.then(
      () => undefined,
      (e: unknown) => {
        expect(e).toBeInstanceOf(KaaError);
      },
    );
  }
}
