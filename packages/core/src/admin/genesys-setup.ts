import { KaaError } from '../errors.js';
import { WIDGET_COMMUNICATION_TYPES, WIDGET_PERMISSIONS, WIDGET_SANDBOX_FLAGS } from './interaction-widget-settings.js';

/**
 * The Genesys integration type of the Interaction Widget (docs/genesys-protocol.md#integration-configuration).
 *
 * @example
 * ```ts
 * import { INTERACTION_WIDGET_TYPE } from '@kaa/core';
 *
 * INTERACTION_WIDGET_TYPE; // → 'embedded-client-app-interaction-widget'
 * ```
 */
export const INTERACTION_WIDGET_TYPE = 'embedded-client-app-interaction-widget';

/**
 * The Genesys integration type of AudioHook Monitor (docs/assumptions.md#provisioned-integration-shapes).
 *
 * @example
 * ```ts
 * import { AUDIOHOOK_INTEGRATION_TYPE } from '@kaa/core';
 *
 * AUDIOHOOK_INTEGRATION_TYPE; // → 'audiohook'
 * ```
 */
export const AUDIOHOOK_INTEGRATION_TYPE = 'audiohook';

/**
 * *Conversation › Transcription › View*: without it Genesys refuses the `v2.conversations.{id}.transcription` topic
 * (docs/assumptions.md#transcription-topic-refusal).
 *
 * @example
 * ```ts
 * import { TRANSCRIPTION_VIEW_PERMISSION } from '@kaa/core';
 *
 * TRANSCRIPTION_VIEW_PERMISSION; // → 'conversation:transcription:view'
 * ```
 */
export const TRANSCRIPTION_VIEW_PERMISSION = 'conversation:transcription:view';

/**
 * *Routing › Queue › View*: lets the page read its queue's voice-transcription setting when no transcript arrives
 * (docs/assumptions.md#queue-transcription-setting-read-by-the-page).
 *
 * @example
 * ```ts
 * import { QUEUE_VIEW_PERMISSION } from '@kaa/core';
 *
 * QUEUE_VIEW_PERMISSION; // → 'routing:queue:view'
 * ```
 */
export const QUEUE_VIEW_PERMISSION = 'routing:queue:view';

/**
 * *Architect › DataTable › View*: the legacy Genesys data-table mode reads the bot from an Architect table.
 *
 * @example
 * ```ts
 * import { DATATABLE_VIEW_PERMISSION } from '@kaa/core';
 *
 * DATATABLE_VIEW_PERMISSION; // → 'architect:datatable:view'
 * ```
 */
export const DATATABLE_VIEW_PERMISSION = 'architect:datatable:view';

/**
 * The role permissions the page needs, and no more: the transcription topic, the queue read of its diagnosis, and
 * in legacy mode the Architect data table (docs/assumptions.md#page-role-permissions).
 *
 * @example
 * ```ts
 * import { pageRolePermissions } from '@kaa/core';
 *
 * pageRolePermissions('koreDataTable'); // → ['conversation:transcription:view', 'routing:queue:view']
 * ```
 */
export function pageRolePermissions(mode: 'koreDataTable' | 'thirdParty' | 'legacy'): readonly string[] {
  return mode === 'legacy'
    ? [TRANSCRIPTION_VIEW_PERMISSION, QUEUE_VIEW_PERMISSION, DATATABLE_VIEW_PERMISSION]
    : [TRANSCRIPTION_VIEW_PERMISSION, QUEUE_VIEW_PERMISSION];
}

const LABELS: Readonly<Record<string, string>> = {
  conversation: 'Conversation',
  transcription: 'Transcription',
  routing: 'Routing',
  queue: 'Queue',
  architect: 'Architect',
  datatable: 'DataTable',
  view: 'View',
};

/**
 * How the Genesys admin UI names a permission (`domain:entity:action` → `Domain > Entity > Action`).
 *
 * @example
 * ```ts
 * permissionLabel('conversation:transcription:view'); // → 'Conversation > Transcription > View'
 * ```
 */
export function permissionLabel(permission: string): string {
  return permission
    .split(':')
    .map((part) => LABELS[part] ?? (part === '*' ? 'All' : part.charAt(0).toUpperCase() + part.slice(1)))
    .join(' > ');
}

/**
 * A role's permission policy as Genesys stores it (`DomainPermissionPolicy`: domain, entity, actions).
 *
 * @example
 * ```ts
 * const policy: PermissionPolicy = { domain: 'conversation', entityName: 'transcription', actionSet: ['view'] };
 * ```
 */
