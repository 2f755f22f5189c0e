import { checkKoreHostAllowed, isGenesysDesktopOrigin, toKaaError } from '@kaa/core';
import type { KaaError, WidgetLaunch } from '@kaa/core';
import { createClientAppLifecycle, holdsLoginAnswer } from '@kaa/genesys-adapter';
import type { ClientAppLifecycle } from '@kaa/genesys-adapter';
import { sweepKoreStorage } from '@kaa/kore-client';
import type { AgentAssistView } from '@kaa/kore-client';
import { createConsoleLogger } from './console-logger.js';
import type { LiveFeed } from './live-feed.js';
import { PAGE_CONFIG_FILE, readPageConfig } from './page-config.js';
import type { PageEnv } from './page-env.js';
import {
  brokerRelaunch,
  browserRelaunch,
  connectApi,
  connectBroker,
  findEnvironment,
  keepSecureDataFresh,
  logIn,
  mintLaunch,
  mountWidget,
  readContext,
  readInParallel,
  resolveBot,
  resolveFromBroker,
  startFeed,
  wireWidget,
} from './page-steps.js';
import type { MountedView, PageRun, ResolvedBot } from './page-steps.js';
import { createScreen } from './screen.js';
import { createPageSecrets } from './secrets.js';
import { createTimeline } from './timeline.js';

/** How a page run ended up. */
export type PageOutcome =
  | { kind: 'widget'; view: AgentAssistView; feed: LiveFeed }
  | { kind: 'redirecting' }
  | { kind: 'stopped' }
  | { kind: 'failed'; error: KaaError };

/**
 * The `/koreaiaa-genesys/` page, top to bottom as in docs/architecture.md#one-interaction-top-to-bottom: context → environment → login →
 * (users/me ∥ conversation ∥ bot source) → agent, queue, bot record → token, custom data, secure custom data →
 * widget → live feed → end. Any failure lands in the error panel (step + what to change); `?debug=1` shows the
 * redacted timeline. Nothing here holds a rule of its own: every decision is a call into core or an adapter, and
 * each step is one named function of `page-steps.ts`.
 *
 * @example
 * ```ts
 * // main.ts
 * void runPage({ window, document, location, fetch: (u, i) => fetch(u, i), sessionStorage, localStorage,
 *   now: () => Date.now(), clock: () => performance.now(), WebSocket: (u) => new WebSocket(u), console });
 * ```
 */
