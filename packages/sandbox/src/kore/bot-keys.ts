/**
 * The sandbox bots of `seed.ts` with keys generated at start: an RSA-OAEP key pair per bot for
 * secureCustomData (JWE), and an RS256 key pair for the bot whose row uses `Algorithm: RS256`.
 */
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { BOTS } from '../seed.js';

/** Key of a bot in `seed.ts` `BOTS`. */
export type BotKey = keyof typeof BOTS;

/** Which algorithms jwtgrant accepts for a bot's widget JWT (pinned; never read from the token header). */
export type WidgetJwtAlgorithm = 'HS256' | 'RS256' | 'RS512';

/** A sandbox bot: the seed identity plus its generated keys. Private keys stay on the Kore platform. */
export interface SandboxBot {
  key: BotKey;
  botId: string;
  clientId: string;
  /** HS256 secret of the bot's JWT app. Rotatable with `KorePlatform.rotateClientSecret`. */
  clientSecret: string;
  name: string;
  /** The algorithm of the bot's JWT app: HS256, or RS256 for `BOTS.rs`. */
  algorithm: 'HS256' | 'RS256';
  /** The public JWK (with `kid`, `alg: RSA-OAEP`, `use: enc`) that the row's `JWEPublicKey` column carries. */
  jwePublicJwk: JWK;
  /** Decrypts secureCustomData; never leaves the platform. */
  jwePrivateKey: CryptoKey;
  /** RS256 bots only: PKCS#8 PEM of the signing key (the row's `RSPrivatePem`, as the guide's column asks). */
  rsPrivatePem?: string;
  /** RS256 bots only: verifies widget JWTs at jwtgrant. */
  rsPublicKey?: CryptoKey;
}

let generated: Promise<Record<BotKey, SandboxBot>> | undefined;

/**
 * The seeded bots with keys generated once per process (in parallel) and shared by every platform started
 * in it; each call returns fresh bot objects, so rotating one platform's secret leaves the others alone.
 *
 * @example
 * ```ts
 * const bots = await generateSandboxBots();
 * JSON.parse(JSON.stringify(bots.alpha.jwePublicJwk)).kid; // 'st-a1fa…-jwe'
 * ```
 */
export async function generateSandboxBots(): Promise<Record<BotKey, SandboxBot>> {
  generated ??= (async () => {
    const keys = Object.keys(BOTS) as BotKey[];
    const entries = await Promise.all(keys.map(async (key) => [key, await generateBot(key)] as const));
    return Object.fromEntries(entries) as Record<BotKey, SandboxBot>;
  })();
  const shared = await generated;
  return Object.fromEntries(
    Object.entries(shared).map(([k, bot]) => [k, { ...bot, jwePublicJwk: { ...bot.jwePublicJwk } }]),
  ) as Record<BotKey, SandboxBot>;
}

async function generateBot(key: BotKey): Promise<SandboxBot> {
  const seed = BOTS[key];
  const jwe = await generateKeyPair('RSA-OAEP', { extractable: true, modulusLength: 2048 });
  const jwePublicJwk: JWK = {
    ...(await exportJWK(jwe.publicKey)),
    kid: `${seed.botId}-jwe`,
    alg: 'RSA-OAEP',
    use: 'enc',
  };
  const bot: SandboxBot = {
    key,
    botId: seed.botId,
    clientId: seed.clientId,
    clientSecret: seed.clientSecret,
    name: seed.name,
    algorithm: key === 'rs' ? 'RS256' : 'HS256',
    jwePublicJwk,
    jwePrivateKey: jwe.privateKey,
  };
  if (key === 'rs') {
    const rs = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
    bot.rsPrivatePem = await exportPKCS8(rs.privateKey);
    bot.rsPublicKey = rs.publicKey;
  }
  return bot;
}

/** The algorithms jwtgrant accepts for `bot` (RS bots accept RS256 and RS512 with the same key). */
export function allowedWidgetAlgorithms(bot: SandboxBot): WidgetJwtAlgorithm[] {
  return bot.algorithm === 'RS256' ? ['RS256', 'RS512'] : ['HS256'];
}
