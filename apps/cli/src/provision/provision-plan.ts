// Over 300 lines on purpose: planProvision compares every Genesys object kaa provisions in one pass over one org snapshot, in apply order.
import {
  AUDIOHOOK_INTEGRATION_TYPE,
  buildAudiohookUri,
  formatAudiohookAdvancedConfig,
  indexBotRows,
  INTERACTION_WIDGET_ADVANCED,
  INTERACTION_WIDGET_TYPE,
  interactionWidgetProperties,
  KaaError,
  pageRolePermissions,
  parseXMetadata,
  permissionPolicies,
  policyPermissions,
  queueIdentifierOf,
  signPlatformJwt,
} from '@kaa/core';
import type { Models } from 'purecloud-platform-client-v2';
import { legacyTableSetup } from '../bot-source/legacy-table-setup.js';
import { botNamed } from '../commands/bot-named.js';
import type { LoadedConfig } from '../config/loaded-config.js';
import type { ProvisionConfig } from '../config/schema.js';
import { audiohookAdvanced } from '../audiohook-advanced.js';
import type { AdminSession } from '../genesys-admin/admin-session.js';
import type { CliIo } from '../io.js';
import { reusablePlatformJwt } from '../reuse-platform-jwt.js';
import { lintOptions } from '../table/lint-options.js';
import { pageOAuthClient, sourceMode, widgetAppUrl } from '../widget-app.js';
import { pick, type Named, type OrgSnapshot } from './org-reads.js';

/**
 * The kinds of Genesys object `kaa provision` manages.
 *
 * @example
 * ```ts
 * const kind: ProvisionObject = 'interaction-widget';
 * ```
 */
export type ProvisionObject =
  'oauth-client' | 'interaction-widget' | 'role' | 'grant' | 'queue' | 'audiohook' | 'legacy-table';

/**
 * One change of a provision plan, as printed and in `--json`: never a secret value (fields holding one are named
 * only).
 *
 * @example
 * ```ts
 * const c: ProvisionChange = { object: 'queue', name: 'ALPHAINC_SUPPORT', id: '…', action: 'update', changed: ['enableTranscription'], detail: ['voice transcription: off → on'] };
 * ```
 */
export interface ProvisionChange {
  readonly object: ProvisionObject;
  readonly name: string;
  readonly id?: string;
  readonly action: 'create' | 'update' | 'grant';
  readonly changed: readonly string[];
  readonly detail: readonly string[];
}

/**
 * What the steps of one apply share: ids of objects created by earlier steps.
 *
 * @example
 * ```ts
 * const state: ApplyState = {};
 * for (const step of plan.steps) await step.run(state);
 * ```
 */
export interface ApplyState {
  oauthClientId?: string;
  roleId?: string;
}

/**
 * A change and how to make it.
 *
 * @example
 * ```ts
 * await plan.steps[0]?.run({});
 * ```
 */
export interface ProvisionStep {
  readonly change: ProvisionChange;
  run(state: ApplyState): Promise<void>;
}

/**
 * The difference between the config and the org: steps in apply order (OAuth client, role, grants, queues, widget,
 * AudioHook, legacy table), notices (what kaa leaves alone but the admin should know) and the agents' OAuth client
 * id when it exists.
 *
 * @example
 * ```ts
 * const plan: ProvisionPlan = await planProvision(loaded, io, session, org);
 * plan.steps.length; // 0 once the org matches the config
 * ```
 */
export interface ProvisionPlan {
  readonly steps: readonly ProvisionStep[];
  readonly notices: readonly string[];
  readonly oauthClientId: string | undefined;
}

const GRANT_TYPE = { pkce: 'CODE', implicit: 'TOKEN' } as const;

/**
 * `provision`, or `E_CONFIG_INVALID` explaining the section.
 *
 * @example
 * ```ts
 * const p = requireProvision(loaded); // p.groups, p.name, …
 * ```
 */
export function requireProvision(loaded: LoadedConfig): ProvisionConfig {
  const p = loaded.config.provision;
  if (p !== undefined) return p;
  throw new KaaError(
    'E_CONFIG_INVALID',
    `${loaded.file}: there is no "provision" section. Add provision { groups: [<the agents' group>] } (see docs/deploy.md#provisioned-path); "kaa provision" manages only what it describes.`,
    {
      details: { file: loaded.file, field: 'provision' },
    },
  );
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
const setDiff = (
  label: string,
  live: readonly string[],
  want: readonly string[],
  show: (v: string) => string = (v) => v,
): string[] => [
  ...want.filter((w) => !live.includes(w)).map((w) => `${label}: + ${show(w)}`),
  ...live.filter((l) => !want.includes(l)).map((l) => `${label}: - ${show(l)}`),
];
const canon = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );

