import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenHash } from '@kaa/broker';
import { webTokenHash } from '../src/verify-agent.js';

describe('tokenHash', () => {
  it('is SHA-256 in base64url, and node:crypto and WebCrypto give the same text for any token', async () => {
    expect(await tokenHash('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 300 }), async (token) => {
        expect(await tokenHash(token)).toBe(await webTokenHash(token));
      }),
      { numRuns: 200 },
    );
  });
});
