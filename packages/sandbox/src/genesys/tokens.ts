import type { SecretLog } from '../secret-log.js';
import type { Env } from './clock.js';
import type { Grant } from './oauth-clients.js';

/** An access token the sandbox issued. */
export interface IssuedToken {
  token: string;
  clientId: string;
  grant: Grant;
  /** The signed-in user; absent for client credentials (no user context). */
  userId?: string;
  /** The scopes of the OAuth client when the token was issued. */
  scopes: readonly string[];
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
}

/** An authorization code waiting for its one exchange. */
export interface AuthCode {
  code: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  userId: string;
  expiresAt: number;
  used: boolean;
}

/** Why a bearer token is refused. */
export type TokenProblem = 'missing' | 'unknown' | 'expired' | 'revoked';

/**
 * Access tokens and authorization codes. Tokens are opaque random strings; validity is checked against the
 * injected clock, so tests can expire them by moving time or with {@link TokenStore.expireAll}.
 *
 * @example
 * ```ts
 * const t = tokens.issue({ clientId, grant: 'pkce', userId: USERS.agent.id }, 86_400);
 * tokens.check(t.token); // { token: t }
 * ```
 */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly codes = new Map<string, AuthCode>();

  /** `secrets` (optional) records every token and code issued, for secret scans. */
  constructor(
    private readonly env: Env,
    private readonly secrets?: SecretLog,
  ) {}

  /** Issues a token valid for `ttlSeconds`. */
  issue(
    input: { clientId: string; grant: Grant; userId?: string; scopes?: readonly string[] },
    ttlSeconds: number,
  ): IssuedToken {
    const now = this.env.now();
    const t: IssuedToken = {
      token: this.env.secret(),
      clientId: input.clientId,
      grant: input.grant,
      ...(input.userId ? { userId: input.userId } : {}),
      scopes: [...(input.scopes ?? [])],
      issuedAt: now,
      expiresAt: now + ttlSeconds * 1000,
      revoked: false,
    };
    this.tokens.set(t.token, t);
    this.secrets?.add('genesys-access-token', t.token);
    return t;
  }

  /** The token behind an `Authorization: Bearer …` value, or why it is refused. */
  check(token: string | undefined): { token: IssuedToken } | { problem: TokenProblem } {
    if (!token) return { problem: 'missing' };
    const t = this.tokens.get(token);
    if (!t) return { problem: 'unknown' };
    if (t.revoked) return { problem: 'revoked' };
    if (t.expiresAt <= this.env.now()) return { problem: 'expired' };
    return { token: t };
  }

  /** True while the token can be used. */
  isLive(token: string): boolean {
    return 'token' in this.check(token);
  }

  /** Makes every issued token expire now (the `expireTokens` fault). */
  expireAll(): void {
    const now = this.env.now();
    for (const t of this.tokens.values()) t.expiresAt = Math.min(t.expiresAt, now);
  }

  /** Revokes one token, or every token when none is given; returns the revoked tokens. */
  revoke(token?: string): IssuedToken[] {
    const list =
      token === undefined
        ? [...this.tokens.values()]
        : [this.tokens.get(token)].filter((t): t is IssuedToken => t !== undefined);
    for (const t of list) t.revoked = true;
    return list.filter((t) => t.expiresAt > this.env.now());
  }

  /** Stores a new one-time authorization code. */
  newCode(input: Omit<AuthCode, 'code' | 'expiresAt' | 'used'>, ttlSeconds: number): AuthCode {
    const c: AuthCode = {
      ...input,
      code: this.env.secret(),
      expiresAt: this.env.now() + ttlSeconds * 1000,
      used: false,
    };
    this.codes.set(c.code, c);
    this.secrets?.add('genesys-authorization-code', c.code);
    return c;
  }

  /** The stored code (used or not), or undefined. */
  code(code: string): AuthCode | undefined {
    return this.codes.get(code);
  }

  /** Forgets every token and code. */
  clear(): void {
    this.tokens.clear();
    this.codes.clear();
  }

  /** Live tokens (for the state view). */
  get liveCount(): number {
    let n = 0;
    for (const t of this.tokens.values()) if (!t.revoked && t.expiresAt > this.env.now()) n += 1;
    return n;
  }
}
