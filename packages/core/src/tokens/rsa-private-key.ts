import { importPKCS8, type CryptoKey } from 'jose';
import { KaaError } from '../errors.js';
import { normalisePem, pemBody, pemLabel, pkcs1PrivateToPkcs8, toPem } from './pem.js';

const FIX =
  'Put an unencrypted RSA private key in PEM form in RSPrivatePem ("-----BEGIN PRIVATE KEY-----"; convert other forms with `openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem`).';

/**
 * Imports the row's `RSPrivatePem` for RS256/RS512 signing. Accepts PKCS#8 (`BEGIN PRIVATE KEY`) and
 * PKCS#1 (`BEGIN RSA PRIVATE KEY`, re-wrapped as PKCS#8 before import); literal `\n` escapes from a table
 * cell are tolerated. Anything else throws `E_KEY_INVALID`, never echoing the key.
 *
 * @example
 * ```ts
 * const key = await importRsaPrivateKey(row.RSPrivatePem, 'RS256');
 * ```
 */
export async function importRsaPrivateKey(pem: unknown, alg: 'RS256' | 'RS512'): Promise<CryptoKey> {
  if (typeof pem !== 'string' || pem.trim() === '') {
    throw new KaaError(
      'E_KEY_INVALID',
      `Algorithm ${alg} needs a private key, but RSPrivatePem is empty. ${FIX} Or set Algorithm to HS256.`,
      {
        details: { column: 'RSPrivatePem', algorithm: alg },
      },
    );
  }
  const text = normalisePem(pem);
  const label = pemLabel(text);
  const fail = (why: string, cause?: unknown): KaaError =>
    new KaaError('E_KEY_INVALID', `RSPrivatePem ${why}. ${FIX}`, {
      details: { column: 'RSPrivatePem', algorithm: alg, pemLabel: label ?? null },
      secrets: [pem, text],
      cause,
    });

  let pkcs8: string;
  if (label === 'PRIVATE KEY') {
    pkcs8 = text;
  } else if (label === 'RSA PRIVATE KEY') {
    const body = pemBody(text, label);
    if (!body) throw fail('is a PKCS#1 key whose body is not readable (encrypted keys are not supported)');
    pkcs8 = toPem(pkcs1PrivateToPkcs8(body), 'PRIVATE KEY');
  } else if (label === 'ENCRYPTED PRIVATE KEY') {
    throw fail('is encrypted with a passphrase');
  } else if (label !== undefined && /PUBLIC KEY|CERTIFICATE/.test(label)) {
    throw fail(`holds a ${label.toLowerCase()}, not a private key`);
  } else {
    throw fail(label ? `holds a "${label}" block` : 'is not PEM text');
  }
  try {
    return await importPKCS8(pkcs8, alg);
  } catch (cause) {
    throw fail('could not be read as an RSA private key', cause);
  }
}
