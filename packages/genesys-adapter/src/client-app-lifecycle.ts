import { createEmitter, silentLogger } from '@kaa/core';
import type { Logger } from '@kaa/core';
import * as z from 'zod/mini';

/**
 * The hooks a Genesys Cloud client app (here the Interaction Widget) can opt into with the integration's advanced
 * configuration, `{"lifecycle": {"ephemeral": …, "hooks": {"bootstrap": true, "focus": true, "blur": true, "stop": true}}}`
 * (docs/genesys-protocol.md#integration-configuration).
 */
export type ClientAppLifecycleHook = 'bootstrap' | 'focus' | 'blur' | 'stop';

/** The protocol name of the Genesys Client App SDK's postMessage protocol. */
export const CLIENT_APP_PROTOCOL = 'purecloud-client-apps';

const HookMessageSchema = z.object({
  purecloudEventType: z.literal('appLifecycleHook'),
  hook: z.enum(['bootstrap', 'focus', 'blur', 'stop']),
});

/**
 * What the app posts to the desktop: `bootstrapped` (ready to be shown) or `stopped` (tear-down done), in the
 * Client App SDK's shape.
 *
 * @example
 * ```ts
 * const m: ClientAppMessage = { action: 'bootstrapped', protocol: 'purecloud-client-apps', protocolAgentName: 'kaa', protocolAgentVersion: '0.1.0' };
 * ```
 */
export interface ClientAppMessage {
  action: 'bootstrapped' | 'stopped';
  protocol: typeof CLIENT_APP_PROTOCOL;
  protocolAgentName: string;
  protocolAgentVersion: string;
}

/**
 * A `message` event as the app's window sees it.
 *
 * @example
 * ```ts
 * const seen: HostMessageEvent = { data: { purecloudEventType: 'appLifecycleHook', hook: 'stop' }, origin: 'https://apps.mypurecloud.ie', source: window.parent };
 * ```
 */
export interface HostMessageEvent {
  data: unknown;
  origin: string;
  source: unknown;
}

/**
 * Options of {@link createClientAppLifecycle}.
 *
 * @example
 * ```ts
 * const options: ClientAppLifecycleOptions = {
 *   host: window.parent,
 *   listen: (h) => { addEventListener('message', h); return () => removeEventListener('message', h); },
 * };
 * ```
 */
export interface ClientAppLifecycleOptions {
  /** The desktop's window (`window.parent`): hooks are accepted from it only, and answers go to it. */
  host: { postMessage(message: unknown, targetOrigin: string): void };
  /** Subscribes to this window's `message` events; returns the unsubscribe function. */
  listen(handler: (event: HostMessageEvent) => void): () => void;
  /** Desktop origins trusted from the start (e.g. `location.ancestorOrigins[0]`); more with `trust()`. */
  trustedOrigins?: readonly string[];
  /** `protocolAgentName` / `protocolAgentVersion` of the answers. Default `kaa` / `0.1.0`. */
  agentName?: string;
  agentVersion?: string;
  logger?: Logger;
}

/**
 * The app's side of the Genesys client-app lifecycle.
 *
 * @example
 * ```ts
 * lifecycle.on('stop', async () => { await feed.close('lifecycle stop'); lifecycle.stopped(); });
 * lifecycle.ready(); // once something is on screen
 * ```
 */
export interface ClientAppLifecycle {
  /** Adds a listener for a hook from a trusted desktop origin; returns its remover. */
  on(hook: ClientAppLifecycleHook, listener: () => void): () => void;
  /** Trusts one more desktop origin (e.g. the resolved environment's `appsOrigin`); hooks held for it run now. */
  trust(origin: string): void;
  /**
   * The app has something to show (the widget, the sign-in button or the error panel). Answers every `bootstrap`
   * hook received so far with `bootstrapped`, and later ones at once. Idempotent.
   */
  ready(): void;
  /** Tear-down is done: answers the `stop` hook(s) received with `stopped`. */
  stopped(): void;
  /** Hooks received from trusted origins, in order (for the debug timeline and tests). */
  readonly received: readonly ClientAppLifecycleHook[];
  /** Stops listening. */
  close(): void;
}

/** Hooks held for an origin that is not trusted yet (a desktop's lifecycle messages are few). */
const MAX_HELD = 16;

