/**
 * Milliseconds to wait from a `Retry-After` header value: delta seconds (`"120"`) or an HTTP date.
 * Returns `undefined` when the header is absent or unreadable.
 *
 * @example
 * ```ts
 * retryAfterMs('2', Date.now()); // 2000
 * ```
 */
export function retryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
