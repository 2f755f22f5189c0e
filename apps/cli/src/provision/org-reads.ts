import { KaaError } from '@kaa/core';
import { openAdminSession, type AdminSession } from '../genesys-admin/admin-session.js';
import type { LoadedConfig } from '../config/loaded-config.js';
import type { CliIo } from '../io.js';
import { requireOAuthClientId } from '../widget-app.js';

/** One page of a Genesys listing (`entities`, `pageCount`). */
interface Listing<T> {
  entities?: T[];
  pageCount?: number;
}

/**
 * Every entity of a paged Genesys listing: asks page 1, 2, … until `pageCount` (at most 100 pages).
 *
 * @example
 * ```ts
 * const queues = await listAll((pageNumber) => sdk.routing.getRoutingQueues({ pageSize: 100, pageNumber }));
 * ```
 */
export async function listAll<T>(read: (pageNumber: number) => Promise<Listing<T>>): Promise<T[]> {
  const out: T[] = [];
  for (let pageNumber = 1; pageNumber <= 100; pageNumber++) {
    const page = await read(pageNumber);
    out.push(...(page.entities ?? []));
    if ((page.pageCount ?? 1) <= pageNumber || (page.entities ?? []).length === 0) break;
  }
  return out;
}

/**
 * A named Genesys object (group, division, queue) found by id or name.
 *
 * @example
 * ```ts
 * const group: Named = { id: '6e0b…', name: 'Agent AI Agents' };
 * ```
 */
export interface Named {
  readonly id: string;
  readonly name: string;
}

/**
 * The objects `wanted` names (ids or names, exact match), in order; `E_CONFIG_INVALID` naming the config key and the
 * missing names otherwise.
 *
 * @example
 * ```ts
 * const groups = pick(loaded, ['provision', 'groups'], ['Agent AI Agents'], allGroups, 'group', 'Admin > Directory > Groups');
 * ```
 */
export function pick(
  loaded: LoadedConfig,
  path: readonly PropertyKey[],
  wanted: readonly string[],
  all: readonly { id?: string | undefined; name?: string | undefined }[],
  what: string,
  where: string,
): Named[] {
  const found: Named[] = [];
  const missing: string[] = [];
  for (const w of wanted) {
    const hit = all.find((x) => x.id === w) ?? all.find((x) => x.name === w);
    if (hit?.id !== undefined) found.push({ id: hit.id, name: hit.name ?? hit.id });
    else missing.push(w);
  }
  if (missing.length > 0) {
    const key = path.map(String).join('.');
    throw new KaaError(
      'E_CONFIG_INVALID',
      `${loaded.where(path)}: ${key} names ${what}(s) the Genesys org does not have: ${missing.map((m) => `"${m}"`).join(', ')}. Use the exact name or id (${where}).`,
      {
        details: { file: loaded.file, ...loaded.locate(path), field: key, missing },
      },
    );
  }
  return [...new Map(found.map((f) => [f.id, f])).values()];
}

/**
 * The agents' OAuth client id: `genesys.oauthClientId`, else (with a `provision` section and `genesys.adminClient`) the
 * id of the client `kaa provision apply` created, found by its name. `E_CONFIG_INVALID` saying what to do otherwise.
 *
 * @example
 * ```ts
 * const genesysClientId = await agentsOAuthClientId(loaded, io, '"kaa url"');
 * ```
 */
export async function agentsOAuthClientId(loaded: LoadedConfig, io: CliIo, who: string): Promise<string> {
  const { config } = loaded;
  if (
    config.genesys.oauthClientId !== undefined ||
    config.provision === undefined ||
    config.genesys.adminClient === undefined
  )
    return requireOAuthClientId(loaded, who);
  const name = config.provision.oauthClient.name ?? config.provision.name;
  const session = await openAdminSession(loaded, io, { who });
  const clients = await session.call('list the OAuth clients', 'oauth', () =>
    session.sdk.oauth.getOauthClients().then((l) => l.entities ?? []),
  );
  const id = clients.find((c) => c.name === name)?.id;
  if (id !== undefined) return id;
  throw new KaaError(
    'E_CONFIG_INVALID',
    `${loaded.where(['provision'])}: ${who} needs the agents' OAuth client "${name}", which the Genesys org does not have yet. Run "kaa provision apply" first (or set genesys.oauthClientId).`,
    {
      details: { file: loaded.file, ...loaded.locate(['provision']), field: 'genesys.oauthClientId' },
    },
  );
}

/**
 * Reads what `kaa provision` compares: groups, divisions, queues, OAuth clients, integrations of the two types,
 * roles, the grants of the configured groups, and (legacy mode) the Architect data tables with their schemas.
 *
 * @example
 * ```ts
 * const org = await readOrg(session, { legacyTables: false });
 * ```
 */
export async function readOrg(session: AdminSession, options: { legacyTables: boolean }) {
  const { sdk } = session;
  const [groups, divisions, queues, clients, integrations, roles] = await Promise.all([
    session.call('list the groups', 'groups', () =>
      listAll((pageNumber) => sdk.groups.getGroups({ pageSize: 100, pageNumber })),
    ),
    session.call('list the divisions', 'authorization', () =>
      listAll((pageNumber) => sdk.authorization.getAuthorizationDivisions({ pageSize: 100, pageNumber })),
    ),
    session.call('list the queues', 'routing', () =>
      listAll((pageNumber) => sdk.routing.getRoutingQueues({ pageSize: 100, pageNumber })),
    ),
    session.call('list the OAuth clients', 'oauth', () => sdk.oauth.getOauthClients().then((l) => l.entities ?? [])),
    session.call('list the integrations', 'integrations', () =>
      listAll((pageNumber) => sdk.integrations.getIntegrations({ pageSize: 100, pageNumber })),
    ),
    session.call('list the roles', 'authorization', () =>
      listAll((pageNumber) => sdk.authorization.getAuthorizationRoles({ pageSize: 100, pageNumber })),
    ),
  ]);
  const tables = options.legacyTables
    ? await session.call('list the Architect data tables', 'architect', () =>
        listAll((pageNumber) => sdk.architect.getFlowsDatatables({ pageSize: 100, pageNumber, expand: 'schema' })),
      )
    : [];
  return { groups, divisions, queues, clients, integrations, roles, tables };
}

/**
 * What {@link readOrg} returns.
 *
 * @example
 * ```ts
 * const org: OrgSnapshot = await readOrg(session, { legacyTables: false });
 * ```
 */
export type OrgSnapshot = Awaited<ReturnType<typeof readOrg>>;
