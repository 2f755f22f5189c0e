/**
 * An in-memory Kore Data Table: typed columns, per-app permissions, and the system columns the real
 * API adds to every row (`sys_Id`, `_id`, `Created_On`, `Created_By`, `Updated_On`, `Updated_By`).
 */
import { KaaError } from '@kaa/core';
import { matchesQuery } from './table-query.js';
import type { TableQuery, TableRow } from './table-query.js';

/** A Data app's access to one table, as granted in Data › Apps. */
export type TablePermission = 'read' | 'write' | 'delete';

/** The system columns of every row; callers cannot set them. */
export const SYSTEM_COLUMNS = ['sys_Id', '_id', 'Created_On', 'Created_By', 'Updated_On', 'Updated_By'] as const;

/** One page of a query, shaped like the public API's answer. */
export interface TablePage {
  hasMore: boolean;
  total: number;
  metaInfo: { name: string; type: string }[];
  queryResult: TableRow[];
}

/** Dependencies of a table: the clock (ms) and the id source. */
export interface DataTableDeps {
  now: () => number;
  newId: () => string;
}

/**
 * One Data Table. Rows keep insertion order; every write stamps the system columns.
 *
 * @example
 * ```ts
 * const t = new DataTable('kaa_bots', ['QueueIdentifier', 'BotId'], { now: Date.now, newId: crypto.randomUUID });
 * t.grant('cs-app', ['read', 'write']);
 * t.insert({ QueueIdentifier: 'ALPHAINC', BotId: 'st-1' }, 'cs-app');
 * t.query({ expressions: [], operator: 'and' }, 10, 0).total; // 1
 * ```
 */
export class DataTable {
  readonly name: string;
  readonly columns: readonly string[];
  readonly #grants = new Map<string, Set<TablePermission>>();
  readonly #deps: DataTableDeps;
  #rows: TableRow[] = [];

  constructor(name: string, columns: readonly string[], deps: DataTableDeps) {
    this.name = name;
    this.columns = columns;
    this.#deps = deps;
  }

  grant(appId: string, permissions: readonly TablePermission[]): void {
    this.#grants.set(appId, new Set(permissions));
  }

  can(appId: string, permission: TablePermission): boolean {
    return this.#grants.get(appId)?.has(permission) ?? false;
  }

  /** A copy of every row, system columns included. */
  rows(): TableRow[] {
    return this.#rows.map((r) => ({ ...r }));
  }

  /** Replaces every row; rows without system columns get them (`by` = Created_By). */
  setRows(rows: readonly TableRow[], by = 'sandbox'): void {
    this.#rows = rows.map((r) => (typeof r['_id'] === 'string' ? { ...r } : this.#stamp(this.#checkColumns(r), by)));
  }

  query(query: TableQuery, limit: number, offset: number): TablePage {
    const matching = this.#rows.filter((r) => matchesQuery(r, query));
    const page = matching.slice(offset, offset + limit).map((r) => ({ ...r }));
    return {
      hasMore: offset + page.length < matching.length,
      total: matching.length,
      metaInfo: this.columns.map((name) => ({ name, type: 'string' })),
      queryResult: page,
    };
  }

  insert(data: TableRow, by: string): TableRow {
    const row = this.#stamp(this.#checkColumns(data), by);
    this.#rows.push(row);
    return { ...row };
  }

  /** Inserts every row or none: a bad column in any row rejects the whole batch. */
  insertMany(data: readonly TableRow[], by: string): TableRow[] {
    const checked = data.map((d) => this.#checkColumns(d));
    const rows = checked.map((d) => this.#stamp(d, by));
    this.#rows.push(...rows);
    return rows.map((r) => ({ ...r }));
  }

  update(query: TableQuery, data: TableRow, by: string): number {
    const patch = this.#checkColumns(data);
    let n = 0;
    this.#rows = this.#rows.map((r) => {
      if (!matchesQuery(r, query)) return r;
      n += 1;
      return { ...r, ...patch, Updated_On: new Date(this.#deps.now()).toISOString(), Updated_By: by };
    });
    return n;
  }

  delete(query: TableQuery): number {
    const before = this.#rows.length;
    this.#rows = this.#rows.filter((r) => !matchesQuery(r, query));
    return before - this.#rows.length;
  }

  #checkColumns(data: TableRow): TableRow {
    const out: TableRow = {};
    for (const [column, value] of Object.entries(data)) {
      if ((SYSTEM_COLUMNS as readonly string[]).includes(column)) continue;
      if (!this.columns.includes(column)) {
        throw new KaaError(
          'E_HTTP_BAD_REQUEST',
          `Column "${column}" does not exist in data table "${this.name}". Use one of: ${this.columns.join(', ')}.`,
          {
            details: { status: 400, table: this.name, column },
          },
        );
      }
      out[column] = value;
    }
    return out;
  }

  #stamp(data: TableRow, by: string): TableRow {
    const id = `sys-${this.#deps.newId()}`;
    const at = new Date(this.#deps.now()).toISOString();
    return { ...data, sys_Id: id, _id: id, Created_On: at, Created_By: by, Updated_On: at, Updated_By: by };
  }
}
