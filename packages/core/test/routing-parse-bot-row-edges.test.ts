import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import { inspectBotRow, parseBotRow } from '@kaa/core';
import type { BotRow } from '@kaa/core';
import { describeRow, rowSecrets } from '../src/routing/parse-bot-row.js';

// Edges of the bot-row parser that the guide-row tests (routing-bot-table.test.ts) do not reach: the exact words an
// admin reads for each column problem, which problems block the record, and what the record keeps.

const WIDGET = 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html';
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
const KVP = '{"queueName": "participants[0].queueName"}';
const JWK = { kty: 'RSA', n: 'sXchbWQ0', e: 'AQAB' };
const WHERE = 'Row 3 (QueueIdentifier "Q", sys_Id "s1") of data table "kaa_bots"';
const OPTS = { rowIndex: 3, tableName: 'kaa_bots' };

function good(extra: Record<string, unknown> = {}): BotRow {
  return {
    QueueIdentifier: 'Q',
    BotId: 'st-1',
    ClientId: 'cs-1',
    ClientSecret: 'zz-row-secret',
    AgentAssistWidgetURL: WIDGET,
    AudiohookEnabled: 'false',
    JWEPublicKey: '',
    sys_Id: 's1',
    ...extra,
  };
}
function without(row: Record<string, unknown>, ...columns: string[]): Record<string, unknown> {
  const out = { ...row };
  for (const c of columns) delete out[c];
  return out;
}
/** The problems of a row as (severity, code, column, message), column omitted when the problem has none. */
function problemsOf(row: unknown, options = OPTS) {
  return inspectBotRow(row, options).problems.map(({ severity, code, column, message, errorCode }) => ({
    severity,
    code,
    ...(column !== undefined && { column }),
    message,
    errorCode,
  }));
}
const error = (code: string, column: string | undefined, message: string, errorCode = 'E_BOT_ROW_INVALID') => ({
  severity: 'error',
  code,
  ...(column !== undefined && { column }),
  message,
  errorCode,
});

describe('rowSecrets', () => {
  it('collects ClientSecret and RSPrivatePem in any letter case, raw and trimmed, and nothing else', () => {
    expect(rowSecrets({ ClientSecret: ' s3cr3t ', rsprivatepem: 'PEMTEXT', ClientId: 'cs-1', BotId: 'st-1' })).toEqual([
      ' s3cr3t ',
      's3cr3t',
      'PEMTEXT',
      'PEMTEXT',
    ]);
    expect(rowSecrets({ ClientSecret: '', RSPrivatePem: 7, ClientId: 'cs-1' })).toEqual([]);
    expect(rowSecrets({ BotId: 'st-1' })).toEqual([]);
    expect(rowSecrets(null)).toEqual([]);
    expect(rowSecrets('ClientSecret')).toEqual([]);
  });
});

describe('describeRow', () => {
  it.each([
    [null, undefined, 'bot row'],
    [null, 2, 'row 2'],
    ['text', 0, 'row 0'],
    [{}, undefined, 'bot row'],
    [{ QueueIdentifier: ' Kore ' }, undefined, 'bot row (QueueIdentifier "Kore")'],
    [{ QueueIdentifier: '   ', sys_Id: {} }, 1, 'row 1'],
    [{ QueueIdentifier: 'Kore', _id: 'x9' }, 1, 'row 1 (QueueIdentifier "Kore", sys_Id "x9")'],
    [{ sys_Id: 42, _id: 'ignored' }, 5, 'row 5 (sys_Id "42")'],
    [{ QueueIdentifier: 'q'.repeat(80) }, undefined, `bot row (QueueIdentifier "${'q'.repeat(80)}")`],
    [{ QueueIdentifier: 'q'.repeat(81) }, undefined, `bot row (QueueIdentifier "${'q'.repeat(77)}…")`],
  ])('names %j (index %s) as %s', (row, index, name) => {
    expect(describeRow(row, index)).toBe(name);
  });
});

