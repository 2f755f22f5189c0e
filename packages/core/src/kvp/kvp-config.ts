import * as z from 'zod/mini';
import { KaaError } from '../errors.js';
import type { CompiledPath } from './compile-path.js';
import { compilePath } from './compile-path.js';

/**
 * A parsed KvpConfig: output keys with their compiled paths, in the order written.
 *
 * @example
 * ```ts
 * const config: KvpConfig = parseKvpConfig(row.KvpConfig);
 * config.raw; // → { queueName: 'participants[0].queueName', … }
 * ```
 */
export interface KvpConfig {
  readonly entries: readonly { readonly key: string; readonly path: CompiledPath }[];
  /** The `{key: path}` object as written. */
  readonly raw: Readonly<Record<string, string>>;
}

/**
 * Options for {@link parseKvpConfig}.
 *
 * @example
 * ```ts
 * parseKvpConfig(text, { column: 'SecureCustomDataConfig', where: 'third-party record "Sales"' });
 * ```
 */
export interface ParseKvpConfigOptions {
  /** The column or config key the value came from, for messages. Default `"KvpConfig"`. */
  readonly column?: string;
  /** Where the value came from (e.g. `row 3 (QueueIdentifier "ALPHAINC")`), for messages. */
  readonly where?: string;
}

const shape = z.record(z.string(), z.string());

/**
 * Parses a KvpConfig (docs/kore-protocol.md#secure-custom-data-and-kvpconfig): stringified JSON `{outputKey: "path"}` (or the object itself),
 * compiling every path once. Empty text gives an empty config. A JSON string holding JSON is unwrapped once
 * (a double-stringified column value).
 *
 * @throws {KaaError} `E_KVP_CONFIG_INVALID` when the text is not a JSON object of strings;
 *   `E_KVP_PATH_INVALID` (naming the key) when a path does not compile.
 * @example
 * ```ts
 * import { parseKvpConfig } from '@kaa/core';
 *
 * const config = parseKvpConfig('{"queueName": "participants[0].queueName", "callStatus": "participants[0].calls[0].state"}');
 * config.entries.map((e) => e.key); // → ['queueName', 'callStatus']
 * ```
 */
export function parseKvpConfig(value: unknown, options: ParseKvpConfigOptions = {}): KvpConfig {
  const column = options.column ?? 'KvpConfig';
  const where = options.where ? ` of ${options.where}` : '';
  let data: unknown = value;
  if (typeof data === 'string') {
    if (data.trim() === '') return { entries: [], raw: {} };
    data = parseJson(data, column, where);
    if (typeof data === 'string') data = parseJson(data, column, where);
  }
  const result = shape.safeParse(data);
  if (!result.success || Array.isArray(data)) {
    throw new KaaError(
      'E_KVP_CONFIG_INVALID',
      `${column}${where} must be a JSON object whose values are path strings, like {"queueName": "participants[0].queueName"}. Fix the ${column} value.`,
      { details: { column, reason: Array.isArray(data) ? 'array' : data === null ? 'null' : typeof data } },
    );
  }
  const raw = data as Record<string, string>; // validated above; the original keeps every own key (zod drops "__proto__")
  const entries = Object.entries(raw).map(([key, path]) => ({ key, path: compilePath(path, { key, column }) }));
  return { entries, raw };
}

function parseJson(text: string, column: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const position = /position (\d+)/.exec(String((e as Error)?.message))?.[1];
    throw new KaaError(
      'E_KVP_CONFIG_INVALID',
      `${column}${where} is not valid JSON${position === undefined ? '' : ` (error at character ${Number(position) + 1})`}. Write it as stringified JSON, like {"queueName": "participants[0].queueName"}.`,
      { details: { column, ...(position !== undefined && { offset: Number(position) }) } },
    );
  }
}