/** Which URL parameters differ between two Application URLs (values never shown: some are tokens). */
function urlDiff(live: unknown, want: string): string[] {
  if (typeof live !== 'string' || live === '') return ['Application URL: set'];
  const split = (u: string) => {
    const at = u.indexOf('?');
    return { base: at < 0 ? u : u.slice(0, at), params: new URLSearchParams(at < 0 ? '' : u.slice(at + 1)) };
  };
  const a = split(live);
  const b = split(want);
  const out: string[] = [];
  if (a.base !== b.base) out.push(`Application URL: page address ${a.base} → ${b.base}`);
  const keys = [...new Set([...a.params.keys(), ...b.params.keys()])];
  const changed = keys.filter((k) => a.params.get(k) !== b.params.get(k));
  if (changed.length > 0) out.push(`Application URL: parameter(s) ${changed.join(', ')} changed`);
  return out.length > 0 ? out : ['Application URL: changed'];
}

/**
 * The Genesys queues the config's bots map (core's queue matching with the page's options: QueueIdentifier before
 * `qDelimiter`, the routing settings), with the bots each maps to.
 *
 * @example
 * ```ts
 * const mapped = mappedQueues(loaded, org.queues); // [{ id, name, bots: ['alpha'] }]
 * ```
 */
export function mappedQueues(
  loaded: LoadedConfig,
  queues: readonly { id?: string | undefined; name?: string | undefined }[],
): { id: string; name: string; bots: string[] }[] {
  const bots = Object.entries(loaded.config.bots);
  const index = indexBotRows(bots.map(([, b]) => ({ QueueIdentifier: b.queues.join(', ') })));
  const o = lintOptions(loaded);
  const out: { id: string; name: string; bots: string[] }[] = [];
  for (const q of queues) {
    if (q.id === undefined || q.name === undefined || q.name.trim() === '') continue;
    let rows = o.fullNameFallback ? index.rowsFor(q.name.trim(), o.caseSensitive) : [];
    if (rows.length === 0) rows = index.rowsFor(queueIdentifierOf(q.name, o.qDelimiter), o.caseSensitive);
    if (rows.length > 0) out.push({ id: q.id, name: q.name, bots: rows.map((i) => bots[i]?.[0] ?? '') });
  }
  return out;
}

/** The x_metadata token inside a live Application URL, if any. */
function tokenOfUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const at = url.indexOf('?');
  const raw = new URLSearchParams(at < 0 ? '' : url.slice(at + 1)).get('x_metadata');
  if (raw === null) return undefined;
  try {
    return parseXMetadata(raw).token;
  } catch {
    return undefined;
  }
}

/**
 * Reads nothing itself: compares `org` (from `readOrg`) with the config and returns the plan. Secrets it computes
 * (tokens, the client secret of the AudioHook credentials) join `loaded.secrets`.
 *
 * @example
 * ```ts
 * const plan = await planProvision(loaded, io, session, await readOrg(session, { legacyTables: false }));
 * ```
 */
