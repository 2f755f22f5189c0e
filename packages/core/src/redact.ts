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
 * Credential-shaped text that is redacted even when the caller did not name the secret: compact JWS/JWT and JWE
 * (see {@link redactCompactTokens}), bearer and basic authorization values, `auth:`/`token:` headers, OAuth query or
 * form parameters (`access_token`, `code`, `client_secret`, `code_verifier`, `assertion`, `id_token`,
 * `refresh_token`, `token`, and the OAuth `state` (it carries the CSRF nonce)), JSON fields named like secrets, and
 * PEM private keys ({@link redactPrivateKeys}). Each of these expressions runs in linear time: a fixed or
 * single-class prefix, then one character class up to a delimiter that class excludes.
 */
const PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [
    /\b((?:access_token|id_token|refresh_token|client_secret|code_verifier|assertion|code|state|token|jToken)=)[^&#\s"']+/gi,
    `$1${REDACTED}`,
  ],
  [
    /("(?:access_token|id_token|refresh_token|client_secret|clientSecret|ClientSecret|code_verifier|assertion|token|jToken|privateKey|RSPrivatePem|oauthClientSecret)"\s*:\s*")[^"]*(")/g,
    `$1${REDACTED}$2`,
  ],
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
  out = redactCompactTokens(out);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return redactPrivateKeys(out);
}

/** A base64url character (`A-Z a-z 0-9 _ -`). */
function isBase64url(code: number): boolean {
  return (
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 45
  );
}

/** The end of the run of base64url characters starting at `from`. */
function runEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && isBase64url(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Replaces compact JWS (3 segments) and JWE (5 segments) whose header is base64url JSON (`eyJ…`): what
 * `/eyJ[\w-]*\.[\w-]*\.[\w-]*(?:\.[\w-]*\.[\w-]*)?/g` matches, in linear time. The expression tried every `eyJ`
 * inside a long run of base64url characters and scanned the rest of the run each time (quadratic: a 48 KB crafted
 * value took over a second). A match from any `eyJ` of a run needs the same dots after the run's end, so when the
 * first `eyJ` of a run fails, every later one in that run fails too and the search skips the run.
 */
function redactCompactTokens(text: string): string {
  let out = '';
  let copied = 0;
  for (let at = text.indexOf('eyJ'); at >= 0;) {
    const header = runEnd(text, at + 3);
    const end = compactEnd(text, header);
    if (end < 0) {
      at = text.indexOf('eyJ', header);
      continue;
    }
    out += text.slice(copied, at) + REDACTED;
    copied = end;
    at = text.indexOf('eyJ', end);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** After a header segment ending at `headerEnd`: the end of `.payload.signature` (and `.iv.tag` of a JWE), or -1. */
function compactEnd(text: string, headerEnd: number): number {
  if (text.charCodeAt(headerEnd) !== 46) return -1;
  const second = runEnd(text, headerEnd + 1);
  if (text.charCodeAt(second) !== 46) return -1;
  const third = runEnd(text, second + 1);
  if (text.charCodeAt(third) === 46) {
    const fourth = runEnd(text, third + 1);
    if (text.charCodeAt(fourth) === 46) return runEnd(text, fourth + 1);
  }
  return third;
}

/**
 * Replaces PEM private keys, `-----BEGIN … PRIVATE KEY-----` up to the first `-----END … PRIVATE KEY-----` after it,
 * in linear time. (A lazy `[\s\S]*?` between the two lines rescanned the rest of the text for every BEGIN line
 * without an END.) When a BEGIN line has no END line after it, no later BEGIN line has one either: the scan stops.
 */
function redactPrivateKeys(text: string): string {
  const begin = /-----BEGIN [A-Z ]*PRIVATE KEY-----/g;
  const end = /-----END [A-Z ]*PRIVATE KEY-----/g;
  let out = '';
  let copied = 0;
  for (let open = begin.exec(text); open !== null; open = begin.exec(text)) {
    end.lastIndex = open.index + open[0].length;
    const close = end.exec(text);
    if (close === null) break;
    out += text.slice(copied, open.index) + REDACTED;
    copied = close.index + close[0].length;
    begin.lastIndex = copied;
  }
  return copied === 0 ? text : out + text.slice(copied);
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
