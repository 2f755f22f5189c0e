/** Small HTTP helpers shared by the sandbox's servers (Genesys half and Kore/desktop half). */
export * from './listen.js';
export * from './body.js';
export * from './send.js';
export * from './cors.js';
export * from './timers.js';
export * from './latency.js';
export * from './rate-budget.js';
export * from './static.js';
