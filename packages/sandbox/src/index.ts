/**
 * @kaa/sandbox — emulated Genesys Cloud (login, API, notifications), Kore platform and agent desktop on
 * 127.0.0.1, for kaa's demo, development and tests. Never imported by production code.
 * @packageDocumentation
 */
export * from './seed.js';
export * from './sandbox.js';
export * from './genesys/index.js';
export * from './http/index.js';
export * from './kore/index.js';
export * from './desktop/index.js';
export * from './page-copy.js';
export { MIN_SECRET_LENGTH, SecretLog } from './secret-log.js';
export type { SandboxSecret, SandboxSecretKind } from './secret-log.js';
export type { TranscribeResult } from './genesys/world-types.js';
