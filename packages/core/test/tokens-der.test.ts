import { describe, expect, it } from 'vitest';
import { testRsaKeys } from '@kaa/test-support';
// internal to core (not exported): reached by path
import { pkcs1PrivateToPkcs8, pkcs1PublicToSpki } from '../src/tokens/pem.js';

/**
 * The DER re-wrapping behind PKCS#1 keys (`BEGIN RSA PUBLIC KEY` / `BEGIN RSA PRIVATE KEY` cells): the result must be
 * the bytes Node itself writes, and DER lengths must use the short form below 128 and the long form from 128 on
 * (found by mutation testing, docs/testing.md#mutation-testing-pnpm-mutate: real 2048-bit keys never reach the short form).
 */
describe('PKCS#1 → SPKI / PKCS#8 DER', () => {
  it.each([2048, 512])('a %i-bit key re-wraps to exactly the DER that Node exports', (bits) => {
    const { publicKey, privateKey } = testRsaKeys('der', bits);
    const pkcs1Public = new Uint8Array(publicKey.export({ type: 'pkcs1', format: 'der' }));
    expect(Buffer.from(pkcs1PublicToSpki(pkcs1Public))).toEqual(publicKey.export({ type: 'spki', format: 'der' }));
    const pkcs1Private = new Uint8Array(privateKey.export({ type: 'pkcs1', format: 'der' }));
    expect(Buffer.from(pkcs1PrivateToPkcs8(pkcs1Private))).toEqual(privateKey.export({ type: 'pkcs8', format: 'der' }));
  });

  it('lengths: 127 in one byte, 128 as 0x81 0x80, 256 as 0x82 0x01 0x00', () => {
    // SEQUENCE header, then the 15-byte AlgorithmIdentifier, then the BIT STRING (one unused-bits byte + the key)
    const short = pkcs1PublicToSpki(new Uint8Array(126)); // BIT STRING content 127, SEQUENCE content 15 + 2 + 127
    expect([...short.subarray(0, 3)]).toEqual([0x30, 0x81, 144]);
    expect([...short.subarray(18, 20)]).toEqual([0x03, 127]);
    const at128 = pkcs1PublicToSpki(new Uint8Array(127));
    expect([...at128.subarray(18, 21)]).toEqual([0x03, 0x81, 0x80]);
    expect(at128).toHaveLength(3 + 15 + 3 + 128);
    const at256 = pkcs1PublicToSpki(new Uint8Array(255));
    expect([...at256.subarray(0, 4)]).toEqual([0x30, 0x82, 0x01, 0x13]); // 15 + 4 + 256 = 275 = 0x113
    expect([...at256.subarray(19, 23)]).toEqual([0x03, 0x82, 0x01, 0x00]);
  });
});
