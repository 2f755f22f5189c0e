import {
  buildControlTranscriptionRequest,
  buildHooksRequest,
  isHttpsOrLoopback,
  KaaError,
  type ControlTranscriptionAction,
  type HoldSinkAction,
  type HooksEvent,
  type HooksRequestOptions,
} from '@kaa/core';
import { koreRequest, type RetryPolicy } from '../http/kore-request.js';
import type { FetchLike, Logger, Sleep } from '@kaa/core';
import { createPlatformTokenSource, type PlatformJwtSigner } from '../http/platform-token.js';
import { koreHttpContext } from '../http/kore-http-context.js';

/**
 * Where hold and resume go when `sendEventsToVG=true` (docs/assumptions.md#hold-and-resume-sink, config `hold.sink`):
 * `controlTranscription` (default; Kore's documented Control Transcription API), `customUrl` (POST
 * `{conversationId, botId, agentId, action, handover?}` to `customUrl`), or `none`.
 *
 * @example
 * ```ts
 * const hold: HoldSinkSettings = { sink: 'customUrl', customUrl: 'https://kvg.example.com/hold' };
 * ```
 */
export interface HoldSinkSettings {
  sink: 'controlTranscription' | 'customUrl' | 'none';
  customUrl?: string;
}

/**
 * How the hooks and hold-sink calls of one bot leave: signed with the bot's app and posted to Kore
 * ({@link createSignedKoreTransport}, the default), or handed to a token broker that signs them server-side
 * (docs/architecture.md#broker-mode).
 *
 * @example
 * ```ts
 * const transport: KoreEventsTransport = {
 *   postHooks: (conversationId, events) => broker.events(conversationId, events),
 *   hold: (action, { conversationId }) => broker.transcription(conversationId, action),
 *   controlTranscription: async () => undefined,
 * };
 * ```
 */
export interface KoreEventsTransport {
  /** Posts one batch of hooks events (core's canonical form), in order. */
  postHooks(conversationId: string, events: readonly HooksEvent[]): Promise<void>;
  /** One hold-sink action (core's `holdSinkActionFor`) for the agent. */
  hold(action: HoldSinkAction, input: { conversationId: string; agentId: string }): Promise<void>;
  /** A Control Transcription call (docs/kore-protocol.md#hold-resume-and-control-transcription). */
  controlTranscription(
    action: ControlTranscriptionAction,
    input: { conversationId: string; agentId: string; handover?: boolean },
  ): Promise<void>;
}

/**
 * Options of {@link createSignedKoreTransport}.
 *
 * @example
 * ```ts
 * const options: SignedKoreTransportOptions = { baseUrl: 'https://platform.kore.ai', botId, clientId, clientSecret, signPlatformJwt, fetch, now: Date.now, settings: {} };
 * ```
 */
export interface SignedKoreTransportOptions {
  /** Kore API origin (`resolveKoreApiHost`, setting `kore.apiHost`). */
  baseUrl: string;
  botId: string;
  /** The bot's JWT app (docs/assumptions.md#app-that-signs-hooks-and-control-transcription). */
  clientId: string;
  clientSecret: string;
  /** core's `signPlatformJwt` (the host passes it: the page from the chunk that has it, Node hosts the import). */
  signPlatformJwt: PlatformJwtSigner;
  fetch: FetchLike;
  /** Epoch milliseconds. */
  now: () => number;
  /** Hooks wire format (settings `kore.hooks.*`). */
  settings: HooksRequestOptions;
  /** Where hold actions go (settings `hold.*`). Default `controlTranscription`. */
  hold?: HoldSinkSettings;
  logger?: Logger;
  sleep?: Sleep;
  retry?: RetryPolicy;
}

/**
 * The default {@link KoreEventsTransport}: builds each request with core (`buildHooksRequest`,
 * `buildControlTranscriptionRequest`), signs the `{sub, appId}` platform JWT with the bot's ClientId and ClientSecret,
 * and posts it to Kore with throttling backoff and coded errors. A token broker uses it server-side; the page uses it
 * only when it mints in the browser.
 *
 * @example
 * ```ts
 * import { createSignedKoreTransport } from '@kaa/kore-client';
 *
 * const kore = createSignedKoreTransport({ baseUrl, botId: record.botId, clientId: record.clientId, clientSecret: record.clientSecret,
 *   signPlatformJwt, fetch: (u, i) => fetch(u, i), now: Date.now, settings: settings.kore.hooks });
 * await kore.controlTranscription('pause', { conversationId, agentId: me.id, handover: false });
 * ```
 */
