import { describe, expect, it } from 'vitest';
import { lintBotTable } from '@kaa/core';
import type { BotRow, BotTableFinding } from '@kaa/core';

// Edges of the bot-table lint the admin CLI and setup screen print: each finding's severity, code, column and exact
// words, the settings that change them, and secrets of the rows a message names.
const WIDGET = 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html';
const row = (queueIdentifier: string, botId: string, extra: Record<string, unknown> = {}): BotRow => ({
  QueueIdentifier: queueIdentifier,
  BotId: botId,
  ClientId: `cs-${botId}`,
  ClientSecret: `secret-of-${botId}`,
  AgentAssistWidgetURL: WIDGET,
  AudiohookEnabled: 'false',
  JWEPublicKey: '',
  ...extra,
});
const codes = (findings: readonly BotTableFinding[]) => findings.map((f) => `${f.rowIndex}:${f.severity}:${f.code}`);

describe('lintBotTable: duplicates', () => {
  it('an identifier listed again (after trimming) by a distinct row is an error, by an identical row a warning', () => {
    const findings = lintBotTable([row('ALPHA', 'st-1'), row('BETA,   ALPHA', 'st-2'), row('ALPHA', 'st-1')]);
    expect(findings).toStrictEqual([
      {
        severity: 'error',
        code: 'duplicate-identifier',
        rowIndex: 1,
        column: 'QueueIdentifier',
        message:
          'Row 1 (QueueIdentifier "BETA,   ALPHA") lists "ALPHA", which row 0 (QueueIdentifier "ALPHA") also lists with a different bot. A QueueIdentifier may be in one row only; queues "ALPHA…" fail with E_QUEUE_AMBIGUOUS until one row is removed.',
      },
      {
        severity: 'warning',
        code: 'duplicate-row',
        rowIndex: 2,
        column: 'QueueIdentifier',
        message:
          'Row 2 (QueueIdentifier "ALPHA") lists "ALPHA", which row 0 (QueueIdentifier "ALPHA") also lists with the same bot settings. Remove the duplicate row.',
      },
    ]);
  });

  it("redacts the other row's ClientSecret when a cross-row finding names it (a secret pasted into its QueueIdentifier)", () => {
    const findings = lintBotTable([row('ALPHA, secret-of-st-1', 'st-1'), row('ALPHA', 'st-2')]);
    expect(codes(findings)).toEqual(['1:error:duplicate-identifier']);
    expect(findings[0]?.message).toContain('row 0 (QueueIdentifier');
    expect(findings[0]?.message).not.toContain('secret-of-st-1');
  });
});

describe('lintBotTable: letter case', () => {
  it.each([
    [
      'case-sensitive (default)',
      {},
      'warning',
      'Matching is case-sensitive, so check which spelling the Genesys queue uses.',
    ],
    [
      'case-sensitive (explicit)',
      { caseSensitive: true },
      'warning',
      'Matching is case-sensitive, so check which spelling the Genesys queue uses.',
    ],
    [
      'case-insensitive',
      { caseSensitive: false },
      'error',
      'With case-insensitive matching both rows match the same queues.',
    ],
  ])('identifiers differing only in case, %s: one finding, not a duplicate', (_, options, severity, words) => {
    expect(lintBotTable([row('ALPHA', 'st-1'), row('alpha', 'st-2')], options)).toStrictEqual([
      {
        severity,
        code: 'identifier-case-collision',
        rowIndex: 1,
        column: 'QueueIdentifier',
        message: `Row 1 (QueueIdentifier "alpha") lists "alpha", and row 0 (QueueIdentifier "ALPHA") lists the same identifier in another letter case. ${words}`,
      },
    ]);
  });
});

