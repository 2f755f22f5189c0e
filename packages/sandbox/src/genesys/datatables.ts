import type { Models } from 'purecloud-platform-client-v2';
import { BOTS, LEGACY_TABLE } from '../seed.js';

/** A table the sandbox serves: metadata, draft-04 schema, rows. */
export interface SandboxTable {
  table: Models.DataTable;
  rows: Record<string, unknown>[];
}

const DIVISION = {
  id: '0d1v0000-0000-4000-8000-0000000000d1',
  name: 'Home',
  selfUri: '/api/v2/authorization/divisions/0d1v0000-0000-4000-8000-0000000000d1',
};

function field(name: string, order: number, value: string): object {
  return {
    title: name,
    type: 'string',
    $id: `/properties/${name}`,
    displayOrder: order,
    minLength: 0,
    maxLength: 1000,
    default: value,
  };
}

/**
 * The Architect data tables of the sandbox org (docs/genesys-protocol.md#legacy-architect-data-table): the legacy single-bot table from seed.ts
 * LEGACY_TABLE, whose *custom-field defaults* hold BOTS.alpha and the Kore origin as `AgentAssist URL`
 * (Reference Key label `agentAssist`), and an unrelated table so that scanning by key title is exercised.
 *
 * @example
 * ```ts
 * const tables = sandboxTables('http://127.0.0.1:4100');
 * tables[0]?.table.schema?.properties?.['AgentAssist URL'];
 * ```
 */
export function sandboxTables(koreOrigin: string): SandboxTable[] {
  const legacy = {
    id: LEGACY_TABLE.id,
    name: LEGACY_TABLE.name,
    division: DIVISION,
    description: 'Kore Agent Assist configuration (legacy single-bot mode)',
    schema: {
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'object',
      required: ['key'],
      properties: {
        key: {
          title: 'agentAssist',
          type: 'string',
          $id: '/properties/key',
          displayOrder: 0,
          minLength: 1,
          maxLength: 256,
        },
        'AgentAssist URL': field('AgentAssist URL', 1, koreOrigin),
        'Bot Id': field('Bot Id', 2, BOTS.alpha.botId),
        'Client Id': field('Client Id', 3, BOTS.alpha.clientId),
        'Client Secret': field('Client Secret', 4, BOTS.alpha.clientSecret),
        'is Audiohook Enabled': field('is Audiohook Enabled', 5, 'false'),
      },
      // Genesys sends the JSON Schema boolean; the SDK model types the field as `object`.
      additionalProperties: false as unknown as object,
    },
    selfUri: `/api/v2/flows/datatables/${LEGACY_TABLE.id}`,
  } satisfies Models.DataTable;
  const hoursId = 'da7a7ab1-0000-4000-8000-000000000002';
  const hours = {
    id: hoursId,
    name: 'Business Hours',
    division: DIVISION,
    description: 'Opening hours per site',
    schema: {
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'object',
      required: ['key'],
      properties: {
        key: { title: 'site', type: 'string', $id: '/properties/key', displayOrder: 0, minLength: 1, maxLength: 256 },
        opens: {
          title: 'opens',
          type: 'string',
          $id: '/properties/opens',
          displayOrder: 1,
          minLength: 0,
          maxLength: 10,
          default: '09:00',
        },
      },
      // Genesys sends the JSON Schema boolean; the SDK model types the field as `object`.
      additionalProperties: false as unknown as object,
    },
    selfUri: `/api/v2/flows/datatables/${hoursId}`,
  } satisfies Models.DataTable;
  return [
    { table: hours, rows: [{ key: 'HQ', opens: '08:00' }] },
    { table: legacy, rows: [] },
  ];
}

/**
 * A table as listed: with `schema` only when `expand=schema`.
 *
 * @example
 * ```ts
 * tableView(t, url.searchParams.get('expand') === 'schema');
 * ```
 */
export function tableView(t: SandboxTable, withSchema: boolean): Models.DataTable {
  const { schema, ...rest } = t.table;
  return withSchema ? { ...rest, schema } : rest;
}

/**
 * Genesys paging over `items`: `pageSize` (default 25, max 500) and `pageNumber` (from 1), with the listing envelope.
 *
 * @example
 * ```ts
 * page(rows, url, '/api/v2/flows/datatables');
 * ```
 */
export function page<T>(
  items: readonly T[],
  url: URL,
  path: string,
): {
  entities: T[];
  pageSize: number;
  pageNumber: number;
  total: number;
  pageCount: number;
  firstUri: string;
  lastUri: string;
  selfUri: string;
  nextUri?: string;
  previousUri?: string;
} {
  const pageSize = clampInt(url.searchParams.get('pageSize'), 25, 1, 500);
  const pageNumber = clampInt(url.searchParams.get('pageNumber'), 1, 1, 1_000_000);
  const total = items.length;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const uri = (n: number): string => {
    const u = new URLSearchParams(url.searchParams);
    u.set('pageSize', String(pageSize));
    u.set('pageNumber', String(n));
    return `${path}?${u}`;
  };
  return {
    entities: items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
    pageSize,
    pageNumber,
    total,
    pageCount,
    firstUri: uri(1),
    lastUri: uri(pageCount),
    selfUri: uri(pageNumber),
    ...(pageNumber < pageCount ? { nextUri: uri(pageNumber + 1) } : {}),
    ...(pageNumber > 1 ? { previousUri: uri(pageNumber - 1) } : {}),
  };
}

function clampInt(text: string | null, fallback: number, min: number, max: number): number {
  const n = text === null ? NaN : Number(text);
  return Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : fallback;
}
