/**
 * The outside world as @kaa/kore-client sees it. The port types and their pure helpers are core's (`@kaa/core`'s
 * ports); every one is injected by the host (the page, the CLI, a test). The one default bound to a global is
 * {@link timerSleep} (`globalThis.setTimeout`), used where an option documents it.
 */
import { sleepOn } from '@kaa/core';
import type { Sleep } from '@kaa/core';

/**
 * The default {@link Sleep}: core's `sleepOn` over the global timers (looked up at call time); rejects with the
 * signal's reason when aborted.
 *
 * @example
 * ```ts
 * await timerSleep(250);
 * ```
 */
export const timerSleep: Sleep = sleepOn({
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
});