describe('inspectBotRow problems, word for word', () => {
  it('a value that is not an object of columns', () => {
    for (const [row, got] of [
      [null, 'null'],
      [['a'], 'an array'],
      [5, 'number'],
    ] as const) {
      expect(inspectBotRow(row)).toStrictEqual({
        problems: [
          {
            severity: 'error',
            code: 'row-not-object',
            message: `Bot row of data table "the Kore data table" is not an object of columns (got ${got}). Check that the table is a Kore Data Table with the kaa columns.`,
            errorCode: 'E_BOT_ROW_INVALID',
          },
        ],
      });
    }
  });

  it('an empty row: every mandatory column missing, with the hint of what to fill in, in column order', () => {
    const where = 'Row 0 of data table "kaa_bots"';
    const missing = (column: string, hint: string) =>
      error('missing-column', column, `${where} has no column "${column}". Add the column "${column}": ${hint}.`);
    expect(problemsOf({}, { rowIndex: 0, tableName: 'kaa_bots' })).toEqual([
      missing('QueueIdentifier', 'the queue identifier, or several separated by commas (e.g. "Kore, KoreSupport")'),
      missing('BotId', 'the bot id (st-…) from Agent AI'),
      missing('ClientId', "the client id (cs-…) of the bot's JWT app"),
      missing('ClientSecret', "the client secret of the bot's JWT app"),
      missing(
        'AgentAssistWidgetURL',
        'the widget URL, e.g. https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html',
      ),
      missing('AudiohookEnabled', '"true" or "false"'),
      {
        severity: 'warning',
        code: 'missing-column',
        column: 'JWEPublicKey',
        message: `${where} has no column "JWEPublicKey" (a mandatory column of the Kore guide). Add it; it may stay empty when no KvpConfig is used.`,
        errorCode: 'E_BOT_ROW_INVALID',
      },
    ]);
  });

  it('unknown and wrongly cased columns are an info and a warning; the case variant is named when the column is missing', () => {
    expect(problemsOf(without({ ...good(), Notes: 'x', botid: 'st-2' }, 'BotId'))).toEqual([
      {
        severity: 'info',
        code: 'unknown-column',
        column: 'Notes',
        message: `${WHERE} has column "Notes", which kaa does not use.`,
        errorCode: 'E_BOT_ROW_INVALID',
      },
      {
        severity: 'warning',
        code: 'column-case',
        column: 'botid',
        message: `${WHERE} has column "botid", but column names are case-sensitive: rename it to "BotId".`,
        errorCode: 'E_BOT_ROW_INVALID',
      },
      error(
        'missing-column',
        'BotId',
        `${WHERE} has no column "BotId" (it has "botid"; column names are case-sensitive). Add the column "BotId": the bot id (st-…) from Agent AI.`,
      ),
    ]);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['blank', '  '],
  ])('a mandatory column that is %s is empty; an optional one is simply absent', (_name, value) => {
    expect(problemsOf(good({ BotId: value }))).toEqual([
      error('empty-value', 'BotId', `${WHERE} has an empty "BotId". Fill in the bot id (st-…) from Agent AI.`),
    ]);
    expect(problemsOf(good({ Algorithm: value, RSPrivatePem: value, KvpConfig: value, isAgentAISDK: value }))).toEqual(
      [],
    );
  });

  it.each([
    ['BotId', ['st-1'], 'an array', 'the bot id (st-…) from Agent AI'],
    ['AudiohookEnabled', 1, 'number', '"true" or "false"'],
    ['Algorithm', 256, 'number', 'HS256, RS256 or RS512 (or leave it empty for HS256)'],
    ['RSPrivatePem', {}, 'object', 'the PEM private key of the client app'],
    ['KvpConfig', 5, 'number', 'the KvpConfig JSON, or leave it empty'],
    ['JWEPublicKey', false, 'boolean', "the client app's public key (JWK JSON), or leave it empty"],
  ])('a %s that is not text (%j) says what to fill in', (column, value, got, hint) => {
    expect(problemsOf(good({ [column]: value }))).toEqual([
      error(
        'invalid-value',
        column,
        `${WHERE} has a "${column}" that is not text (got ${got}). Data table columns must be of type string: fill in ${hint}.`,
      ),
    ]);
  });

  it('booleans: real booleans and any letter case are accepted, other words are refused', () => {
    expect(parseBotRow(good({ AudiohookEnabled: true, isAgentAISDK: false }))).toMatchObject({
      audiohookEnabled: true,
      isAgentAISDK: false,
    });
    expect(parseBotRow(good({ AudiohookEnabled: ' TRUE ', isAgentAISDK: 'tRuE' }))).toMatchObject({
      audiohookEnabled: true,
      isAgentAISDK: true,
    });
    expect(problemsOf(good({ isAgentAISDK: 'maybe' }))).toEqual([
      error(
        'boolean-invalid',
        'isAgentAISDK',
        `${WHERE} has "isAgentAISDK" = "maybe". Write "true" or "false" (any letter case).`,
      ),
    ]);
  });

  it('a QueueIdentifier with only commas names no queue', () => {
    expect(problemsOf(good({ QueueIdentifier: ' , ,' }))).toEqual([
      error(
        'no-identifier',
        'QueueIdentifier',
        'Row 3 (QueueIdentifier ", ,", sys_Id "s1") of data table "kaa_bots" has a QueueIdentifier with no names in it. List one queue identifier, or several separated by commas.',
      ),
    ]);
  });

  it('Algorithm and RSPrivatePem', () => {
    expect(problemsOf(good({ Algorithm: 'ES256' }))).toEqual([
      error(
        'algorithm-unsupported',
        'Algorithm',
        `${WHERE} has Algorithm "ES256". Use HS256 (or leave it empty); RS256 and RS512 also work with an RSPrivatePem.`,
      ),
    ]);
    const notPem = error(
      'rs-private-pem-invalid',
      'RSPrivatePem',
      `${WHERE} has an RSPrivatePem that is not a PEM private key (it must run from a "-----BEGIN PRIVATE KEY-----" line to the matching END line). Paste the whole PEM text.`,
    );
    for (const pem of [
      'not a pem',
      `junk${PEM}`,
      `${PEM}junk`,
      '-----BEGIN PUBLIC KEY-----\nAA\n-----END PUBLIC KEY-----',
    ])
      expect(problemsOf(good({ Algorithm: 'rs512', RSPrivatePem: pem }))).toEqual([notPem]);
    const rsa = PEM.replace(/PRIVATE/g, 'RSA PRIVATE');
    expect(parseBotRow(good({ Algorithm: 'rs512', RSPrivatePem: ` ${rsa} ` }))).toMatchObject({
      algorithm: 'RS512',
      rsPrivatePem: rsa,
    });
  });

  it('KvpConfig: an object cell, an empty object, and the two error kinds with their own codes and words', () => {
    const object = parseBotRow(
      good({ KvpConfig: { queueName: 'participants[0].queueName' }, JWEPublicKey: JSON.stringify(JWK) }),
    );
    expect(object.kvpConfig?.raw).toEqual({ queueName: 'participants[0].queueName' });
    // an empty config is no config: no JWE key needed
    expect(parseBotRow(good({ KvpConfig: '{}' })).kvpConfig).toBeUndefined();
    expect(parseBotRow(good({ KvpConfig: {} })).kvpConfig).toBeUndefined();

    const withKey = { JWEPublicKey: JSON.stringify(JWK) };
    const [json] = inspectBotRow(good({ ...withKey, KvpConfig: '{bad' }), OPTS).problems;
    expect(json).toMatchObject({
      severity: 'error',
      code: 'kvp-json-invalid',
      column: 'KvpConfig',
      errorCode: 'E_KVP_CONFIG_INVALID',
      details: { column: 'KvpConfig' },
    });
    expect(json?.message).toMatch(
      /^KvpConfig of row 3 \(QueueIdentifier "Q", sys_Id "s1"\) of data table "kaa_bots" is not valid JSON/,
    );
    const [path] = inspectBotRow(good({ ...withKey, KvpConfig: '{"x": "participants["}' }), OPTS).problems;
    expect(path).toMatchObject({
      severity: 'error',
      code: 'kvp-path-invalid',
      column: 'KvpConfig',
      errorCode: 'E_KVP_PATH_INVALID',
      details: { key: 'x' },
    });
    expect(path?.message.startsWith(`${WHERE}: `)).toBe(true);

    expect(problemsOf(good({ KvpConfig: KVP }))).toEqual([
      error(
        'jwe-key-missing',
        'JWEPublicKey',
        `${WHERE} has a KvpConfig but an empty JWEPublicKey, so the secure custom data cannot be encrypted. Paste the client app's public key (JWK JSON), or empty the KvpConfig.`,
      ),
    ]);
  });

  it('JWEPublicKey: RSA public JWK only, stringified once or twice; its optional members kept', () => {
    expect(
      parseBotRow(
        good({
          JWEPublicKey: JSON.stringify(JSON.stringify({ ...JWK, kid: 'k1', alg: 'RSA-OAEP', use: 'enc', x: 1 })),
        }),
      ).jwePublicKey,
    ).toStrictEqual({ kty: 'RSA', n: JWK.n, e: 'AQAB', kid: 'k1', alg: 'RSA-OAEP', use: 'enc' });
    expect(parseBotRow(good({ JWEPublicKey: JSON.stringify({ ...JWK, kid: 7 }) })).jwePublicKey).toStrictEqual(JWK);

    const notRsa = error(
      'jwe-key-invalid',
      'JWEPublicKey',
      `${WHERE} has a JWEPublicKey that is not an RSA public JWK (it needs "kty":"RSA" and base64url "n" and "e"). Paste the public key shown for the client app when JWE is enabled.`,
    );
    for (const jwk of [
      { ...JWK, kty: 'EC' },
      { ...JWK, n: 12345 },
      { ...JWK, e: 65537 },
      { ...JWK, n: '+sXch' },
      { ...JWK, n: 'sXch/' },
      { ...JWK, e: 'AQ+B' },
      { kty: 'RSA' },
      7,
      ['n', 'e'],
    ])
      expect(problemsOf(good({ JWEPublicKey: JSON.stringify(jwk) })), JSON.stringify(jwk)).toEqual([notRsa]);

    const privateKey = error(
      'jwe-key-invalid',
      'JWEPublicKey',
      `${WHERE} has a JWEPublicKey that contains private key members. Paste only the public key (kty, n, e, kid) and rotate this key pair: its private part was exposed in the table.`,
    );
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
      expect(problemsOf(good({ JWEPublicKey: JSON.stringify({ ...JWK, [member]: 'AA' }) })), member).toEqual([
        privateKey,
      ]);
  });

  it('widget URL words: not a URL, not https, and the loopback hint only for http on a loopback host', () => {
    const notHttps = (shown: string, hint = '') =>
      error(
        'widget-url-not-https',
        'AgentAssistWidgetURL',
        `${WHERE} has a "AgentAssistWidgetURL" that does not start with https: (${shown})${hint}. The widget must load over https: use the https URL of your Agent AI host.`,
      );
    expect(problemsOf(good({ AgentAssistWidgetURL: 'agentassist.kore.ai' }))).toEqual([
      error(
        'widget-url-invalid',
        'AgentAssistWidgetURL',
        `${WHERE} has a "AgentAssistWidgetURL" that is not a URL. Write the full widget URL, e.g. https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html.`,
      ),
    ]);
    expect(problemsOf(good({ AgentAssistWidgetURL: 'http://kore.example/x.html' }))).toEqual([
      notHttps('http://kore.example'),
    ]);
    expect(problemsOf(good({ AgentAssistWidgetURL: 'ftp://127.0.0.1/x.html' }))).toEqual([notHttps('a "ftp:" URL')]);
    expect(problemsOf(good({ AgentAssistWidgetURL: 'http://localhost:4010/x.html' }))).toEqual([
      notHttps(
        'http://localhost:4010',
        ' (http on a loopback host is accepted only when allowHttpLoopback is set, for the sandbox)',
      ),
    ]);
  });
});

