import { decodeBase64, encodeBase64 } from '../base64.js';

/** The label of a PEM block (`PRIVATE KEY`, `RSA PRIVATE KEY`, `PUBLIC KEY`, …), or `undefined`. */
export function pemLabel(text: string): string | undefined {
  return /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1];
}

/**
 * Normalises PEM text pasted into a table cell: literal `\n` escapes become newlines, CRLF becomes LF,
 * surrounding quotes and whitespace are dropped.
 */
export function normalisePem(text: string): string {
  return text
    .trim()
    .replace(/^"|"$/g, '')
    .replace(/\\r\\n|\\n/g, '\n')
    .replace(/\r\n?/g, '\n');
}

/** The DER bytes inside the first PEM block with `label`; `undefined` when absent or not base64. */
export function pemBody(text: string, label: string): Uint8Array | undefined {
  const begin = `-----BEGIN ${label}-----`;
  const end = `-----END ${label}-----`;
  const start = text.indexOf(begin);
  const stop = text.indexOf(end, start + begin.length);
  if (start < 0 || stop < 0) return undefined;
  const body = text.slice(start + begin.length, stop).replace(/\s+/g, '');
  if (/^[A-Za-z-]+:/.test(text.slice(start + begin.length).trim())) return undefined; // encrypted PEM headers (Proc-Type: …)
  return decodeBase64(body)?.bytes;
}

/** Wraps DER bytes as a PEM block. */
export function toPem(der: Uint8Array, label: string): string {
  const lines = encodeBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** DER: AlgorithmIdentifier { rsaEncryption, NULL }. */
const RSA_ALGORITHM_IDENTIFIER = [
  0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
];

function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

function der(tag: number, content: ArrayLike<number>): Uint8Array {
  const head = [tag, ...derLength(content.length)];
  const out = new Uint8Array(head.length + content.length);
  out.set(head, 0);
  out.set(Array.from(content), head.length);
  return out;
}

function concat(...parts: ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(Array.from(part), offset);
    offset += part.length;
  }
  return out;
}

/** PKCS#1 `RSAPrivateKey` DER → PKCS#8 `PrivateKeyInfo` DER (version 0, rsaEncryption). */
export function pkcs1PrivateToPkcs8(pkcs1: Uint8Array): Uint8Array {
  return der(0x30, concat([0x02, 0x01, 0x00], RSA_ALGORITHM_IDENTIFIER, der(0x04, pkcs1)));
}

/** PKCS#1 `RSAPublicKey` DER → SPKI `SubjectPublicKeyInfo` DER. */
export function pkcs1PublicToSpki(pkcs1: Uint8Array): Uint8Array {
  return der(0x30, concat(RSA_ALGORITHM_IDENTIFIER, der(0x03, concat([0x00], pkcs1))));
}
