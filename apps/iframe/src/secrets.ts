import { redact } from '@kaa/core';

/**
 * The secrets this page instance has seen (tokens, client secrets, JWEs, OAuth `code`/`state`, the
 * `x_metadata` token, …). Every text that leaves the page's logic — DOM, console, debug timeline — goes
 * through {@link PageSecrets.redact}, which also removes credential-shaped text (core's `redact`).
 *
 * @example
 * ```ts
 * const secrets = createPageSecrets();
 * secrets.add(record.clientSecret);
 * console.info(secrets.redact(`signed with ${record.clientSecret}`)); // 'signed with [REDACTED]'
 * ```
 */
export interface PageSecrets {
  add(...values: readonly (string | undefined | null)[]): void;
  list(): readonly string[];
  redact(text: string): string;
}

/**
 * Creates an empty {@link PageSecrets}.
 *
 * @example
 * ```ts
 * const secrets = createPageSecrets(new URLSearchParams(location.search).get('state'));
 * ```
 */
export function createPageSecrets(...initial: readonly (string | undefined | null)[]): PageSecrets {
  const values = new Set<string>();
  const add = (...more: readonly (string | undefined | null)[]) => {
    for (const v of more) if (typeof v === 'string' && v.length >= 4) values.add(v);
  };
  add(...initial);
  return {
    add,
    list: () => [...values],
    redact: (text) => redact(text, [...values]),
  };
}
