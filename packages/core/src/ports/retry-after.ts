/**
 * Milliseconds to wait from an HTTP `Retry-After` header value: delta seconds (`"120"`, `"1.5"`) or, when `nowMs`
 * is given, an HTTP date (the time left until it, never negative). `undefined` when the header is absent, empty or
 * unreadable (a date without `nowMs` counts as unreadable). Callers apply their own cap.
 *
 * @example
 * ```ts
 * retryAfterMs(response.headers.get('retry-after'), Date.now()); // '2' → 2000
 * retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT');                  // undefined: no clock to compare with
 * ```
 */
export function retryAfterMs(value: string | null | undefined, nowMs?: number): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (nowMs === undefined) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
