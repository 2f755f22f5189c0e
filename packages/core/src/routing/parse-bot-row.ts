import { isHttpsOrLoopback, isLoopbackHost } from '../https-url.js';
import type { KaaErrorCode } from '../errors.js';
import { KaaError, isKaaError } from '../errors.js';
import { redact } from '../redact.js';
import type { KvpConfig } from '../kvp/kvp-config.js';
import { parseKvpConfig } from '../kvp/kvp-config.js';
import type { BotAlgorithm, BotRecord, BotRow, RsaPublicJwk } from './bot-record.js';
import { BOT_ALGORITHMS, BOT_COLUMNS, isSystemColumn } from './bot-record.js';
import { describeUrlOrigin } from '../widget/describe-url-origin.js';
import type { BotTableFindingCode, FindingSeverity, RowProblem } from './bot-row-findings.js';

/**
 * Options for {@link parseBotRow}.
 *
 * @example
 * ```ts
 * parseBotRow(row, { rowIndex: 3, tableName: 'kaa_bots', allowHttpLoopback: true });
 * ```
 */
export interface ParseBotRowOptions {
  /** 0-based index of the row in the table, for messages. */
  readonly rowIndex?: number;
  /** Data table name, for messages. Default `"the Kore data table"`. */
  readonly tableName?: string;
  /**
   * Accept `http:` widget URLs on `127.0.0.1`, `localhost` and `[::1]` (the sandbox). Default `false`:
   * production widget URLs must be `https:`.
   */
  readonly allowHttpLoopback?: boolean;
  /** Origin kind stored in the record. Default `"kore-data-table"`. */
  readonly kind?: string;
}

const KNOWN = new Map<string, string>(
  [...BOT_COLUMNS.mandatory, ...BOT_COLUMNS.optional].map((c) => [c.toLowerCase(), c]),
);

/** The secrets a raw row holds (ClientSecret, RSPrivatePem), for redaction. */
export function rowSecrets(row: unknown): string[] {
  if (typeof row !== 'object' || row === null) return [];
  const r = row as Record<string, unknown>;
  const out: string[] = [];
  for (const [k, v] of Object.entries(r)) {
    const lower = k.toLowerCase();
    if ((lower === 'clientsecret' || lower === 'rsprivatepem') && typeof v === 'string' && v !== '')
      out.push(v, v.trim());
  }
  return out;
}

/** How a row is named in messages: `row 2 (QueueIdentifier "ALPHAINC", sys_Id "…")`. */
export function describeRow(row: unknown, rowIndex?: number): string {
  const parts: string[] = [];
  if (typeof row === 'object' && row !== null) {
    const r = row as Record<string, unknown>;
    const q = r['QueueIdentifier'];
    if (typeof q === 'string' && q.trim() !== '') parts.push(`QueueIdentifier "${clip(q.trim())}"`);
    const id = r['sys_Id'] ?? r['_id'];
    if (typeof id === 'string' || typeof id === 'number') parts.push(`sys_Id "${clip(String(id))}"`);
  }
  const head = rowIndex === undefined ? 'bot row' : `row ${rowIndex}`;
  return parts.length > 0 ? `${head} (${parts.join(', ')})` : head;
}

/**
 * Checks one row against the column rules and returns every problem plus, when none is an error, the record.
 * The building block of {@link parseBotRow} (first error thrown) and {@link lintBotTable} (all problems listed).
 *
 * @example
 * ```ts
 * import { inspectBotRow } from '@kaa/core';
 *
 * const { record, problems } = inspectBotRow(row, { rowIndex: 0 });
 * problems.filter((p) => p.severity === 'error'); // → []
 * ```
 */