describe('the record', () => {
  it('keeps exactly the columns it was given: no empty keys, RSPrivatePem only beside an RS algorithm', () => {
    expect(parseBotRow(good({ RSPrivatePem: PEM, sys_Id: { id: 1 } }))).toStrictEqual({
      queueIdentifiers: ['Q'],
      botId: 'st-1',
      clientId: 'cs-1',
      clientSecret: 'zz-row-secret',
      agentAssistWidgetUrl: WIDGET,
      audiohookEnabled: false,
      algorithm: 'HS256',
      isAgentAISDK: false,
      origin: { kind: 'kore-data-table' },
    });
    expect(parseBotRow(without(good({ _id: 'row-7' }), 'sys_Id'), { kind: 'test', rowIndex: 0 }).origin).toStrictEqual({
      kind: 'test',
      rowIndex: 0,
      sysId: 'row-7',
    });
    expect(parseBotRow(good({ sys_Id: 12 }), { tableName: 't' }).origin).toStrictEqual({
      kind: 'kore-data-table',
      sysId: '12',
      table: 't',
    });
  });

  it('warnings and infos do not block the record', () => {
    const { record, problems } = inspectBotRow(without(good({ Extra: 'x' }), 'JWEPublicKey'));
    expect(problems.map((p) => p.severity)).toEqual(['info', 'warning']);
    expect(record?.botId).toBe('st-1');
  });
});

