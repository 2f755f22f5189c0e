import { SignJWT } from 'jose';
import type { JoseEngine } from './jose-engine.js';

/** {@link JoseEngine.signJwt} by jose's `SignJWT` over WebCrypto (its own file: the page's first chunk needs no JWE code). */
export const joseSignJwt: JoseEngine['signJwt'] = (header, claims, key) =>
  new SignJWT({ ...claims }).setProtectedHeader({ ...header }).sign(key);
