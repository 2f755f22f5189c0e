/** The IO vocabulary (ports) every adapter and app shares, and the pure helpers over it. */
export type {
  Clock,
  FetchLike,
  Logger,
  RandomBytes,
  Sleep,
  StorageLike,
  Timers,
  WebSocketFactory,
  WebSocketLike,
} from './types.js';
export { createMemoryStorage, randomUnit, silentLogger, sleepOn } from './helpers.js';
export type { Emitter } from './emitter.js';
export { createEmitter } from './emitter.js';
export { retryAfterMs } from './retry-after.js';
