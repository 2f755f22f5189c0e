/**
 * The paths a table or a URL can make large: each must do work in proportion to its input, and every message it
 * builds must stay small. No wall-clock assertion here (the time budgets are measured by `pnpm bench`,
 * packages/core/bench/linear-paths.bench.ts): these tests check results, sizes, and equivalence with the
 * expressions the linear code replaced.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { errorOf, expectOnlyKaaError } from '@kaa/test-support';
import {
  buildXMetadata,
  describeUrlOrigin,
  isKaaError,
  lintBotTable,
  parseBotRow,
  parseWidgetContext,
  parseXMetadata,
  redact,
  REDACTED,
  resolveBotRecord,
} from '@kaa/core';

const WIDGET = 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html';

/** The expressions redact.ts used before it scanned linearly: the oracle for the equivalence properties. */
function oldRedact(text: string): string {
  return text
    .replace(/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)?/g, REDACTED)
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`)
    .replace(
      /\b((?:access_token|id_token|refresh_token|client_secret|code_verifier|assertion|code|state|token|jToken)=)[^&#\s"']+/gi,
      `$1${REDACTED}`,
    )
    .replace(
      /("(?:access_token|id_token|refresh_token|client_secret|clientSecret|ClientSecret|code_verifier|assertion|token|jToken|privateKey|RSPrivatePem|oauthClientSecret)"\s*:\s*")[^"]*(")/g,
      `$1${REDACTED}$2`,
    )
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, REDACTED);
}

/** Text made of the pieces that matter to the token and key scans, in any order. */
const tokenish = fc
  .array(
    fc.constantFrom(
      'eyJ',
      'eyJhbGci',
      '.',
      'a',
      'Z9',
      '-',
      '_',
      ' ',
      '\n',
      'x.y',
      '-----BEGIN PRIVATE KEY-----',
      '-----BEGIN RSA PRIVATE KEY-----',
      '-----END PRIVATE KEY-----',
      'MIIE',
      '=',
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

function rowsSharing(n: number, identifier: string) {
  return Array.from({ length: n }, (_, i) => ({
    QueueIdentifier: identifier,
    BotId: `st-${i}`,
    ClientId: `cs-${i}`,
    ClientSecret: `planted-client-secret-${i}-${'s'.repeat(12)}`,
    AgentAssistWidgetURL: WIDGET,
    AudiohookEnabled: 'false',
    sys_Id: `sys-${i}`,
  }));
}

describe('redact: linear scans for compact tokens and PEM keys', () => {
  it('property: removes exactly what the replaced expressions removed', () => {
    fc.assert(
      fc.property(tokenish, (text) => {
        expect(redact(text)).toBe(oldRedact(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('48 KB crafted inputs: a run of "eyJ" without dots, BEGIN lines without END, and one real token at the end', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const runs = 'eyJ'.repeat(16_384);
    expect(redact(runs)).toBe(runs);
    expect(redact(`${runs}.${runs}.${runs}`)).toBe(REDACTED);
    expect(redact(`${runs} ${jwt}`)).toBe(`${runs} ${REDACTED}`);
    const begins = '-----BEGIN PRIVATE KEY-----\n'.repeat(1800);
    expect(redact(begins)).toBe(begins);
    expect(redact(`${begins}-----END PRIVATE KEY-----`)).toBe(REDACTED);
  });
});

describe('{{…}} placeholders in widget URL values', () => {
  const base =
    'https://kaa.example.com/koreaiaa-genesys/?conversationid=c-1&genesysid=8d5e9c40-1111-4222-8333-944445555666&environment=https%3A%2F%2Fapps.mypurecloud.com&multibot=true';

  it('48 KB crafted values ("{{" then spaces, "{{" repeated) give a coded error or a context, never a hang or another error', () => {
    for (const crafted of [`{{${' '.repeat(48_000)}`, '{{'.repeat(24_000), `{{ ${'a'.repeat(48_000)} x}}`]) {
      expectOnlyKaaError(() => parseWidgetContext(`${base}&x_metadata=${encodeURIComponent(crafted)}`));
      expectOnlyKaaError(() => parseWidgetContext(`${base}&conversationid=${encodeURIComponent(crafted)}`));
    }
  });

  it('still recognises a template variable Genesys left unsubstituted, with spaces', () => {
    const e = errorOf(() =>
      parseWidgetContext(base.replace('conversationid=c-1', 'conversationid=%7B%7B%20gcConversationId%20%7D%7D')),
    );
    expect(e.step).toBe('parameters');
    expect(e.message).toContain('still holds the placeholder {{ gcConversationId }}');
  });
});

describe('a table of 10,000 rows sharing one identifier', () => {
  const rows = rowsSharing(10_000, 'ALPHAINC');

  it('resolveBotRecord: E_QUEUE_AMBIGUOUS naming five rows and counting the rest, small, with no secret', () => {
    const e = errorOf(() =>
      resolveBotRecord('ALPHAINC_CUSTOMERSERVICE', rows, { qDelimiter: '_', tableName: 'kaa_bots' }),
    );
    expect(e.code).toBe('E_QUEUE_AMBIGUOUS');
    expect(e.message).toContain('matches 10,000 rows');
    expect(e.message).toContain('and 9,995 more');
    expect(e.message.length).toBeLessThan(2000);
    expect(e.details).toMatchObject({ matchedRows: 10_000 });
    expect((e.details as { rows: unknown[] }).rows).toHaveLength(5);
    const text = JSON.stringify({ m: e.message, d: e.details });
    expect(text).not.toMatch(/planted-client-secret/);
  });

  it('lintBotTable: one duplicate finding per later row, each message small and free of secrets', () => {
    const findings = lintBotTable(rows, { qDelimiter: '_', tableName: 'kaa_bots' });
    const duplicates = findings.filter((f) => f.code.startsWith('duplicate'));
    expect(duplicates).toHaveLength(9_999);
    expect(Math.max(...findings.map((f) => f.message.length))).toBeLessThan(600);
    expect(findings.some((f) => f.message.includes('planted-client-secret'))).toBe(false);
  });

  it('lintBotTable: identifiers in another letter case are found once per identifier, not once per pair of rows', () => {
    const mixed = [
      ...rowsSharing(3, 'ALPHAINC'),
      ...rowsSharing(3, 'alphainc').map((r, i) => ({ ...r, BotId: `st-lower-${i}` })),
    ];
    const collisions = lintBotTable(mixed, { qDelimiter: '_' }).filter((f) => f.code === 'identifier-case-collision');
    // every row of the second spelling collides with the first row of the first spelling
    expect(collisions.map((f) => f.rowIndex)).toEqual([3, 4, 5]);
    expect(collisions.every((f) => f.message.includes('"st-0"') || f.message.includes('sys-0'))).toBe(true);
  });
});

describe('x_metadata values that used to fail with the wrong code', () => {
  const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

  it('a lone surrogate in the table name is E_XMETADATA_INVALID naming "name", in parse and in build', () => {
    const raw = encodeURIComponent(JSON.stringify({ datatable: { name: 'bots', token, qDelimiter: '_' } })).replace(
      'bots',
      '%ED%A0%80bots',
    );
    const fromJson = errorOf(() =>
      parseXMetadata(JSON.stringify({ datatable: { name: '\ud800bots', token, qDelimiter: '_' } })),
    );
    expect(fromJson.code).toBe('E_XMETADATA_INVALID');
    expect(fromJson.details).toMatchObject({ field: 'datatable.name' });
    expect(errorOf(() => buildXMetadata({ name: 'bots\udc00', token, qDelimiter: '_' })).code).toBe(
      'E_XMETADATA_INVALID',
    );
    expectOnlyKaaError(() => parseXMetadata(raw));
  });

  it('a token with characters a header cannot carry is E_XMETADATA_INVALID, not a network error later; the token is not echoed', () => {
    for (const bad of [`${token}’`, `${token}é`, `${token}\u4e2d`]) {
      const e = errorOf(() =>
        parseXMetadata(JSON.stringify({ datatable: { name: 'bots', token: bad, qDelimiter: '_' } })),
      );
      expect(e.code).toBe('E_XMETADATA_INVALID');
      expect(e.message).toContain('token');
      expect(e.message).not.toContain(bad);
    }
  });

  it('property: any x_metadata text gives a datatable or E_XMETADATA_INVALID', () => {
    fc.assert(
      fc.property(
        fc.record({
          name: fc.string({ unit: 'binary' }),
          token: fc.string({ unit: 'binary' }),
          qDelimiter: fc.string({ unit: 'binary', maxLength: 2 }),
        }),
        (d) => {
          try {
            parseXMetadata(JSON.stringify({ datatable: d }));
          } catch (e) {
            expect(isKaaError(e) && e.code).toBe('E_XMETADATA_INVALID');
          }
        },
      ),
    );
  });
});

describe('a javascript: or data: widget URL', () => {
  it('is named by its scheme, never as the origin "null", and its content is not echoed', () => {
    expect(describeUrlOrigin(new URL('javascript:alert(document.cookie)'))).toBe('a "javascript:" URL');
    expect(describeUrlOrigin(new URL('https://agentassist.kore.ai/x?y=1'))).toBe('https://agentassist.kore.ai');
    for (const [url, scheme] of [
      ['javascript:alert(document.cookie)', 'javascript:'],
      ['data:text/html,<script>steal()</script>', 'data:'],
    ] as const) {
      const e = errorOf(() =>
        parseBotRow({ ...rowsSharing(1, 'ALPHAINC')[0], AgentAssistWidgetURL: url }, { tableName: 'kaa_bots' }),
      );
      expect(e.message).toContain(`a "${scheme}" URL`);
      expect(e.message).not.toContain('null');
      expect(e.message).not.toMatch(/cookie|steal/);
    }
  });
});