export function inspectBotRow(
  row: unknown,
  options: ParseBotRowOptions = {},
): { record?: BotRecord; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const secrets = rowSecrets(row);
  const where = `${describeRow(row, options.rowIndex)} of data table "${options.tableName ?? 'the Kore data table'}"`;
  const add = (
    severity: FindingSeverity,
    code: BotTableFindingCode,
    column: string | undefined,
    text: string,
    errorCode: KaaErrorCode = 'E_BOT_ROW_INVALID',
    details?: Record<string, unknown>,
  ) =>
    problems.push({
      severity,
      code,
      ...(column !== undefined && { column }),
      message: redact(text, secrets),
      errorCode,
      ...(details && { details }),
    });

  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    add(
      'error',
      'row-not-object',
      undefined,
      `${capital(where)} is not an object of columns (got ${row === null ? 'null' : Array.isArray(row) ? 'an array' : typeof row}). Check that the table is a Kore Data Table with the kaa columns.`,
    );
    return { problems };
  }
  const r = row as BotRow;

  for (const column of Object.keys(r)) {
    if (isSystemColumn(column)) continue;
    const known = KNOWN.get(column.toLowerCase());
    if (known === undefined)
      add('info', 'unknown-column', column, `${capital(where)} has column "${column}", which kaa does not use.`);
    else if (known !== column)
      add(
        'warning',
        'column-case',
        column,
        `${capital(where)} has column "${column}", but column names are case-sensitive: rename it to "${known}".`,
      );
  }

  const text = (column: string, mandatory: boolean, hint: string): string | undefined => {
    if (!Object.hasOwn(r, column)) {
      if (mandatory) {
        const variant = Object.keys(r).find((k) => k !== column && k.toLowerCase() === column.toLowerCase());
        add(
          'error',
          'missing-column',
          column,
          `${capital(where)} has no column "${column}"${variant ? ` (it has "${variant}"; column names are case-sensitive)` : ''}. Add the column "${column}": ${hint}.`,
        );
      }
      return undefined;
    }
    const value = r[column];
    if (value === null || value === undefined) {
      if (mandatory)
        add('error', 'empty-value', column, `${capital(where)} has an empty "${column}". Fill in ${hint}.`);
      return undefined;
    }
    if (typeof value !== 'string') {
      add(
        'error',
        'invalid-value',
        column,
        `${capital(where)} has a "${column}" that is not text (got ${Array.isArray(value) ? 'an array' : typeof value}). Data table columns must be of type string: fill in ${hint}.`,
      );
      return undefined;
    }
    const trimmed = value.trim();
    if (trimmed === '') {
      if (mandatory)
        add('error', 'empty-value', column, `${capital(where)} has an empty "${column}". Fill in ${hint}.`);
      return undefined;
    }
    return trimmed;
  };
  const bool = (column: string, mandatory: boolean): boolean | undefined => {
    const raw = r[column];
    if (typeof raw === 'boolean') return raw;
    const value = text(column, mandatory, '"true" or "false"');
    if (value === undefined) return undefined;
    const lower = value.toLowerCase();
    if (lower === 'true' || lower === 'false') return lower === 'true';
    add(
      'error',
      'boolean-invalid',
      column,
      `${capital(where)} has "${column}" = "${clip(value)}". Write "true" or "false" (any letter case).`,
    );
    return undefined;
  };

  const queueIdentifier = text(
    'QueueIdentifier',
    true,
    'the queue identifier, or several separated by commas (e.g. "Kore, KoreSupport")',
  );
  const queueIdentifiers = queueIdentifier === undefined ? [] : splitIdentifiers(queueIdentifier);
  if (queueIdentifier !== undefined && queueIdentifiers.length === 0)
    add(
      'error',
      'no-identifier',
      'QueueIdentifier',
      `${capital(where)} has a QueueIdentifier with no names in it. List one queue identifier, or several separated by commas.`,
    );
  const botId = text('BotId', true, 'the bot id (st-…) from Agent AI');
  const clientId = text('ClientId', true, "the client id (cs-…) of the bot's JWT app");
  const clientSecret = text('ClientSecret', true, "the client secret of the bot's JWT app");
  const widgetUrlText = text(
    'AgentAssistWidgetURL',
    true,
    'the widget URL, e.g. https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html',
  );
  const agentAssistWidgetUrl =
    widgetUrlText === undefined
      ? undefined
      : checkWidgetUrl(widgetUrlText, 'AgentAssistWidgetURL', where, options, add);
  const audiohookEnabled = bool('AudiohookEnabled', true);
  const isAgentAISDK = bool('isAgentAISDK', false) ?? false;

  const algorithmText = text('Algorithm', false, 'HS256, RS256 or RS512 (or leave it empty for HS256)');
  let algorithm: BotAlgorithm | undefined = 'HS256';
  if (algorithmText !== undefined) {
    const upper = algorithmText.toUpperCase() as BotAlgorithm;
    algorithm = BOT_ALGORITHMS.includes(upper) ? upper : undefined;
    if (algorithm === undefined)
      add(
        'error',
        'algorithm-unsupported',
        'Algorithm',
        `${capital(where)} has Algorithm "${clip(algorithmText)}". Use HS256 (or leave it empty); RS256 and RS512 also work with an RSPrivatePem.`,
      );
  }
  const rsPrivatePem = text('RSPrivatePem', false, 'the PEM private key of the client app');
  if (algorithm === 'RS256' || algorithm === 'RS512') {
    if (rsPrivatePem === undefined)
      add(
        'error',
        'rs-private-pem-missing',
        'RSPrivatePem',
        `${capital(where)} uses Algorithm ${algorithm} but has no RSPrivatePem. Paste the PEM private key of the client app, or set Algorithm to HS256.`,
      );
    else if (!/^-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----$/.test(rsPrivatePem))
      add(
        'error',
        'rs-private-pem-invalid',
        'RSPrivatePem',
        `${capital(where)} has an RSPrivatePem that is not a PEM private key (it must run from a "-----BEGIN PRIVATE KEY-----" line to the matching END line). Paste the whole PEM text.`,
      );
  }

  let kvpConfig: KvpConfig | undefined;
  const kvpText =
    Object.hasOwn(r, 'KvpConfig') && typeof r['KvpConfig'] === 'object' && r['KvpConfig'] !== null
      ? r['KvpConfig']
      : text('KvpConfig', false, 'the KvpConfig JSON, or leave it empty');
  if (kvpText !== undefined) {
    try {
      const parsed = parseKvpConfig(kvpText, { where });
      kvpConfig = parsed.entries.length > 0 ? parsed : undefined;
    } catch (e) {
      if (!isKaaError(e)) throw e;
      const code = e.code === 'E_KVP_PATH_INVALID' ? 'kvp-path-invalid' : 'kvp-json-invalid';
      add(
        'error',
        code,
        'KvpConfig',
        e.code === 'E_KVP_PATH_INVALID' ? `${capital(where)}: ${e.message}` : e.message,
        e.code,
        { ...e.details },
      );
    }
  }

  let jwePublicKey: RsaPublicJwk | undefined;
  const jweText = text('JWEPublicKey', false, "the client app's public key (JWK JSON), or leave it empty");
  if (jweText !== undefined) jwePublicKey = parseRsaPublicJwk(jweText, where, add);
  else if (kvpConfig !== undefined)
    add(
      'error',
      'jwe-key-missing',
      'JWEPublicKey',
      `${capital(where)} has a KvpConfig but an empty JWEPublicKey, so the secure custom data cannot be encrypted. Paste the client app's public key (JWK JSON), or empty the KvpConfig.`,
    );
  if (!Object.hasOwn(r, 'JWEPublicKey'))
    add(
      'warning',
      'missing-column',
      'JWEPublicKey',
      `${capital(where)} has no column "JWEPublicKey" (a mandatory column of the Kore guide). Add it; it may stay empty when no KvpConfig is used.`,
    );

  if (problems.some((p) => p.severity === 'error')) return { problems };
  const sysId = r['sys_Id'] ?? r['_id'];
  const record: BotRecord = {
    queueIdentifiers,
    botId: botId as string,
    clientId: clientId as string,
    clientSecret: clientSecret as string,
    agentAssistWidgetUrl: agentAssistWidgetUrl as string,
    audiohookEnabled: audiohookEnabled as boolean,
    ...(jwePublicKey && { jwePublicKey }),
    ...(kvpConfig && { kvpConfig }),
    algorithm: algorithm as BotAlgorithm,
    ...(rsPrivatePem !== undefined && algorithm !== 'HS256' && { rsPrivatePem }),
    isAgentAISDK,
    origin: {
      kind: options.kind ?? 'kore-data-table',
      ...(options.rowIndex !== undefined && { rowIndex: options.rowIndex }),
      ...((typeof sysId === 'string' || typeof sysId === 'number') && { sysId: String(sysId) }),
      ...(options.tableName !== undefined && { table: options.tableName }),
    },
  };
  return { record, problems };
}