/**
 * Handles the Genesys client-app lifecycle over `postMessage`, the protocol of the Genesys Client App SDK
 * (`purecloud-client-app-sdk`, not bundled): the desktop posts `{purecloudEventType: 'appLifecycleHook', hook}`
 * to the app's window; the app answers `{action: 'bootstrapped' | 'stopped', protocol: 'purecloud-client-apps', …}`
 * to the desktop with the hook's origin as `targetOrigin`. Only messages whose `source` is the `host` window and
 * whose origin is trusted count; hooks from the host at a not-yet-trusted origin are held until `trust()` (the
 * page learns the desktop origin from the URL and its settings) and dropped at `close()`. Anything else is ignored
 * (other scripts, the widget's own messages).
 *
 * Assumptions (docs/genesys-protocol.md#integration-configuration, inferred from the SDK): with `hooks.bootstrap` the desktop keeps the frame hidden
 * until `bootstrapped` or its own timeout, so the page answers as soon as it shows anything, including an error
 * panel or a sign-in button; the answer is only ever sent after a `bootstrap` hook (never unasked).
 *
 * @example
 * ```ts
 * import { createClientAppLifecycle } from '@kaa/genesys-adapter';
 *
 * const lifecycle = createClientAppLifecycle({
 *   host: window.parent,
 *   listen: (h) => { addEventListener('message', h); return () => removeEventListener('message', h); },
 *   trustedOrigins: [...(location.ancestorOrigins ?? [])].slice(0, 1),
 * });
 * lifecycle.trust(environment.appsOrigin);
 * lifecycle.on('stop', () => void feed.close('lifecycle stop').then(() => lifecycle.stopped()));
 * lifecycle.ready();
 * ```
 */
export function createClientAppLifecycle(options: ClientAppLifecycleOptions): ClientAppLifecycle {
  const logger = options.logger ?? silentLogger;
  const trusted = new Set(options.trustedOrigins ?? []);
  const listeners = createEmitter<Record<ClientAppLifecycleHook, void>>((hook, cause) =>
    logger.error(`genesys lifecycle: a ${hook} listener threw`, { reason: String((cause as Error)?.message ?? cause) }),
  );
  const held: { hook: ClientAppLifecycleHook; origin: string }[] = [];
  const received: ClientAppLifecycleHook[] = [];
  const awaitingBootstrapped = new Set<string>();
  const awaitingStopped = new Set<string>();
  let isReady = false;
  let closed = false;

  const answer = (action: ClientAppMessage['action'], origin: string) => {
    const message: ClientAppMessage = {
      action,
      protocol: CLIENT_APP_PROTOCOL,
      protocolAgentName: options.agentName ?? 'kaa',
      protocolAgentVersion: options.agentVersion ?? '0.1.0',
    };
    try {
      options.host.postMessage(message, origin);
    } catch (cause) {
      logger.warn(`genesys lifecycle: could not post ${action}`, {
        origin,
        reason: String((cause as Error)?.message ?? cause),
      });
    }
  };

  const run = (hook: ClientAppLifecycleHook, origin: string) => {
    received.push(hook);
    logger.info('genesys lifecycle hook', { hook });
    if (hook === 'bootstrap') {
      if (isReady) answer('bootstrapped', origin);
      else awaitingBootstrapped.add(origin);
    }
    if (hook === 'stop') awaitingStopped.add(origin);
    listeners.emit(hook, undefined);
  };

  const unlisten = options.listen((event) => {
    if (closed || event.source !== options.host) return;
    const parsed = HookMessageSchema.safeParse(event.data);
    if (!parsed.success) return;
    const { hook } = parsed.data;
    if (trusted.has(event.origin)) run(hook, event.origin);
    else if (held.length < MAX_HELD) held.push({ hook, origin: event.origin });
  });

  return {
    on: (hook, listener) => listeners.on(hook, listener),
    trust(origin) {
      if (closed) return;
      trusted.add(origin);
      const now = held.filter((h) => h.origin === origin);
      held.splice(0, held.length, ...held.filter((h) => h.origin !== origin));
      for (const h of now) run(h.hook, h.origin);
    },
    ready() {
      if (isReady || closed) return;
      isReady = true;
      for (const origin of awaitingBootstrapped) answer('bootstrapped', origin);
      awaitingBootstrapped.clear();
    },
    stopped() {
      for (const origin of awaitingStopped) answer('stopped', origin);
      awaitingStopped.clear();
    },
    get received() {
      return received;
    },
    close() {
      if (closed) return;
      closed = true;
      held.length = 0;
      unlisten();
    },
  };
}