describe('parseBotRow errors', () => {
  it('throws the first error, listing every error (not the warnings) in details', () => {
    const e = errorOf(() =>
      parseBotRow(without({ ...good(), botid: 'st-2', ClientId: 7, Algorithm: 'none' }, 'BotId', 'JWEPublicKey'), OPTS),
    );
    expect(e.code).toBe('E_BOT_ROW_INVALID');
    expect(e.message).toBe(
      `${WHERE} has no column "BotId" (it has "botid"; column names are case-sensitive). Add the column "BotId": the bot id (st-…) from Agent AI.`,
    );
    expect(e.details).toStrictEqual({
      column: 'BotId',
      rowIndex: 3,
      problems: [
        { code: 'missing-column', column: 'BotId' },
        { code: 'invalid-value', column: 'ClientId' },
        { code: 'algorithm-unsupported', column: 'Algorithm' },
      ],
    });
  });

  it('a row that is not an object: no column, no row index', () => {
    expect(errorOf(() => parseBotRow('row')).details).toStrictEqual({
      problems: [{ code: 'row-not-object', column: undefined }],
    });
  });

  it('a KvpConfig error keeps its own code and details', () => {
    const e = errorOf(() => parseBotRow(good({ JWEPublicKey: JSON.stringify(JWK), KvpConfig: '[1]' }), OPTS));
    expect(e.code).toBe('E_KVP_CONFIG_INVALID');
    expect(e.details).toStrictEqual({
      column: 'KvpConfig',
      reason: 'array',
      rowIndex: 3,
      problems: [{ code: 'kvp-json-invalid', column: 'KvpConfig' }],
    });
  });
});
