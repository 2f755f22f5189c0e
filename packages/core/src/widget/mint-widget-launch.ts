import { KaaError } from '../errors.js';
import type { KaaSettings } from '../context/settings.js';
import type { BotRecord } from '../routing/bot-record.js';
import type { MediaKind } from '../routing/media-of.js';
import { experienceOf } from '../routing/media-of.js';
import type { KvpConfig } from '../kvp/kvp-config.js';
import { extractKvp } from '../kvp/extract-kvp.js';
import { buildCustomData } from '../tokens/build-custom-data.js';
import { epochSeconds } from '../tokens/epoch-seconds.js';
import type { encryptSecureCustomData } from '../tokens/encrypt-secure-custom-data.js';
import { signWidgetJwt } from '../tokens/sign-widget-jwt.js';
import type { JoseEngine } from '../tokens/jose-engine.js';
import type { TokenKeys } from '../tokens/token-keys.js';
import { buildAgentAssistUrl } from './build-agent-assist-url.js';

/** What the Agent AI widget needs, minted for one agent and one conversation (step 6 of docs/architecture.md#one-interaction-top-to-bottom). */
export interface WidgetLaunch {
  /** The iframe `src`. It holds the token: never print it; use {@link describeWidgetUrl}. */
  readonly url: string;
  /** The widget JWT (also inside `url`). */
  readonly token: string;
  /** The compact JWE of the secure custom data, when the record has a KvpConfig; how it travels is {@link WidgetLaunch.secureTransport}. */
  readonly secureCustomData?: string;
  /**
   * How {@link WidgetLaunch.secureCustomData} reaches the widget: `message` (the `secureCustomData` field of every
   * utterance and chat line the page relays) or `urlParam` (the widget URL, which already holds it). An AudioHook call
   * is always `urlParam`: the page relays no utterance there (docs/assumptions.md#secure-custom-data-in-audiohook-mode).
   */
  readonly secureTransport?: 'message' | 'urlParam';
  /**
   * When (epoch **milliseconds**) to mint the next launch so the widget never holds an expired JWE: `jwe.refreshBeforeSeconds`
   * (at most half of `jwe.ttlSeconds`) before the JWE's `exp` (docs/assumptions.md#secure-custom-data-lifetime-and-refresh).
   * Absent without secure custom data.
   */
  readonly secureRefreshAt?: number;
  /**
   * A voice call of an `AudiohookEnabled` row: Genesys AudioHook streams the audio to Kore, the widget gets its
   * transcripts from Kore, and the page subscribes to no transcription and relays no utterance.
   */
  readonly audiohook: boolean;
  /** KvpConfig keys that had no value in the conversation (names only, never values). */
  readonly missingSecureKeys: readonly string[];
  /** `customData` as sent in the URL: `internalMetaData` (= `x_passthru_metadata`) plus Third-Party CustomDataConfig values. */
  readonly customData: Readonly<Record<string, unknown>>;
  /** Voice (`isCall=true`): calls and callbacks. */
  readonly isCall: boolean;
}

/** A bot record, optionally with the Third-Party Configuration extras (plain custom data paths, language code). */
export type WidgetLaunchRecord = BotRecord & { readonly customDataConfig?: KvpConfig; readonly languageCode?: string };

/** Input of {@link mintWidgetLaunch}. */
export interface MintWidgetLaunchInput {
  readonly record: WidgetLaunchRecord;
  /** From the widget context: the conversation, `lang` and `x_passthru_metadata`. */
  readonly context: {
    readonly conversationId: string;
    readonly lang?: string | undefined;
    readonly passthruMetadata?: string | undefined;
  };
  /** The settings this step reads: `kore.jwt`, `kore.source`, `kore.language`, `kore.agentAssistUrl`, `jwe`, `passthru`. */
  readonly settings: Pick<KaaSettings, 'kore' | 'jwe' | 'passthru'>;
  /** The Genesys user id: `sub` of the widget JWT and of the JWE. */
  readonly userId: string;
  /** `GET /api/v2/conversations/{id}` as read: KvpConfig paths are evaluated against it. */
  readonly conversation: unknown;
  /** The agent participant's media; `undefined` is treated as chat. */
  readonly media: MediaKind | undefined;
  /** Injected clock: epoch seconds or a Date. */
  readonly now: number | Date;
  /**
   * core's {@link encryptSecureCustomData}, passed in so a browser page can load the JWE code as its own chunk (it is
   * needed only when the record has a KvpConfig). Node callers pass the import directly.
   */
  readonly encrypt: typeof encryptSecureCustomData;
  /** Imported keys reused across mints (a server minting for many agents, `createTokenKeys`); default: imported per mint. */
  readonly keys?: TokenKeys | undefined;
  /** The JWS/JWE primitives ({@link JoseEngine}); default jose over WebCrypto. A Node server passes a faster one. */
  readonly engine?: JoseEngine | undefined;
}

