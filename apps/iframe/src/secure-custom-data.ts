/**
 * Secure custom data encryption (JWE, jose's `CompactEncrypt`), in its own chunk: fetched in parallel with
 * step 4 and used only when the bot record has a KvpConfig.
 * @packageDocumentation
 */
export { encryptSecureCustomData } from '@kaa/core';
