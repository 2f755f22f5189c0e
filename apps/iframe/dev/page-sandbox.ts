/**
 * Node only (never imported by the page): the sandbox with the built page served on its own origin, its
 * settings (the sandbox as an extra Genesys environment; embedded in `index.html` and in `kaa.config.json`) and its
 * Content-Security-Policy, and the
 * desktop's Interaction Widget URL built with core's `buildWidgetAppUrl` (Kore Data Table mode).
 * The settings go into a temporary copy of the build (the sandbox's `copyBuiltPage`), and the copy is served: the
 * build itself (`apps/iframe/dist` for the demo) is never modified, so a `dist` deployed later carries no sandbox
 * settings.
 * Used by `pnpm demo` and the page's end-to-end tests.
 * @packageDocumentation
 */
import { createServer } from 'node:net';
import { buildWidgetAppUrl, signPlatformJwt } from '@kaa/core';
import type { KaaSettingsInput } from '@kaa/core';
import {
  copyBuiltPage,
  KORE_DATA_TABLE,
  OAUTH_CLIENTS,
  Q_DELIMITER,
  sandboxPageSettings,
  startSandbox,
} from '@kaa/sandbox';
import type { Sandbox, SandboxOptions } from '@kaa/sandbox';
import { buildPageCsp } from '../src/csp.js';

/** Options of {@link startPageSandbox}. */
export interface PageSandboxOptions {
  /** The built page (`vite build` output). Never modified: a temporary copy with the settings is served. */
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
  /** More origins the page may call (CSP `connect-src`), e.g. a token broker's. */
  connectOrigins?: readonly string[];
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
  /** The temporary copy of `pageDir` that is served, with the settings; `close()` removes it. */
  servedDir: string;
  /** Builds another Application URL for the same page (other bot source, flags). */
  appUrl(options?: Partial<Parameters<typeof buildWidgetAppUrl>[0]>): string;
  close(): Promise<void>;
}

/**
 * Starts the sandbox with a copy of the built page on its own origin, the page's settings written into the copy.
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
  const xMetadataToken = await signPlatformJwt({
    appId: KORE_DATA_TABLE.readApp.appId,
    clientSecret: KORE_DATA_TABLE.readApp.clientSecret,
    now: new Date(),
    ttlSeconds: 86_400,
    subject: 'kaa-demo-desktop',
  });
  const appUrl = (o: Partial<Parameters<typeof buildWidgetAppUrl>[0]> = {}) =>
    buildWidgetAppUrl({
      pageUrl,
      genesysClientId: OAUTH_CLIENTS.pkce.id,
      botSource: {
        kind: 'kore-data-table',
        datatable: { name: KORE_DATA_TABLE.name, token: xMetadataToken, qDelimiter: Q_DELIMITER },
      },
      includeTargetEnv: true,
      includeUsePopupAuth: true,
      ...o,
    });
  const widgetAppUrl = appUrl();
  let csp = "default-src 'none'";
  const copy = copyBuiltPage(options.pageDir);
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox({
      ports: { ...options.ports, page: pagePort },
      page: {
        dir: copy.dir,
        host: options.pageHost ?? '127.0.0.1',
        headers: () => ({
          'content-security-policy': csp,
          'referrer-policy': 'no-referrer',
          'x-content-type-options': 'nosniff',
        }),
      },
      ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
      desktop: { ...options.desktop, widgetUrlTemplate: widgetAppUrl },
    });
  } catch (e) {
    copy.remove();
    throw e;
  }
  const close = async (): Promise<void> => {
    await sandbox.close();
    copy.remove();
  };
  const kore = sandbox.origins.kore;
  csp = buildPageCsp({
    genesys: [sandbox.environment],
    koreHosts: [kore, ...(options.connectOrigins ?? [])],
    widgetOrigins: [kore],
    frameAncestors: [sandbox.origins.apps ?? sandbox.environment.appsOrigin],
    socketScheme: 'ws:',
  });
  const forSandbox = sandboxPageSettings(sandbox);
  const settings: KaaSettingsInput = {
    ...options.settings,
    genesys: { ...options.settings?.genesys, ...forSandbox.genesys },
    kore: { ...options.settings?.kore, ...forSandbox.kore },
    thirdParty: { ...forSandbox.thirdParty, ...options.settings?.thirdParty },
  };
  try {
    copy.configure(settings, options.configDelivery ?? 'embedded');
  } catch (e) {
    await close();
    throw e;
  }
  return {
    sandbox,
    pageUrl,
    desktopUrl: sandbox.desktopUrl ?? '',
    widgetAppUrl,
    xMetadataToken,
    thirdPartyToken: sandbox.kore.thirdPartyToken,
    csp,
    settings,
    servedDir: copy.dir,
    appUrl,
    close,
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