export async function planProvision(
  loaded: LoadedConfig,
  io: CliIo,
  session: AdminSession,
  org: OrgSnapshot,
): Promise<ProvisionPlan> {
  const p = requireProvision(loaded);
  const { config } = loaded;
  const { sdk } = session;
  const steps: ProvisionStep[] = [];
  const notices: string[] = [];
  const nameOf = (own: string | undefined) => own ?? p.name;

  // ----- what the names in the config are
  const groups = pick(loaded, ['provision', 'groups'], p.groups, org.groups, 'group', 'Admin > Directory > Groups');
  const home = org.divisions.find((d) => d.homeDivision === true) ?? org.divisions[0];
  const divisions: Named[] = p.divisions
    ? pick(
        loaded,
        ['provision', 'divisions'],
        p.divisions,
        org.divisions,
        'division',
        'Admin > People & Permissions > Divisions',
      )
    : home?.id
      ? [{ id: home.id, name: home.name ?? home.id }]
      : [];
  const mapped = mappedQueues(loaded, org.queues);
  const queueById = new Map(org.queues.filter((q) => q.id !== undefined).map((q) => [q.id as string, q]));
  const audiohookBots = new Set(
    Object.entries(config.bots)
      .filter(([, b]) => b.audiohookEnabled)
      .map(([n]) => n),
  );

  // ----- the agents' OAuth client
  const oc = pageOAuthClient(loaded);
  const clientName = nameOf(p.oauthClient.name);
  const configuredId = config.genesys.oauthClientId;
  const liveClient =
    configuredId !== undefined
      ? org.clients.find((c) => c.id === configuredId)
      : org.clients.find((c) => c.name === clientName);
  if (configuredId !== undefined && liveClient === undefined) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `${loaded.where(['genesys', 'oauthClientId'])}: the Genesys org has no OAuth client "${configuredId}". Fix the id, or remove genesys.oauthClientId so that "kaa provision apply" creates the client "${clientName}".`,
      {
        details: { file: loaded.file, ...loaded.locate(['genesys', 'oauthClientId']), field: 'genesys.oauthClientId' },
      },
    );
  }
  const clientBody: Models.OAuthClientRequest = {
    name: liveClient?.name ?? clientName,
    description: 'The Kore.ai Agent AI page in the agent desktop (managed by "kaa provision")',
    authorizedGrantType: GRANT_TYPE[oc.grant],
    registeredRedirectUri: oc.redirectUris,
    scope: oc.scopes,
    ...(p.oauthClient.tokenLifetimeSeconds !== undefined && {
      accessTokenValiditySeconds: p.oauthClient.tokenLifetimeSeconds,
    }),
  };
  if (liveClient === undefined) {
    steps.push({
      change: {
        object: 'oauth-client',
        name: clientName,
        action: 'create',
        changed: ['authorizedGrantType', 'registeredRedirectUri', 'scope'],
        detail: [
          `grant ${clientBody.authorizedGrantType}`,
          ...oc.redirectUris.map((u) => `redirect URI ${u}`),
          `scopes ${oc.scopes.join(', ')}`,
        ],
      },
      async run(state) {
        const created = await session.call(
          `create the OAuth client "${clientName}"`,
          'oauth',
          () => sdk.oauth.postOauthClients(clientBody),
          { write: true },
        );
        // Genesys shows a new client's secret once; a browser client never uses it, and kaa never prints it
        if (created.secret) (loaded.secrets as string[]).push(created.secret);
        if (created.id === undefined)
          throw new KaaError('E_INTERNAL', 'Genesys answered the creation of the OAuth client without an id.');
        state.oauthClientId = created.id;
      },
    });
  } else {
    const id = liveClient.id ?? '';
    const changed: string[] = [];
    const detail: string[] = [];
    if (liveClient.authorizedGrantType !== clientBody.authorizedGrantType) {
      changed.push('authorizedGrantType');
      detail.push(`grant ${liveClient.authorizedGrantType ?? '(none)'} → ${clientBody.authorizedGrantType}`);
    }
    if (!sameSet(liveClient.registeredRedirectUri ?? [], oc.redirectUris)) {
      changed.push('registeredRedirectUri');
      detail.push(...setDiff('redirect URI', liveClient.registeredRedirectUri ?? [], oc.redirectUris));
    }
    if (!sameSet(liveClient.scope ?? [], oc.scopes)) {
      changed.push('scope');
      detail.push(...setDiff('scope', liveClient.scope ?? [], oc.scopes));
    }
    if (
      p.oauthClient.tokenLifetimeSeconds !== undefined &&
      liveClient.accessTokenValiditySeconds !== p.oauthClient.tokenLifetimeSeconds
    ) {
      changed.push('accessTokenValiditySeconds');
      detail.push(
        `token lifetime ${liveClient.accessTokenValiditySeconds ?? '(default)'} → ${p.oauthClient.tokenLifetimeSeconds} s`,
      );
    }
    if (changed.length > 0) {
      steps.push({
        change: { object: 'oauth-client', name: liveClient.name ?? clientName, id, action: 'update', changed, detail },
        async run() {
          await session.call(
            `update the OAuth client "${liveClient.name ?? id}"`,
            'oauth',
            () =>
              sdk.oauth.putOauthClient(id, {
                ...clientBody,
                ...(liveClient.description !== undefined && { description: liveClient.description }),
              }),
            { write: true },
          );
        },
      });
    }
  }
  const liveClientId = liveClient?.id;

  // ----- the page's role and its grants
  const roleName = nameOf(p.role.name);
  const wantPermissions = [...pageRolePermissions(sourceMode(loaded))].sort();
  const liveRole = org.roles.find((r) => r.name === roleName);
  const roleBody: Models.DomainOrganizationRoleCreate = {
    name: roleName,
    description: 'What the Kore.ai Agent AI page needs (managed by "kaa provision")',
    permissionPolicies: permissionPolicies(wantPermissions).map((x) => ({
      domain: x.domain,
      entityName: x.entityName,
      actionSet: [...x.actionSet],
    })),
  };
  if (liveRole === undefined) {
    steps.push({
      change: {
        object: 'role',
        name: roleName,
        action: 'create',
        changed: ['permissionPolicies'],
        detail: wantPermissions.map((x) => `permission ${x}`),
      },
      async run(state) {
        const created = await session.call(
          `create the role "${roleName}"`,
          'authorization',
          () => sdk.authorization.postAuthorizationRoles(roleBody),
          { write: true },
        );
        if (created.id === undefined)
          throw new KaaError('E_INTERNAL', 'Genesys answered the creation of the role without an id.');
        state.roleId = created.id;
      },
    });
  } else {
    const held = policyPermissions(liveRole.permissionPolicies ?? []);
    if (!sameSet(held, wantPermissions)) {
      const id = liveRole.id ?? '';
      steps.push({
        change: {
          object: 'role',
          name: roleName,
          id,
          action: 'update',
          changed: ['permissionPolicies'],
          detail: setDiff('permission', held, wantPermissions),
        },
        async run() {
          await session.call(
            `update the role "${roleName}"`,
            'authorization',
            () =>
              sdk.authorization.putAuthorizationRole(id, {
                ...roleBody,
                ...(liveRole.description !== undefined && { description: liveRole.description }),
              }),
            { write: true },
          );
        },
      });
    }
  }
  const grantsOf = new Map<string, Models.AuthzGrant[]>();
  if (liveRole?.id !== undefined) {
    for (const g of groups) {
      const subject = await session.call(`read the grants of group "${g.name}"`, 'authorization', () =>
        sdk.authorization.getAuthorizationSubject(g.id),
      );
      grantsOf.set(g.id, subject.grants ?? []);
    }
  }
  for (const g of groups) {
    for (const d of divisions) {
      if ((grantsOf.get(g.id) ?? []).some((x) => x.role?.id === liveRole?.id && x.division?.id === d.id)) continue;
      steps.push({
        change: {
          object: 'grant',
          name: `role "${roleName}" to group "${g.name}" in division "${d.name}"`,
          action: 'grant',
          changed: ['grant'],
          detail: [],
        },
        async run(state) {
          const roleId = liveRole?.id ?? state.roleId;
          if (roleId === undefined) throw new KaaError('E_INTERNAL', `The role "${roleName}" has no id to grant.`);
          await session.call(
            `grant the role "${roleName}" to group "${g.name}" in division "${d.name}"`,
            'authorization',
            () =>
              sdk.authorization.postAuthorizationRole(
                roleId,
                { subjectIds: [g.id], divisionIds: [d.id] },
                { subjectType: 'PC_GROUP' },
              ),
            { write: true },
          );
        },
      });
    }
  }

  // ----- queues: voice transcription (and audio monitoring for the AudioHook bots)
  const transcribe: Named[] =
    p.transcription === 'none'
      ? []
      : p.transcription === 'mapped'
        ? mapped.filter((q) => q.bots.some((b) => !audiohookBots.has(b)))
        : pick(
            loaded,
            ['provision', 'transcription'],
            p.transcription,
            org.queues,
            'queue',
            'Admin > Contact Center > Queues',
          );
  const manageAudiohook = audiohookBots.size > 0 && config.audiohook !== undefined;
  const monitor: Named[] = manageAudiohook ? mapped.filter((q) => q.bots.some((b) => audiohookBots.has(b))) : [];
  const queueChanges = new Map<string, { q: Named; fields: Set<'enableTranscription' | 'enableAudioMonitoring'> }>();
  for (const q of transcribe)
    if (queueById.get(q.id)?.enableTranscription !== true)
      (queueChanges.get(q.id) ?? queueChanges.set(q.id, { q, fields: new Set() }).get(q.id))?.fields.add(
        'enableTranscription',
      );
  for (const q of monitor)
    if (queueById.get(q.id)?.enableAudioMonitoring !== true)
      (queueChanges.get(q.id) ?? queueChanges.set(q.id, { q, fields: new Set() }).get(q.id))?.fields.add(
        'enableAudioMonitoring',
      );
  for (const { q, fields } of queueChanges.values()) {
    const changed = [...fields];
    steps.push({
      change: {
        object: 'queue',
        name: q.name,
        id: q.id,
        action: 'update',
        changed,
        detail: changed.map((f) =>
          f === 'enableTranscription' ? 'voice transcription: off → on' : 'audio monitoring (AudioHook): off → on',
        ),
      },
      async run() {
        const live = await session.call(`read queue "${q.name}"`, 'routing', () => sdk.routing.getRoutingQueue(q.id));
        const body: Models.QueueRequest = {
          ...(live as Models.QueueRequest),
          name: live.name ?? q.name,
          ...(fields.has('enableTranscription') && { enableTranscription: true }),
          ...(fields.has('enableAudioMonitoring') && { enableAudioMonitoring: true }),
        };
        await session.call(
          `turn on ${changed.join(' and ')} for queue "${q.name}"`,
          'routing',
          () => sdk.routing.putRoutingQueue(q.id, body),
          { write: true },
        );
      },
    });
  }
  const transcribed = new Set(transcribe.map((q) => q.id));
  for (const q of mapped) {
    if (transcribed.has(q.id) || queueById.get(q.id)?.enableTranscription === true) continue;
    const why = q.bots.every((b) => audiohookBots.has(b))
      ? 'its bot streams audio through AudioHook'
      : `provision.transcription is ${JSON.stringify(p.transcription)}`;
    notices.push(
      `Queue "${q.name}" is mapped to bot ${q.bots.map((b) => `"${b}"`).join(', ')} but has voice transcription off (${why}): the page gets no Genesys transcript for its calls.`,
    );
  }
  if (mapped.length === 0)
    notices.push(
      `No Genesys queue matches the bots' queues (${Object.values(config.bots)
        .flatMap((b) => b.queues)
        .join(', ')}): check the QueueIdentifiers and the delimiter.`,
    );

  // ----- the Interaction Widget
  const widgetName = nameOf(p.widget.name);
  const widgetQueues =
    p.widget.queues === 'all'
      ? []
      : p.widget.queues === 'mapped'
        ? mapped
        : pick(
            loaded,
            ['provision', 'widget', 'queues'],
            p.widget.queues,
            org.queues,
            'queue',
            'Admin > Contact Center > Queues',
          );
  if (p.widget.queues === 'mapped' && mapped.length === 0)
    notices.push('The widget gets no Queue Filtering (no mapped queue): it shows for every queue.');
  const liveWidget = org.integrations.find(
    (i) => i.integrationType?.id === INTERACTION_WIDGET_TYPE && i.name === widgetName,
  );
  const liveProps = (liveWidget?.config?.current?.properties ?? {}) as Record<string, unknown>;
  const liveAdvanced = (liveWidget?.config?.current?.advanced ?? {}) as Record<string, unknown>;
  const widgetProps = (url: string) =>
    interactionWidgetProperties({
      url,
      groupIds: groups.map((g) => g.id),
      queueIds: widgetQueues.map((q) => q.id),
      ...(p.widget.communicationTypes && { communicationTypes: p.widget.communicationTypes }),
    });
  const urlFor = (genesysClientId: string) =>
    widgetAppUrl(loaded, io, { genesysClientId, reuseToken: tokenOfUrl(liveProps['url']) });
  // before the OAuth client exists its id (in the URL) is unknown: every other property is
  const wantUrl = liveClientId !== undefined ? await urlFor(liveClientId) : undefined;
  const wantProps = widgetProps(wantUrl ?? '');
  const groupName = (id: string) => groups.find((g) => g.id === id)?.name ?? id;
  const queueName = (id: string) => queueById.get(id)?.name ?? id;
  const widgetDetail: string[] = [];
  const widgetChanged: string[] = [];
  for (const key of [
    'url',
    'sandbox',
    'permissions',
    'groups',
    'queueIdFilterList',
    'communicationTypeFilter',
  ] as const) {
    const live = liveProps[key];
    const want = wantProps[key];
    if (!(key === 'url' && wantUrl === undefined) && canon(live) === canon(want)) continue;
    widgetChanged.push(key);
    if (key === 'url')
      widgetDetail.push(
        ...(wantUrl === undefined
          ? [`Application URL: with the id of OAuth client "${clientName}" once created`]
          : urlDiff(live, wantUrl)),
      );
    else if (key === 'groups')
      widgetDetail.push(
        ...setDiff('group filter', Array.isArray(live) ? (live as string[]) : [], want as string[], groupName),
      );
    else if (key === 'queueIdFilterList')
      widgetDetail.push(
        ...setDiff('queue filter', Array.isArray(live) ? (live as string[]) : [], want as string[], queueName),
      );
    else widgetDetail.push(`${key}: ${typeof live === 'string' ? live : '(none)'} → ${String(want)}`);
  }
  if (canon(liveAdvanced['lifecycle']) !== canon(INTERACTION_WIDGET_ADVANCED.lifecycle)) {
    widgetChanged.push('advanced.lifecycle');
    widgetDetail.push(`advanced: lifecycle ${JSON.stringify(INTERACTION_WIDGET_ADVANCED.lifecycle)}`);
  }
  if (liveWidget?.intendedState !== 'ENABLED') {
    widgetChanged.push('intendedState');
    widgetDetail.push('enabled');
  }
  if (liveWidget === undefined || widgetChanged.length > 0) {
    const id = liveWidget?.id;
    steps.push({
      change: {
        object: 'interaction-widget',
        name: widgetName,
        ...(id !== undefined && { id }),
        action: id === undefined ? 'create' : 'update',
        changed: widgetChanged,
        detail: widgetDetail,
      },
      async run(state) {
        const clientId = liveClientId ?? state.oauthClientId;
        if (clientId === undefined)
          throw new KaaError('E_INTERNAL', `The OAuth client "${clientName}" has no id for the widget URL.`);
        const properties = widgetProps(wantUrl ?? (await urlFor(clientId)));
        const integrationId =
          id ??
          (
            await session.call(
              `create the Interaction Widget "${widgetName}"`,
              'integrations',
              () =>
                sdk.integrations.postIntegrations({
                  body: { name: widgetName, integrationType: { id: INTERACTION_WIDGET_TYPE } },
                }),
              { write: true },
            )
          ).id;
        if (integrationId === undefined)
          throw new KaaError('E_INTERNAL', 'Genesys answered the creation of the integration without an id.');
        await putConfig(session, integrationId, `the Interaction Widget "${widgetName}"`, (current) => ({
          properties: { ...(current.properties as Record<string, unknown>), ...properties },
          advanced: {
            ...(current.advanced as Record<string, unknown>),
            lifecycle: structuredClone(INTERACTION_WIDGET_ADVANCED.lifecycle) as unknown as object,
          },
        }));
        await session.call(
          `enable the Interaction Widget "${widgetName}"`,
          'integrations',
          () => sdk.integrations.patchIntegration(integrationId, { body: { intendedState: 'ENABLED' } }),
          { write: true },
        );
      },
    });
  }

  // ----- AudioHook Monitor
  if (audiohookBots.size > 0 && config.audiohook === undefined)
    notices.push(
      `Bot(s) ${[...audiohookBots].map((b) => `"${b}"`).join(', ')} have audiohookEnabled but the config has no "audiohook" section: kaa cannot create the AudioHook Monitor integration. Add audiohook { sipuri, token, accountId } (see "kaa audiohook --help").`,
    );
  if (manageAudiohook && config.audiohook !== undefined) {
    const hook = config.audiohook;
    const cc = config.genesys.clientCredentials;
    if (cc === undefined) {
      throw new KaaError(
        'E_CONFIG_INVALID',
        `${loaded.where(['genesys'])}: the AudioHook Monitor integration needs "genesys.clientCredentials" (its Advanced settings carry a Client Credentials OAuth client). Add clientCredentials { clientId, clientSecret }.`,
        { details: { file: loaded.file, field: 'genesys.clientCredentials' } },
      );
    }
    const hookName = p.audiohook.name ?? `${p.name} AudioHook`;
    const liveHook = org.integrations.find(
      (i) => i.integrationType?.id === AUDIOHOOK_INTEGRATION_TYPE && i.name === hookName,
    );
    const hookProps0 = (liveHook?.config?.current?.properties ?? {}) as Record<string, unknown>;
    const hookAdv0 = (liveHook?.config?.current?.advanced ?? {}) as Record<string, unknown>;
    const botName = hook.bot ?? [...audiohookBots][0] ?? '';
    const bot = botNamed(loaded, botName);
    const botSecret = await loaded.secret(bot.clientSecret, ['bots', botName, 'clientSecret']);
    const connectionUri = buildAudiohookUri({
      kvgHost: hook.kvgHost,
      sipuri: hook.sipuri,
      token: await loaded.secret(hook.token, ['audiohook', 'token']),
      botId: bot.botId,
      accountId: hook.accountId,
      multiBot: hook.multiBot,
    });
    const secretEncoding = loaded.settings.kore.jwt.secretEncoding;
    const token =
      (await reusablePlatformJwt(typeof hookAdv0['token'] === 'string' ? hookAdv0['token'] : undefined, {
        appId: bot.clientId,
        clientSecret: botSecret,
        nowMs: io.now(),
        ttlSeconds: hook.tokenTtlSeconds,
        secretEncoding,
      })) ??
      (await signPlatformJwt({
        appId: bot.clientId,
        clientSecret: botSecret,
        now: new Date(io.now()),
        ttlSeconds: hook.tokenTtlSeconds,
        secretEncoding,
      }));
    (loaded.secrets as string[]).push(token);
    const advanced = JSON.parse(
      formatAudiohookAdvancedConfig(await audiohookAdvanced(loaded, cc, bot, token)),
    ) as Record<string, unknown>;
    const hookProps = { channel: 'both', connectionUri };
    const changed: string[] = [];
    const detail: string[] = [];
    if (hookProps0['channel'] !== 'both') {
      changed.push('channel');
      detail.push(`channel: ${String(hookProps0['channel'] ?? '(none)')} → both`);
    }
    if (hookProps0['connectionUri'] !== connectionUri) {
      changed.push('connectionUri');
      detail.push(
        ...urlDiff(hookProps0['connectionUri'], connectionUri).map((l) =>
          l.replace('Application URL', 'Connection URI'),
        ),
      );
    }
    const advChanged = Object.keys(advanced).filter((k) => canon(hookAdv0[k]) !== canon(advanced[k]));
    if (advChanged.length > 0) {
      changed.push('advanced');
      detail.push(`advanced: ${advChanged.join(', ')} ${liveHook ? 'changed' : 'set'}`);
    }
    const credentialId = liveHook?.config?.current?.credentials?.[AUDIOHOOK_CREDENTIAL_KEY]?.id;
    if (credentialId === undefined) {
      changed.push('credentials');
      detail.push(`credentials: API key = ClientId of bot "${botName}", client secret = its ClientSecret`);
    }
    if (liveHook?.intendedState !== 'ENABLED') {
      changed.push('intendedState');
      detail.push('enabled');
    }
    if (liveHook === undefined || changed.length > 0) {
      const id = liveHook?.id;
      steps.push({
        change: {
          object: 'audiohook',
          name: hookName,
          ...(id !== undefined && { id }),
          action: id === undefined ? 'create' : 'update',
          changed,
          detail,
        },
        async run() {
          const integrationId =
            id ??
            (
              await session.call(
                `create the AudioHook Monitor integration "${hookName}"`,
                'integrations',
                () =>
                  sdk.integrations.postIntegrations({
                    body: { name: hookName, integrationType: { id: AUDIOHOOK_INTEGRATION_TYPE } },
                  }),
                { write: true },
              )
            ).id;
          if (integrationId === undefined)
            throw new KaaError('E_INTERNAL', 'Genesys answered the creation of the integration without an id.');
          const credential =
            credentialId ??
            (
              await session.call(
                `store the AudioHook credentials of "${hookName}"`,
                'integrations',
                () =>
                  sdk.integrations.postIntegrationsCredentials({
                    body: {
                      name: `${hookName} credentials`,
                      type: { name: AUDIOHOOK_CREDENTIAL_TYPE },
                      credentialFields: { apiKey: bot.clientId, clientSecret: botSecret },
                    },
                  }),
                { write: true },
              )
            ).id;
          if (credential === undefined)
            throw new KaaError('E_INTERNAL', 'Genesys answered the creation of the credential without an id.');
          await putConfig(session, integrationId, `the AudioHook Monitor integration "${hookName}"`, (current) => ({
            properties: { ...(current.properties as Record<string, unknown>), ...hookProps },
            advanced: { ...(current.advanced as Record<string, unknown>), ...advanced },
            credentials: { ...current.credentials, [AUDIOHOOK_CREDENTIAL_KEY]: { id: credential } },
          }));
          await session.call(
            `enable the AudioHook Monitor integration "${hookName}"`,
            'integrations',
            () => sdk.integrations.patchIntegration(integrationId, { body: { intendedState: 'ENABLED' } }),
            { write: true },
          );
        },
      });
    }
  }

  // ----- the legacy Genesys data table
  if (config.botSource.kind === 'genesys-legacy-table') {
    const tableName = p.legacyTable.name ?? p.name;
    const setup = await legacyTableSetup(loaded, true);
    const liveTable = org.tables.find((t) => t.name === tableName);
    const liveFields = (liveTable?.schema?.properties ?? {}) as Record<string, { default?: unknown; title?: string }>;
    const changed: string[] = [];
    const detail: string[] = [];
    if (liveFields['key']?.title !== setup.referenceKey) {
      changed.push('key');
      detail.push(`Reference Key label: ${setup.referenceKey}`);
    }
    for (const f of setup.fields) {
      if (liveFields[f.label]?.default === f.value) continue;
      changed.push(f.label);
      detail.push(
        f.secret
          ? `${f.label}: ${liveTable ? 'changed' : 'set'}`
          : `${f.label}: ${typeof liveFields[f.label]?.default === 'string' ? String(liveFields[f.label]?.default) : '(none)'} → ${f.value}`,
      );
    }
    if (liveTable === undefined || changed.length > 0) {
      const schema = {
        $schema: 'http://json-schema.org/draft-04/schema#',
        type: 'object',
        required: ['key'],
        properties: {
          key: {
            title: setup.referenceKey,
            type: 'string',
            $id: '/properties/key',
            displayOrder: 0,
            minLength: 1,
            maxLength: 256,
          },
          ...Object.fromEntries(
            setup.fields.map((f, i) => [
              f.label,
              {
                title: f.label,
                type: 'string',
                $id: `/properties/${f.label}`,
                displayOrder: i + 1,
                minLength: 0,
                maxLength: 1000,
                default: f.value,
              },
            ]),
          ),
        },
        additionalProperties: false as unknown as object,
      } satisfies Models.JsonSchemaDocument;
      const id = liveTable?.id;
      steps.push({
        change: {
          object: 'legacy-table',
          name: tableName,
          ...(id !== undefined && { id }),
          action: id === undefined ? 'create' : 'update',
          changed,
          detail,
        },
        async run() {
          const body: Models.DataTable = {
            name: tableName,
            description: 'Kore Agent Assist configuration, legacy single-bot mode (managed by "kaa provision")',
            schema,
          };
          if (id === undefined)
            await session.call(
              `create the Architect data table "${tableName}"`,
              'architect',
              () => sdk.architect.postFlowsDatatables(body),
              { write: true },
            );
          else
            await session.call(
              `update the Architect data table "${tableName}"`,
              'architect',
              () => sdk.architect.putFlowsDatatable(id, { ...body, id }),
              { write: true },
            );
        },
      });
    }
  }

  return { steps, notices, oauthClientId: liveClientId };
}

