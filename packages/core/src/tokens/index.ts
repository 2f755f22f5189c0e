export {
  WIDGET_JWT_ALGORITHMS,
  JWE_KEY_ALGORITHMS,
  JWE_CONTENT_ENCRYPTIONS,
  widgetJwtAlgorithm,
  jweKeyAlgorithm,
  jweContentEncryption,
} from './algorithms.js';
export type { WidgetJwtAlgorithm, JweKeyAlgorithm, JweContentEncryption } from './algorithms.js';
export type { ClockReading } from './epoch-seconds.js';
export type { SecretEncoding } from './secret-key.js';
export { signWidgetJwt, KORE_JWT_AUDIENCE, WIDGET_JWT_TTL_SECONDS } from './sign-widget-jwt.js';
export type { SignWidgetJwtOptions } from './sign-widget-jwt.js';
export { signPlatformJwt } from './sign-platform-jwt.js';
export { PLATFORM_JWT_TTL_SECONDS, PLATFORM_JWT_MAX_TTL_SECONDS } from './platform-jwt-lifetime.js';
export type { SignPlatformJwtOptions } from './sign-platform-jwt.js';
export { decodeJwtUnverified } from './decode-jwt-unverified.js';
export type { DecodedJwt } from './decode-jwt-unverified.js';
export { importJwePublicKey } from './jwe-public-key.js';
export type { JwePublicKey, JwePublicKeyInput } from './jwe-public-key.js';
export {
  encryptSecureCustomData,
  SECURE_CUSTOM_DATA_CLAIMS,
  SECURE_CUSTOM_DATA_TTL_SECONDS,
} from './encrypt-secure-custom-data.js';
export type { EncryptSecureCustomDataOptions } from './encrypt-secure-custom-data.js';
export { classifyPassthru } from './classify-passthru.js';
export type { PassthruClassification, PassthruKind } from './classify-passthru.js';
export { buildCustomData } from './build-custom-data.js';
export type { BuildCustomDataOptions, PassthruForward } from './build-custom-data.js';
export { createTokenKeys } from './token-keys.js';
export type { TokenKeys } from './token-keys.js';
export { webCryptoJoseEngine } from './jose-engine.js';
export type { JoseEngine, JweProtectedHeader, JwsProtectedHeader } from './jose-engine.js';
