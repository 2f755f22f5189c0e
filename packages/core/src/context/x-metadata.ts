import * as z from 'zod/mini';
import { KaaError } from '../errors.js';
import { isTokenText } from '../tokens/token-text.js';
import { decodeOnce, isWellFormed } from './query.js';

/**
 * The Kore Data Table named by the `x_metadata` URL parameter (docs/kore-protocol.md#data-table-url-parameter).
 *
 * - `name`: the Kore Data Table holding one bot row per QueueIdentifier.
 * - `token`: a Data-app JWT with read access to that table. **Secret**: never log it.
 * - `qDelimiter`: the single character that ends the QueueIdentifier inside Genesys queue names
 *   (`ALPHAINC_CUSTOMERSERVICE_16092024` with `_` → `ALPHAINC`). The guide calls it "the special
 *   character", so kaa accepts exactly one character, or an empty string (missing in the JSON) meaning
 *   "match the whole queue name". Anything longer is rejected with `E_XMETADATA_INVALID`.
 *
 * @example
 * ```ts
 * const d: XMetadataDatatable = { name: 'kaa_bots', token: 'eyJ…', qDelimiter: '_' };
 * ```
 */
export interface XMetadataDatatable {
  readonly name: string;
  readonly token: string;
  readonly qDelimiter: string;
}

const Raw = z.object({
  datatable: z.object({
    name: z.optional(z.unknown()),
    token: z.optional(z.unknown()),
    qDelimiter: z.optional(z.unknown()),
  }),
});

/**
 * Builds the `x_metadata` value of the Application URL: `encodeURIComponent(JSON.stringify({datatable:{name, token, qDelimiter}}))`,
 * exactly as the Kore guide describes. Throws `E_XMETADATA_INVALID` for an empty name or token or a delimiter
 * longer than one character.
 *
 * @example
 * ```ts
 * import { buildXMetadata } from '@kaa/core';
 *
 * buildXMetadata({ name: 'kaa_bots', token: 'eyJhbGciOi…', qDelimiter: '_' });
 * // → '%7B%22datatable%22%3A%7B%22name%22%3A%22kaa_bots%22%2C%22token%22%3A%22eyJhbGciOi…%22%2C%22qDelimiter%22%3A%22_%22%7D%7D'
 * ```
 */
export function buildXMetadata(datatable: XMetadataDatatable): string {
  // validate refuses lone surrogates (name, qDelimiter) and non-ASCII tokens: encodeURIComponent cannot throw below
  const checked = validate({ name: datatable.name, token: datatable.token, qDelimiter: datatable.qDelimiter }, [
    datatable.token,
  ]);
  return encodeURIComponent(JSON.stringify({ datatable: checked }));
}

/**
 * Reads an `x_metadata` value back into `{name, token, qDelimiter}`: the inverse of {@link buildXMetadata}.
 *
 * Accepts real-world sloppiness: the JSON itself, or the JSON URL-encoded once, twice or three times
 * (with `+` for spaces too), surrounding whitespace, and a leading `?x=` or `x=` copied from the guide's
 * "urlencoder" sample (`x_metadata=<?x=%7B%22datatable%22…>`). `name` and `token` are trimmed; `qDelimiter`
 * is kept as is (a space is a valid delimiter).
 *
 * Throws `E_XMETADATA_INVALID` when the text is not such JSON, `datatable.name` or `datatable.token` is
 * missing or empty, or `qDelimiter` is not a single character. The message never contains the token.
 *
 * @example
 * ```ts
 * import { parseXMetadata } from '@kaa/core';
 *
 * parseXMetadata('%7B%22datatable%22%3A%7B%22name%22%3A%22kaa_bots%22%2C%22token%22%3A%22eyJ.x.y%22%2C%22qDelimiter%22%3A%22_%22%7D%7D');
 * // → { name: 'kaa_bots', token: 'eyJ.x.y', qDelimiter: '_' }
 * ```
 */
