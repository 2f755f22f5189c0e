export type { CompiledPath, CompilePathOptions, PathStep } from './compile-path.js';
export { MAX_PATH_LENGTH, compilePath } from './compile-path.js';
export type { KvpConfig, ParseKvpConfigOptions } from './kvp-config.js';
export { parseKvpConfig } from './kvp-config.js';
export type { KvpExtraction, KvpMissing } from './extract-kvp.js';
export { extractKvp } from './extract-kvp.js';
