import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KaaError } from '@kaa/core';
import { matchesQuery, parseControlBody, parseHooksBody, parseTableQuery } from '../src/kore/index.js';

/** Runs `parse` and returns 'ok' or the KaaError code; any other throw fails the property. */
function outcome(parse: (v: unknown) => unknown, input: unknown): string {
  try {
    parse(input);
    return 'ok';
  } catch (e) {
    if (e instanceof KaaError) return e.code;
    throw e;
  }
}

const jsonish = fc.oneof(fc.anything(), fc.jsonValue(), fc.object());

describe('parsers never throw anything but a KaaError', () => {
  it.each([
    ['parseTableQuery', parseTableQuery],
    ['parseHooksBody', parseHooksBody],
    ['parseControlBody', parseControlBody],
  ] as const)('%s', (_name, parse) => {
    fc.assert(
      fc.property(jsonish, (input) => {
        expect(['ok', 'E_HTTP_BAD_REQUEST']).toContain(outcome(parse, input));
      }),
      { numRuns: 400 },
    );
  });

  it('matchesQuery is total over any row and any valid query', () => {
    const expression = fc.record({
      field: fc.string({ minLength: 1 }),
      operand: fc.constantFrom('=', '!=', '<', '>'),
      value: fc.oneof(fc.string(), fc.double({ noDefaultInfinity: true, noNaN: true }), fc.boolean()),
    });
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.anything()),
        fc.array(expression, { maxLength: 5 }),
        fc.constantFrom('and', 'or'),
        (row, expressions, operator) => {
          const q = parseTableQuery({ expressions, operator });
          expect(typeof matchesQuery(row, q)).toBe('boolean');
        },
      ),
    );
  });
});

describe('parseTableQuery', () => {
  it('accepts the documented shape and defaults operator to and', () => {
    expect(parseTableQuery({ expressions: [{ field: 'QueueIdentifier', operand: '=', value: 'ALPHAINC' }] })).toEqual({
      expressions: [{ field: 'QueueIdentifier', operand: '=', value: 'ALPHAINC' }],
      operator: 'and',
    });
    expect(parseTableQuery(undefined).expressions).toEqual([]);
  });

  it('names the bad member and the fix', () => {
    try {
      parseTableQuery({ expressions: [{ field: 'a', operand: 'contains', value: 'x' }] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(KaaError);
      expect((e as KaaError).message).toContain('query.expressions.0.operand');
      expect((e as KaaError).message).toContain('"="|"!="|"<"|">"');
    }
  });

  it('and/or semantics and numeric comparison', () => {
    const row = { n: '10', s: 'b' };
    expect(matchesQuery(row, parseTableQuery({ expressions: [{ field: 'n', operand: '>', value: 9 }] }))).toBe(true);
    expect(matchesQuery(row, parseTableQuery({ expressions: [{ field: 'n', operand: '<', value: '9' }] }))).toBe(false);
    expect(
      matchesQuery(
        row,
        parseTableQuery({
          operator: 'or',
          expressions: [
            { field: 's', operand: '=', value: 'x' },
            { field: 's', operand: '=', value: 'b' },
          ],
        }),
      ),
    ).toBe(true);
    expect(
      matchesQuery(
        row,
        parseTableQuery({
          operator: 'and',
          expressions: [
            { field: 's', operand: '=', value: 'x' },
            { field: 's', operand: '=', value: 'b' },
          ],
        }),
      ),
    ).toBe(false);
  });
});

describe('parseHooksBody / parseControlBody', () => {
  it('accept the documented lifecycle events (string isExtAD too, docs/assumptions.md#hooks-field-formats)', () => {
    const participant = { identity: 'a1', name: 'Ava', type: 'agent' };
    const body = parseHooksBody({
      conversationId: 'c1',
      botId: 'st-1',
      events: [
        {
          name: 'INTERNAL_TRANSFER_EVENT',
          transfertype: 'cold',
          transition: 'exit',
          isExtAD: 'true',
          experience: 'voice',
          participant,
        },
        { name: 'TRIGGER_SUMMARY_EVENT', data: { language: 'English', locale: 'en', type: 'post' } },
        { name: 'END_OF_CONVERSATION', reason: 'agent_initiated', language: 'en', experience: 'voice', participant },
      ],
    });
    expect(body.events?.map((e) => e.name)).toEqual([
      'INTERNAL_TRANSFER_EVENT',
      'TRIGGER_SUMMARY_EVENT',
      'END_OF_CONVERSATION',
    ]);
  });

  it('require conversationId and botId, and handover with pause', () => {
    expect(outcome(parseHooksBody, { botId: 'st-1' })).toBe('E_HTTP_BAD_REQUEST');
    expect(outcome(parseControlBody, { action: 'pause', agentId: 'a' })).toBe('E_HTTP_BAD_REQUEST');
    expect(outcome(parseControlBody, { action: 'pause', agentId: 'a', handover: true })).toBe('ok');
  });
});
