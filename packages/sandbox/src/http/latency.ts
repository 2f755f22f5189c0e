/**
 * Per-route latency: one number for every route, or path-prefix → milliseconds (the longest matching
 * prefix wins; `'*'` is the fallback).
 *
 * @example
 * ```ts
 * const latency: Latency = { '*': 100, '/api/v2/notifications': 0 };
 * ```
 */
export type Latency = number | Readonly<Record<string, number>>;

/**
 * The latency in milliseconds for `path` under `latency` (0 when nothing matches).
 *
 * @example
 * ```ts
 * latencyFor({ '*': 100, '/oauth': 20 }, '/oauth/token'); // 20
 * latencyFor(50, '/api/v2/users/me'); // 50
 * ```
 */
export function latencyFor(latency: Latency | undefined, path: string): number {
  if (latency === undefined) return 0;
  if (typeof latency === 'number') return Math.max(0, latency);
  let best = -1;
  let value = latency['*'] ?? 0;
  for (const [prefix, ms] of Object.entries(latency)) {
    if (prefix !== '*' && path.startsWith(prefix) && prefix.length > best) {
      best = prefix.length;
      value = ms;
    }
  }
  return Math.max(0, value);
}
