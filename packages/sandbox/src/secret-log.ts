/**
 * Every credential the sandbox issued or received, kept for secret scans: a test asks the sandbox what secrets
 * exist at runtime (not only the seeded ones) and checks that none of them shows up where it must not.
 */

/**
 * What a recorded secret is, which decides where it may legitimately travel (e.g. a Genesys access token to the
 * Genesys API, a widget JWT in the widget iframe `src`).
 *
 * @example
 * ```ts
 * const kind: SandboxSecretKind = 'genesys-access-token';
 * ```
 */
export type SandboxSecretKind =
  /** An access token issued by the Genesys login origin (implicit, PKCE, client credentials, `issueToken`). */
  | 'genesys-access-token'
  /** A one-time authorization code the Genesys login origin issued. */
  | 'genesys-authorization-code'
  /** A PKCE `code_verifier` the Genesys token endpoint received. */
  | 'genesys-pkce-verifier'
  /** The secret of a Genesys OAuth client (client credentials), seeded or received by HTTP Basic. */
  | 'genesys-client-secret'
  /** A Data-app JWT received in the `auth` header of the Kore Data Table API (the `x_metadata` table token). */
  | 'kore-table-token'
  /** A bot-app JWT received in the auth header of the hooks or Control Transcription API. */
  | 'kore-platform-jwt'
  /** A widget JWT (assertion) received by jwtgrant. */
  | 'kore-widget-jwt'
  /** An access token issued by jwtgrant (the widget's own credential). */
  | 'kore-access-token'
  /** A bot's ClientSecret: seeded, rotated, served in a table row or written into one. */
  | 'bot-client-secret'
  /** One line of a bot's RS256 private key (PKCS#8 PEM), seeded or served in a table row. */
  | 'bot-rs-private-key'
  /** Private material of a bot's JWE (RSA-OAEP) key: the JWK `d` and the PKCS#8 PEM lines. Never leaves Kore. */
  | 'bot-jwe-private-key'
  /** The secret of a Kore Data app (signs table tokens). */
  | 'data-app-secret';

/**
 * One recorded secret.
 *
 * @example
 * ```ts
 * const s: SandboxSecret = { kind: 'kore-access-token', value: 'Xb3…' };
 * ```
 */
export interface SandboxSecret {
  readonly kind: SandboxSecretKind;
  readonly value: string;
}

/** Shorter values are not recorded: they would match ordinary text (and no real credential is this short). */
export const MIN_SECRET_LENGTH = 12;

/**
 * An append-only, de-duplicated list of secrets. It is never cleared (a reset of the sandbox keeps it), so a
 * scan at the end of a suite still knows the tokens of its first test.
 *
 * @example
 * ```ts
 * const log = new SecretLog();
 * log.add('genesys-access-token', token);
 * log.list(); // [{ kind: 'genesys-access-token', value: token }]
 * ```
 */
export class SecretLog {
  readonly #byValue = new Map<string, SandboxSecret>();

  /** Records `value` as `kind` (ignored when not a string, or shorter than {@link MIN_SECRET_LENGTH}). */
  add(kind: SandboxSecretKind, value: unknown): void {
    if (typeof value !== 'string') return;
    const v = value.trim();
    if (v.length < MIN_SECRET_LENGTH || this.#byValue.has(v)) return;
    this.#byValue.set(v, { kind, value: v });
  }

  /** Records every line of a PEM body (the armour lines excluded). */
  addPem(kind: SandboxSecretKind, pem: unknown): void {
    if (typeof pem !== 'string') return;
    for (const line of pem.split(/\r?\n/)) if (!line.startsWith('-----')) this.add(kind, line);
  }

  /** Everything recorded, oldest first. */
  list(): SandboxSecret[] {
    return [...this.#byValue.values()];
  }
}
