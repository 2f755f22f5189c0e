/**
 * One filter term of a Data Table query (docs/kore-protocol.md#data-table-public-api). Only `=`, `!=`, `<` and `>` are documented.
 *
 * @example
 * ```ts
 * const term: DataTableExpression = { field: 'BotId', operand: '=', value: 'st-123' };
 * ```
 */
export interface DataTableExpression {
  field: string;
  operand: '=' | '!=' | '<' | '>';
  value: string | number | boolean;
}

/**
 * A Data Table query: expressions joined by `operator` (`and` when omitted).
 *
 * @example
 * ```ts
 * const q: DataTableQuery = { expressions: [{ field: 'QueueIdentifier', operand: '=', value: 'ALPHAINC' }], operator: 'and' };
 * ```
 */
export interface DataTableQuery {
  expressions: DataTableExpression[];
  operator?: 'and' | 'or';
}

/**
 * A row as Kore returns it: your columns plus system columns (`sys_Id`, `_id`, `Created_On`, …).
 *
 * @example
 * ```ts
 * const row: DataTableRow = { QueueIdentifier: 'ALPHAINC', BotId: 'st-…', sys_Id: 'sys-1' };
 * ```
 */
export type DataTableRow = Record<string, unknown>;

/**
 * One page of a query.
 *
 * @example
 * ```ts
 * const page: DataTablePage = { rows: [], hasMore: false, total: 0, metaInfo: [] };
 * ```
 */
export interface DataTablePage {
  rows: DataTableRow[];
  hasMore: boolean;
  total?: number;
  metaInfo?: { name: string; type?: string }[];
}
