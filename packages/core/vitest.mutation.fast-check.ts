// fast-check as core's tests see it under mutation testing (aliased in vitest.mutation.config.ts; `pnpm test` uses
// fast-check itself). A property runs at most MUTATION_NUM_RUNS cases here, whatever `numRuns` the test asks for:
// most mutants covered by a property are killed in its first cases or by an example test, and a property asking for
// 500–1,000 cases made every mutant it covers pay for all of them (docs/testing.md#mutation-testing-pnpm-mutate).
// Fewer cases can only let more mutants survive, so the score is never flattered by this.
import * as fc from 'kaa-mutation-original-fast-check';

export * from 'kaa-mutation-original-fast-check';

/** fast-check's own default `numRuns`. */
export const MUTATION_NUM_RUNS = 100;

type Params = { numRuns?: number } | undefined;
const capped = <P extends Params>(params: P): P & { numRuns: number } =>
  ({
    ...(params as object),
    numRuns: Math.min(params?.numRuns ?? MUTATION_NUM_RUNS, MUTATION_NUM_RUNS),
  }) as P & { numRuns: number };

export const assert = ((property: never, params?: Params) => fc.assert(property, capped(params))) as typeof fc.assert;
export const check = ((property: never, params?: Params) => fc.check(property, capped(params))) as typeof fc.check;

export default { ...fc, assert, check };