/**
 * The key of the AudioHook Monitor integration's credentials (docs/assumptions.md#provisioned-integration-shapes).
 *
 * @example
 * ```ts
 * integration.config?.current?.credentials?.[AUDIOHOOK_CREDENTIAL_KEY]?.id;
 * ```
 */
export const AUDIOHOOK_CREDENTIAL_KEY = 'basicAuth';
const AUDIOHOOK_CREDENTIAL_TYPE = 'audiohook';

/** Reads an integration's current configuration and writes it back changed, at the version read (Genesys checks it). */
async function putConfig(
  session: AdminSession,
  integrationId: string,
  what: string,
  change: (current: Models.IntegrationConfiguration) => Partial<Models.IntegrationConfiguration>,
): Promise<void> {
  const current = await session.call(`read the configuration of ${what}`, 'integrations', () =>
    session.sdk.integrations.getIntegrationConfigCurrent(integrationId),
  );
  const body: Models.IntegrationConfiguration = {
    name: current.name ?? what,
    version: current.version ?? 1,
    properties: current.properties ?? {},
    advanced: current.advanced ?? {},
    notes: current.notes ?? '',
    credentials: current.credentials ?? {},
    ...change(current),
  };
  await session.call(
    `configure ${what}`,
    'integrations',
    () => session.sdk.integrations.putIntegrationConfigCurrent(integrationId, { body }),
    { write: true },
  );
}
