import { expect } from 'vitest';

/**
 * Everything a user or a log could see of `output`: text as is; an error's message plus its JSON form
 * (`toJSON()` when it has one, so a `KaaError`'s `details` are included); anything else as JSON.
 *
 * @example
 * ```ts
 * visibleText(new KaaError('E_CONFIG_INVALID', 'bad', { details: { key: 'x' } })); // 'bad {"code":…}'
 * ```
 */
export function visibleText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (output instanceof Error) {
    const withJson = output as Error & { toJSON?: () => unknown };
    const json = typeof withJson.toJSON === 'function' ? withJson.toJSON() : { ...output, name: output.name };
    return `${output.message} ${JSON.stringify(json)}`;
  }
  return JSON.stringify(output) ?? String(output);
}

/**
 * Fails the test when any of `secrets` (non-empty ones) appears in the {@link visibleText} of any of `outputs`.
 *
 * @example
 * ```ts
 * expectNoSecrets([logger.lines, error], [CLIENT_SECRET, token]);
 * ```
 */
export function expectNoSecrets(outputs: unknown, secrets: readonly string[]): void {
  const texts = Array.isArray(outputs) ? outputs.map(visibleText) : [visibleText(outputs)];
  for (const secret of secrets) {
    if (secret === '') continue;
    for (const text of texts) expect(text).not.toContain(secret);
  }
}
