import { CompactEncrypt } from 'jose';
import type { JoseEngine } from './jose-engine.js';

/** {@link JoseEngine.encryptJwe} by jose's `CompactEncrypt` over WebCrypto. */
export const joseEncryptJwe: JoseEngine['encryptJwe'] = (header, plaintext, key) =>
  new CompactEncrypt(plaintext).setProtectedHeader({ ...header }).encrypt(key);
