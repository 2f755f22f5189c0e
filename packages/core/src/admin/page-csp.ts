import type { EnvironmentRecord } from '../context/environments.js';

/**
 * The origins a deployment of the page talks to.
 *
 * @example
 * ```ts
 * const origins: PageCspOrigins = { genesys: [environment], koreHosts: ['https://platform.kore.ai'], widgetOrigins: ['https://agentassist.kore.ai'] };
 * ```
 */
export interface PageCspOrigins {
  /** Genesys hosts: `https://api.{domain}`, `https://login.{domain}` and `wss://streaming.{domain}` per environment. */
  genesys: readonly { apiBase: string; loginBase: string; streamingHost: string; appsOrigin: string }[];
  /** Kore API host(s): Data Tables, hooks, Control Transcription, Third-Party lookup (`kore.apiHost`). */
  koreHosts: readonly string[];
  /** Origin(s) of `AgentAssistWidgetURL`: the widget iframe (`frame-src`). */
  widgetOrigins: readonly string[];
  /** Who may frame the page: the Genesys desktop origins (`frame-ancestors`). Default: every `appsOrigin` of `genesys`. */
  frameAncestors?: readonly string[];
  /** Scheme of the notification sockets. Default `wss:`; the sandbox uses `ws:`. */
  socketScheme?: 'wss:' | 'ws:';
  /** Other script origins: the Agent AI Web SDK's host (`kore.webSdk.scriptUrl`), if any (`script-src`). */
  scriptOrigins?: readonly string[];
}

/**
 * The page's Content-Security-Policy (a header value), the one rule behind the build's `csp.txt`, `kaa page --csp`
 * (the admin's own hosts) and the sandbox's page server. Strict: scripts and styles from the page's own origin
 * only (no inline script or style), no plugins, no base or form targets; `connect-src` lists the Genesys
 * api/login/streaming hosts and the Kore host, `frame-src` the widget origin(s), `frame-ancestors` the Genesys
 * desktop. `frame-ancestors` works only as an HTTP header, so serve this as `Content-Security-Policy`.
 *
 * @example
 * ```ts
 * buildPageCsp({ genesys: [resolveEnvironment({ hostOrigin: 'https://apps.mypurecloud.ie' })],
 *   koreHosts: ['https://platform.kore.ai'], widgetOrigins: ['https://platform.kore.ai'] });
 * // "default-src 'none'; script-src 'self'; style-src 'self'; … frame-src https://platform.kore.ai; frame-ancestors https://apps.mypurecloud.ie"
 * ```
 */
export function buildPageCsp(origins: PageCspOrigins): string {
  const scheme = origins.socketScheme ?? 'wss:';
  const uniq = (list: readonly string[]) => [...new Set(list)].join(' ');
  const connect = uniq([
    "'self'",
    ...origins.genesys.flatMap((e) => [e.apiBase, e.loginBase, `${scheme}//${e.streamingHost}`]),
    ...origins.koreHosts,
  ]);
  const ancestors = uniq([...(origins.frameAncestors ?? origins.genesys.map((e) => e.appsOrigin))]);
  return [
    "default-src 'none'",
    `script-src ${uniq(["'self'", ...(origins.scriptOrigins ?? [])])}`,
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${connect}`,
    `frame-src ${uniq(origins.widgetOrigins)}`,
    `frame-ancestors ${ancestors}`,
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * The production CSP emitted by the build (`dist/csp.txt`): every enabled Genesys Cloud region of
 * `environments` (core's `ENVIRONMENTS`), and Kore's public hosts. Admins narrow it to their own region and Agent AI host (README).
 * `KAA_CSP_KORE_HOSTS` / `KAA_CSP_WIDGET_ORIGINS` (comma lists) replace the Kore defaults at build time.
 *
 * @example
 * ```ts
 * defaultProductionCsp(ENVIRONMENTS, { koreHosts: ['https://platform.kore.ai'], widgetOrigins: ['https://platform.kore.ai'] });
 * ```
 */
export function defaultProductionCsp(
  environments: readonly EnvironmentRecord[],
  kore: { koreHosts?: readonly string[]; widgetOrigins?: readonly string[] } = {},
): string {
  const koreDefaults = ['https://platform.kore.ai', 'https://bots.kore.ai', 'https://agentassist.kore.ai'];
  return buildPageCsp({
    genesys: environments.filter((e) => e.enabled),
    koreHosts: kore.koreHosts ?? koreDefaults,
    widgetOrigins: kore.widgetOrigins ?? koreDefaults,
  });
}

/**
 * The HTTP headers to serve with every file of the page: its Content-Security-Policy (from {@link buildPageCsp}),
 * no referrer (the page's URL holds the x_metadata token), no MIME sniffing.
 *
 * @example
 * ```ts
 * pageSecurityHeaders(csp)['Content-Security-Policy'] === csp; // true
 * ```
 */
export function pageSecurityHeaders(csp: string): Readonly<Record<string, string>> {
  return { 'Content-Security-Policy': csp, 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff' };
}

/**
 * The `_headers` file (Netlify / Cloudflare Pages format) that applies {@link pageSecurityHeaders} to every path.
 *
 * @example
 * ```ts
 * pageHeadersFile("default-src 'none'"); // "/*\n  Content-Security-Policy: default-src 'none'\n  Referrer-Policy: no-referrer\n  …"
 * ```
 */
export function pageHeadersFile(csp: string): string {
  return `/*\n${Object.entries(pageSecurityHeaders(csp))
    .map(([k, v]) => `  ${k}: ${v}`)
    .join('\n')}\n`;
}
