import { KaaError } from '../errors.js';

/** A required, non-blank string from an untrusted record (kept apart so the platform signer does not pull in RSA key import). */
export function requiredText(
  value: unknown,
  field: string,
  code: 'E_BOT_ROW_INVALID' | 'E_TOKEN_SIGN_FAILED' | 'E_JWE_ENCRYPT_FAILED',
  fix: string,
): string {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  throw new KaaError(code, `The ${field} for the token is empty. ${fix}`, { details: { field } });
}
