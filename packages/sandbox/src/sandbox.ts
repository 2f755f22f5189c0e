import { KaaError } from '@kaa/core';
import { type GenesysDriver, type GenesysOptions, type GenesysServers, startGenesys } from './genesys/index.js';
import type { CorsOrigins } from './http/cors.js';
import { listen, type Listener } from './http/listen.js';
import type { ResponseHeaders } from './http/send.js';
import { serveStatic } from './http/static.js';
import { type Desktop, type DesktopOptions, DESKTOP_TARGET_ENV, startDesktop } from './desktop/index.js';
import { type KorePlatform, type KorePlatformOptions, startKorePlatform } from './kore/index.js';
import * as seed from './seed.js';
import type { SandboxSecret } from './secret-log.js';

/** The extra-environment record for core's `resolveEnvironment(…, extra)`: the sandbox as a Genesys region. */
export interface SandboxEnvironment {
  name: 'sandbox';
  region: 'local';
  domain?: string;
  /** `http://127.0.0.1:<apiPort>` */
  apiBase: string;
  /** `http://127.0.0.1:<loginPort>` */
  loginBase: string;
  /** `127.0.0.1:<apiPort>`: the notification sockets' host (clients use the channel's `connectUri`). */
  streamingHost: string;
  /** The desktop origin (`gcHostOrigin`). */
  appsOrigin: string;
  /**
   * `['prod']`: the desktop's `gcTargetEnv` (see the desktop's `targetEnv`). Genesys's Client App SDK accepts only
   * environment names it knows, and with a loopback `gcHostOrigin` it talks to that origin; kaa reads the name as
   * this environment's alias.
   */
  aliases: string[];
}

/** Options of the agent desktop, passed through to `startDesktop` (the origins are supplied by {@link startSandbox}). */
export type DesktopPassThrough = Omit<
  DesktopOptions,
  'port' | 'apiOrigin' | 'loginOrigin' | 'koreOrigin' | 'pageOrigin'
>;

/** Options of {@link startSandbox}. Ports default to 0 (ephemeral); the demo passes fixed ones. */
export interface SandboxOptions {
  ports?: { login?: number; api?: number; apps?: number; kore?: number; page?: number };
  /** Serve a built kaa page on its own origin under `/koreaiaa-genesys/` with the given headers (its CSP). */
  page?: {
    dir: string;
    headers?: ResponseHeaders | ((path: string) => ResponseHeaders);
    /**
     * Host name in the page's origin. Default `127.0.0.1`, the desktop's site. `localhost` (still served on
     * 127.0.0.1) puts the page on another site than the desktop, as in production (`apps.mypurecloud.*` framing your
     * host): the browser isolates it and applies its third-party storage rules to it.
     */
    host?: '127.0.0.1' | 'localhost';
  };
  /** Origin of a kaa page served elsewhere (e.g. a dev server); used when `page` is not given. */
  pageOrigin?: string;
  /** Extra registered OAuth redirect URIs (exact match) for both browser clients. */
  redirectUris?: readonly string[];
  /**
   * More browser origins allowed by CORS on the Genesys login and API origins and the Kore routes, for a deployment
   * whose page calls from elsewhere. The page origin (`page` or `pageOrigin`), the origin of the desktop's
   * `widgetUrlTemplate` and the desktop origin are always allowed; nothing else is, as in an org configured for its
   * page host (docs/assumptions.md#cors-of-the-kore-apis).
   */
  corsOrigins?: readonly string[];
  /** Latency on every Genesys and Kore route (the benchmark uses 100). Default 0. */
  latencyMs?: number;
  /** Genesys-side knobs: token TTL, rate budget, heartbeat, channel TTL, … */
  genesys?: Omit<GenesysOptions, 'loginPort' | 'apiPort' | 'pageOrigin' | 'appsOrigin' | 'koreOrigin'>;
  /** Kore-side knobs (S2): table rate budget, jwtgrant TTL, hooks path/header, … */
  kore?: Omit<KorePlatformOptions, 'port'>;
  /** Agent-desktop options (S2), or `false` to start no desktop. */
  desktop?: DesktopPassThrough | false;
}

/** The running sandbox. */
export interface Sandbox {
  origins: { login: string; api: string; apps?: string; kore: string; page?: string };
  environment: SandboxEnvironment;
  /** The fixed identities of seed.ts. */
  world: typeof seed;
  /** Drive Genesys: conversations, transcripts, messages, faults, reset. */
  genesys: GenesysDriver;
  /** The Kore platform (S2): `recorded`, `bots`, `tableRows()`, `setRows()`, … */
  kore: KorePlatform;
  /** The desktop page URL to open, when the desktop runs. */
  desktopUrl?: string;
  /**
   * Every credential that exists at runtime, Genesys side then Kore side, each with its kind: access tokens,
   * authorization codes and PKCE verifiers the login origin issued or saw, OAuth client secrets, the bots'
   * ClientSecrets and private keys, Data-app secrets, table tokens and bot-app JWTs Kore received, widget JWTs
   * jwtgrant received and the access tokens it issued. Kept across resets. Secret scans check that none of them
   * appears where it must not.
   *
   * @example
   * ```ts
   * const leaked = sandbox.issuedSecrets().filter((s) => consoleText.includes(s.value));
   * ```
   */
  issuedSecrets(): SandboxSecret[];
  /** Closes every server, socket and timer; afterwards every port refuses connections. */
  close(): Promise<void>;
}

