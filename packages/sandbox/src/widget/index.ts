/**
 * The stand-in Agent AI widget that the sandbox Kore platform serves at
 * `/koreagentassist-sdk-v3/UI/agentassist-iframe.html` (+ its script and stylesheet).
 * @packageDocumentation
 */
import { WIDGET_PATH } from '../kore/seed-rows.js';
import { WIDGET_CSP, WIDGET_SCRIPT_FILE, WIDGET_STYLE_FILE, widgetCss, widgetHtml } from './widget-page.js';
import { standInWidget } from './widget-script.js';

export { standInWidget } from './widget-script.js';
export { WIDGET_CSP, widgetHtml, widgetCss } from './widget-page.js';

/** One static asset: content type, body and extra headers. */
export interface StaticAsset {
  contentType: string;
  body: () => string;
  headers?: Record<string, string>;
}

const folder = WIDGET_PATH.slice(0, WIDGET_PATH.lastIndexOf('/') + 1);

/** Path of the widget script on the Kore origin. */
export const WIDGET_SCRIPT_PATH = `${folder}${WIDGET_SCRIPT_FILE}`;

/**
 * The widget's files by path on the Kore origin.
 *
 * @example
 * ```ts
 * WIDGET_ASSETS['/koreagentassist-sdk-v3/UI/agentassist-iframe.html']?.contentType; // 'text/html; charset=utf-8'
 * ```
 */
export const WIDGET_ASSETS: Readonly<Record<string, StaticAsset>> = {
  [WIDGET_PATH]: { contentType: 'text/html; charset=utf-8', body: widgetHtml, headers: { 'content-security-policy': WIDGET_CSP } },
  [WIDGET_SCRIPT_PATH]: { contentType: 'text/javascript; charset=utf-8', body: () => `(${standInWidget.toString()})();\n` },
  [`${folder}${WIDGET_STYLE_FILE}`]: { contentType: 'text/css; charset=utf-8', body: widgetCss },
};
