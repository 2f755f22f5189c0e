import { BROKER_PATHS, BrokerLaunchResponseSchema, KaaError, brokerError } from '@kaa/core';
import type { BrokerLaunchResponse, HooksEvent } from '@kaa/core';
import type { KoreEventsTransport } from '@kaa/kore-client';

/** `fetch` as the broker client uses it (the page passes the browser's). */
export type BrokerFetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * Options of {@link createBrokerClient}.
 *
 * @example
 * ```ts
 * const options: BrokerClientOptions = { serverUrl: 'https://broker.example.com', environment: 'prod-euw1', fetch, getToken: () => auth.getToken()?.accessToken ?? null };
 * ```
 */
export interface BrokerClientOptions {
  /** The broker's base URL (setting `tokens.serverUrl`). */
  serverUrl: string;
  /** The Genesys environment name the page resolved (core's `resolveEnvironment(…).name`). */
  environment: string;
  fetch: BrokerFetch;
  /** The signed-in agent's Genesys access token; sent as `Authorization: Bearer`, never in a body or URL. */
  getToken: () => string | null;
  /** When the token expires (epoch ms), so the broker never caches its verification longer. */
  tokenExpiresAt?: () => number | null;
  /** Signs the agent in again; called once when the broker answers 401, then the call is repeated. */
  relogin?: () => Promise<unknown>;
}

/**
 * The page's side of the token broker (docs/architecture.md#broker-mode).
 *
 * @example
 * ```ts
 * const launch = await broker.launch({ conversationId, lang: 'en-us' });
 * iframe.src = launch.widget.url;
 * ```
 */
export interface BrokerClient {
  /** `POST /v1/launch`: the widget launch minted server-side for this agent and conversation. */
  launch(
    input: { conversationId: string; lang?: string | undefined; passthruMetadata?: string | undefined },
    options?: { signal?: AbortSignal },
  ): Promise<BrokerLaunchResponse>;
  /** The hooks and hold calls of kore-client's events client, signed by the broker instead of the browser. */
  koreTransport(): KoreEventsTransport;
}

/**
 * Calls the token broker with the agent's own token: the answers are parsed with core's contract, errors become the
 * broker's coded `KaaError` (core's `brokerError`), a 401 signs the agent in again once (`relogin`).
 *
 * @example
 * ```ts
 * import { createBrokerClient } from '@kaa/broker';
 *
 * const broker = createBrokerClient({ serverUrl: settings.tokens.serverUrl, environment: environment.name, fetch, getToken });
 * const { widget, bot } = await broker.launch({ conversationId: ctx.conversationId });
 * ```
 */
export function createBrokerClient(options: BrokerClientOptions): BrokerClient {
  const base = options.serverUrl.replace(/\/+$/, '');

  const call = async (
    path: string,
    body: Record<string, unknown>,
    signal: AbortSignal | undefined,
    retried = false,
  ): Promise<unknown> => {
    const url = `${base}${path}`;
    const token = options.getToken();
    if (!token)
      throw new KaaError(
        'E_HTTP_UNAUTHORIZED',
        'The page has no Genesys access token to send to the token broker. Sign in to Genesys Cloud again.',
        { details: { broker: base } },
      );
    const expiresAt = options.tokenExpiresAt?.() ?? null;
    let response: Response;
    try {
      response = await options.fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          ...body,
          environment: options.environment,
          ...(expiresAt !== null ? { tokenExpiresAt: Math.floor(expiresAt) } : {}),
        }),
        credentials: 'omit',
        cache: 'no-store',
        ...(signal ? { signal } : {}),
      });
    } catch (cause) {
      if (signal?.aborted) throw cause;
      throw new KaaError(
        'E_NETWORK',
        `The page cannot reach the token broker at ${base} (network error or CORS refusal). Check that tokens.serverUrl is right, the broker runs, and broker.allowedOrigins lists this page's origin.`,
        { cause, secrets: [token], details: { broker: base } },
      );
    }
    const text = await response.text();
    if (response.status === 401 && !retried && options.relogin) {
      await options.relogin();
      return call(path, body, signal, true);
    }
    if (!response.ok) throw brokerError(response.status, text, url);
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      throw new KaaError(
        'E_RESPONSE_INVALID',
        `The token broker at ${base} answered ${path} with a body that is not JSON.`,
        { cause, details: { broker: base } },
      );
    }
  };

  return {
    async launch(input, callOptions) {
      const json = await call(
        BROKER_PATHS.launch,
        {
          conversationId: input.conversationId,
          ...(input.lang ? { lang: input.lang } : {}),
          ...(input.passthruMetadata ? { passthruMetadata: input.passthruMetadata } : {}),
        },
        callOptions?.signal,
      );
      const parsed = BrokerLaunchResponseSchema.safeParse(json);
      if (!parsed.success)
        throw new KaaError(
          'E_RESPONSE_INVALID',
          `The token broker at ${base} answered /v1/launch with a body of the wrong shape. Check that the broker and the page are the same kaa version.`,
          { details: { broker: base } },
        );
      return parsed.data;
    },
    koreTransport() {
      const hold = async (
        action: { action: 'pause'; handover: boolean } | { action: 'resume' } | { action: 'end' },
        conversationId: string,
      ) => {
        await call(
          BROKER_PATHS.transcription(conversationId),
          action.action === 'pause' ? { action: 'pause', handover: action.handover } : { action: action.action },
          undefined,
        );
      };
      return {
        postHooks: async (conversationId: string, events: readonly HooksEvent[]) => {
          await call(BROKER_PATHS.events(conversationId), { events }, undefined);
        },
        hold: (action, input) => hold(action, input.conversationId),
        controlTranscription: async (action, input) => {
          if (action === 'start')
            throw new KaaError(
              'E_CONFIG_INVALID',
              'The token broker does not start transcription; the widget does. Only pause, resume and end go through the broker.',
              { details: { broker: base } },
            );
          await hold(
            action === 'pause' ? { action, handover: input.handover === true } : { action },
            input.conversationId,
          );
        },
      };
    },
  };
}
