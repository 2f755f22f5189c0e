/**
 * The Kore Data Table query language as the public API documents it (docs/kore-protocol.md#data-table-public-api): a flat list of
 * `{field, operand, value}` expressions joined by `operator` `and` | `or`, operands `=`, `!=`, `<`, `>`.
 */
import { z } from 'zod';
import { invalidBody } from './invalid-body.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const expressionSchema = z.object({
  field: z.string().min(1),
  operand: z.enum(['=', '!=', '<', '>']),
  value: scalar,
});

const querySchema = z.object({
  expressions: z.array(expressionSchema).max(100).default([]),
  operator: z.enum(['and', 'or']).default('and'),
});

/** A validated Data Table query. An empty expression list matches every row. */
export type TableQuery = z.infer<typeof querySchema>;

/** A table row: column → value (system columns included). */
export type TableRow = Record<string, unknown>;

/**
 * Parses the `query` member of a Data Table request body (`undefined` = match every row).
 * Anything else that is not a documented query is a `KaaError` `E_HTTP_BAD_REQUEST` naming the problem.
 *
 * @example
 * ```ts
 * const q = parseTableQuery({ expressions: [{ field: 'QueueIdentifier', operand: '=', value: 'ALPHAINC' }] });
 * matchesQuery({ QueueIdentifier: 'ALPHAINC' }, q); // true
 * ```
 */
export function parseTableQuery(input: unknown): TableQuery {
  if (input === undefined || input === null) return { expressions: [], operator: 'and' };
  const parsed = querySchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw invalidBody(
    'The Data Table query',
    parsed.error.issues,
    'Send {"expressions":[{"field","operand":"="|"!="|"<"|">","value"}],"operator":"and"|"or"}.',
    ['query'],
  );
}

/**
 * True when `row` satisfies `query`. `=` / `!=` compare as text; `<` / `>` compare numbers when both
 * sides are numeric, text otherwise.
 *
 * @example
 * ```ts
 * matchesQuery({ n: '5' }, { operator: 'and', expressions: [{ field: 'n', operand: '>', value: 3 }] }); // true
 * ```
 */
export function matchesQuery(row: TableRow, query: TableQuery): boolean {
  if (query.expressions.length === 0) return true;
  const test = (e: TableQuery['expressions'][number]): boolean => compare(row[e.field], e.operand, e.value);
  return query.operator === 'or' ? query.expressions.some(test) : query.expressions.every(test);
}

function compare(actual: unknown, operand: '=' | '!=' | '<' | '>', expected: string | number | boolean): boolean {
  const left = actual === undefined || actual === null ? '' : String(actual);
  const right = String(expected);
  if (operand === '=') return left === right;
  if (operand === '!=') return left !== right;
  const l = Number(left);
  const r = Number(right);
  const numeric = left.trim() !== '' && right.trim() !== '' && Number.isFinite(l) && Number.isFinite(r);
  if (operand === '<') return numeric ? l < r : left < right;
  return numeric ? l > r : left > right;
}
