import { BOT_COLUMNS } from '@kaa/core';
import type { DesiredRow } from './desired-rows.js';

/**
 * Columns kaa manages (core's `BOT_COLUMNS`); other columns of a live row are left alone.
 *
 * @example
 * ```ts
 * MANAGED_COLUMNS.includes('KvpConfig'); // true
 * ```
 */
export const MANAGED_COLUMNS: readonly string[] = [...BOT_COLUMNS.mandatory, ...BOT_COLUMNS.optional];

/**
 * Columns whose values are secrets: shown masked in every plan.
 *
 * @example
 * ```ts
 * SECRET_COLUMNS.has('ClientSecret'); // true
 * ```
 */
export const SECRET_COLUMNS: ReadonlySet<string> = new Set(['ClientSecret', 'RSPrivatePem']);

/**
 * What a masked secret looks like in a plan.
 *
 * @example
 * ```ts
 * mask({ ClientSecret: 's' }).ClientSecret === MASK; // true
 * ```
 */
export const MASK = '********';

/**
 * One change of a {@link TablePlan}. `body` is what will be sent (`data` of the POST/PUT), with
 * secret columns masked; `query` selects the live row for updates and deletes.
 *
 * @example
 * ```ts
 * const change: TableChange = { action: 'delete', botId: 'st-…', queueIdentifier: 'DUPE', sysId: 'r-4', query: { … } };
 * ```
 */
export interface TableChange {
  readonly action: 'insert' | 'update' | 'delete';
  /** The config bot (insert, update). */
  readonly bot?: string;
  readonly botId: string;
  readonly queueIdentifier: string;
  readonly sysId?: string;
  /** Changed columns (update). */
  readonly changed?: readonly string[];
  /** The row data sent, secrets masked (insert, update). */
  readonly body?: Readonly<Record<string, string>>;
  readonly query?: { expressions: { field: string; operand: '='; value: string }[] };
}

/**
 * The changes that make the live table equal the config.
 *
 * @example
 * ```ts
 * plan.changes.length === 0; // the table already matches
 * ```
 */
export interface TablePlan {
  readonly changes: readonly TableChange[];
  /** Unmasked row data per change index (insert/update), for apply only. Never print it. */
  readonly data: ReadonlyMap<number, Readonly<Record<string, string>>>;
}

/**
 * Diffs the config's rows against the live rows. Rows are matched by `BotId` (one row per bot): a live
 * row whose BotId the config lacks is deleted, a second live row with the same BotId is deleted, and a
 * matched row is updated when a managed column differs (missing, `null` and `""` count as equal).
 * Order: deletes, then updates, then inserts, so a QueueIdentifier moving between bots is never listed twice.
 *
 * @example
 * ```ts
 * const plan = planTable(await desiredRows(loaded), await client.queryAll('kaa_bots', undefined, { fresh: true }));
 * ```
 */
export function planTable(
  desired: readonly DesiredRow[],
  live: readonly Readonly<Record<string, unknown>>[],
): TablePlan {
  const deletes: TableChange[] = [];
  const updates: { change: TableChange; data: Record<string, string> }[] = [];
  const inserts: { change: TableChange; data: Record<string, string> }[] = [];
  const claimed = new Set<number>();

  for (const want of desired) {
    const index = live.findIndex((row, i) => !claimed.has(i) && text(row['BotId']) === want.row['BotId']);
    if (index < 0) {
      inserts.push({
        change: {
          action: 'insert',
          bot: want.bot,
          botId: want.row['BotId'] ?? '',
          queueIdentifier: want.row['QueueIdentifier'] ?? '',
          body: mask(want.row),
        },
        data: { ...want.row },
      });
      continue;
    }
    claimed.add(index);
    const row = live[index] as Readonly<Record<string, unknown>>;
    const changed = MANAGED_COLUMNS.filter((c) => !sameValue(c, text(row[c]), want.row[c] ?? ''));
    if (changed.length === 0) continue;
    updates.push({
      change: {
        action: 'update',
        bot: want.bot,
        botId: want.row['BotId'] ?? '',
        queueIdentifier: want.row['QueueIdentifier'] ?? '',
        ...idOf(row),
        changed,
        body: mask(want.row),
        query: queryFor(row),
      },
      data: { ...want.row },
    });
  }
  live.forEach((row, i) => {
    if (claimed.has(i)) return;
    deletes.push({
      action: 'delete',
      botId: text(row['BotId']),
      queueIdentifier: text(row['QueueIdentifier']),
      ...idOf(row),
      query: queryFor(row),
    });
  });
  const changes: TableChange[] = [...deletes];
  const data = new Map<number, Record<string, string>>();
  for (const u of [...updates, ...inserts]) {
    data.set(changes.length, u.data);
    changes.push(u.change);
  }
  return { changes, data };
}

/**
 * The row with secret columns replaced by {@link MASK} (empty stays empty).
 *
 * @example
 * ```ts
 * mask({ ClientSecret: 's3cr3t', BotId: 'st-1' }); // { ClientSecret: '********', BotId: 'st-1' }
 * ```
 */
export function mask(row: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(row)) out[k] = SECRET_COLUMNS.has(k) && v !== '' ? MASK : v;
  return out;
}

/** Boolean columns are read in any letter case (`true`, `True`): a live `true` needs no rewrite to `True`. */
const BOOLEAN_COLUMNS = new Set(['AudiohookEnabled', 'isAgentAISDK']);
function sameValue(column: string, live: string, want: string): boolean {
  return BOOLEAN_COLUMNS.has(column) ? live.trim().toLowerCase() === want.trim().toLowerCase() : live === want;
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function idOf(row: Readonly<Record<string, unknown>>): { sysId?: string } {
  const id = row['sys_Id'] ?? row['_id'];
  return id === undefined || id === null ? {} : { sysId: String(id) };
}

function queryFor(row: Readonly<Record<string, unknown>>): {
  expressions: { field: string; operand: '='; value: string }[];
} {
  if (row['sys_Id'] !== undefined && row['sys_Id'] !== null)
    return { expressions: [{ field: 'sys_Id', operand: '=', value: String(row['sys_Id']) }] };
  if (row['_id'] !== undefined && row['_id'] !== null)
    return { expressions: [{ field: '_id', operand: '=', value: String(row['_id']) }] };
  return {
    expressions: [
      { field: 'BotId', operand: '=', value: text(row['BotId']) },
      { field: 'QueueIdentifier', operand: '=', value: text(row['QueueIdentifier']) },
    ],
  };
}
