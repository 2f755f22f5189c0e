/**
 * The text that replaces every redacted value.
 *
 * @example
 * ```ts
 * import { REDACTED, redact } from '@kaa/core';
 * redact('token=abc') === `token=${REDACTED}`; // true
 * ```
 */
export const REDACTED = '[REDACTED]';

/** Secrets shorter than this are not searched for literally (they would shred ordinary words); patterns still apply. */
const MIN_SECRET_LENGTH = 4;

/**
 * Credential-shaped text that is redacted even when the caller did not name the secret:
 * compact JWS/JWT and JWE (base64url JSON header `eyJ…`), bearer and basic authorization values,
 * `auth:`/`token:` headers, and OAuth query or form parameters (`access_token`, `code`, `client_secret`,
 * `code_verifier`, `assertion`, `id_token`, `refresh_token`, `token`, and the OAuth `state` (it carries the CSRF nonce)).
 */
const PATTERNS: readonly (readonly [RegExp, string])[] = [
  // JWE (5 segments) and JWS (3 segments) whose header is base64url JSON
  [/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)?/g, REDACTED],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/\b((?:access_token|id_token|refresh_token|client_secret|code_verifier|assertion|code|state|token|jToken)=)[^&#\s"']+/gi, `$1${REDACTED}`],
  [
    /("(?:access_token|id_token|refresh_token|client_secret|clientSecret|ClientSecret|code_verifier|assertion|token|jToken|privateKey|RSPrivatePem|oauthClientSecret)"\s*:\s*")[^"]*(")/g,
    `$1${REDACTED}$2`,
  ],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, REDACTED],
];

/**
 * Removes secrets from text before it reaches a log, an error message, a printed URL or a debug trace.
 *
 * Every non-empty secret in `secrets` (and its URL-encoded form) is replaced by `[REDACTED]`, and so is
 * credential-shaped text: JWTs and JWEs, `Bearer`/`Basic` values, OAuth parameters such as
 * `access_token=…` or `code=…`, JSON fields named like secrets, and PEM private keys.
 *
 * @example
 * ```ts
 * import { redact } from '@kaa/core';
 *
 * redact('POST /oauth/token client_secret=s3cr3t', ['s3cr3t']);
 * // → 'POST /oauth/token client_secret=[REDACTED]'
 * redact('https://x/#access_token=abc&expires_in=3600', []);
 * // → 'https://x/#access_token=[REDACTED]&expires_in=3600'
 * ```
 */
export function redact(text: string, secrets: readonly (string | undefined | null)[] = []): string {
  let out = String(text);
  const literal = secrets
    .filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH)
    .flatMap((s) => variantsOf(s))
    // longest first so that a secret containing another is removed whole
    .sort((a, b) => b.length - a.length);
  for (const secret of literal) out = out.split(secret).join(REDACTED);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

function variantsOf(secret: string): string[] {
  const variants = new Set([secret]);
  try {
    variants.add(encodeURIComponent(secret));
    variants.add(encodeURIComponent(encodeURIComponent(secret)));
    variants.add(JSON.stringify(secret).slice(1, -1));
  } catch {
    // lone surrogates cannot be URI-encoded; the literal form is still removed
  }
  return [...variants].filter((v) => v.length >= MIN_SECRET_LENGTH);
}
