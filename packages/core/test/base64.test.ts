import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Text, encodeBase64, encodeBase64url } from '../src/index.js';
import { decodeBase64, decodeBase64urlText } from '../src/base64.js';

/** The Kore record decoder kore-client had before core's (atob based): the oracle for decodeBase64Text. */
function atobDecodeText(value: string): string | undefined {
  const compact = value.trim();
  if (compact === '') return '';
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact)) return undefined;
  const standard = compact.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (standard.length % 4 === 1) return undefined;
  try {
    const binary = atob(standard + '='.repeat((4 - (standard.length % 4)) % 4));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/** Base64 text, standard or url, padded or not, sometimes with a stray last character. */
const base64ish = fc.oneof(
  fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('base64')),
  fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('base64url')),
  fc.string({ unit: fc.constantFrom(...'AZaz09+/-_= '.split('')), maxLength: 24 }),
  fc.string(),
);

describe('base64 (one module for core and everything above it)', () => {
  it('property: encodeBase64url is the unpadded base64url of the bytes or the UTF-8 text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.string({ unit: 'grapheme', maxLength: 20 }), (bytes, text) => {
        expect(encodeBase64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
        expect(encodeBase64url(text)).toBe(Buffer.from(text, 'utf8').toString('base64url'));
      }),
    );
  });

  it('property: encodeBase64 is padded standard base64 of the bytes or the UTF-8 text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.string({ unit: 'grapheme', maxLength: 20 }), (bytes, text) => {
        expect(encodeBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
        expect(encodeBase64(text)).toBe(Buffer.from(text, 'utf8').toString('base64'));
      }),
    );
  });

  it('property: decodeBase64urlText inverts encodeBase64url, and decodeBase64 its bytes', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 30 }),
        fc.uint8Array({ minLength: 1, maxLength: 40 }),
        (text, bytes) => {
          expect(decodeBase64urlText(encodeBase64url(text))).toBe(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
          expect(decodeBase64(encodeBase64url(bytes))?.bytes).toEqual(bytes);
          expect(decodeBase64(encodeBase64(bytes))?.bytes).toEqual(bytes);
        },
      ),
    );
  });

  it('decodeBase64urlText is strict: url alphabet only, no padding, no stray bits', () => {
    expect(decodeBase64urlText('aGk')).toBe('hi');
    for (const bad of ['aGk=', 'aG+k', 'aGl', 'a', '//79']) expect(decodeBase64urlText(bad), bad).toBeUndefined();
    expect(decodeBase64urlText('')).toBe('');
  });

  it('property: decodeBase64Text decodes exactly what the browser-atob decoder it replaces decoded', () => {
    fc.assert(
      fc.property(base64ish, (value) => {
        expect(decodeBase64Text(value)).toBe(atobDecodeText(value));
      }),
      { numRuns: 500 },
    );
  });
});

describe('base64 edges found by mutation testing', () => {
  it('decodeBase64: empty text is not base64; the alphabet is url only when a url character is present', () => {
    expect(decodeBase64('')).toBeUndefined();
    expect(decodeBase64('a-b_')?.alphabet).toBe('url');
    expect(decodeBase64('aGk')?.alphabet).toBe('standard');
    expect(decodeBase64('aGk=')).toEqual({ bytes: new Uint8Array([104, 105]), alphabet: 'standard' });
    // a non-canonical last character: no encoder writes it
    expect(decodeBase64('aGl=')).toBeUndefined();
  });

  it('decodeBase64urlText: standard-only characters are refused; a byte order mark is dropped unless keepBom', () => {
    expect(decodeBase64urlText('aGk+')).toBeUndefined();
    const withBom = encodeBase64url('\ufeffhi');
    expect(decodeBase64urlText(withBom)).toBe('hi');
    expect(decodeBase64urlText(withBom, { keepBom: true })).toBe('\ufeffhi');
    expect(decodeBase64urlText(withBom, { keepBom: false })).toBe('hi');
  });

  it('decodeBase64Text: trims, decodes blank text to "", anchors its shape at both ends, drops all padding and a BOM', () => {
    expect(decodeBase64Text(' ZmFsc2U ')).toBe('false');
    expect(decodeBase64Text('   ')).toBe('');
    expect(decodeBase64Text('!!ZmFsc2U')).toBeUndefined();
    expect(decodeBase64Text('ZmFsc2U=!!')).toBeUndefined();
    expect(decodeBase64Text('Zm==')).toBe('f');
    expect(decodeBase64Text(encodeBase64('\ufeffhi'))).toBe('hi');
  });
});
