/**
 * The sandbox agent desktop: a plain HTML + JS page on its own origin (the `gcHostOrigin`) that lists the
 * sandbox's interactions and frames the Interaction Widget per interaction, as Genesys does.
 * @packageDocumentation
 */
export {
  startDesktop,
  DEFAULT_TRANSCRIPT_SCRIPT,
  DESKTOP_PC_ENVIRONMENT,
  DESKTOP_TARGET_ENV,
  widgetUrlTemplateSchema,
} from './desktop-server.js';
export type { Desktop, DesktopOptions } from './desktop-server.js';
export { substituteWidgetUrl, widgetUrlVars } from './widget-url.js';
export type { DesktopContext, WidgetUrlVars } from './widget-url.js';
export { defaultWidgetUrlTemplate, KAA_PAGE_BASE_PATH } from './default-template.js';