export function parseXMetadata(raw: string): XMetadataDatatable {
  const text = String(raw);
  const json = findJson(text);
  if (json === undefined) {
    throw new KaaError(
      'E_XMETADATA_INVALID',
      'Parameter "x_metadata" is not the URL-encoded JSON {"datatable":{"name":…,"token":…,"qDelimiter":…}}. ' +
        'Rebuild it with encodeURIComponent(JSON.stringify({datatable:{name, token, qDelimiter}})) and paste the result after "x_metadata=".',
      { details: { parameter: 'x_metadata', problem: 'not JSON' }, secrets: [text] },
    );
  }
  const parsed = Raw.safeParse(json);
  if (!parsed.success) {
    throw new KaaError(
      'E_XMETADATA_INVALID',
      'Parameter "x_metadata" is JSON but has no "datatable" object. The guide\'s shape is {"datatable":{"name":<data table name>,"token":<JWT>,"qDelimiter":"_"}}; rebuild x_metadata in that shape.',
      { details: { parameter: 'x_metadata', problem: 'no datatable object' }, secrets: [text] },
    );
  }
  const d = parsed.data.datatable;
  const token = typeof d.token === 'string' ? d.token : undefined;
  return validate(
    {
      name: typeof d.name === 'string' ? d.name : undefined,
      token,
      qDelimiter:
        d.qDelimiter === undefined || d.qDelimiter === null
          ? ''
          : typeof d.qDelimiter === 'string'
            ? d.qDelimiter
            : undefined,
    },
    [text, token],
  );
}

function findJson(text: string): unknown {
  let candidate = text.trim();
  for (let i = 0; i < 4; i++) {
    candidate = candidate.replace(/^\??x=/, '').trim();
    for (const variant of [candidate, candidate.replace(/\+/g, ' ')]) {
      if (!variant.startsWith('{')) continue;
      try {
        return JSON.parse(variant) as unknown;
      } catch {
        // try the next variant or decoding level
      }
    }
    const next = decodeOnce(candidate);
    const plusDecoded = next === candidate ? decodeOnce(candidate.replace(/\+/g, ' ')) : next;
    if (plusDecoded === candidate) return undefined;
    candidate = plusDecoded;
  }
  return undefined;
}

function validate(
  d: { name: string | undefined; token: string | undefined; qDelimiter: string | undefined },
  secrets: readonly (string | undefined)[],
): XMetadataDatatable {
  const fail = (field: string, problem: string, fix: string): never => {
    throw new KaaError('E_XMETADATA_INVALID', `Parameter "x_metadata": datatable.${field} ${problem}. ${fix}`, {
      details: { parameter: 'x_metadata', field: `datatable.${field}`, problem },
      secrets,
    });
  };
  const name = typeof d.name === 'string' ? d.name.trim() : '';
  if (name === '') fail('name', 'is missing or empty', 'Put the Kore Data Table name (Data > Data Tables) in "name".');
  if (!isWellFormed(name))
    fail(
      'name',
      'contains a broken Unicode character (a lone surrogate)',
      'Retype the Kore Data Table name exactly as Kore shows it (Data > Data Tables).',
    );
  const token = typeof d.token === 'string' ? d.token.trim() : '';
  if (token === '')
    fail('token', 'is missing or empty', 'Put a JWT of a Data app with read access to the table in "token".');
  if (/\s/.test(token)) fail('token', 'contains spaces or line breaks', 'Paste the JWT as one line without spaces.');
  if (!isTokenText(token))
    fail(
      'token',
      'contains characters a JWT cannot contain (only letters, digits, "-", "_" and "." are possible)',
      'Copy the Data app token again as plain text (no typographic quotes or other special characters) and rebuild x_metadata.',
    );
  if (typeof d.qDelimiter !== 'string') {
    return fail(
      'qDelimiter',
      'is not a string',
      'Set "qDelimiter" to the one character that ends the QueueIdentifier in your queue names, e.g. "_".',
    );
  }
  if (!isWellFormed(d.qDelimiter))
    fail(
      'qDelimiter',
      'contains a broken Unicode character (a lone surrogate)',
      'Set "qDelimiter" to the one character that ends the QueueIdentifier in your queue names, e.g. "_".',
    );
  if ([...d.qDelimiter].length > 1) {
    fail(
      'qDelimiter',
      `is ${[...d.qDelimiter].length} characters long; it must be a single character`,
      'Set "qDelimiter" to the one character that ends the QueueIdentifier in your queue names, e.g. "_" for "ALPHAINC_CUSTOMERSERVICE".',
    );
  }
  return Object.freeze({ name, token, qDelimiter: d.qDelimiter });
}