export interface PermissionPolicy {
  readonly domain: string;
  readonly entityName: string;
  readonly actionSet: readonly string[];
}

/**
 * `domain:entity:action` permissions as role permission policies, one per domain and entity, actions sorted.
 *
 * @example
 * ```ts
 * import { permissionPolicies } from '@kaa/core';
 *
 * permissionPolicies(['conversation:transcription:view']); // → [{ domain: 'conversation', entityName: 'transcription', actionSet: ['view'] }]
 * ```
 */
export function permissionPolicies(permissions: readonly string[]): PermissionPolicy[] {
  const byEntity = new Map<string, { domain: string; entityName: string; actions: Set<string> }>();
  for (const p of permissions) {
    const [domain = '', entityName = '*', action = '*'] = p.split(':');
    const key = `${domain}:${entityName}`;
    const entry = byEntity.get(key) ?? { domain, entityName, actions: new Set<string>() };
    entry.actions.add(action);
    byEntity.set(key, entry);
  }
  return [...byEntity.values()]
    .sort((a, b) => `${a.domain}:${a.entityName}`.localeCompare(`${b.domain}:${b.entityName}`))
    .map((e) => ({ domain: e.domain, entityName: e.entityName, actionSet: [...e.actions].sort() }));
}

/**
 * The `domain:entity:action` permissions of role policies (sorted, no duplicates); `*` stays a wildcard.
 *
 * @example
 * ```ts
 * import { policyPermissions } from '@kaa/core';
 *
 * policyPermissions([{ domain: 'routing', entityName: 'queue', actionSet: ['view', 'edit'] }]); // → ['routing:queue:edit', 'routing:queue:view']
 * ```
 */
export function policyPermissions(
  policies: readonly {
    domain?: string | undefined;
    entityName?: string | undefined;
    actionSet?: readonly string[] | undefined;
  }[],
): string[] {
  const out = new Set<string>();
  for (const p of policies)
    for (const action of p.actionSet ?? []) out.add(`${p.domain ?? '*'}:${p.entityName ?? '*'}:${action}`);
  return [...out].sort();
}

/**
 * True when `held` (role or user permissions, `*` wildcards allowed in any part) includes `wanted`.
 *
 * @example
 * ```ts
 * import { hasPermission } from '@kaa/core';
 *
 * hasPermission(['conversation:*:view'], 'conversation:transcription:view'); // → true
 * ```
 */
export function hasPermission(held: readonly string[], wanted: string): boolean {
  const w = wanted.split(':');
  return held.some((h) => {
    const parts = h.split(':');
    return w.every((part, i) => parts[i] === '*' || parts[i] === part);
  });
}

/**
 * The Interaction Widget's `advanced` configuration: the Client App SDK lifecycle hooks the page answers
 * (docs/genesys-protocol.md#client-app-sdk-lifecycle-protocol), not ephemeral.
 *
 * @example
 * ```ts
 * import { INTERACTION_WIDGET_ADVANCED } from '@kaa/core';
 *
 * INTERACTION_WIDGET_ADVANCED.lifecycle.hooks.stop; // → true
 * ```
 */
export const INTERACTION_WIDGET_ADVANCED = {
  lifecycle: { ephemeral: false, hooks: { bootstrap: true, focus: true, blur: true, stop: true } },
} as const;

/** Input of {@link interactionWidgetProperties}. */
export interface InteractionWidgetPropertiesInput {
  /** The Application URL (`kaa url --reveal`): core's `buildWidgetAppUrl`. */
  readonly url: string;
  /** Genesys group ids whose members see the widget (Group Filtering). */
  readonly groupIds: readonly string[];
  /** Genesys queue ids the widget is shown for; empty: every queue. */
  readonly queueIds?: readonly string[];
  /** Communication Type Filtering; default {@link WIDGET_COMMUNICATION_TYPES}. */
  readonly communicationTypes?: readonly string[];
}

/**
 * The Interaction Widget integration's `properties` as Genesys stores them (docs/assumptions.md#provisioned-integration-shapes):
 * `url`, `sandbox`, `permissions` and `communicationTypeFilter` as comma lists, `groups` and `queueIdFilterList` as id
 * arrays (sorted, so equal settings compare equal).
 *
 * @example
 * ```ts
 * import { interactionWidgetProperties } from '@kaa/core';
 *
 * interactionWidgetProperties({ url: 'https://kaa.example.com/?conversationid={{gcConversationId}}', groupIds: ['g-1'] }).sandbox;
 * // → 'allow-forms,allow-modals,allow-popups,allow-presentation,allow-same-origin,allow-scripts,allow-downloads'
 * ```
 */
