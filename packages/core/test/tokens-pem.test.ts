import { describe, expect, it } from 'vitest';
import { normalisePem, pemBody, toPem } from '../src/tokens/pem.js';

/**
 * The PEM helpers behind RSPrivatePem and JWEPublicKey, on their own: Node's key parsers forgive much of what these
 * normalise (quotes, CRLF, one long line), so the key-level tests alone did not pin them (found by mutation testing,
 * docs/testing.md#mutation-testing-pnpm-mutate).
 */
describe('PEM helpers', () => {
  it('normalisePem drops surrounding whitespace and one quote at each end, and turns \\r\\n / \\n escapes, CRLF and lone CR into LF', () => {
    expect(normalisePem('  "A\\r\\nB\\nC\r\nD\rE"  ')).toBe('A\nB\nC\nD\nE');
    expect(normalisePem('"a"b"')).toBe('a"b');
  });

  it('pemBody reads the block after its BEGIN line, whatever stands before it; undefined without the block', () => {
    const block = '-----BEGIN X-----\nAAEC\n-----END X-----';
    expect(pemBody(block, 'X')).toEqual(new Uint8Array([0, 1, 2]));
    expect(pemBody(`-----END X-----\n${block}`, 'X')).toEqual(new Uint8Array([0, 1, 2]));
    expect(pemBody(`Key: ${block}`, 'X')).toEqual(new Uint8Array([0, 1, 2]));
    expect(pemBody(`${block}\nNote: rotate yearly`, 'X')).toEqual(new Uint8Array([0, 1, 2]));
    expect(pemBody('AAEC', 'X')).toBeUndefined();
    expect(pemBody(`${'A'.repeat(24)}\n-----END X-----`, 'X')).toBeUndefined(); // an END line without its BEGIN
    expect(pemBody(block, 'Y')).toBeUndefined();
  });

  it('toPem wraps the base64 body at 64 characters a line', () => {
    const pem = toPem(new Uint8Array(100), 'X');
    const lines = pem.trimEnd().split('\n');
    expect(lines[0]).toBe('-----BEGIN X-----');
    expect(lines.slice(1, -1).map((l) => l.length)).toEqual([64, 64, 8]); // 100 bytes are 136 base64 characters
    expect(lines.at(-1)).toBe('-----END X-----');
  });
});