/**
 * Starts the whole sandbox on 127.0.0.1: the page origin (optional), the Kore platform, Genesys login and API
 * origins, and the agent desktop — each on its own port, as in production. `sandbox.environment` is the
 * extra-environment record for core's `resolveEnvironment`.
 *
 * @example
 * ```ts
 * import { startSandbox, CONVERSATIONS } from '@kaa/sandbox';
 *
 * const sandbox = await startSandbox({ redirectUris: ['http://127.0.0.1:5173/koreaiaa-genesys/'] });
 * sandbox.genesys.hold(CONVERSATIONS.voiceAlpha);
 * console.log(sandbox.kore.recorded.hooks);
 * await sandbox.close();
 * ```
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const ports = options.ports ?? {};
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async (): Promise<void> => {
    for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
  };
  try {
    let pageOrigin = options.pageOrigin;
    let page: Listener | undefined;
    if (options.page) {
      const handler = serveStatic({
        dir: options.page.dir,
        basePath: '/koreaiaa-genesys/',
        ...(options.page.headers ? { headers: options.page.headers } : {}),
      });
      page = await listen(async (req, res) => {
        if (!(await handler(req, res))) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      }, ports.page ?? 0);
      closers.push(() => page!.close());
      pageOrigin =
        options.page.host === 'localhost' ? page.origin.replace('//127.0.0.1:', '//localhost:') : page.origin;
    }
    // The desktop origin is known only after the desktop starts (it needs the Genesys and Kore origins first): CORS
    // lists are read on every request, so it joins them then. The page the desktop frames (its Interaction Widget
    // URL) is the deployment's page too.
    const lateOrigins: string[] = [
      ...originOfTemplate(options.desktop ? options.desktop.widgetUrlTemplate : undefined),
    ];
    const allowed = (extra: CorsOrigins | (() => CorsOrigins) | undefined): CorsOrigins => {
      const more = typeof extra === 'function' ? extra() : (extra ?? []);
      if (more === '*') return '*';
      return [
        ...new Set([...(pageOrigin ? [pageOrigin] : []), ...lateOrigins, ...(options.corsOrigins ?? []), ...more]),
      ];
    };
    const koreCors = options.kore?.corsOrigins;
    const kore = await startKorePlatform({
      ...options.kore,
      port: ports.kore ?? 0,
      corsOrigins: () => allowed(koreCors),
      ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
    });
    closers.push(() => kore.close());

    const genesysOptions: GenesysOptions = {
      ...options.genesys,
      loginPort: ports.login ?? 0,
      apiPort: ports.api ?? 0,
      koreOrigin: kore.origin,
      ...(pageOrigin ? { pageOrigin } : {}),
      redirectUris: [...(options.genesys?.redirectUris ?? []), ...(options.redirectUris ?? [])],
      corsOrigins: () => {
        const extra = options.genesys?.corsOrigins;
        return [
          ...(typeof extra === 'function' ? extra() : (extra ?? [])),
          ...lateOrigins,
          ...(options.corsOrigins ?? []),
        ];
      },
      ...(options.latencyMs !== undefined ? { latency: options.latencyMs } : {}),
      extraState: () => ({ ...(options.genesys?.extraState?.() ?? {}), recorded: kore.recorded }),
      onFaults: (f) => {
        const ms = typeof f.latencyMs === 'number' ? f.latencyMs : f.latencyMs?.['*'];
        if (ms !== undefined) kore.setLatency(ms);
        options.genesys?.onFaults?.(f);
      },
      onReset: async () => {
        kore.reset();
        await options.genesys?.onReset?.();
      },
    };
    const genesys: GenesysServers = await startGenesys(genesysOptions);
    closers.push(() => genesys.close());

    let desktop: Desktop | undefined;
    if (options.desktop !== false) {
      desktop = await startDesktop({
        ...(options.desktop ?? {}),
        port: ports.apps ?? 0,
        apiOrigin: genesys.apiOrigin,
        loginOrigin: genesys.loginOrigin,
        koreOrigin: kore.origin,
        ...(pageOrigin ? { pageOrigin } : {}),
      });
      const d = desktop;
      closers.push(() => d.close());
      lateOrigins.push(desktop.origin);
    }
    const appsOrigin = desktop?.origin ?? genesys.apiOrigin;
    return {
      origins: {
        login: genesys.loginOrigin,
        api: genesys.apiOrigin,
        ...(desktop ? { apps: desktop.origin } : {}),
        kore: kore.origin,
        ...(pageOrigin ? { page: pageOrigin } : {}),
      },
      environment: {
        name: 'sandbox',
        region: 'local',
        apiBase: genesys.apiOrigin,
        loginBase: genesys.loginOrigin,
        streamingHost: genesys.streamingHost,
        appsOrigin,
        aliases: [(options.desktop ? options.desktop.targetEnv : undefined) ?? DESKTOP_TARGET_ENV],
      },
      world: seed,
      genesys: genesys.driver,
      kore,
      ...(desktop ? { desktopUrl: desktop.url } : {}),
      issuedSecrets: () => [...genesys.driver.issuedSecrets(), ...kore.issuedSecrets()],
      close: closeAll,
    };
  } catch (e) {
    await closeAll();
    if (e instanceof KaaError) throw e;
    throw new KaaError(
      'E_CONFIG_INVALID',
      'The sandbox could not start. Check that the chosen ports are free (KAA_SANDBOX_PORT_BASE) and the page directory exists.',
      { cause: e },
    );
  }
}

/** The origin of an Interaction Widget URL template (its `{{placeholders}}` filled with a dummy), if it is absolute. */
function originOfTemplate(template: string | undefined): string[] {
  if (!template) return [];
  try {
    const origin = new URL(template.replace(/\{\{[^}]*\}\}/g, 'x')).origin;
    return origin === 'null' ? [] : [origin];
  } catch {
    return [];
  }
}