describe('lintBotTable: identifiers holding the delimiter', () => {
  it('without fullNameFallback they can never match; the message proposes the text before the delimiter, else the identifier', () => {
    const findings = lintBotTable([row('A_B', 'st-1'), row('_X', 'st-2')], { qDelimiter: '_' });
    expect(findings).toStrictEqual([
      {
        severity: 'warning',
        code: 'identifier-unreachable',
        rowIndex: 0,
        column: 'QueueIdentifier',
        message:
          'Row 0 (QueueIdentifier "A_B") lists "A_B", which contains the delimiter "_" and so can never match: only the text before the first "_" of a queue name is looked up. List "A" instead, or turn on routing.fullNameFallback.',
      },
      {
        severity: 'warning',
        code: 'identifier-unreachable',
        rowIndex: 1,
        column: 'QueueIdentifier',
        message:
          'Row 1 (QueueIdentifier "_X") lists "_X", which contains the delimiter "_" and so can never match: only the text before the first "_" of a queue name is looked up. List "_X" instead, or turn on routing.fullNameFallback.',
      },
    ]);
  });

  it('an empty or absent delimiter makes no identifier unreachable', () => {
    const rows = [row('A_B', 'st-1'), row('undefined_queue', 'st-2')];
    expect(lintBotTable(rows, { qDelimiter: '' })).toEqual([]);
    expect(lintBotTable(rows)).toEqual([]);
  });

  it('with fullNameFallback, a full name overlapping another row\'s identifier (same case) is "info"', () => {
    const rows = [row('ALPHA_SALES', 'st-full', { sys_Id: 's1' }), row('ALPHA', 'st-id')];
    expect(lintBotTable(rows, { qDelimiter: '_', fullNameFallback: true })).toStrictEqual([
      {
        severity: 'info',
        code: 'identifier-overlap',
        rowIndex: 0,
        column: 'QueueIdentifier',
        message:
          'Row 0 (QueueIdentifier "ALPHA_SALES", sys_Id "s1") lists the full queue name "ALPHA_SALES", and row 1 (QueueIdentifier "ALPHA") lists its identifier "ALPHA". Queue "ALPHA_SALES" uses this row (full names win); other "ALPHA_…" queues use the other row.',
      },
    ]);
  });

  it.each([
    ['alone', [row('ALPHA_SALES', 'st-full')]],
    ['next to a row listing its identifier in another case', [row('ALPHA_SALES', 'st-full'), row('alpha', 'st-id')]],
    ['in a row that also lists its identifier', [row('ALPHA, ALPHA_SALES', 'st-both')]],
  ])('with fullNameFallback, a full name %s overlaps nothing', (_, rows) => {
    expect(lintBotTable(rows, { qDelimiter: '_', fullNameFallback: true })).toEqual([]);
  });
});

describe('lintBotTable: per-row problems and odd input', () => {
  it('names the row and the table (the Kore data table when unnamed) in per-row findings', () => {
    const bad = [row('A', 'st-1', { AgentAssistWidgetURL: 'http://widget.example.com/x.html' })];
    const [unnamed] = lintBotTable(bad);
    const [named] = lintBotTable(bad, { tableName: 'kaa_bots' });
    expect(unnamed).toMatchObject({ severity: 'error', rowIndex: 0, column: 'AgentAssistWidgetURL' });
    expect(unnamed?.message).toContain('Row 0 (QueueIdentifier "A") of data table "the Kore data table"');
    expect(named?.message).toContain('Row 0 (QueueIdentifier "A") of data table "kaa_bots"');
  });

  it('accepts an http loopback widget URL only with allowHttpLoopback', () => {
    const rows = [row('A', 'st-1', { AgentAssistWidgetURL: 'http://127.0.0.1:8080/widget.html' })];
    expect(lintBotTable(rows, { allowHttpLoopback: true })).toEqual([]);
    expect(codes(lintBotTable(rows))).toHaveLength(1);
    expect(codes(lintBotTable(rows, { allowHttpLoopback: false }))).toHaveLength(1);
  });

  it('a row that is not an object is one finding without a column; a table that is not a list has none', () => {
    const findings = lintBotTable([null, row('A', 'st-1')]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', rowIndex: 0 });
    expect(Object.keys(findings[0] as object)).not.toContain('column');
    expect(lintBotTable(null as unknown as unknown[])).toEqual([]);
  });
});
