/**
 * The text inside a widget `send`/`copy` payload (docs/kore-protocol.md#widget-to-host-messages): Kore's samples try
 * `JSON.parse(decodeURI(payload)).message[0].cInfo.body` and fall back to the raw text. Never throws.
 *
 * @example
 * ```ts
 * import { decodeSendPayload } from '@kaa/core';
 *
 * decodeSendPayload('Your balance is $42.');                                   // → 'Your balance is $42.'
 * decodeSendPayload(encodeURI('{"message":[{"cInfo":{"body":"Hello there"}}]}')); // → 'Hello there'
 * ```
 */
export function decodeSendPayload(payload: string): string {
  try {
    const parsed: unknown = JSON.parse(decodeURI(payload));
    const body = (parsed as { message?: { cInfo?: { body?: unknown } }[] } | null)?.message?.[0]?.cInfo?.body;
    return typeof body === 'string' ? body : payload;
  } catch {
    return payload;
  }
}