export function createSignedKoreTransport(options: SignedKoreTransportOptions): KoreEventsTransport {
  const { botId } = options;
  const baseUrl = String(options.baseUrl).replace(/\/+$/, '');
  checkBase(baseUrl);
  const hold = options.hold ?? { sink: 'controlTranscription' };
  if (hold.sink === 'customUrl') checkBase(hold.customUrl ?? '', 'hold.customUrl');
  const tokens = createPlatformTokenSource(
    { appId: options.clientId, clientSecret: options.clientSecret },
    options.now,
    options.signPlatformJwt,
  );
  const secrets = () => tokens.secrets();
  const ctx = koreHttpContext(options, secrets);
  const authHeader = options.settings.authHeader ?? 'auth';

  const post = async (url: string, headerName: string, body: unknown, what: string) => {
    const jwt = await tokens.get();
    const response = await koreRequest(ctx, {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', accept: 'application/json', [headerName]: jwt },
      body,
      what,
      unauthorized: (vendor) =>
        `${what} was refused (${vendor}). Kore did not accept the JWT signed with the ClientId "${options.clientId}" and ClientSecret of bot "${botId}": check both in the bot record, that the auth header name is right (config kore.hooks.authHeader, now "${headerName}"), and for Control Transcription that the app has the AgentAssist Transcription scope.`,
    });
    const answer = response.body as { code?: unknown; message?: unknown } | undefined;
    if (answer && typeof answer === 'object' && typeof answer.code === 'number' && answer.code >= 400) {
      throw new KaaError(
        'E_HTTP_BAD_REQUEST',
        `${what} was refused by Kore (code ${answer.code}: ${String(answer.message ?? '').slice(0, 300)}). Check that bot "${botId}" is linked to Agent AI and that the hooks path is right (config kore.hooks.pathPrefix).`,
        {
          details: { status: response.status, vendorCode: answer.code, botId },
          secrets: secrets(),
        },
      );
    }
  };

  const controlTranscription: KoreEventsTransport['controlTranscription'] = async (action, input) => {
    const request = buildControlTranscriptionRequest(
      {
        botId,
        conversationId: input.conversationId,
        action,
        agentId: input.agentId,
        ...(input.handover !== undefined ? { handover: input.handover } : {}),
      },
      { authHeader },
    );
    await post(
      `${baseUrl}${request.path}`,
      request.authHeader.name,
      request.body,
      `Kore Control Transcription "${action}" for conversation "${input.conversationId}"`,
    );
  };

  return {
    async postHooks(conversationId, events) {
      const request = buildHooksRequest({ botId, conversationId, events }, options.settings);
      const names = events
        .map((e) => (e.name === 'INTERNAL_TRANSFER_EVENT' ? `${e.transfertype}/${e.transition}` : e.name))
        .join(', ');
      await post(
        `${baseUrl}${request.path}`,
        request.authHeader.name,
        request.body,
        `Kore hooks call for conversation "${conversationId}" (${names})`,
      );
    },
    async hold(action, input) {
      if (hold.sink === 'none') return;
      const handover = 'handover' in action ? { handover: action.handover } : {};
      if (hold.sink === 'controlTranscription') return controlTranscription(action.action, { ...input, ...handover });
      await post(
        hold.customUrl as string,
        authHeader,
        { conversationId: input.conversationId, botId, agentId: input.agentId, action: action.action, ...handover },
        `Hold sink call "${action.action}" for conversation "${input.conversationId}" (config hold.customUrl)`,
      );
    },
    controlTranscription,
  };
}

function checkBase(url: string, key = 'kore.apiHost'): void {
  if (!isHttpsOrLoopback(url)) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `"${url.slice(0, 200)}" is not an https URL. Set config ${key} to e.g. https://platform.kore.ai.`,
      { details: { key } },
    );
  }
}
