/** Node only (benchmark): order statistics of a sample. */

/**
 * The q-quantile (0..1) of `values` by the nearest-rank method; NaN for an empty sample.
 *
 * @example
 * ```ts
 * quantile([5, 1, 3], 0.5); // 3
 * quantile(samples, 0.99);
 * ```
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}
