import { KaaError } from '../errors.js';
import type { KaaSettings } from './settings.js';
import type { WidgetContext } from './widget-context.js';

/**
 * What the deployed page is allowed to serve, pinned by settings `allow` (docs/deploy.md#pinning-what-a-link-may-choose):
 * the widget URL is a link anyone can craft, and without pins the link alone chooses the Kore table (and so the
 * bot, the Kore account and where the conversation goes) and the Genesys environment.
 *
 * @example
 * ```ts
 * const allow: PageAllow = { tables: ['kaa_bots'], accountIds: [], genesysEnvironments: ['prod-euw1'], koreHosts: ['https://agentassist.kore.ai'], unframed: false };
 * ```
 */
export type PageAllow = KaaSettings['allow'];

/**
 * Refuses a widget URL whose table, account or Genesys environment is not pinned by settings `allow` (an empty list
 * allows any). Runs as soon as the environment is known, before the login: a refused link costs no sign-in.
 *
 * @throws {KaaError} `E_PARAM_NOT_ALLOWED` naming the value the link chose and the setting that lists the allowed ones.
 * @example
 * ```ts
 * import { checkLinkAllowed, parseSettings } from '@kaa/core';
 *
 * const settings = parseSettings({ allow: { tables: ['kaa_bots'] } });
 * checkLinkAllowed(ctx, 'prod-euw1', settings.allow); // throws E_PARAM_NOT_ALLOWED when x_metadata names another table
 * ```
 */
export function checkLinkAllowed(
  ctx: Pick<WidgetContext, 'botSource'>,
  environmentName: string,
  allow: PageAllow,
): void {
  const refuse = (what: string, value: string, key: string, allowed: readonly string[]): never => {
    throw new KaaError(
      'E_PARAM_NOT_ALLOWED',
      `This page does not serve ${what} "${clip(value)}": setting allow.${key} lists only ${allowed.map((v) => `"${clip(v)}"`).join(', ')}. If the Interaction Widget URL is right, add the value to allow.${key} in kaa.config.json and deploy the page again (kaa page --dist); otherwise correct the URL (kaa url prints it).`,
      { details: { key: `allow.${key}`, value: clip(value), allowed: [...allowed] } },
    );
  };
  if (allow.genesysEnvironments.length > 0 && !includesFolded(allow.genesysEnvironments, environmentName)) {
    refuse('Genesys Cloud environment', environmentName, 'genesysEnvironments', allow.genesysEnvironments);
  }
  const source = ctx.botSource;
  if (source.kind === 'kore-data-table' && allow.tables.length > 0 && !allow.tables.includes(source.datatable.name)) {
    refuse('Kore Data Table', source.datatable.name, 'tables', allow.tables);
  }
  if (source.kind === 'third-party' && allow.accountIds.length > 0 && !allow.accountIds.includes(source.accountId)) {
    refuse('Agent AI account', source.accountId, 'accountIds', allow.accountIds);
  }
}

/**
 * Refuses a bot record whose widget would load from a Kore host not pinned by settings `allow.koreHosts` (origins; an
 * empty list allows any): the widget receives the conversation, so the table alone must not choose where it goes.
 *
 * @throws {KaaError} `E_KORE_HOST_NOT_ALLOWED` naming the row's origin and the setting.
 * @example
 * ```ts
 * import { checkKoreHostAllowed } from '@kaa/core';
 *
 * checkKoreHostAllowed('https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html', { koreHosts: ['https://agentassist.kore.ai'] }); // ok
 * ```
 */
export function checkKoreHostAllowed(widgetUrl: string, allow: Pick<PageAllow, 'koreHosts'>): void {
  if (allow.koreHosts.length === 0) return;
  let origin: string;
  try {
    origin = new URL(widgetUrl).origin;
  } catch {
    origin = 'null';
  }
  if (allow.koreHosts.some((host) => sameOrigin(host, origin))) return;
  throw new KaaError(
    'E_KORE_HOST_NOT_ALLOWED',
    `The bot's AgentAssistWidgetURL loads from ${origin === 'null' ? 'an address that is not a web origin' : clip(origin)}, which setting allow.koreHosts does not list (${allow.koreHosts.map((h) => clip(h)).join(', ')}). The widget receives the conversation: fix the row's AgentAssistWidgetURL, or, if that Kore host is yours, add it to allow.koreHosts and deploy the page again (kaa page --dist).`,
    {
      details: {
        key: 'allow.koreHosts',
        origin: origin === 'null' ? null : clip(origin),
        allowed: [...allow.koreHosts],
      },
    },
  );
}

/**
 * Refuses a page that is not inside a frame (opened from a pasted link, not from the agent desktop), unless
 * `allow.unframed` is set or the Genesys environment is a loopback one (the sandbox).
 *
 * @throws {KaaError} `E_PAGE_UNFRAMED`.
 * @example
 * ```ts
 * import { checkFramed } from '@kaa/core';
 *
 * checkFramed({ framed: window.top !== window.self, loopback: false }, settings.allow);
 * ```
 */
export function checkFramed(page: { framed: boolean; loopback: boolean }, allow: Pick<PageAllow, 'unframed'>): void {
  if (page.framed || page.loopback || allow.unframed) return;
  throw new KaaError(
    'E_PAGE_UNFRAMED',
    'This page runs only inside the Genesys Cloud agent desktop (as the Interaction Widget of an interaction), not opened on its own in a browser tab: open the interaction in Genesys Cloud. For a test page outside the desktop, set allow.unframed to true in kaa.config.json and deploy the page again (kaa page --dist).',
    { details: { key: 'allow.unframed' } },
  );
}

function includesFolded(list: readonly string[], value: string): boolean {
  const v = value.toLowerCase();
  return list.some((item) => item.toLowerCase() === v);
}

function sameOrigin(allowed: string, origin: string): boolean {
  try {
    return new URL(allowed).origin === origin;
  } catch {
    return false;
  }
}

function clip(value: string): string {
  return value.length > 120 ? `${value.slice(0, 117)}…` : value;
}
