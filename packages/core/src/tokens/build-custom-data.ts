import { KaaError } from '../errors.js';
import { isPlainObject } from './jose-segment.js';
import { classifyPassthru } from './classify-passthru.js';

/** How the passthru value is forwarded (docs/assumptions.md#passthru-metadata-handling, `passthru.forward`): the original string (default) or its parsed JSON. */
export type PassthruForward = 'raw' | 'parsedJson';

/** Input of {@link buildCustomData}. */
export interface BuildCustomDataOptions {
  /** The `x_passthru_metadata` value as the query parser returned it; omitted or empty → no `internalMetaData`. */
  passthru?: string | undefined;
  /** Further custom data (e.g. Third-Party `CustomDataConfig` values). Must not contain `internalMetaData`. */
  extra?: Readonly<Record<string, unknown>> | undefined;
  /** `raw` (default) forwards the original string; `parsedJson` forwards the parsed object when the value is JSON or base64-JSON. */
  forward?: PassthruForward | undefined;
}

/**
 * Builds the widget's `customData` object: `{internalMetaData: <x_passthru_metadata>, ...extra}` (docs/kore-protocol.md#passthru-metadata).
 * By default the passthru string is forwarded unchanged, whatever its format; the bot reads it as
 * `context.session.UserContext.customData.internalMetaData`. Returns `{}` when there is nothing to send.
 * A key collision on `internalMetaData` throws `E_KVP_CONFIG_INVALID` rather than dropping either value.
 *
 * @example
 * ```ts
 * import { buildCustomData } from '@kaa/core';
 *
 * buildCustomData({ passthru: '{"crmId":"42"}', extra: { fName: 'Ada' } });
 * // → { internalMetaData: '{"crmId":"42"}', fName: 'Ada' }
 * buildCustomData({ passthru: '{"crmId":"42"}', forward: 'parsedJson' });
 * // → { internalMetaData: { crmId: '42' } }
 * ```
 */
export function buildCustomData(options: BuildCustomDataOptions = {}): Record<string, unknown> {
  const { passthru, extra, forward = 'raw' } = options;
  if (extra !== undefined && !isPlainObject(extra)) {
    throw new KaaError(
      'E_KVP_CONFIG_INVALID',
      'Custom data must be a JSON object of key/value pairs. Check CustomDataConfig: it must be a JSON object {"key": "path"}.',
      {
        details: { configKey: 'CustomDataConfig' },
      },
    );
  }
  if (forward !== 'raw' && forward !== 'parsedJson') {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `"passthru.forward" is "${String(forward)}". Set it to "raw" (the default) or "parsedJson".`,
      { details: { configKey: 'passthru.forward' } },
    );
  }
  if (passthru === undefined || passthru === '') return { ...extra };
  if (typeof passthru !== 'string') {
    throw new KaaError(
      'E_PARAM_INVALID',
      'The x_passthru_metadata value is not text. Pass it as a single query parameter in the Interaction Widget URL.',
      {
        details: { param: 'x_passthru_metadata' },
      },
    );
  }
  if (extra && Object.prototype.hasOwnProperty.call(extra, 'internalMetaData')) {
    throw new KaaError(
      'E_KVP_CONFIG_INVALID',
      'Custom data already has a key "internalMetaData", which x_passthru_metadata fills. Rename that key in CustomDataConfig.',
      {
        details: { key: 'internalMetaData' },
      },
    );
  }
  let internalMetaData: unknown = passthru;
  if (forward === 'parsedJson') {
    const c = classifyPassthru(passthru);
    if (c.kind === 'json') internalMetaData = c.value;
    else if (c.kind === 'base64' && c.json) internalMetaData = c.value;
  }
  return { internalMetaData, ...extra };
}
