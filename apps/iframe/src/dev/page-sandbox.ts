/**
 * Node only (never imported by the page): the sandbox with the built page served on its own origin, its
 * settings (the sandbox as an extra Genesys environment; embedded in `index.html` and in `kaa.config.json`) and its
 * Content-Security-Policy, and the
 * desktop's Interaction Widget URL built with core's `buildWidgetAppUrl` (Kore Data Table mode).
 * Used by `pnpm demo` and the page's end-to-end tests.
 * @packageDocumentation
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { buildWidgetAppUrl, embedPageConfig, signPlatformJwt } from '@kaa/core';
import type { KaaSettingsInput } from '@kaa/core';
import { KORE_DATA_TABLE, OAUTH_CLIENTS, Q_DELIMITER, THIRD_PARTY, startSandbox } from '@kaa/sandbox';
import type { Sandbox, SandboxOptions } from '@kaa/sandbox';
import { buildPageCsp } from '../csp.js';

/** Options of {@link startPageSandbox}. */
export interface PageSandboxOptions {
  /** The built page (`vite build` output). `kaa.config.json` is (re)written into it. */
  pageDir: string;
  /** Fixed ports (the demo); default: free ports. */
  ports?: SandboxOptions['ports'];
  latencyMs?: number;
  /** Extra settings merged over the sandbox's. */
  settings?: KaaSettingsInput;
  /** Desktop options (poll interval, …). */
  desktop?: Exclude<SandboxOptions['desktop'], false>;
  /**
   * How the page gets its settings: `embedded` (default; the recommended production setup, `kaa page`) writes them
   * into `index.html` as well, so the page reads them without a request; `file` leaves only `kaa.config.json`.
   */
  configDelivery?: 'embedded' | 'file';
  /** `localhost`: the page on another site than the desktop (third-party rules apply). Default `127.0.0.1`. */
  pageHost?: '127.0.0.1' | 'localhost';
}

/** The running sandbox plus what the page needs. */
export interface PageSandbox {
  sandbox: Sandbox;
  /** `{page}/koreaiaa-genesys/` */
  pageUrl: string;
  /** The desktop URL to open. */
  desktopUrl: string;
  /** The Application URL (placeholders literal) the desktop frames. */
  widgetAppUrl: string;
  /** The x_metadata Data-app token (a secret: tests scan for it). */
  xMetadataToken: string;
  /** The Third-Party Configuration lookup's JWT, setting `thirdParty.http.token` (a secret: tests scan for it). */
  thirdPartyToken: string;
  /** The CSP header the page is served with. */
  csp: string;
  /** The settings written to `kaa.config.json`. */
  settings: KaaSettingsInput;
  /** Builds another Application URL for the same page (other bot source, flags). */
  appUrl(options?: Partial<Parameters<typeof buildWidgetAppUrl>[0]>): string;
  close(): Promise<void>;
}

/**
 * Starts the sandbox with the built page on its own origin and writes the page's `kaa.config.json`.
 *
 * @example
 * ```ts
 * const s = await startPageSandbox({ pageDir: 'apps/iframe/dist' });
 * console.log(s.desktopUrl);
 * await s.close();
 * ```
 */
export async function startPageSandbox(options: PageSandboxOptions): Promise<PageSandbox> {
  const pagePort = options.ports?.page ?? (await freePort());
  const pageOrigin = `http://${options.pageHost ?? '127.0.0.1'}:${pagePort}`;
  const pageUrl = `${pageOrigin}/koreaiaa-genesys/`;
  const xMetadataToken = await signPlatformJwt({ appId: KORE_DATA_TABLE.readApp.appId, clientSecret: KORE_DATA_TABLE.readApp.clientSecret, now: new Date(), ttlSeconds: 86_400, subject: 'kaa-demo-desktop' });
  // the sandbox's Third-Party lookup requires an app JWT of the account (settings thirdParty.http.token)
  const thirdPartyToken = await signPlatformJwt({ appId: THIRD_PARTY.readApp.appId, clientSecret: THIRD_PARTY.readApp.clientSecret, now: new Date(), ttlSeconds: 86_400, subject: 'kaa-demo-page' });
  const appUrl = (o: Partial<Parameters<typeof buildWidgetAppUrl>[0]> = {}) =>
    buildWidgetAppUrl({
      pageUrl,
      genesysClientId: OAUTH_CLIENTS.pkce.id,
      botSource: { kind: 'kore-data-table', datatable: { name: KORE_DATA_TABLE.name, token: xMetadataToken, qDelimiter: Q_DELIMITER } },
      includeTargetEnv: true,
      includeUsePopupAuth: true,
      ...o,
    });
  const widgetAppUrl = appUrl();
  let csp = "default-src 'none'";
  const sandbox = await startSandbox({
    ports: { ...options.ports, page: pagePort },
    page: { dir: options.pageDir, host: options.pageHost ?? '127.0.0.1', headers: () => ({ 'content-security-policy': csp, 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' }) },
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
    desktop: { ...options.desktop, widgetUrlTemplate: widgetAppUrl },
  });
  const kore = sandbox.origins.kore;
  csp = buildPageCsp({ genesys: [sandbox.environment], koreHosts: [kore], widgetOrigins: [kore], frameAncestors: [sandbox.origins.apps ?? sandbox.environment.appsOrigin], socketScheme: 'ws:' });
  const settings: KaaSettingsInput = {
    ...options.settings,
    genesys: { ...options.settings?.genesys, environments: [sandbox.environment] },
    kore: { ...options.settings?.kore, apiHost: kore },
    thirdParty: { source: 'http', http: { url: `${kore}/agentassist/api/v1/thirdparty/{accountId}/config`, token: thirdPartyToken }, ...options.settings?.thirdParty },
  };
  writeFileSync(join(options.pageDir, 'kaa.config.json'), `${JSON.stringify(settings, null, 2)}\n`);
  const indexFile = join(options.pageDir, 'index.html');
  const index = readFileSync(indexFile, 'utf8');
  if ((options.configDelivery ?? 'embedded') === 'embedded') writeFileSync(indexFile, embedPageConfig(index, settings));
  else if (index.includes('id="kaa-config"')) throw new Error(`${indexFile} already embeds settings; build the page again for configDelivery "file"`);
  return {
    sandbox,
    pageUrl,
    desktopUrl: sandbox.desktopUrl ?? '',
    widgetAppUrl,
    xMetadataToken,
    thirdPartyToken,
    csp,
    settings,
    appUrl,
    close: () => sandbox.close(),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
