/**
 * The stand-in Agent AI widget that the sandbox Kore platform serves at
 * `/koreagentassist-sdk-v3/UI/agentassist-iframe.html` (+ its script and stylesheet).
 * @packageDocumentation
 */
import { WIDGET_PATH } from '../kore/seed-rows.js';
import { WIDGET_CSP, WIDGET_SCRIPT_FILE, WIDGET_STYLE_FILE, widgetCss, widgetHtml } from './widget-page.js';

export { WIDGET_CSP, widgetHtml, widgetCss } from './widget-page.js';

/** One static asset: content type, body and extra headers. */
export interface StaticAsset {
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

const folder = WIDGET_PATH.slice(0, WIDGET_PATH.lastIndexOf('/') + 1);

/** Path of the widget script on the Kore origin. */
export const WIDGET_SCRIPT_PATH = `${folder}${WIDGET_SCRIPT_FILE}`;

/**
 * The widget's files by path on the Kore origin; `script` is the built stand-in widget (`browserScript('stand-in-widget')`).
 *
 * @example
 * ```ts
 * widgetAssets(await browserScript('stand-in-widget'))['/koreagentassist-sdk-v3/UI/agentassist-iframe.html']?.contentType; // 'text/html; charset=utf-8'
 * ```
 */
export function widgetAssets(script: string): Readonly<Record<string, StaticAsset>> {
  return {
    [WIDGET_PATH]: {
      contentType: 'text/html; charset=utf-8',
      body: widgetHtml(),
      headers: { 'content-security-policy': WIDGET_CSP },
    },
    [WIDGET_SCRIPT_PATH]: { contentType: 'text/javascript; charset=utf-8', body: script },
    [`${folder}${WIDGET_STYLE_FILE}`]: { contentType: 'text/css; charset=utf-8', body: widgetCss() },
  };
}
