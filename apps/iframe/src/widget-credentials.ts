import { KaaError, buildAgentAssistUrl, buildCustomData, experienceOf, extractKvp, signWidgetJwt } from '@kaa/core';
import type { encryptSecureCustomData } from '@kaa/core';
import type { BotRecord, KaaSettings, KvpConfig, MediaKind, WidgetContext } from '@kaa/core';

/** What the widget needs, minted for one agent and one conversation. */
export interface WidgetCredentials {
  /** The iframe `src` (holds the token: never print it; use core's `describeWidgetUrl`). */
  url: string;
  token: string;
  /** The compact JWE sent with each utterance (`jwe.transport` = `message`), when the record has a KvpConfig. */
  secureCustomData?: string;
  /** Keys of the secure data that had no value in the conversation (names only, never values). */
  missingSecureKeys: readonly string[];
  customData: Readonly<Record<string, unknown>>;
  isCall: boolean;
}

/** Input of {@link mintWidgetCredentials}. */
export interface MintWidgetCredentialsInput {
  record: BotRecord & { customDataConfig?: KvpConfig; languageCode?: string };
  ctx: WidgetContext;
  settings: KaaSettings;
  /** The Genesys user id: `sub` of the widget JWT and of the JWE. */
  userId: string;
  /** `GET /api/v2/conversations/{id}` as read: KvpConfig paths are evaluated against it. */
  conversation: unknown;
  media: MediaKind | undefined;
  now: () => number;
  /** core's `encryptSecureCustomData`, passed in so the page can load it as its own chunk (JWE code is needed only with a KvpConfig). */
  encrypt: typeof encryptSecureCustomData;
}

/**
 * Step 6 of the page: the widget JWT (`signWidgetJwt`, K11/K12 settings), `customData`
 * (`internalMetaData` = `x_passthru_metadata`, plus Third-Party `CustomDataConfig` values), the secure custom
 * data (KvpConfig → `extractKvp` → JWE with the row's JWEPublicKey, K3/K4 settings) and the widget URL.
 *
 * Assumptions: `jwe.transport` `message` (default) sends the JWE on every utterance; `urlParam` also adds it
 * to the widget URL as `secureCustomData`; `token` is refused with `E_CONFIG_INVALID` because Kore's nesting
 * is unpublished (K3). `jwe.mode` `nested` is refused the same way.
 *
 * @example
 * ```ts
 * const credentials = await mintWidgetCredentials({ record, ctx, settings, userId: me.id, conversation, media: 'call', now: Date.now, encrypt: encryptSecureCustomData });
 * mountAgentAssist(container, { url: credentials.url });
 * ```
 */
export async function mintWidgetCredentials(input: MintWidgetCredentialsInput): Promise<WidgetCredentials> {
  const { record, ctx, settings } = input;
  const now = new Date(input.now());
  const isCall = input.media === 'call' || input.media === 'callback';
  const token = await signWidgetJwt({
    clientId: record.clientId,
    clientSecret: record.clientSecret,
    algorithm: record.algorithm,
    privateKeyPem: record.rsPrivatePem,
    subject: input.userId,
    now,
    audience: settings.kore.jwt.aud,
    ttlSeconds: settings.kore.jwt.ttlSeconds,
    includeJti: settings.kore.jwt.includeJti,
    secretEncoding: settings.kore.jwt.secretEncoding,
  });

  const extra = record.customDataConfig ? extractKvp(input.conversation, record.customDataConfig).values : undefined;
  const customData = buildCustomData({ passthru: ctx.passthruMetadata, extra, forward: settings.passthru.forward });

  let secureCustomData: string | undefined;
  let missingSecureKeys: string[] = [];
  if (record.kvpConfig && record.kvpConfig.entries.length > 0) {
    if (settings.jwe.mode !== 'claims' || settings.jwe.transport === 'token') {
      throw new KaaError('E_CONFIG_INVALID', `Secure custom data with jwe.mode "${settings.jwe.mode}" and jwe.transport "${settings.jwe.transport}" is not supported: Kore has not published how a nested JWE or a JWE token is read (K3). Set jwe.mode to "claims" and jwe.transport to "message" or "urlParam" in kaa.config.json.`, {
        details: { key: 'jwe', mode: settings.jwe.mode, transport: settings.jwe.transport },
      });
    }
    if (!record.jwePublicKey) {
      throw new KaaError('E_JWE_KEY_INVALID', `The bot row for bot "${record.botId}" has a KvpConfig but an empty JWEPublicKey, so the secure custom data cannot be encrypted. Paste the public key from Agent AI › Web/Mobile Client › JWT App Details into the JWEPublicKey column, or empty KvpConfig.`, {
        details: { column: 'JWEPublicKey', botId: record.botId },
      });
    }
    const extraction = extractKvp(input.conversation, record.kvpConfig);
    missingSecureKeys = extraction.missing.map((m) => m.key);
    secureCustomData = await input.encrypt(extraction.values, { ...record.jwePublicKey }, {
      alg: settings.jwe.alg,
      enc: settings.jwe.enc,
      now,
      issuer: record.clientId,
      subject: input.userId,
      claimNames: settings.jwe.claimNames,
    });
  }

  let url = buildAgentAssistUrl(record, ctx, {
    token,
    isCall,
    customData,
    channel: experienceOf(input.media ?? (isCall ? 'call' : 'message')),
    language: settings.kore.language ?? record.languageCode,
    source: settings.kore.source,
    agentAssistUrl: settings.kore.agentAssistUrl,
  });
  if (secureCustomData && settings.jwe.transport === 'urlParam') {
    const u = new URL(url);
    u.searchParams.set('secureCustomData', secureCustomData);
    url = u.href;
  }
  return { url, token, ...(secureCustomData ? { secureCustomData } : {}), missingSecureKeys, customData, isCall };
}
