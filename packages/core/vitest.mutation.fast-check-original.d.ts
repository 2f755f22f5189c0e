// The name under which vitest.mutation.fast-check.ts imports the real fast-check (an alias in
// vitest.mutation.config.ts): the same module, so the same types.
declare module 'kaa-mutation-original-fast-check' {
  export * from 'fast-check';
  export { default } from 'fast-check';
}
