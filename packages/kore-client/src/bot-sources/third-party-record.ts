import * as z from 'zod/mini';

/**
 * One Third-Party Configuration record (docs/kore-protocol.md#third-party-configuration) as kaa reads it from the static map or the HTTP lookup.
 * The runtime API is unpublished (docs/assumptions.md#third-party-configuration-runtime-api), so this shape is an assumption shared with the sandbox:
 * the bot's identity and JWT app credentials plus the record's `keys`, whose values are **base64-encoded**
 * as the Kore guide requires (`CustomDataConfig`, `SecureCustomDataConfig`, `AudiohookEnabled`,
 * `AppLanguageCode` or the older `BotLanguageCode`).
 *
 * @example
 * ```ts
 * const record: ThirdPartyRecordInput = {
 *   queueIdentifiers: ['Chat_Skill'],
 *   botId: 'st-…', clientId: 'cs-…', clientSecret: '…',
 *   agentAssistWidgetUrl: 'https://platform.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html',
 *   keys: { AudiohookEnabled: btoa('false'), AppLanguageCode: btoa('en') },
 * };
 * ```
 */
export type ThirdPartyRecordInput = z.output<typeof ThirdPartyRecordSchema>;

/** @internal */
export const ThirdPartyRecordSchema = z.looseObject({
  recordId: z.optional(z.string()),
  name: z.optional(z.string()),
  accountId: z.optional(z.string()),
  /** Queue names this record serves (full names; no delimiter in accountId mode, docs/assumptions.md#queue-matching-details). */
  queueIdentifiers: z.optional(z.array(z.string())),
  botId: z.string(),
  botName: z.optional(z.string()),
  clientId: z.string(),
  clientSecret: z.string(),
  agentAssistWidgetUrl: z.string(),
  /** Stringified JWK, needed only with `SecureCustomDataConfig`. */
  jwePublicKey: z.optional(z.string()),
  isAgentAISDK: z.optional(z.union([z.boolean(), z.string()])),
  keys: z.optional(z.record(z.string(), z.string())),
});

/** @internal A static map: queue name → record. */
export const ThirdPartyStaticMapSchema = z.record(z.string(), ThirdPartyRecordSchema);

/** @internal The HTTP lookup's answer: one record, a list, or `{records}`. */
export const ThirdPartyLookupResponse = z.union([
  ThirdPartyRecordSchema,
  z.array(ThirdPartyRecordSchema),
  z.looseObject({ records: z.array(ThirdPartyRecordSchema) }),
]);
