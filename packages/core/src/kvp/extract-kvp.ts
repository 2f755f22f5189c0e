import type { KvpConfig } from './kvp-config.js';
import { parseKvpConfig } from './kvp-config.js';

/**
 * A KvpConfig entry that gave no value.
 *
 * @example
 * ```ts
 * extractKvp(conversation, config).missing; // → [{ key: 'callStatus', path: 'participants[0].calls[0].state', reason: 'unresolved' }]
 * ```
 */
export interface KvpMissing {
  readonly key: string;
  readonly path: string;
  /** `unresolved`: a step found nothing; `null`: the value is `null`. */
  readonly reason: 'unresolved' | 'null';
}

/**
 * The result of {@link extractKvp}.
 *
 * @example
 * ```ts
 * const { values, missing }: KvpExtraction = extractKvp(conversation, record.kvpConfig!);
 * ```
 */
export interface KvpExtraction {
  /** Output key → value. Strings stay strings; numbers, booleans, objects and arrays stay JSON values. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Entries that resolved to nothing or `null`; their keys are left out of `values`. */
  readonly missing: readonly KvpMissing[];
}

/**
 * Evaluates a KvpConfig against a Genesys conversation (`GET /api/v2/conversations/{id}`).
 * Never throws for a missing value: unresolved and `null` paths are listed in `missing` and their keys omitted.
 * Pass a {@link KvpConfig} from {@link parseKvpConfig} (compiled once, as a bot record holds it) on hot paths;
 * a raw `{key: path}` object or its JSON text is compiled on each call.
 *
 * @throws {KaaError} only when `kvpConfig` is raw and invalid (`E_KVP_CONFIG_INVALID`, `E_KVP_PATH_INVALID`).
 * @example
 * ```ts
 * import { extractKvp } from '@kaa/core';
 *
 * extractKvp(conversation, { queueName: 'participants[0].queueName', callStatus: 'participants[0].calls[0].state' });
 * // → { values: { queueName: 'ALPHAINC_CUSTOMERSERVICE_16092024', callStatus: 'connected' }, missing: [] }
 * ```
 */
export function extractKvp(
  conversation: unknown,
  kvpConfig: KvpConfig | Readonly<Record<string, string>> | string,
): KvpExtraction {
  const config = isCompiled(kvpConfig) ? kvpConfig : parseKvpConfig(kvpConfig);
  const values: Record<string, unknown> = {};
  const missing: KvpMissing[] = [];
  for (const { key, path } of config.entries) {
    const value = path.evaluate(conversation);
    if (value === undefined || value === null)
      missing.push({ key, path: path.source, reason: value === null ? 'null' : 'unresolved' });
    else if (key === '__proto__')
      Object.defineProperty(values, key, { value, enumerable: true, writable: true, configurable: true });
    else values[key] = value;
  }
  return { values, missing };
}

function isCompiled(value: unknown): value is KvpConfig {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as KvpConfig).entries) &&
    typeof (value as KvpConfig).raw === 'object'
  );
}
