/**
 * Interaction Widget URL templating as Genesys does it (docs/genesys-protocol.md#url-template-variables): `{{name}}` placeholders in the
 * integration's `url` are replaced by the interaction's values.
 *
 * Values are inserted as they are, not URL-encoded (inferred: Genesys' documented examples show raw
 * values such as `https://apps.mypurecloud.ie`). Placeholders the desktop does not know, such as
 * `{{gcInteractionId}}` whose semantics are undocumented (docs/assumptions.md#newer-interaction-template-variables), are left untouched.
 *
 * The desktop's browser script (`src/browser/desktop.ts`) bundles this module, so it imports nothing Node-only.
 */

/** The values a desktop substitutes, by placeholder name (`gc*` and the legacy `pc*` names). */
export type WidgetUrlVars = Record<string, string>;

/**
 * Replaces every known `{{name}}` in `template` with `vars[name]`.
 *
 * @example
 * ```ts
 * substituteWidgetUrl('https://kaa/?conversationid={{gcConversationId}}&lang={{gcLangTag}}', { gcConversationId: 'c1', gcLangTag: 'en-us' });
 * // → 'https://kaa/?conversationid=c1&lang=en-us'
 * ```
 */
export function substituteWidgetUrl(template: string, vars: WidgetUrlVars): string {
  return template.replace(/\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g, (whole: string, name: string) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole,
  );
}

/** What the desktop knows about one interaction and itself. */
export interface DesktopContext {
  conversationId: string;
  langTag: string;
  hostOrigin: string;
  targetEnv: string;
  usePopupAuth: boolean;
  /** `pcEnvironment`: the environment's domain (e.g. `mypurecloud.ie`). */
  environmentDomain: string;
}

/**
 * The placeholder values for one interaction: `gcConversationId`, `gcLangTag`, `gcHostOrigin`, `gcTargetEnv`,
 * `gcUsePopupAuth` and the legacy `pcConversationId`, `pcLangTag`, `pcEnvironment`, `pcUsePopupAuth`.
 *
 * @example
 * ```ts
 * widgetUrlVars({ conversationId: 'c1', langTag: 'en-us', hostOrigin: 'http://127.0.0.1:4103', targetEnv: 'sandbox', usePopupAuth: false, environmentDomain: '127.0.0.1' }).gcUsePopupAuth; // 'false'
 * ```
 */
export function widgetUrlVars(ctx: DesktopContext): WidgetUrlVars {
  return {
    gcConversationId: ctx.conversationId,
    gcLangTag: ctx.langTag,
    gcHostOrigin: ctx.hostOrigin,
    gcTargetEnv: ctx.targetEnv,
    gcUsePopupAuth: String(ctx.usePopupAuth),
    pcConversationId: ctx.conversationId,
    pcLangTag: ctx.langTag,
    pcEnvironment: ctx.environmentDomain,
    pcUsePopupAuth: String(ctx.usePopupAuth),
  };
}
