export * from './compile-path.js';
export * from './kvp-config.js';
export * from './extract-kvp.js';