/**
 * Validates one Kore Data Table row (docs/kore-protocol.md#bot-row-schema) and returns the typed {@link BotRecord}.
 * Column names are case-sensitive; system columns (`sys_Id`, `_id`, `Created_*`, `Updated_*`) and unknown
 * columns are ignored; booleans are case-insensitive (`"True"`); an empty `Algorithm` means HS256.
 *
 * @throws {KaaError} `E_BOT_ROW_INVALID` naming the column and the row (never a secret value);
 *   `E_KVP_CONFIG_INVALID` / `E_KVP_PATH_INVALID` for a bad KvpConfig.
 * @example
 * ```ts
 * import { parseBotRow } from '@kaa/core';
 *
 * const record = parseBotRow({
 *   QueueIdentifier: 'Kore, KoreSupport', BotId: 'st-…', ClientId: 'cs-…', ClientSecret: '…',
 *   AgentAssistWidgetURL: 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html',
 *   AudiohookEnabled: 'True', JWEPublicKey: '', Algorithm: 'HS256',
 * });
 * record.queueIdentifiers; // → ['Kore', 'KoreSupport']
 * ```
 */
export function parseBotRow(row: unknown, options: ParseBotRowOptions = {}): BotRecord {
  const { record, problems } = inspectBotRow(row, options);
  if (record) return record;
  const first = problems.find((p) => p.severity === 'error') as RowProblem;
  const errors = problems.filter((p) => p.severity === 'error');
  throw new KaaError(first.errorCode, first.message, {
    secrets: rowSecrets(row),
    details: {
      ...first.details,
      ...(first.column !== undefined && { column: first.column }),
      ...(options.rowIndex !== undefined && { rowIndex: options.rowIndex }),
      problems: errors.map((p) => ({ code: p.code, column: p.column })),
    },
  });
}

