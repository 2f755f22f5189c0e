/**
 * What one benchmark iteration must have done, checked on every iteration: a bench whose measured path silently
 * turned into a no-op (a duplicate dropped, an identical frame diffed, a cached answer returned) fails instead of
 * reporting a fast figure. The average work per iteration is printed after the measured run.
 *
 * @example
 * ```ts
 * const utterances = benchWork('utterances emitted', 2);
 * bench('relay', () => utterances.add(ledger.push(next()).length), utterances.options);
 * ```
 */
export interface BenchWork {
  /** Counts `n` units of work for one iteration; throws when it is not the expected amount. */
  add(n: number): void;
  /** Bench options: `throws` (a failed check fails the run), counters reset per phase, the report after the run. */
  readonly options: {
    throws: true;
    setup: () => void;
    teardown: (task: unknown, mode?: 'run' | 'warmup') => void;
  };
}

/**
 * A {@link BenchWork} expecting `expected` units of `unit` per iteration.
 *
 * @example
 * ```ts
 * const signed = benchWork('JWS segments', 3);
 * bench('HS256', async () => signed.add((await sign()).split('.').length), signed.options);
 * ```
 */
export function benchWork(unit: string, expected: number): BenchWork {
  const w = { iterations: 0, done: 0 };
  return {
    add(n: number) {
      w.iterations += 1;
      w.done += n;
      if (n !== expected)
        throw new Error(`iteration ${w.iterations} did not do its work: ${n} ${unit}, expected ${expected}`);
    },
    options: {
      throws: true, // tinybench otherwise records the error and goes on
      setup: () => void Object.assign(w, { iterations: 0, done: 0 }),
      teardown: (_task: unknown, mode?: 'run' | 'warmup') => {
        if (mode === 'run')
          console.info(
            `  ${unit}: ${(w.done / Math.max(1, w.iterations)).toFixed(2)} per iteration (${w.done} over ${w.iterations} iterations)`,
          );
      },
    },
  };
}