export async function runPage(pageEnv: PageEnv): Promise<PageOutcome> {
  // A login answer (`?code=&state=`, `#access_token=`) leaves the address bar first, before anything can fail: the
  // page works on this snapshot of the address from here on.
  const location = {
    href: pageEnv.location.href,
    origin: pageEnv.location.origin,
    pathname: pageEnv.location.pathname,
    search: pageEnv.location.search,
    hash: pageEnv.location.hash,
  };
  if (holdsLoginAnswer(location)) stripAddress(pageEnv.window, location.pathname);
  const env: PageEnv = { ...pageEnv, location };
  const landing = new URLSearchParams(location.search.replace(/^\?/, '') + '&' + location.hash.replace(/^#/, ''));
  const secrets = createPageSecrets(landing.get('state'), landing.get('code'), landing.get('access_token'));
  const screen = createScreen(env.document, secrets);
  const timeline = createTimeline(env.clock, secrets);
  let debug = false;
  const showDebug = () => {
    if (debug) return;
    debug = true;
    screen.showTimeline(timeline);
  };
  if (/^(1|true)$/i.test(landing.get('debug') ?? '')) showDebug();
  const logger = createConsoleLogger(env.console, secrets, () => debug);
  // what earlier interactions left in the shared store: old hooks state and END claims, bot rows of earlier versions
  sweepKoreStorage(env.localStorage, { now: env.now, logger });
  const pageUrl = `${location.origin}${location.pathname}`;
  const phase = Object.assign(
    (name: string) => {
      if (phase.current === 'stopped') return; // nothing moves after the lifecycle stop hook
      phase.current = name;
      env.document.body.dataset['kaaPhase'] = name;
      env.mark?.(`kaa:${name}`);
    },
    { current: '' },
  );

  // Genesys client-app lifecycle (advanced.lifecycle hooks): listening from the first task, so no hook is missed
  const lifecycle = startLifecycle(env, logger, timeline);
  let feedForStop: LiveFeed | undefined;
  lifecycle.on('stop', () => {
    phase('stopped');
    screen.status('Closed by Genesys Cloud.');
    // the desktop hears "stopped" even when closing the feed fails; the failure is logged, not left unhandled
    void (feedForStop?.close('lifecycle stop') ?? Promise.resolve())
      .catch((e: unknown) => {
        const error = toKaaError(e, 'E_INTERNAL', 'The live feed did not close cleanly on the lifecycle stop hook.');
        logger.warn('live feed close failed', { code: error.code, message: error.message });
      })
      .finally(() => {
        lifecycle.stopped();
        lifecycle.close();
      });
  });
  const run: PageRun = { env, pageUrl, landing, secrets, screen, timeline, logger, lifecycle, phase, showDebug };

  // the page configuration (embedded in index.html, else kaa.config.json, fetched while the context is parsed)
  const configPromise = readPageConfig(env.document, new URL(PAGE_CONFIG_FILE, pageUrl).href, env.fetch);
  configPromise.catch(() => undefined);
  // the parent, when it is a Genesys desktop origin, is trusted as soon as the settings name the environments: even a
  // link that fails to parse answers the desktop's bootstrap hook with its error panel
  const parentOrigin = env.ancestorOrigins?.[0];
  if (parentOrigin !== undefined) {
    void configPromise.then(
      (s) => isGenesysDesktopOrigin(parentOrigin, s.genesys.environments) && lifecycle.trust(parentOrigin),
      () => isGenesysDesktopOrigin(parentOrigin) && lifecycle.trust(parentOrigin),
    );
  }

  try {
    screen.status('Starting the Agent AI assistant…');
    const { ctx, query } = await readContext(run);
    const settings = await timeline.run(
      'config',
      () => configPromise,
      (s) =>
        `${s.genesys.environments.length} extra environment(s); Kore API host ${s.kore.apiHost ?? '(none: run kaa page --dist)'}`,
    );
    secrets.add(settings.thirdParty.http.token);
    const environment = await findEnvironment(run, ctx, settings);
    const login = await logIn(run, ctx, settings, environment, query);
    if (login === 'redirecting') return { kind: 'redirecting' };
    const api = connectApi(run, ctx, settings, environment, login);
    const broker = connectBroker(run, settings, environment, login);
    const reads = await readInParallel(run, ctx, settings, api, environment, broker);
    const { steps } = reads;
    let resolved: ResolvedBot;
    let launch: WidgetLaunch;
    // a fresh JWE before the current one expires: minted again in the browser, or asked of the broker again (docs/assumptions.md#secure-custom-data-lifetime-and-refresh)
    let keepFresh: ((view: MountedView, feed: LiveFeed) => void) | undefined;
    if (reads.brokerLaunch && broker) {
      ({ resolved, launch } = resolveFromBroker(run, steps, {
        conversation: reads.conversation,
        userId: reads.me.id,
        launch: reads.brokerLaunch,
        allow: settings.allow,
      }));
      const mint = brokerRelaunch(run, broker, { ctx, allow: settings.allow });
      const first = launch;
      const botId = resolved.record.botId;
      keepFresh = (view, feed) => keepSecureDataFresh(run, steps, { botId, mint, launch: first, view, feed });
    } else {
      const found = await resolveBot(run, steps, {
        conversation: reads.conversation,
        userId: reads.me.id,
        lookup: (reads.botSource as NonNullable<typeof reads.botSource>).lookup,
      });
      resolved = found;
      // the table chose the bot, and so where the widget loads: only from a pinned Kore host (docs/deploy.md#pinning-what-a-link-may-choose)
      checkKoreHostAllowed(found.record.agentAssistWidgetUrl, settings.allow);
      const mintInput = {
        resolved: found,
        ctx,
        settings,
        userId: reads.me.id,
        conversation: reads.conversation,
        now: env.now,
        secureModule: reads.secureModule,
      };
      const minted = await mintLaunch(run, steps, mintInput);
      launch = minted;
      const mint = browserRelaunch(run, steps, mintInput);
      keepFresh = (view, feed) =>
        keepSecureDataFresh(run, steps, { botId: found.record.botId, mint, launch: minted, view, feed });
    }

    if (phase.current === 'stopped') return { kind: 'stopped' };
    const view = await mountWidget(run, steps, { ctx, settings, environment, resolved, launch });
    // a stop hook during the mount: the widget goes again, nothing is fed to it
    const stoppedAfterMount = (): boolean => {
      if (phase.current !== 'stopped') return false;
      view.destroy();
      return true;
    };
    if (stoppedAfterMount()) return { kind: 'stopped' };
    phase('widget');
    lifecycle.ready();
    wireWidget(run, view, { ctx, api, me: reads.me, resolved });

    const live = await reads.liveModule;
    if (stoppedAfterMount()) return { kind: 'stopped' };
    const feed = await startFeed(run, live, {
      ctx,
      settings,
      api,
      reads,
      resolved,
      launch,
      view,
      login,
      broker,
      onFeed: (f) => (feedForStop = f),
    });
    keepFresh?.(view, feed);
    if (phase.current === 'stopped') return { kind: 'stopped' };
    phase('live');
    env.window.addEventListener('pagehide', () => void feed.close('pagehide'), { once: true });
    void feed.finished.then(() => phase('ended'));
    return { kind: 'widget', view, feed };
  } catch (e) {
    if (phase.current === 'stopped') return { kind: 'stopped' };
    const error = screen.fail(e);
    phase('failed');
    lifecycle.ready(); // the error panel is on screen
    logger.error(`${error.step} failed`, { code: error.code, message: error.message });
    return { kind: 'failed', error };
  }
}

/** Replaces the address with `pathname` alone (no query, no fragment); a refusal only leaves the address as it was. */
function stripAddress(window: Window, pathname: string): void {
  try {
    window.history.replaceState(window.history.state, '', pathname);
  } catch {
    // the answer is still read from the snapshot; the login flow tries to clean the address again
  }
}

/**
 * The Genesys client-app lifecycle for this page (`advanced.lifecycle` hooks, docs/genesys-protocol.md#integration-configuration). Hooks are taken from
 * the parent window only, and only from the desktop origins Genesys uses (core's `desktopOrigins`,
 * `isGenesysDesktopOrigin`): nothing is trusted at first, hooks are held until the settings or the environment are known.
 * focus/blur are noted in the debug timeline; stop is handled by the caller.
 */
function startLifecycle(
  env: PageEnv,
  logger: ReturnType<typeof createConsoleLogger>,
  timeline: ReturnType<typeof createTimeline>,
): ClientAppLifecycle {
  const lifecycle = createClientAppLifecycle({
    host: env.window.parent,
    listen: (handler) => {
      const listener = (event: MessageEvent) => handler(event);
      env.window.addEventListener('message', listener);
      return () => env.window.removeEventListener('message', listener);
    },
    // nothing trusted before the settings and the environment are known: hooks are held until then
    trustedOrigins: [],
    logger,
  });
  for (const hook of ['bootstrap', 'focus', 'blur', 'stop'] as const)
    lifecycle.on(hook, () => timeline.note(`lifecycle ${hook}`, 'from the Genesys desktop'));
  env.window.addEventListener('pagehide', () => lifecycle.close(), { once: true });
  return lifecycle;
}