export function interactionWidgetProperties(input: InteractionWidgetPropertiesInput): {
  url: string;
  sandbox: string;
  permissions: string;
  groups: string[];
  queueIdFilterList: string[];
  communicationTypeFilter: string;
} {
  return {
    url: input.url,
    sandbox: WIDGET_SANDBOX_FLAGS.join(','),
    permissions: WIDGET_PERMISSIONS.join(','),
    groups: [...new Set(input.groupIds)].sort(),
    queueIdFilterList: [...new Set(input.queueIds ?? [])].sort(),
    communicationTypeFilter: (input.communicationTypes ?? WIDGET_COMMUNICATION_TYPES).join(','),
  };
}

/**
 * The page's words when Genesys refuses the transcription topic for lack of a permission
 * (docs/assumptions.md#transcription-topic-refusal): which permission, and what the admin changes.
 *
 * @example
 * ```ts
 * import { transcriptionRefused } from '@kaa/core';
 *
 * transcriptionRefused({ missingPermissions: ['conversation:transcription:view'] }).code; // → 'E_PERMISSION_MISSING'
 * ```
 */
export function transcriptionRefused(input: {
  missingPermissions?: readonly string[];
  reason?: string;
  who?: string;
}): KaaError {
  const missing =
    input.missingPermissions && input.missingPermissions.length > 0
      ? [...input.missingPermissions]
      : [TRANSCRIPTION_VIEW_PERMISSION];
  const named = missing.map((p) => `"${permissionLabel(p)}" (${p})`).join(' and ');
  const who = input.who ?? "this agent's Genesys Cloud roles";
  return new KaaError(
    'E_PERMISSION_MISSING',
    `Genesys Cloud refused the live transcript of this call: ${who} lack ${named}${input.reason ? ` (Genesys: ${input.reason})` : ''}. Ask your Genesys Cloud admin to grant the agent a role with ${missing.length > 1 ? 'these permissions' : 'this permission'} in the division of the queue (Admin > People & Permissions > Roles); "kaa provision apply" creates that role and grants it to the agents' group. The Agent AI widget works, but it gets no Genesys transcript until then.`,
    { details: { missingPermissions: missing, ...(input.reason ? { reason: input.reason } : {}) } },
  );
}

/**
 * The page's and the doctor's words when the queue of a call has voice transcription off
 * (docs/assumptions.md#queue-transcription-setting-read-by-the-page).
 *
 * @example
 * ```ts
 * import { transcriptionOff } from '@kaa/core';
 *
 * transcriptionOff({ queueName: 'ALPHAINC_SUPPORT' }).message; // 'No Genesys transcript arrives because voice transcription is off for queue "ALPHAINC_SUPPORT". …'
 * ```
 */
export function transcriptionOff(input: { queueName?: string | undefined; queueId?: string | undefined }): KaaError {
  const name = input.queueName ?? input.queueId ?? 'of this call';
  return new KaaError(
    'E_TRANSCRIPTION_OFF',
    `No Genesys transcript arrives because voice transcription is off for queue "${name}". Ask your Genesys Cloud admin to turn on Voice Transcription for it (Admin > Contact Center > Queues > ${name} > Voice; the organization needs the Speech and Text Analytics / Genesys Cloud CX 3 licence); "kaa provision apply" turns it on for every queue the bot table maps.`,
    {
      details: {
        ...(input.queueName ? { queueName: input.queueName } : {}),
        ...(input.queueId ? { queueId: input.queueId } : {}),
      },
    },
  );
}

/**
 * The hint after `transcripts.silenceHintSeconds` without a transcript, when the page cannot tell why
 * (docs/assumptions.md#transcription-topic-requirements-and-partial-results).
 *
 * @example
 * ```ts
 * import { transcriptionSilentHint } from '@kaa/core';
 *
 * transcriptionSilentHint(30); // 'No transcript has arrived 30 s into the call. …'
 * ```
 */
export function transcriptionSilentHint(seconds: number): string {
  return `No transcript has arrived ${seconds} s into the call. Check that the agent's role has "${permissionLabel(TRANSCRIPTION_VIEW_PERMISSION)}", and that voice transcription is turned on for the queue (or set AudiohookEnabled to true for Kore audio); "kaa doctor --user <agent>" checks both.`;
}
