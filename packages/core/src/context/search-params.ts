import type { WidgetContext } from './widget-context.js';

/**
 * The query that {@link parseWidgetContext} reads back into the same context: use it to restore the page's
 * query after an OAuth redirect, or to forward the context to another page. Canonical parameter names,
 * the Kore guide's order, unknown parameters last. **Holds `x_metadata` and `x_passthru_metadata`**: keep it
 * in `sessionStorage` only, never in `state`, a log or a printed URL.
 *
 * @example
 * ```ts
 * import { parseWidgetContext, widgetContextToSearchParams } from '@kaa/core';
 *
 * const ctx = parseWidgetContext(location.search);
 * sessionStorage.setItem(`kaa.oauth.${nonce}`, widgetContextToSearchParams(ctx).toString());
 * // after the redirect:
 * const restored = parseWidgetContext(sessionStorage.getItem(`kaa.oauth.${nonce}`) ?? '');
 * ```
 */
export function widgetContextToSearchParams(ctx: WidgetContext): URLSearchParams {
  const p = new URLSearchParams();
  p.set('conversationid', ctx.conversationId);
  if (ctx.lang !== undefined) p.set('lang', ctx.lang);
  p.set('environment', ctx.hostOrigin);
  p.set('genesysid', ctx.genesysClientId);
  if (ctx.passthruMetadata !== undefined) p.set('x_passthru_metadata', ctx.passthruMetadata);
  if (ctx.showWidget !== undefined) p.set('showWidget', String(ctx.showWidget));
  if (ctx.sendEventsToVG !== undefined) p.set('sendEventsToVG', String(ctx.sendEventsToVG));
  const source = ctx.botSource;
  if (source.kind === 'kore-data-table') {
    p.set('multibot', 'true');
    p.set(
      'x_metadata',
      JSON.stringify({
        datatable: {
          name: source.datatable.name,
          token: source.datatable.token,
          qDelimiter: source.datatable.qDelimiter,
        },
      }),
    );
  } else if (source.kind === 'third-party') p.set('accountId', source.accountId);
  if (ctx.targetEnv !== undefined) p.set('gcTargetEnv', ctx.targetEnv);
  if (ctx.usePopupAuth !== undefined) p.set('usePopupAuth', String(ctx.usePopupAuth));
  if (ctx.grant !== undefined) p.set('grant', ctx.grant);
  if (ctx.debug) p.set('debug', '1');
  for (const [name, value] of Object.entries(ctx.otherParams)) p.append(name, value);
  return p;
}
