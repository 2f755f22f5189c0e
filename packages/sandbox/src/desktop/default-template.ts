/**
 * The Interaction Widget URL an admin would configure for the kaa page in Kore Data Table mode
 * (docs/genesys-protocol.md#kaa-url-contract, docs/kore-protocol.md#data-table-url-parameter), with an `x_metadata` token minted for the sandbox's read-only Data app.
 */
import { SignJWT } from 'jose';
import { KORE_DATA_TABLE, OAUTH_CLIENTS, Q_DELIMITER } from '../seed.js';

/** Base path of the kaa page. */
export const KAA_PAGE_BASE_PATH = '/koreaiaa-genesys/';

/**
 * Builds `{pageOrigin}/koreaiaa-genesys/?conversationid={{gcConversationId}}&lang={{gcLangTag}}&environment={{gcHostOrigin}}
 * &gcTargetEnv={{gcTargetEnv}}&usePopupAuth={{gcUsePopupAuth}}&genesysid=<PKCE client>&multibot=true&x_metadata=…`.
 * The `x_metadata` token is a Data-app JWT (HS256, `appId` = the read app) valid for `ttlSeconds` (default one year, docs/assumptions.md#data-table-read-token-lifetime).
 *
 * @example
 * ```ts
 * const template = await defaultWidgetUrlTemplate('http://127.0.0.1:4104', { nowMs: Date.now() });
 * ```
 */
export async function defaultWidgetUrlTemplate(
  pageOrigin: string,
  options: { nowMs: number; ttlSeconds?: number; genesysClientId?: string },
): Promise<string> {
  const iat = Math.floor(options.nowMs / 1000);
  const token = await new SignJWT({ sub: 'kaa-sandbox-desktop', appId: KORE_DATA_TABLE.readApp.appId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.ttlSeconds ?? 365 * 24 * 3600))
    .sign(new TextEncoder().encode(KORE_DATA_TABLE.readApp.clientSecret));
  const xMetadata = encodeURIComponent(
    JSON.stringify({ datatable: { name: KORE_DATA_TABLE.name, token, qDelimiter: Q_DELIMITER } }),
  );
  const clientId = options.genesysClientId ?? OAUTH_CLIENTS.pkce.id;
  return (
    `${pageOrigin}${KAA_PAGE_BASE_PATH}?conversationid={{gcConversationId}}&lang={{gcLangTag}}&environment={{gcHostOrigin}}` +
    `&gcTargetEnv={{gcTargetEnv}}&usePopupAuth={{gcUsePopupAuth}}&genesysid=${clientId}&multibot=true&x_metadata=${xMetadata}`
  );
}