/** Splits a QueueIdentifier cell: `"Kore, KoreSupport"` → `['Kore', 'KoreSupport']`. */
export function splitIdentifiers(cell: string): string[] {
  return cell
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

type Add = (severity: FindingSeverity, code: BotTableFindingCode, column: string | undefined, text: string) => void;

/** Validates a widget URL: https, or http on loopback when allowed. Shared with the legacy parser. */
export function checkWidgetUrl(
  value: string,
  column: string,
  where: string,
  options: { allowHttpLoopback?: boolean },
  add: Add,
): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    add(
      'error',
      'widget-url-invalid',
      column,
      `${capital(where)} has a "${column}" that is not a URL. Write the full widget URL, e.g. https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html.`,
    );
    return undefined;
  }
  if (isHttpsOrLoopback(url, { allowHttpLoopback: options.allowHttpLoopback === true })) return url.href;
  const loopbackHint =
    url.protocol === 'http:' && isLoopbackHost(url.hostname)
      ? ' (http on a loopback host is accepted only when allowHttpLoopback is set, for the sandbox)'
      : '';
  add(
    'error',
    'widget-url-not-https',
    column,
    `${capital(where)} has a "${column}" that does not start with https: (${clip(describeUrlOrigin(url))})${loopbackHint}. The widget must load over https: use the https URL of your Agent AI host.`,
  );
  return undefined;
}

function parseRsaPublicJwk(text: string, where: string, add: Add): RsaPublicJwk | undefined {
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
    if (typeof jwk === 'string') jwk = JSON.parse(jwk);
  } catch {
    add(
      'error',
      'jwe-key-invalid',
      'JWEPublicKey',
      `${capital(where)} has a JWEPublicKey that is not JSON. Paste the client app's public key as stringified JWK JSON ({"kty":"RSA","n":"…","e":"AQAB",…}), not PEM.`,
    );
    return undefined;
  }
  const k = (typeof jwk === 'object' && jwk !== null ? jwk : {}) as Record<string, unknown>;
  const b64url = /^[A-Za-z0-9_-]+$/;
  if (
    k['kty'] !== 'RSA' ||
    typeof k['n'] !== 'string' ||
    typeof k['e'] !== 'string' ||
    !b64url.test(k['n']) ||
    !b64url.test(k['e'])
  ) {
    add(
      'error',
      'jwe-key-invalid',
      'JWEPublicKey',
      `${capital(where)} has a JWEPublicKey that is not an RSA public JWK (it needs "kty":"RSA" and base64url "n" and "e"). Paste the public key shown for the client app when JWE is enabled.`,
    );
    return undefined;
  }
  if (['d', 'p', 'q', 'dp', 'dq', 'qi'].some((m) => m in k)) {
    add(
      'error',
      'jwe-key-invalid',
      'JWEPublicKey',
      `${capital(where)} has a JWEPublicKey that contains private key members. Paste only the public key (kty, n, e, kid) and rotate this key pair: its private part was exposed in the table.`,
    );
    return undefined;
  }
  const pick = (m: string) => (typeof k[m] === 'string' ? { [m]: k[m] as string } : {});
  return { kty: 'RSA', n: k['n'], e: k['e'], ...pick('kid'), ...pick('alg'), ...pick('use') };
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
