import type { RandomBytes } from '@kaa/core';
import { codeChallengeOf, createCodeVerifier } from '../pkce.js';
import type { Sha256 } from '../pkce.js';

/** A PKCE `code_verifier` and its `S256` `code_challenge`. */
export interface PkcePair {
  verifier: string;
  challenge: string;
}

/**
 * PKCE pairs computed ahead of the click. SHA-256 is async in WebCrypto, and an await between the user's click and
 * `window.open` can cost the gesture (popup blockers), so a login takes a pair that is ready without awaiting, and the
 * next one is prepared in the background. Each pair is used once.
 *
 * @example
 * ```ts
 * const pkce = createPkceMaterial(random, sha256);
 * pkce.prepare(); // at creation
 * const taken = pkce.take(); // later, inside the click
 * const pair = taken instanceof Promise ? await taken : taken;
 * ```
 */
export interface PkceMaterial {
  /** Starts computing a pair unless one is ready or on the way. */
  prepare(): void;
  /** The prepared pair (synchronously, used once), or a promise of a fresh one when none is ready. */
  take(): PkcePair | Promise<PkcePair>;
}

/** Creates a {@link PkceMaterial}. */
export function createPkceMaterial(random: RandomBytes, sha256: Sha256): PkceMaterial {
  let ready: PkcePair | null = null;
  let preparing = false;
  const fresh = async (): Promise<PkcePair> => {
    const verifier = createCodeVerifier(random);
    return { verifier, challenge: await codeChallengeOf(verifier, sha256) };
  };
  const prepare = () => {
    if (ready || preparing) return;
    preparing = true;
    fresh().then(
      (pair) => {
        ready = pair;
        preparing = false;
      },
      () => {
        preparing = false;
      },
    );
  };
  return {
    prepare,
    take() {
      const pair = ready;
      ready = null;
      prepare();
      return pair ?? fresh();
    },
  };
}
