import * as z from 'zod/mini';
import { KaaError } from '@kaa/core';

/** `POST /oauth/token` success body. */
export const TokenResponseSchema = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.optional(z.string()),
  expires_in: z.optional(z.number()),
});

/** OAuth error body (`{error, error_description}`). */
const OAuthErrorSchema = z.looseObject({ error: z.string(), error_description: z.optional(z.string()) });

/** The facts of a token endpoint answer that is not a token. */
export interface TokenEndpointFailure {
  status: number;
  error?: string;
  description?: string;
  correlationId?: string;
}

/** Reads the token endpoint's answer: a token, or the OAuth error facts. Throws E_RESPONSE_INVALID on junk. */
export async function readTokenResponse(
  response: Response,
  loginBase: string,
  secrets: readonly string[],
): Promise<{ ok: true; accessToken: string; expiresIn?: number } | ({ ok: false } & TokenEndpointFailure)> {
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const correlationId = response.headers.get('inin-correlation-id') ?? undefined;
  if (response.ok) {
    const parsed = TokenResponseSchema.safeParse(json);
    if (!parsed.success) {
      throw new KaaError(
        'E_RESPONSE_INVALID',
        `The Genesys login server (${loginBase}/oauth/token) answered without an access token. Check that the environment points at Genesys Cloud.`,
        { details: { status: response.status, correlationId }, secrets },
      );
    }
    return parsed.data.expires_in === undefined
      ? { ok: true, accessToken: parsed.data.access_token }
      : { ok: true, accessToken: parsed.data.access_token, expiresIn: parsed.data.expires_in };
  }
  const error = OAuthErrorSchema.safeParse(json);
  return {
    ok: false,
    status: response.status,
    ...(error.success ? { error: error.data.error, description: error.data.error_description } : {}),
    ...(correlationId ? { correlationId } : {}),
  };
}
