import { decodeBase64urlText } from '../base64.js';

/** Decodes one base64url JOSE segment into a JSON object; `undefined` when it is not one. */
export function decodeJoseSegment(segment: string): Record<string, unknown> | undefined {
  if (segment.length === 0) return undefined;
  const text = decodeBase64urlText(segment, { keepBom: true });
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** True for a non-null, non-array object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
