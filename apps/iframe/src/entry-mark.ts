/**
 * Imported first by `main.ts`: marks when the entry chunk starts evaluating (before zod, core and the adapters),
 * so `pnpm bench` can split the time before `runPage` into download/compile and evaluation.
 * @packageDocumentation
 */
performance.mark('kaa:entry');