/**
 * Mints everything the widget needs from a resolved bot record: the widget JWT ({@link signWidgetJwt} with the
 * `kore.jwt` settings, docs/assumptions.md#widget-jwt-claims, docs/assumptions.md#hs256-key-bytes), `customData` ({@link buildCustomData}), the secure custom data (KvpConfig →
 * {@link extractKvp} → JWE with the row's JWEPublicKey, `jwe` settings, docs/assumptions.md#secure-custom-data-jwe-nesting-and-transport, docs/assumptions.md#secure-custom-data-claim-name) and the widget URL
 * ({@link buildAgentAssistUrl}). The page, the CLI's doctor and server-side resolvers all call this one function.
 *
 * Assumptions (docs/assumptions.md#secure-custom-data-jwe-nesting-and-transport, unpublished): `jwe.transport` `message` (default) sends the JWE with every utterance; `urlParam`
 * also adds it to the widget URL as `secureCustomData`; `token` and `jwe.mode` `nested` are refused with
 * `E_CONFIG_INVALID` because Kore has not published how it reads them. On an AudioHook call (voice, `AudiohookEnabled`)
 * the JWE always goes in the widget URL (docs/assumptions.md#secure-custom-data-in-audiohook-mode). The caller mints
 * again at `secureRefreshAt` (docs/assumptions.md#secure-custom-data-lifetime-and-refresh).
 *
 * @throws {KaaError} `E_CONFIG_INVALID`, `E_JWE_KEY_INVALID` (KvpConfig without a JWEPublicKey), and every error of
 *   the token and URL builders.
 * @example
 * ```ts
 * import { encryptSecureCustomData, mintWidgetLaunch } from '@kaa/core';
 *
 * const launch = await mintWidgetLaunch({ record, context: ctx, settings, userId: me.id, conversation, media: 'call', now: new Date(), encrypt: encryptSecureCustomData });
 * iframe.src = launch.url;
 * ```
 */
export async function mintWidgetLaunch(input: MintWidgetLaunchInput): Promise<WidgetLaunch> {
  const { record, context, settings } = input;
  const isCall = input.media === 'call' || input.media === 'callback';
  const audiohook = isCall && record.audiohookEnabled;
  const token = await signWidgetJwt({
    clientId: record.clientId,
    clientSecret: record.clientSecret,
    algorithm: record.algorithm,
    privateKeyPem: record.rsPrivatePem,
    subject: input.userId,
    now: input.now,
    audience: settings.kore.jwt.aud,
    ttlSeconds: settings.kore.jwt.ttlSeconds,
    includeJti: settings.kore.jwt.includeJti,
    secretEncoding: settings.kore.jwt.secretEncoding,
    keys: input.keys,
    engine: input.engine,
  });

  const extra = record.customDataConfig ? extractKvp(input.conversation, record.customDataConfig).values : undefined;
  const customData = buildCustomData({ passthru: context.passthruMetadata, extra, forward: settings.passthru.forward });

  let secureCustomData: string | undefined;
  let secureRefreshAt: number | undefined;
  let missingSecureKeys: string[] = [];
  if (record.kvpConfig && record.kvpConfig.entries.length > 0) {
    if (settings.jwe.mode !== 'claims' || settings.jwe.transport === 'token') {
      throw new KaaError(
        'E_CONFIG_INVALID',
        `Secure custom data with jwe.mode "${settings.jwe.mode}" and jwe.transport "${settings.jwe.transport}" is not supported: Kore has not published how a nested JWE or a JWE token is read (docs/assumptions.md#secure-custom-data-jwe-nesting-and-transport). Set jwe.mode to "claims" and jwe.transport to "message" or "urlParam".`,
        { details: { key: 'jwe', mode: settings.jwe.mode, transport: settings.jwe.transport } },
      );
    }
    if (!record.jwePublicKey) {
      throw new KaaError(
        'E_JWE_KEY_INVALID',
        `The bot row for bot "${record.botId}" has a KvpConfig but an empty JWEPublicKey, so the secure custom data cannot be encrypted. Paste the public key from Agent AI › Web/Mobile Client › JWT App Details into the JWEPublicKey column, or empty KvpConfig.`,
        { details: { column: 'JWEPublicKey', botId: record.botId } },
      );
    }
    const extraction = extractKvp(input.conversation, record.kvpConfig);
    missingSecureKeys = extraction.missing.map((m) => m.key);
    secureCustomData = await input.encrypt(extraction.values, record.jwePublicKey, {
      alg: settings.jwe.alg,
      enc: settings.jwe.enc,
      now: input.now,
      issuer: record.clientId,
      subject: input.userId,
      ttlSeconds: settings.jwe.ttlSeconds,
      claimNames: settings.jwe.claimNames,
      ...(input.keys ? { keys: input.keys } : {}),
      ...(input.engine ? { engine: input.engine } : {}),
    });
    const ttl = settings.jwe.ttlSeconds;
    secureRefreshAt =
      (epochSeconds(input.now, 'E_TOKEN_SIGN_FAILED') + ttl - Math.min(settings.jwe.refreshBeforeSeconds, ttl / 2)) *
      1000;
  }
  // the page relays no utterance on an AudioHook call: the widget URL is the only way the JWE reaches the widget
  const secureTransport =
    secureCustomData === undefined
      ? undefined
      : audiohook || settings.jwe.transport === 'urlParam'
        ? 'urlParam'
        : 'message';

  let url = buildAgentAssistUrl(record, context, {
    token,
    isCall,
    customData,
    channel: experienceOf(input.media ?? (isCall ? 'call' : 'message')),
    language: settings.kore.language ?? record.languageCode,
    source: settings.kore.source,
    agentAssistUrl: settings.kore.agentAssistUrl,
  });
  if (secureCustomData && secureTransport === 'urlParam') {
    const u = new URL(url);
    u.searchParams.set('secureCustomData', secureCustomData);
    url = u.href;
  }
  return {
    url,
    token,
    ...(secureCustomData && secureTransport && secureRefreshAt !== undefined
      ? { secureCustomData, secureTransport, secureRefreshAt }
      : {}),
    missingSecureKeys,
    customData,
    isCall,
    audiohook,
  };
}
